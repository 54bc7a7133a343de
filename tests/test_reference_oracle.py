"""The float64 references and their analytic derivatives against mpmath at 50 digits."""

import mpmath
import numpy as np
import pytest

from reference import activations, losses

mpmath.mp.dps = 50
# A reference result may be off by the roundings of its few float64 operations. The
# longest compositions here (mish', gelu's tanh form) take up to about six.
MAX_ULP = 8
POINTS = [
    -745.0,
    -60.0,
    -20.0,
    -3.5,
    -1.0,
    -0.3,
    -1e-8,
    -1e-300,
    1e-300,
    1e-8,
    0.3,
    1.0,
    2.5,
    20.0,
    60.0,
    700.0,
]
ALPHA, SLOPE = 0.7, 0.15


def _oracle_elu(x):
    return x if x > 0 else ALPHA * mpmath.expm1(x)


def _oracle_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


ELEMENTWISE = {  # name -> (reference, its derivative, mpmath value, mpmath derivative)
    "elu": (
        lambda x: activations.elu(x, alpha=ALPHA),
        lambda x: activations.elu_vjp(x, np.ones_like(x), alpha=ALPHA),
        _oracle_elu,
        lambda x: 1 if x > 0 else ALPHA * mpmath.exp(x),
    ),
    "leaky_relu": (
        lambda x: activations.leaky_relu(x, negative_slope=SLOPE),
        lambda x: activations.leaky_relu_vjp(x, np.ones_like(x), negative_slope=SLOPE),
        lambda x: x if x > 0 else mpmath.mpf(SLOPE) * x,
        lambda x: 1 if x > 0 else mpmath.mpf(SLOPE),
    ),
    "relu": (
        activations.relu,
        lambda x: activations.relu_vjp(x, np.ones_like(x)),
        lambda x: max(x, 0),
        lambda x: 1 if x > 0 else 0,
    ),
    "sigmoid": (
        activations.sigmoid,
        lambda x: activations.sigmoid_vjp(x, np.ones_like(x)),
        _oracle_sigmoid,
        lambda x: _oracle_sigmoid(x) * _oracle_sigmoid(-x),
    ),
    "tanh": (
        activations.tanh,
        lambda x: activations.tanh_vjp(x, np.ones_like(x)),
        mpmath.tanh,
        lambda x: mpmath.sech(x) ** 2,
    ),
}


def _ones(reference_vjp, **params):
    return lambda x: reference_vjp(x, np.ones_like(x), **params)


def _piecewise(x, pieces, otherwise):
    """Return the value of the first (condition, value) piece whose condition is true at x."""
    for condition, value in pieces:
        if condition(x):
            return value(x)
    return otherwise(x)


SELU_ALPHA = mpmath.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mpmath.mpf("1.0507009873554804934193349852946")
GELU_C = mpmath.sqrt(2 / mpmath.pi)


def _gelu_tanh_u(x):
    return GELU_C * (x + mpmath.mpf(0.044715) * x**3)


def _gelu_tanh(x):
    # x/2 (1 + tanh u) = x sigmoid(2u); this form keeps the tail that 1 + tanh(u)
    # cancels even at 50 digits (u = -301 at x = -20).
    return x * _oracle_sigmoid(2 * _gelu_tanh_u(x))


def _gelu_tanh_derivative(x):
    s = _oracle_sigmoid(2 * _gelu_tanh_u(x))
    du = GELU_C * (1 + 3 * mpmath.mpf(0.044715) * x**2)
    return s + 2 * x * s * (1 - s) * du


def _softplus(x):
    return mpmath.log1p(mpmath.exp(x))


ELEMENTWISE.update(
    {
        "relu6": (
            activations.relu6,
            _ones(activations.relu6_vjp),
            lambda x: min(max(x, 0), 6),
            lambda x: 1 if 0 < x < 6 else 0,
        ),
        "selu": (
            activations.selu,
            _ones(activations.selu_vjp),
            lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * mpmath.expm1(x)),
            lambda x: SELU_SCALE * (1 if x > 0 else SELU_ALPHA * mpmath.exp(x)),
        ),
        "celu": (
            lambda x: activations.celu(x, alpha=ALPHA),
            _ones(activations.celu_vjp, alpha=ALPHA),
            lambda x: x if x > 0 else ALPHA * mpmath.expm1(x / ALPHA),
            lambda x: 1 if x > 0 else mpmath.exp(x / ALPHA),
        ),
        "gelu": (
            activations.gelu,
            _ones(activations.gelu_vjp),
            lambda x: x * mpmath.ncdf(x),
            lambda x: mpmath.ncdf(x) + x * mpmath.npdf(x),
        ),
        "gelu_tanh": (
            lambda x: activations.gelu(x, approximate="tanh"),
            _ones(activations.gelu_vjp, approximate="tanh"),
            _gelu_tanh,
            _gelu_tanh_derivative,
        ),
        "hard_sigmoid": (
            activations.hard_sigmoid,
            _ones(activations.hard_sigmoid_vjp),
            lambda x: min(max(x + 3, 0), 6) / 6,
            lambda x: mpmath.mpf(1) / 6 if -3 < x < 3 else 0,
        ),
        "log_sigmoid": (
            activations.log_sigmoid,
            _ones(activations.log_sigmoid_vjp),
            lambda x: -mpmath.log1p(mpmath.exp(-x)),
            lambda x: _oracle_sigmoid(-x),
        ),
        "hard_tanh": (
            activations.hard_tanh,
            _ones(activations.hard_tanh_vjp),
            lambda x: min(max(x, -1), 1),
            lambda x: 1 if -1 < x < 1 else 0,
        ),
        "softplus": (
            activations.softplus,
            _ones(activations.softplus_vjp),
            _softplus,
            _oracle_sigmoid,
        ),
        "softsign": (
            activations.softsign,
            _ones(activations.softsign_vjp),
            lambda x: x / (1 + abs(x)),
            lambda x: 1 / (1 + abs(x)) ** 2,
        ),
        "silu": (
            activations.silu,
            _ones(activations.silu_vjp),
            lambda x: x * _oracle_sigmoid(x),
            lambda x: _oracle_sigmoid(x) * (1 + x * _oracle_sigmoid(-x)),
        ),
        "mish": (
            activations.mish,
            _ones(activations.mish_vjp),
            lambda x: x * mpmath.tanh(_softplus(x)),
            lambda x: (
                mpmath.tanh(_softplus(x))
                + x * mpmath.sech(_softplus(x)) ** 2 * _oracle_sigmoid(x)
            ),
        ),
        "hard_swish": (
            activations.hard_swish,
            _ones(activations.hard_swish_vjp),
            lambda x: x * min(max(x + 3, 0), 6) / 6,
            lambda x: _piecewise(
                x,
                [(lambda x: x <= -3, lambda x: 0), (lambda x: x >= 3, lambda x: 1)],
                lambda x: (2 * x + 3) / 6,
            ),
        ),
    }
)


def _assert_within_ulp(got, exact, label):
    exact_float = float(exact)
    spacing = (
        np.spacing(abs(exact_float))
        if exact_float != 0
        else np.finfo(float).smallest_subnormal
    )
    error = abs(mpmath.mpf(float(got)) - exact) / spacing
    assert error <= MAX_ULP, (
        f"{label}: reference {float(got)!r}, mpmath {exact_float!r}, {float(error):.3g} ULP"
    )


def _checked(name, x):
    # gelu's tanh form loses about |2u| / 8 ULP below x = -10 (see its docstring).
    return not (name == "gelu_tanh" and x < -10)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("x", POINTS)
def test_activation_value(name, x):
    if not _checked(name, x):
        pytest.skip(f"{name} reference is documented as inexact at x = {x}")
    reference, _, oracle, _ = ELEMENTWISE[name]

    got = reference(np.float64(x))

    _assert_within_ulp(got, oracle(mpmath.mpf(x)), f"{name}({x})")


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("x", [p for p in POINTS if abs(p) > 1e-6])
def test_activation_derivative(name, x):
    if not _checked(name, x):
        pytest.skip(f"{name} reference is documented as inexact at x = {x}")
    _, derivative, _, oracle_derivative = ELEMENTWISE[name]

    got = derivative(np.array([x]))[0]

    # Analytic derivatives at 50 digits: mpmath.diff's finite differences lose the
    # tiny tails (tanh'(60) = 3e-52) that these checks are about.
    _assert_within_ulp(got, oracle_derivative(mpmath.mpf(x)), f"{name}'({x})")


def _oracle_log_softmax(row):
    log_sum = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in row))
    return [mpmath.mpf(v) - log_sum for v in row]


def test_softmax_row():
    row = np.array([-3.0, 0.5, 2.0, 40.0, -700.0])

    got = activations.softmax(row)

    for index, log_probability in enumerate(_oracle_log_softmax(row)):
        _assert_within_ulp(
            got[index], mpmath.exp(log_probability), f"softmax(row)[{index}]"
        )


def test_softmax_derivative():
    rng = np.random.default_rng(7)
    x, v = rng.standard_normal(4), rng.standard_normal(4)

    got = activations.softmax_vjp(x, v)

    s = [mpmath.exp(value) for value in _oracle_log_softmax(x)]
    dot = mpmath.fsum(mpmath.mpf(vj) * sj for vj, sj in zip(v, s))
    for i in range(4):
        _assert_within_ulp(got[i], s[i] * (mpmath.mpf(v[i]) - dot), f"softmax_vjp[{i}]")


LOSS_INPUTS = {
    "probabilities": (
        np.array([0.1, 0.05, 0.6, 1e-12, 0.25 - 1e-12]),
        np.array([0.0, 0.0, 1.0, 0.0, 0.0]),
    ),
    "binary": (
        np.array([0.5, 0.1, 0.3, 0.8, 1 - 1e-12]),
        np.array([1.0, 0.0, 0.0, 1.0, 0.0]),
    ),
    "logits": (
        np.array([-30.0, -1.5, 0.0, 2.0, 30.0]),
        np.array([0.1, 0.2, 0.0, 0.3, 0.4]),
    ),
}


def _mp(values):
    return [mpmath.mpf(float(v)) for v in values]


def test_binary_crossentropy_exact():
    p, t = LOSS_INPUTS["binary"]

    got = losses.binary_crossentropy(p, t)

    terms = [
        -(ti * mpmath.log(pi) + (1 - ti) * mpmath.log(1 - pi))
        for pi, ti in zip(_mp(p), _mp(t))
    ]
    _assert_within_ulp(got, mpmath.fsum(terms) / len(terms), "binary_crossentropy")


def test_categorical_crossentropy_exact():
    p, t = LOSS_INPUTS["probabilities"]

    got = losses.categorical_crossentropy(p, t)

    terms = [ti * mpmath.log(pi) for pi, ti in zip(_mp(p), _mp(t)) if ti != 0]
    _assert_within_ulp(got, -mpmath.fsum(terms), "categorical_crossentropy")


def test_cross_entropy_delta():
    p, t = LOSS_INPUTS["probabilities"]

    got = losses.cross_entropy_delta(p, t)

    delta = mpmath.mpf(1e-7)
    terms = [ti * mpmath.log(pi + delta) for pi, ti in zip(_mp(p), _mp(t))]
    _assert_within_ulp(got, -mpmath.fsum(terms), "cross_entropy_delta")


def test_softmax_cross_entropy_with_logits():
    z, t = LOSS_INPUTS["logits"]

    got = losses.softmax_cross_entropy_with_logits(z, t)

    log_probabilities = _oracle_log_softmax(z)
    exact = -mpmath.fsum(ti * lp for ti, lp in zip(_mp(t), log_probabilities))
    _assert_within_ulp(got, exact, "softmax_cross_entropy_with_logits")


def test_sigmoid_cross_entropy_with_logits():
    z, t = LOSS_INPUTS["logits"]

    got = losses.sigmoid_cross_entropy_with_logits(z, t)

    terms = []
    for zi, ti in zip(_mp(z), _mp(t)):
        s = _oracle_sigmoid(zi)
        terms.append(-(ti * mpmath.log(s) + (1 - ti) * mpmath.log(1 - s)))
    _assert_within_ulp(
        got, mpmath.fsum(terms) / len(terms), "sigmoid_cross_entropy_with_logits"
    )


@pytest.mark.parametrize("name", ["mse_half_sum", "mse_mean"])
def test_squared_error(name):
    y, t = LOSS_INPUTS["logits"]

    got = getattr(losses, name)(y, t)

    total = mpmath.fsum((yi - ti) ** 2 for yi, ti in zip(_mp(y), _mp(t)))
    exact = total / 2 if name == "mse_half_sum" else total / len(y)
    _assert_within_ulp(got, exact, name)
