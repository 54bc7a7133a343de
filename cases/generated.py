"""Seeded random inputs and edge values for each function, with explicit parameters.

Inputs are float64 arrays. The harness rounds them to the dtype under test and feeds
the reference the rounded values, so rounding the input is never counted as an error.
Every random array comes from ``np.random.default_rng(case.seed)``.
"""

import numpy as np

from cases.case import Case
from cases.loss_cases import loss_gradient_cases, loss_value_cases

# The smallest positive float32 subnormal, 2**-149; it is exact in float64 too.
FLOAT32_TRUE_MIN = 2.0**-149

# Each is an edge for some activation: NaN, signed zeros, subnormals,
# magnitudes where exp overflows (float32 above 88.7, float64 above 709.8) or
# underflows, and values beyond float32's range of exactly-representable integers.
ACTIVATION_EDGE_VALUES = [
    np.nan,
    0.0,
    -0.0,
    FLOAT32_TRUE_MIN,
    -FLOAT32_TRUE_MIN,
    1e-30,
    -1e-30,
    88.0,
    89.0,
    -89.0,
    -104.0,
    710.0,
    -710.0,
    -746.0,
    1e30,
    -1e30,
    1.5e308,  # near float64's maximum; the largest finite value in other dtypes
]
# Infinities are a case of their own: several frameworks evaluate the formula
# literally there (inf / inf, -inf * 0) and return NaN where the limit is finite.
ACTIVATION_INFINITIES = [np.inf, -np.inf]

# Rows for softmax along the last axis: huge spreads, a -inf logit, NaN, subnormals.
SOFTMAX_EDGE_ROWS = [
    [1e30, 0.0, -1e30],
    [-np.inf, 0.0, 1.0],
    [800.0, 800.0, -800.0],
    [FLOAT32_TRUE_MIN, -FLOAT32_TRUE_MIN, 0.0],
    [np.nan, 0.0, 1.0],
    [-1e30, -1e30, -1e30],
]

# Explicit parameters, chosen away from every framework's default so that a
# framework silently using its default is caught.
ACTIVATION_PARAMS = {
    "elu": [{"alpha": 1.0}, {"alpha": 0.7}],
    "relu": [{}],
    "leaky_relu": [{"negative_slope": 0.15}],
    "sigmoid": [{}],
    "tanh": [{}],
    "softmax": [{"axis": -1}, {"axis": 0}],
    "relu6": [{}],
    "prelu": [{"weight": 0.3}],
    "selu": [{}],
    "celu": [{"alpha": 1.0}, {"alpha": 0.6}],
    "gelu": [{"approximate": "none"}, {"approximate": "tanh"}],
    "hard_sigmoid": [{}],
    "log_sigmoid": [{}],
    "hard_tanh": [{}],
    "softplus": [{}, {"beta": 2.0}],
    "softsign": [{}],
    "silu": [{}],
    "mish": [{}],
    "hard_swish": [{}],
    "log_softmax": [{"axis": -1}, {"axis": 0}],
    "glu": [{"axis": -1}, {"axis": 0}],
}
# Functions of whole rows: their edge case is SOFTMAX_EDGE_ROWS, and they have no kink.
ROW_FUNCTIONS = {"softmax", "log_softmax", "glu"}
# Points where the derivative jumps; elsewhere the kink case is x = +-0.
KINKS = {
    "relu6": [0.0, 6.0],
    "hard_sigmoid": [-3.0, 3.0],
    "hard_tanh": [-1.0, 1.0],
    "hard_swish": [-3.0, 3.0],
}


def _activation_cases():
    cases = []
    for name, param_sets in ACTIVATION_PARAMS.items():
        for params in param_sets:
            rng = np.random.default_rng(len(cases))
            random = (rng.standard_normal((64, 8)) * 4.0,)
            cases.append(Case(name, "random", params, len(cases), random))
            if name in ROW_FUNCTIONS:
                edge = np.array(SOFTMAX_EDGE_ROWS, dtype=np.float64)
                if name == "glu":
                    # glu halves its axis, so it needs an even length there.
                    edge = np.concatenate([edge, edge[:, ::-1]], axis=1)
                if params["axis"] == 0:
                    edge = edge.T.copy()
            else:
                edge = np.array(ACTIVATION_EDGE_VALUES, dtype=np.float64)
                infinities = np.array(ACTIVATION_INFINITIES)
                cases.append(Case(name, "infinity", params, 0, (infinities,)))
            cases.append(Case(name, "edge", params, 0, (edge,)))
    return cases


def activation_gradient_cases():
    """Random points and the kink x = +-0 for each activation and parameter set."""
    cases = []
    for name, param_sets in ACTIVATION_PARAMS.items():
        for params in param_sets:
            rng = np.random.default_rng(100 + len(cases))
            x = rng.standard_normal((32, 6)) * 3.0
            output_shape = (16, 6) if name == "glu" and params["axis"] == 0 else (32, 6)
            if name == "glu" and params["axis"] == -1:
                output_shape = (32, 3)
            cotangent = rng.standard_normal(output_shape)
            cases.append(Case(name, "random", params, 100 + len(cases), (x, cotangent)))
            if name not in ROW_FUNCTIONS:
                kink = np.array(KINKS.get(name, [0.0, -0.0]))
                cases.append(Case(name, "kink", params, 0, (kink, np.ones_like(kink))))
    return cases


def gradient_cases():
    """Return every gradient case: activations, then losses."""
    return activation_gradient_cases() + loss_gradient_cases()


def value_cases():
    """Return every forward-value case: activations, then losses."""
    return _activation_cases() + loss_value_cases()


def _check_unique(cases, kind):
    ids = [case.id for case in cases]
    assert cases, f"no {kind} cases"
    assert len(ids) == len(set(ids)), f"duplicate {kind} case ids: {sorted(ids)}"


_check_unique(value_cases(), "value")
_check_unique(gradient_cases(), "gradient")
