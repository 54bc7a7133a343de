"""Accuracy: the maximum error in ULP of each elementwise activation over 100,000 points.

The points cover [-30, 30] evenly and the magnitudes 1e-8 to 30 on a log scale on both
sides, where every activation here is non-trivial. The error of each point is counted
in units in the last place of the output dtype at the reference value, evaluated on
the input already rounded to that dtype.
"""

import numpy as np
import pytest

from cases.generated import ACTIVATION_PARAMS, ROW_FUNCTIONS
from harness.checks import require_cell
from harness.compare import in_dtype_range, ulp_errors
from reference import FUNCTIONS, get_function

SWEEP_RANGE = 30.0
_LINEAR = np.linspace(-SWEEP_RANGE, SWEEP_RANGE, 50_000)
_LOG = np.logspace(-8, np.log10(SWEEP_RANGE), 25_000)
SWEEP_POINTS = np.concatenate([_LINEAR, _LOG, -_LOG])
# The maximum error allowed, in ULP. The frameworks measured
# at most 7.7 ULP (TF 2.21 silu, float32) where they are not recorded as defective,
# and a correctly rounded result is within 0.5.
MAX_ULP = 8.0
SWEPT = [
    (name, params)
    for name, function in FUNCTIONS.items()
    if function.family == "activation" and name not in ROW_FUNCTIONS
    for params in ACTIVATION_PARAMS[name]
]


def _sweep_id(item):
    name, params = item
    return "-".join([name, *(f"{key}={value}" for key, value in params.items())])


def _sweep_ulp_errors(got, expected, dtype):
    errors = ulp_errors(got, expected, dtype)
    # A result below the smallest normal number may be flushed to zero.
    tiny = float(np.finfo(dtype).tiny)
    flushed = (np.abs(expected) < tiny) & (np.abs(got) < tiny)
    return np.where(flushed, 0.0, errors)


@pytest.mark.parametrize("swept", SWEPT, ids=_sweep_id)
def test_max_ulp_error(request, record_cell, adapter, swept, dtype, device):
    function_name, params = swept
    case_id = f"{_sweep_id(swept)}-sweep"
    variant = adapter.variant(function_name)
    record_cell(kind="accuracy", function=function_name, dtype=dtype, case=case_id,
                variant=variant, params=params, points=int(SWEEP_POINTS.size))  # fmt: skip
    require_cell(request, record_cell, adapter, function_name, dtype, "accuracy",
                 case_id, params)  # fmt: skip
    record_cell(api=adapter.api(function_name), max_ulp_allowed=MAX_ULP)
    x = SWEEP_POINTS.astype(dtype).astype(np.float64)

    got = adapter.forward(function_name, [x], params, dtype, device)

    reference = get_function(function_name).variant(variant)
    expected = in_dtype_range(reference.evaluate(x, dtype=dtype, **params), dtype)
    errors = _sweep_ulp_errors(got, expected, dtype)
    worst = int(np.argmax(errors))
    record_cell(
        max_ulp_error=float(errors[worst]),
        p99_ulp_error=float(np.percentile(errors, 99)),
        worst_input=float(x[worst]),
    )
    assert errors[worst] <= MAX_ULP, (
        f"{function_name} accuracy [framework={adapter.name}, dtype={dtype}]: "
        f"{errors[worst]:.3g} ULP at x = {x[worst]!r} (got {float(got[worst])!r}, "
        f"expected {float(expected[worst])!r}); allowed {MAX_ULP} ULP; "
        f"{int(np.count_nonzero(errors > MAX_ULP))} of {errors.size} points exceed it"
    )
