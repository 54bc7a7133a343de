"""Default parameters: each framework's activation or loss called with no parameters
must match the reference at the defaults its adapter declares.

A release that changes a default (a leaky_relu slope, GELU's form, softmax's axis, a
loss's reduction or Huber's delta) turns its cell red. The declared defaults are shown
in the report's defaults table.
"""

import numpy as np
import pytest

from adapters.spec import NO_DEFAULT
from cases.generated import value_cases
from cases.loss_cases import arrays_along_axis
from harness.checks import fail_unless_close, require_cell
from harness.pytest_plugin import skip_cell
from harness.tolerances import tolerance
from reference import FUNCTIONS, get_function

# float32 keeps float64-only defects (TF's float32 leaky_relu slope) out of this check.
DTYPE = "float32"
FUNCTION_NAMES = sorted(FUNCTIONS)
# The first random inputs of each function: x, or y_pred and y_true.
_RANDOM_INPUTS = {}
for _case in value_cases():
    if _case.regime == "random":
        _RANDOM_INPUTS.setdefault(_case.function, _case.arrays)


def _rounded(arrays):
    """Round float inputs to DTYPE; integer labels stay as they are."""
    return [
        np.asarray(a) if np.asarray(a).dtype.kind in "iu" else
        np.asarray(a, DTYPE).astype(np.float64)
        for a in arrays
    ]  # fmt: skip


def _default_inputs(function_name, defaults):
    """Return the inputs of the defaults check.

    A loss with a class axis gets 3-d inputs with the classes along its declared
    default axis, so that the axis itself is checked. Every other function gets its
    first random inputs.
    """
    axis = defaults.get("axis")
    if get_function(function_name).family != "loss" or not isinstance(axis, int):
        return _RANDOM_INPUTS[function_name]
    options = {key: defaults[key] for key in ("axis", "from_logits") if key in defaults}
    return arrays_along_axis(function_name, np.random.default_rng(5), options)


@pytest.mark.parametrize("function_name", FUNCTION_NAMES)
def test_declared_defaults_are_used(
    request, record_cell, adapter, function_name, device
):
    case_id = f"{function_name}-defaults"
    record_cell(kind="default", function=function_name, dtype=DTYPE, case=case_id)
    require_cell(request, record_cell, adapter, function_name, DTYPE, "default",
                 case_id, {})  # fmt: skip
    defaults = adapter.defaults(function_name)
    record_cell(api=adapter.api(function_name), defaults=defaults)
    if defaults is None:
        skip_cell(request, "skipped", f"{adapter.name} declares no defaults for it")
    required = sorted(name for name, value in defaults.items() if value == NO_DEFAULT)
    if required:
        skip_cell(
            request,
            "skipped",
            f"{adapter.api(function_name)} has no default for {required}",
        )
    inputs = _rounded(_default_inputs(function_name, defaults))

    got = adapter.forward(function_name, inputs, {}, DTYPE, device)

    function = get_function(function_name)
    variant = function.variant(adapter.variant(function_name))
    with np.errstate(all="ignore"):
        expected = variant.evaluate(*inputs, dtype=DTYPE, **defaults)
    rtol, atol, _ = tolerance(function_name, adapter.name, DTYPE)
    fail_unless_close(
        request,
        f"{function_name} called without parameters [framework={adapter.name}] does "
        f"not match the reference at the declared defaults {defaults}; has a default "
        "changed?",
        got,
        expected,
        DTYPE,
        {"rtol": rtol, "atol": atol},
        dict(zip(function.inputs, inputs)),
    )
