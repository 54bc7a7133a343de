"""Property sweep: Hypothesis searches float32 and float64 inputs of every elementwise
activation for a disagreement with the reference beyond the value tolerance.

The default profile is derandomized (the same 25 examples per cell every run); pass
``--hypothesis-profile=long`` for a fresh, longer search.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cases.generated import ACTIVATION_PARAMS, ROW_FUNCTIONS
from harness.checks import fail_unless_close, require_cell
from harness.compare import in_dtype_range
from harness.tolerances import tolerance
from reference import FUNCTIONS, get_function

ELEMENTWISE = sorted(
    name
    for name, function in FUNCTIONS.items()
    if function.family == "activation" and name not in ROW_FUNCTIONS
)


# Magnitudes up to 2**100 (1.3e30), exact in both widths: overflow near a dtype's
# maximum is the edge cases' job, where it is checked the same way every run.
MAGNITUDE = 2.0**100


def _finite_arrays(dtype):
    width = 32 if dtype == "float32" else 64
    elements = st.floats(-MAGNITUDE, MAGNITUDE, width=width)
    return hnp.arrays(np.dtype(dtype), st.integers(1, 32), elements=elements)


@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize("function_name", ELEMENTWISE)
@given(data=st.data())
def test_no_disagreement(
    request, record_cell, adapter, function_name, dtype, device, data
):
    params = ACTIVATION_PARAMS[function_name][0]
    case_id = f"{function_name}-property"
    record_cell(kind="property", function=function_name, dtype=dtype, case=case_id)
    require_cell(request, record_cell, adapter, function_name, dtype, "property",
                 case_id, params)  # fmt: skip
    x = data.draw(_finite_arrays(dtype), label="x").astype(np.float64)

    got = adapter.forward(function_name, [x], params, dtype, device)

    variant = get_function(function_name).variant(adapter.variant(function_name))
    with np.errstate(all="ignore"):
        expected = in_dtype_range(variant.evaluate(x, dtype=dtype, **params), dtype)
    rtol, atol, _ = tolerance(function_name, adapter.name, dtype)
    fail_unless_close(
        request,
        f"{function_name} [framework={adapter.name}, dtype={dtype}, hypothesis]",
        got,
        expected,
        dtype,
        {"rtol": rtol, "atol": atol},
        {"x": x},
    )
