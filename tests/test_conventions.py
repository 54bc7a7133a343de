"""Declared conventions: every variant an adapter declares must be observable.

For each function where a framework declares a variant other than the exact
definition, some case must separate the two: there the framework matches its variant
within tolerance and differs from the exact value. A framework that drops its
convention (or an adapter declaring one for nothing) turns this red.
"""

import numpy as np
import pytest

from cases.generated import gradient_cases, value_cases
from harness.checks import expect_known_defect, rerun_command
from harness.known_defects import find_defect
from harness.compare import compare, mismatch_message
from harness.pytest_plugin import selected_dtypes, skip_cell
from harness.tolerances import tolerance
from reference import EXACT, FUNCTIONS, get_function

# float64 keeps the framework's rounding far below every separation between variants.
DTYPE = "float64"


# The functions whose reference offers variants beside the exact definition.
FUNCTIONS_WITH_VARIANTS = sorted(
    name for name, function in FUNCTIONS.items() if set(function.variants) != {EXACT}
)


def _recorded(adapter, case, kind, device):
    """Return whether the case is a recorded defect of this framework: its own test
    asserts it, and it would hide the convention here."""
    defect = find_defect(adapter.name, case.function, kind, DTYPE, case.id, device)
    return defect is not None


def _separating_results(adapter, function_name, device):
    """Yield (case, got, variant value, exact value, kind) for every case of the
    function: its values, then its gradients where the variant defines them."""
    function = get_function(function_name)
    variant = function.variant(adapter.variant(function_name))
    for case in value_cases():
        # NaN and inf inputs are checked case by case in tests/test_losses.py; a
        # framework that rejects them must not hide its convention on finite inputs.
        if case.regime == "nonfinite" or _recorded(adapter, case, "value", device):
            continue
        if case.function != function_name or adapter.unsupported_params(
            function_name, case.params
        ):
            continue
        inputs = [
            np.asarray(a) if np.asarray(a).dtype.kind in "iu" else
            np.asarray(a, DTYPE).astype(np.float64)
            for a in case.arrays
        ]  # fmt: skip
        got = adapter.forward(function_name, inputs, case.params, DTYPE, device)
        with np.errstate(all="ignore"):
            yield (
                case,
                got,
                variant.evaluate(*inputs, dtype=DTYPE, **case.params),
                function.exact.evaluate(*inputs, dtype=DTYPE, **case.params),
                "value",
            )
    if variant.vjp is None:
        return
    for case in gradient_cases():
        if _recorded(adapter, case, "gradient", device):
            continue
        if case.function != function_name or adapter.unsupported_params(
            function_name, case.params
        ):
            continue
        x, v, *others = case.arrays
        got = adapter.vjp(function_name, x, v, case.params, DTYPE, device, others)
        with np.errstate(all="ignore"):
            yield (
                case,
                got,
                variant.gradient(x, v, *others, dtype=DTYPE, **case.params),
                function.exact.gradient(x, v, *others, dtype=DTYPE, **case.params),
                "gradient",
            )


@pytest.mark.parametrize("function_name", FUNCTIONS_WITH_VARIANTS)
def test_declared_variant_is_observed(
    request, record_cell, adapter, function_name, device
):
    variant_name = adapter.variant(function_name)
    record_cell(
        kind="convention", function=function_name, dtype=DTYPE, variant=variant_name
    )
    if DTYPE not in selected_dtypes(request.config):
        skip_cell(request, "skipped", f"{DTYPE} is not among --dtypes")
    if not adapter.provides(function_name):
        skip_cell(
            request, "not_provided", f"{adapter.name} provides no {function_name}"
        )
    expect_known_defect(
        request,
        record_cell,
        adapter.name,
        function_name,
        "convention",
        DTYPE,
        f"{function_name}-convention",
        device,
    )
    is_activation = FUNCTIONS[function_name].family == "activation"
    separating = []
    for case, got, variant_value, exact_value, kind in _separating_results(
        adapter, function_name, device
    ):
        rtol, atol, _ = tolerance(function_name, adapter.name, DTYPE, kind, case.params)
        # Some conventions differ only in the sign of a zero value (relu(-0.0) in
        # torch); the sign of a zero gradient is not compared.
        signed_zeros = is_activation and kind == "value"
        comparison = compare(got, variant_value, rtol, atol, DTYPE, signed_zeros)
        if not comparison.ok:
            label = (
                f"{function_name} {kind} [framework={adapter.name}, dtype={DTYPE}, "
                f"case={case.id}] is not the declared variant {variant_name}"
            )
            pytest.fail(
                mismatch_message(
                    label, comparison, rtol, atol, rerun=rerun_command(request)
                ),
                pytrace=False,
            )
        if not compare(got, exact_value, rtol, atol, DTYPE, signed_zeros).ok:
            separating.append(f"{case.id} {kind}")

    record_cell(separating_cases=separating)
    if variant_name == EXACT:
        return
    assert separating, (
        f"{adapter.name} declares {function_name} variant {variant_name!r}, but no case "
        "separates it from the exact definition; add a case that does, or drop the declaration"
    )
