r"""Activation functions and their vector-Jacobian products, evaluated in float64.

Every function takes array-likes, converts them to float64 once, and returns a float64
array. Each ``*_vjp(x, v, ...)`` returns :math:`v^\top J_f(x)`, the gradient of
``sum(v * f(x))`` with respect to ``x``, which is what reverse-mode autodiff in every
framework computes when it back-propagates the cotangent ``v``. For the elementwise
functions that is ``v * f'(x)``.

At a kink (x = 0 for relu, leaky_relu, selu and elu with alpha != 1; 0 and 6 for
relu6; +-3 for hard_sigmoid and hard_swish; +-1 for hard_tanh) the derivative is
undefined. These references return what PyTorch 2.13, TensorFlow 2.21 and JAX 0.10
agree on, or most of them: the left derivative at 0, 0 at both ends of relu6,
hard_sigmoid and hard_tanh, and the outer piece's slope at hard_swish's +-3. A
framework that differs declares a variant.
"""

import numpy as np
from scipy.special import erfc, erfcx

# SELU constants (Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017),
# to the digits PyTorch, TensorFlow and JAX use.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
# sqrt(2 / pi) and the cubic coefficient of GELU's tanh form (Hendrycks and Gimpel,
# arXiv:1606.08415).
_GELU_TANH_SCALE = np.sqrt(2.0 / np.pi)
_GELU_TANH_CUBIC = 0.044715
# 1/sqrt(2) rounded to float64, and the rest of it (mpmath at 50 digits).
_INV_SQRT2 = 0.7071067811865476
_INV_SQRT2_REST = -4.833646656726457e-17


def _two_product(a, b):
    """Return (p, e) with p = fl(a * b) and p + e = a * b exactly (Dekker, 1971).

    The references use the error term where a rounded product feeds exp or erfc with a
    large argument, which would otherwise turn its 1-ULP error into hundreds.
    """

    def split(value):
        scaled = 134217729.0 * value  # 2**27 + 1, Veltkamp's splitting constant
        high = scaled - (scaled - value)
        return high, value - high

    with np.errstate(over="ignore", invalid="ignore"):
        product = a * b
        a_high, a_low = split(a)
        b_high, b_low = split(b)
        error = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + (
            a_low * b_low
        )
    return product, np.where(np.isfinite(error), error, 0.0)


def _normal_cdf(x):
    r"""Standard normal CDF :math:`\Phi(x) = \tfrac12 \mathrm{erfc}(z)`, z = -x/sqrt(2).

    For z > 0.5 it uses :math:`\mathrm{erfc}(z) = \mathrm{erfcx}(z)\,e^{-z^2}`, because
    SciPy's erfc is off by about 100 ULP near z = 14 while erfcx is not, and it
    corrects the rounding of z and of z^2 to first order.
    """
    z, z_error = _two_product(-x, _INV_SQRT2)
    z_error = z_error - x * _INV_SQRT2_REST
    square, square_error = _two_product(z, z)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        gaussian = np.exp(-square) * (1.0 - square_error)
        # d erfc(z) / dz = -2/sqrt(pi) exp(-z^2)
        tail = gaussian * (erfcx(z) - 2.0 * z_error / np.sqrt(np.pi))
        near = erfc(z) - 2.0 * z_error / np.sqrt(np.pi) * np.exp(-square)
    cdf = 0.5 * np.where(z > 0.5, tail, near)
    return np.where(cdf == 0, 0.0, cdf)  # an underflowed CDF is +0.0, never -0.0


def _exp_of_quotient(x, divisor):
    """Return exp(x / divisor) with the rounding of the quotient corrected."""
    quotient = x / divisor
    product, product_error = _two_product(quotient, divisor)
    with np.errstate(invalid="ignore"):
        remainder = ((x - product) - product_error) / divisor
    return np.exp(quotient) * (1.0 + np.where(np.isfinite(remainder), remainder, 0.0))


# Below this, exp(x) is subnormal (exp(-708.4) is the smallest normal float64) and
# keeps few significant bits, so silu and mish switch to _times_exp.
_SUBNORMAL_EXP = -700.0


def _times_exp(factor, x):
    """Return factor * exp(x) as sign * exp(x + log|factor|), which stays accurate
    where exp(x) alone would be a subnormal with few significant bits."""
    with np.errstate(divide="ignore"):
        return np.sign(factor) * np.exp(x + np.log(np.abs(factor)))


def _as_float64(x):
    return np.asarray(x, dtype=np.float64)


def _nonpositive(x):
    """Return min(x, 0) keeping -0.0 and NaN, which np.minimum(x, 0.0) does not."""
    return np.where(x > 0, 0.0, x)


def elu(x, alpha=1.0):
    r"""Exponential linear unit (Clevert, Unterthiner, Hochreiter, ICLR 2016).

    .. math:: f(x) = x \text{ for } x > 0, \quad \alpha\,(e^x - 1) \text{ for } x \le 0

    ``expm1`` keeps full relative precision for small negative x, where
    ``exp(x) - 1`` cancels.
    """
    x = _as_float64(x)
    negative_part = alpha * np.expm1(_nonpositive(x))  # elu(-0.0) = -0.0
    return np.where(x > 0, x, negative_part)


def elu_vjp(x, v, alpha=1.0):
    r"""Back-propagate ``v`` through ELU: :math:`f'(x) = 1` for x > 0, :math:`\alpha e^x`
    for x <= 0, so the derivative at 0 is alpha (the left one)."""
    x, v = _as_float64(x), _as_float64(v)
    derivative = np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))
    return v * derivative


def relu(x):
    """Rectified linear unit, max(x, 0); NaN stays NaN."""
    x = _as_float64(x)
    return np.where(x > 0, x, np.where(np.isnan(x), x, 0.0))


def relu_keeping_negative_zero(x):
    """ReLU returning x itself at the tie x = -0.0, so relu(-0.0) = -0.0."""
    x = _as_float64(x)
    return np.where(x >= 0, x, np.where(np.isnan(x), x, 0.0))


def relu6_keeping_negative_zero(x):
    """relu6 returning x itself at the tie x = -0.0, so relu6(-0.0) = -0.0."""
    x = _as_float64(x)
    return np.where(x >= 0, np.minimum(x, 6.0), np.where(np.isnan(x), x, 0.0))


def relu_vjp(x, v):
    """Back-propagate ``v`` through ReLU: derivative 1 for x > 0, else 0 (0 at x = 0)."""
    x, v = _as_float64(x), _as_float64(v)
    return v * np.where(x > 0, 1.0, 0.0)


def leaky_relu(x, negative_slope=0.01):
    """Leaky ReLU: x for x > 0, ``negative_slope * x`` otherwise (Maas et al., 2013)."""
    x = _as_float64(x)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_vjp(x, v, negative_slope=0.01):
    """Back-propagate ``v`` through leaky ReLU; the derivative at 0 is the slope."""
    x, v = _as_float64(x), _as_float64(v)
    return v * np.where(x > 0, 1.0, negative_slope)


def leaky_relu_vjp_right_kink(x, v, negative_slope=0.01):
    """Back-propagate ``v`` through leaky ReLU taking derivative 1 at x = 0.

    This is what differentiating ``where(x >= 0, x, slope * x)`` gives, the form that
    ``jax.nn.leaky_relu`` uses in JAX 0.10.
    """
    x, v = _as_float64(x), _as_float64(v)
    return v * np.where(x >= 0, 1.0, negative_slope)


def sigmoid(x):
    r"""Logistic sigmoid :math:`1 / (1 + e^{-x})`, split by sign so exp never overflows."""
    x = _as_float64(x)
    exp_minus_abs = np.exp(-np.abs(x))
    return np.where(
        x >= 0, 1.0 / (1.0 + exp_minus_abs), exp_minus_abs / (1.0 + exp_minus_abs)
    )


def sigmoid_vjp(x, v):
    r"""Back-propagate ``v`` through the sigmoid: :math:`\sigma'(x) = \sigma(x)\,\sigma(-x)`.

    This equals :math:`\sigma(1 - \sigma)`, but ``1 - sigmoid(x)`` cancels for large x.
    """
    x = _as_float64(x)
    return _as_float64(v) * sigmoid(x) * sigmoid(-x)


def tanh(x):
    """Hyperbolic tangent."""
    return np.tanh(_as_float64(x))


def tanh_vjp(x, v):
    r"""Back-propagate ``v`` through tanh: :math:`\tanh'(x) = \mathrm{sech}^2 x
    = 4 e^{-2|x|} / (1 + e^{-2|x|})^2`.

    The exponential form keeps full precision where ``1 - tanh(x)**2`` cancels to 0.
    """
    x = _as_float64(x)
    exp_term = np.exp(-2.0 * np.abs(x))
    return _as_float64(v) * 4.0 * exp_term / (1.0 + exp_term) ** 2


def softmax(x, axis=-1):
    r"""Softmax along ``axis``, :math:`e^{x_i - m} / \sum_j e^{x_j - m}` with m the max.

    Subtracting the max keeps every exponent <= 0, so nothing overflows; a row holding
    +inf gives NaN, as in every framework.
    """
    x = _as_float64(x)
    with np.errstate(invalid="ignore"):
        shifted = x - np.max(x, axis=axis, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / np.sum(exponentials, axis=axis, keepdims=True)


def softmax_vjp(x, v, axis=-1):
    r"""Back-propagate ``v`` through softmax: :math:`s \odot (v - \langle v, s \rangle)`."""
    s = softmax(x, axis=axis)
    v = _as_float64(v)
    return s * (v - np.sum(v * s, axis=axis, keepdims=True))


def relu6(x):
    """ReLU capped at 6, min(max(x, 0), 6) (Krizhevsky, 2010); NaN stays NaN, and
    relu6(-0.0) = +0.0 as for relu."""
    x = _as_float64(x)
    return np.where(x > 0, np.minimum(x, 6.0), np.where(np.isnan(x), x, 0.0))


def relu6_vjp(x, v):
    """Back-propagate ``v`` through relu6: derivative 1 on (0, 6), else 0."""
    x, v = _as_float64(x), _as_float64(v)
    return v * np.where((x > 0) & (x < 6), 1.0, 0.0)


def prelu(x, weight=0.25):
    """Parametric ReLU with one shared weight: x for x > 0, ``weight * x`` otherwise."""
    return leaky_relu(x, negative_slope=weight)


def prelu_vjp(x, v, weight=0.25):
    """Back-propagate ``v`` through prelu with respect to x (the weight is a constant)."""
    return leaky_relu_vjp(x, v, negative_slope=weight)


def selu(x):
    r"""Scaled ELU: :math:`\lambda\,\mathrm{elu}(x, \alpha)` with the SELU constants."""
    return SELU_SCALE * elu(x, alpha=SELU_ALPHA)


def selu_vjp(x, v):
    """Back-propagate ``v`` through selu; the derivative at 0 is scale * alpha (left)."""
    return SELU_SCALE * elu_vjp(x, v, alpha=SELU_ALPHA)


def selu_vjp_right_kink(x, v):
    """Back-propagate ``v`` through selu taking the right derivative, scale, at 0."""
    x, v = _as_float64(x), _as_float64(v)
    return (
        SELU_SCALE * v * np.where(x >= 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0)))
    )


def celu(x, alpha=1.0):
    r"""Continuously differentiable ELU: :math:`\max(0, x) + \min(0, \alpha(e^{x/\alpha} - 1))`
    (Barron, arXiv:1704.07483)."""
    x = _as_float64(x)
    negative = _nonpositive(x)  # celu(-0.0) = -0.0
    # expm1(q) = (exp(q) - 1); near 0 expm1 is exact enough, far below the quotient
    # correction of _exp_of_quotient matters.
    tail = np.where(negative < -1.0, _exp_of_quotient(negative, alpha) - 1.0, 0.0)
    small = np.expm1(negative / alpha)
    return np.where(x > 0, x, alpha * np.where(negative < -1.0, tail, small))


def celu_positive_zero(x, alpha=1.0):
    """celu, but +0.0 at x = -0.0 (adding +0.0 turns -0.0 into +0.0)."""
    return celu(x, alpha=alpha) + 0.0


def celu_vjp(x, v, alpha=1.0):
    r"""Back-propagate ``v`` through celu: 1 for x > 0, :math:`e^{x/\alpha}` otherwise."""
    x, v = _as_float64(x), _as_float64(v)
    return v * np.where(x > 0, 1.0, _exp_of_quotient(np.minimum(x, 0.0), alpha))


def gelu(x, approximate="none"):
    r"""Gaussian error linear unit, :math:`x\,\Phi(x)`.

    ``approximate="none"`` evaluates :math:`\tfrac{x}{2}\,\mathrm{erfc}(-x/\sqrt2)`,
    which equals :math:`\tfrac{x}{2}(1 + \mathrm{erf}(x/\sqrt2))` without its
    cancellation for negative x. ``approximate="tanh"`` is
    :math:`\tfrac{x}{2}(1 + \tanh u)` with :math:`u = \sqrt{2/\pi}(x + 0.044715 x^3)`,
    evaluated as :math:`x\,\sigma(2u)`, the same value without the cancellation.

    NOTE: in the tanh form's far negative tail (x < -10, values below 1e-60) the
    rounding of u costs about |2u| / 8 ULP (84 ULP at x = -20); the mpmath check
    covers |x| <= 10 for it.
    """
    x = _as_float64(x)
    if approximate == "none":
        with np.errstate(invalid="ignore"):
            return np.where(np.isinf(x), np.maximum(x, 0.0), x * _normal_cdf(x))
    if approximate == "tanh":
        with np.errstate(over="ignore", invalid="ignore"):
            u = _GELU_TANH_SCALE * (x + _GELU_TANH_CUBIC * x**3)
            return np.where(np.isinf(x), np.maximum(x, 0.0), x * sigmoid(2.0 * u))
    raise ValueError(f"approximate={approximate!r} is invalid; use 'none' or 'tanh'")


def gelu_vjp(x, v, approximate="none"):
    r"""Back-propagate ``v`` through gelu: :math:`\Phi(x) + x\,\varphi(x)` for the erf
    form; for the tanh form, :math:`\sigma(2u) + 2x\,\sigma(2u)\,\sigma(-2u)\,u'`."""
    x, v = _as_float64(x), _as_float64(v)
    with np.errstate(over="ignore", invalid="ignore"):
        if approximate == "none":
            square, square_error = _two_product(x, x)
            density = (
                np.exp(-0.5 * square)
                * (1.0 - 0.5 * square_error)
                / np.sqrt(2.0 * np.pi)
            )
            derivative = _normal_cdf(x) + np.where(np.isinf(x), 0.0, x * density)
        elif approximate == "tanh":
            u = _GELU_TANH_SCALE * (x + _GELU_TANH_CUBIC * x**3)
            du = _GELU_TANH_SCALE * (1.0 + 3.0 * _GELU_TANH_CUBIC * x * x)
            s_plus, s_minus = sigmoid(2.0 * u), sigmoid(-2.0 * u)
            tail = np.where(s_plus * s_minus == 0, 0.0, 2.0 * x * s_plus * s_minus * du)
            derivative = s_plus + tail
        else:
            raise ValueError(
                f"approximate={approximate!r} is invalid; use 'none' or 'tanh'"
            )
    return v * derivative


def hard_sigmoid(x):
    """Piecewise-linear sigmoid relu6(x + 3) / 6, the form of PyTorch, Keras 3 and JAX."""
    return relu6(_as_float64(x) + 3.0) / 6.0


def hard_sigmoid_vjp(x, v):
    """Back-propagate ``v`` through hard_sigmoid: 1/6 on (-3, 3), else 0."""
    x, v = _as_float64(x), _as_float64(v)
    return v * np.where((x > -3) & (x < 3), 1.0 / 6.0, 0.0)


def log_sigmoid(x):
    r"""Log of the sigmoid, :math:`-\log(1 + e^{-x})`, as ``-logaddexp(0, -x)``."""
    return -np.logaddexp(0.0, -_as_float64(x))


def log_sigmoid_vjp(x, v):
    r"""Back-propagate ``v`` through log_sigmoid: :math:`\sigma(-x)`."""
    return _as_float64(v) * sigmoid(-_as_float64(x))


def hard_tanh(x, min_val=-1.0, max_val=1.0):
    """Clip x to [min_val, max_val]; NaN stays NaN."""
    return np.clip(_as_float64(x), min_val, max_val)


def hard_tanh_vjp(x, v, min_val=-1.0, max_val=1.0):
    """Back-propagate ``v`` through hard_tanh: 1 on (min_val, max_val), else 0."""
    x, v = _as_float64(x), _as_float64(v)
    return v * np.where((x > min_val) & (x < max_val), 1.0, 0.0)


def hard_tanh_vjp_closed(x, v, min_val=-1.0, max_val=1.0):
    """Back-propagate ``v`` through hard_tanh with derivative 1 on the closed interval
    [min_val, max_val], as differentiating clip(x, min_val, max_val) in XLA and TF gives."""
    x, v = _as_float64(x), _as_float64(v)
    return v * np.where((x >= min_val) & (x <= max_val), 1.0, 0.0)


def softplus(x, beta=1.0, threshold=None):
    r"""Softplus :math:`\tfrac1\beta \log(1 + e^{\beta x})`, as ``logaddexp(0, beta x) / beta``.

    With ``threshold`` (PyTorch's, default 20), x itself is returned where
    :math:`\beta x` exceeds it, dropping :math:`\log(1 + e^{-\beta x})/\beta`, which is
    below 2.1e-9 there: invisible in float32, about 1e-10 relative in float64.
    """
    x = _as_float64(x)
    with np.errstate(over="ignore", invalid="ignore"):
        value = np.logaddexp(0.0, beta * x) / beta
    if threshold is not None:
        value = np.where(beta * x > threshold, x, value)
    return value


def softplus_vjp(x, v, beta=1.0, threshold=None):
    r"""Back-propagate ``v`` through softplus: :math:`\sigma(\beta x)`, or 1 above the
    threshold when one is given."""
    x, v = _as_float64(x), _as_float64(v)
    derivative = sigmoid(beta * x)
    if threshold is not None:
        derivative = np.where(beta * x > threshold, 1.0, derivative)
    return v * derivative


def softsign(x):
    """Softsign x / (1 + |x|)."""
    x = _as_float64(x)
    with np.errstate(invalid="ignore"):
        return np.where(np.isinf(x), np.sign(x), x / (1.0 + np.abs(x)))


def softsign_vjp(x, v):
    """Back-propagate ``v`` through softsign: 1 / (1 + |x|)^2."""
    x, v = _as_float64(x), _as_float64(v)
    return v / (1.0 + np.abs(x)) ** 2


def silu(x):
    r"""SiLU or swish with beta = 1, :math:`x\,\sigma(x)` (Elfwing et al., 2017)."""
    x = _as_float64(x)
    with np.errstate(invalid="ignore", over="ignore"):
        # For x < 0, x * e^x / (1 + e^x) through _times_exp keeps the subnormal tail.
        negative = _times_exp(x, np.minimum(x, 0.0)) / (
            1.0 + np.exp(np.minimum(x, 0.0))
        )
        value = np.where(x < _SUBNORMAL_EXP, negative, x * sigmoid(x))
        return np.where(np.isneginf(x), 0.0, value)


def silu_vjp(x, v):
    r"""Back-propagate ``v`` through silu: :math:`\sigma(x)\,(1 + x\,\sigma(-x))`."""
    x, v = _as_float64(x), _as_float64(v)
    with np.errstate(invalid="ignore"):
        tail = np.where(np.isinf(x), 0.0, x * sigmoid(-x))
        negative_x = np.minimum(x, 0.0)
        negative = _times_exp(1.0 + tail, negative_x) / (1.0 + np.exp(negative_x))
    return v * np.where(x < _SUBNORMAL_EXP, negative, sigmoid(x) * (1.0 + tail))


def _sech_squared(z):
    exp_term = np.exp(-2.0 * np.abs(z))
    return 4.0 * exp_term / (1.0 + exp_term) ** 2


def _mish_ratio(x):
    r"""Return :math:`\tanh(\mathrm{softplus}(x)) / e^x = (2 + e^x) / (2 + 2e^x + e^{2x})`
    for x <= 0, the identity that keeps mish's negative tail accurate."""
    exp_x = np.exp(np.minimum(x, 0.0))
    return (2.0 + exp_x) / (2.0 + 2.0 * exp_x + exp_x * exp_x)


def mish(x):
    r"""Mish, :math:`x \tanh(\mathrm{softplus}(x))` (Misra, arXiv:1908.08681)."""
    x = _as_float64(x)
    with np.errstate(invalid="ignore"):
        negative_x = np.minimum(x, 0.0)
        value = np.where(
            x < _SUBNORMAL_EXP,
            _times_exp(x * _mish_ratio(x), negative_x),
            np.where(
                x < 0,
                x * np.exp(negative_x) * _mish_ratio(x),
                x * np.tanh(softplus(x)),
            ),
        )
        return np.where(np.isneginf(x), 0.0, value)


def mish_vjp(x, v):
    r"""Back-propagate ``v`` through mish:
    :math:`\tanh(s) + x\,\mathrm{sech}^2(s)\,\sigma(x)` with s = softplus(x)."""
    x, v = _as_float64(x), _as_float64(v)
    s = softplus(x)
    with np.errstate(invalid="ignore"):
        tail = np.where(np.isinf(x), 0.0, x * _sech_squared(s) * sigmoid(x))
        # For x < 0 both terms carry a factor e^x: tanh(s) = e^x * ratio and
        # sigmoid(x) = e^x / (1 + e^x).
        negative_x = np.minimum(x, 0.0)
        scaled = _mish_ratio(x) + np.where(
            np.isinf(x), 0.0, x * _sech_squared(s) / (1.0 + np.exp(negative_x))
        )
        negative = _times_exp(scaled, negative_x)
    return v * np.where(x < _SUBNORMAL_EXP, negative, np.tanh(s) + tail)


def hard_swish(x):
    """Hard swish (hard SiLU), x * relu6(x + 3) / 6 (Howard et al., MobileNetV3, 2019)."""
    x = _as_float64(x)
    return x * hard_sigmoid(x)


def hard_swish_vjp(x, v):
    """Back-propagate ``v`` through hard_swish: 0 for x <= -3, (2x + 3) / 6 on (-3, 3),
    1 for x >= 3."""
    x, v = _as_float64(x), _as_float64(v)
    derivative = np.where(x <= -3, 0.0, np.where(x < 3, (2.0 * x + 3.0) / 6.0, 1.0))
    return v * derivative


def log_softmax(x, axis=-1):
    r"""Log-softmax along ``axis``, :math:`x_i - m - \log\sum_j e^{x_j - m}`, m the max."""
    x = _as_float64(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        shifted = x - np.max(x, axis=axis, keepdims=True)
        return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def log_softmax_vjp(x, v, axis=-1):
    r"""Back-propagate ``v`` through log_softmax: :math:`v - s \sum_j v_j`, s = softmax(x)."""
    v = _as_float64(v)
    return v - softmax(x, axis=axis) * np.sum(v, axis=axis, keepdims=True)


def glu(x, axis=-1):
    r"""Gated linear unit: split x in halves a, b along ``axis``; return
    :math:`a\,\sigma(b)` (Dauphin et al., 2017)."""
    a, b = np.split(_as_float64(x), 2, axis=axis)
    return a * sigmoid(b)


def glu_vjp(x, v, axis=-1):
    r"""Back-propagate ``v`` through glu: :math:`(v\sigma(b),\ v\,a\,\sigma(b)\sigma(-b))`."""
    a, b = np.split(_as_float64(x), 2, axis=axis)
    v = _as_float64(v)
    return np.concatenate([v * sigmoid(b), v * a * sigmoid(b) * sigmoid(-b)], axis=axis)
