r"""Activation functions and their vector-Jacobian products, evaluated in float64.

Every function takes array-likes, converts them to float64 once, and returns a float64
array. Each ``*_vjp(x, v, ...)`` returns :math:`v^\top J_f(x)`, the gradient of
``sum(v * f(x))`` with respect to ``x``, which is what reverse-mode autodiff in every
framework computes when it back-propagates the cotangent ``v``. For the elementwise
functions that is ``v * f'(x)``.

At a kink (x = 0 for relu, leaky_relu, and elu with alpha != 1) the derivative is
undefined; these references return the left derivative, which is what PyTorch,
TensorFlow and JAX return for relu and elu. The frameworks that differ declare it.
"""

import numpy as np


def _as_float64(x):
    return np.asarray(x, dtype=np.float64)


def elu(x, alpha=1.0):
    r"""Exponential linear unit (Clevert, Unterthiner, Hochreiter, ICLR 2016).

    .. math:: f(x) = x \text{ for } x > 0, \quad \alpha\,(e^x - 1) \text{ for } x \le 0

    ``expm1`` keeps full relative precision for small negative x, where
    ``exp(x) - 1`` cancels.
    """
    x = _as_float64(x)
    negative_part = alpha * np.expm1(np.minimum(x, 0.0))
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
