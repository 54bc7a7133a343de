"""The float64 references and their analytic derivatives against mpmath at 50 digits."""

import mpmath
import numpy as np
import pytest

from reference import activations, losses

mpmath.mp.dps = 50
# A reference result may be off by a few roundings of float64: 4 ULP.
MAX_ULP = 4
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


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("x", POINTS)
def test_activation_value(name, x):
    reference, _, oracle, _ = ELEMENTWISE[name]

    got = reference(np.float64(x))

    _assert_within_ulp(got, oracle(mpmath.mpf(x)), f"{name}({x})")


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("x", [p for p in POINTS if abs(p) > 1e-6])
def test_activation_derivative(name, x):
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
