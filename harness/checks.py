"""The checks a test runs on one cell: forward values and gradients against the reference."""

import ml_dtypes
import numpy as np
import pytest

from harness.compare import compare, in_dtype_range, mismatch_message
from harness.known_defects import find_defect
from harness.pytest_plugin import skip_cell
from harness.tolerances import tolerance
from reference import get_function


def require_cell(request, record_cell, adapter, function, dtype, kind, case_id, params):
    """Skip cells the framework cannot run, and return the recorded defect, if any,
    that the caller asserts against (strict xfail defects are marked here)."""
    if not adapter.provides(function):
        skip_cell(request, "not_provided", f"{adapter.name} provides no {function}")
    if dtype not in adapter.dtypes:
        skip_cell(request, "skipped", f"{adapter.name} does not support {dtype}")
    unsupported = adapter.unsupported_params(function, params)
    if unsupported:
        skip_cell(
            request,
            "not_provided",
            f"{adapter.name} {adapter.api(function)} takes no {', '.join(unsupported)}",
        )
    device = request.config.getoption("--device")
    return expect_known_defect(
        request, record_cell, adapter.name, function, kind, dtype, case_id, device
    )


def expect_known_defect(
    request, record_cell, framework, function, kind, dtype, case_id, device="cpu"
):
    """Handle a recorded defect for this cell and return it (None when there is none).

    A defect with a model is returned, so that the caller asserts the framework
    against the model. A defect without one, or any defect of a convention cell, marks
    the test a strict expected failure.
    """
    defect = find_defect(framework, function, kind, dtype, case_id, device)
    if defect is None:
        return None
    if defect.model is None or kind not in ("value", "gradient"):
        expect_strict_failure(request, record_cell, defect)
        return None
    _record_known(record_cell, defect)
    return defect


def _record_known(record_cell, known):
    record_cell(
        defect={
            "reason": known.reason,
            "reference": known.reference,
            "versions": known.versions,
        }
    )


def expect_strict_failure(request, record_cell, known):
    """Record ``known`` (reason, reference, versions) and mark the test strict xfail.

    Strict, so that a framework release that fixes the difference turns the run red
    and the record is removed.
    """
    _record_known(record_cell, known)
    reason = f"{known.reason} [{known.reference}]"
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def _rounded(arrays, dtype):
    """Round inputs to ``dtype`` once, as the framework will see them, in float64.

    Finite values beyond the dtype's range become its largest finite value, not inf:
    the edge value 1e30 is 65504 in float16, and infinities stay a case of their own.
    """
    largest = float(ml_dtypes.finfo(dtype).max)
    rounded = []
    for array in arrays:
        if np.asarray(array).dtype.kind in "iu":  # integer labels stay as they are
            rounded.append(np.asarray(array))
            continue
        array = np.asarray(array, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            clipped = np.where(
                np.isfinite(array), np.clip(array, -largest, largest), array
            )
        rounded.append(clipped.astype(dtype).astype(np.float64))
    return rounded


def _label(function, framework, dtype, case_id, kind):
    return f"{function} {kind} [framework={framework}, dtype={dtype}, case={case_id}]"


def rerun_command(request):
    """Return the pytest command line that reruns this test with its selection options."""
    config = request.config
    parts = [f'pytest "{request.node.nodeid}"']
    parts += [f"--extra-adapter {path}" for path in config.getoption("--extra-adapter")]
    if config.getoption("--device") != "cpu":
        parts.append(f"--device {config.getoption('--device')}")
    return " ".join(parts)


def fail_unless_close(request, label, got, expected, dtype, tolerance_fields, inputs):
    """Fail the test with the mismatch message unless ``got`` is close to ``expected``.

    ``tolerance_fields`` contains rtol, atol and optionally signed_zeros; ``inputs``
    maps input names to arrays, shown at the worst element.
    """
    rtol, atol = tolerance_fields["rtol"], tolerance_fields["atol"]
    signed_zeros = tolerance_fields.get("signed_zeros", False)
    comparison = compare(got, expected, rtol, atol, dtype, signed_zeros)
    if not comparison.ok:
        message = mismatch_message(
            label,
            comparison,
            rtol,
            atol,
            inputs,
            rerun=rerun_command(request),
        )
        pytest.fail(message, pytrace=False)


def _error_fields(got, expected, dtype, prefix=""):
    comparison = compare(got, expected, 0.0, 0.0, dtype)
    return {
        f"{prefix}max_abs_error": comparison.max_abs_error,
        f"{prefix}max_rel_error": comparison.max_rel_error,
        f"{prefix}max_ulp_error": comparison.max_ulp_error,
    }


def _check_output(request, label, got, expected, dtype):
    if got.dtype != np.dtype(dtype):
        pytest.fail(
            f"{label}: output dtype {got.dtype}, expected {dtype}", pytrace=False
        )
    if got.shape != np.shape(expected):
        pytest.fail(
            f"{label}: output shape {got.shape}, expected {np.shape(expected)}",
            pytrace=False,
        )


def _start_cell(request, record_cell, adapter, case, dtype, kind):
    """Record the cell's identity, skip or mark it as needed; return (rtol, atol)."""
    function = get_function(case.function)
    record_cell(
        kind=kind,
        function=case.function,
        family=function.family,
        dtype=dtype,
        case=case.id,
        regime=case.regime,
        variant=adapter.variant(case.function),
    )
    defect = require_cell(
        request, record_cell, adapter, case.function, dtype, kind, case.id, case.params
    )
    rtol, atol, reason = tolerance(
        case.function, adapter.name, dtype, kind, case.params
    )
    record_cell(
        api=adapter.api(case.function), rtol=rtol, atol=atol, tolerance_reason=reason
    )
    return rtol, atol, defect


def _check_defect_model(request, record_cell, defect, kind, got, reference, check):
    """Assert ``got`` shows exactly the recorded defect; record it as a known defect.

    ``check`` contains what the comparison needs: inputs, params, dtype, rtol, atol,
    label and named_inputs.
    """
    arguments = (kind, check["inputs"], check["params"])
    with np.errstate(all="ignore"):
        if getattr(defect.model, "needs_reference", False):
            modelled = defect.model(*arguments, reference)
        else:
            modelled = defect.model(*arguments)
    dtype, rtol, atol = check["dtype"], check["rtol"], check["atol"]
    if compare(got, modelled, rtol, atol, dtype, check["signed_zeros"]).ok:
        # The cell's errors are those against the model it matched, so the report's
        # matrix shows the rounding, not the size of the recorded defect.
        record_cell(status="known_defect", **_error_fields(got, modelled, dtype))
        return
    if compare(got, reference, rtol, atol, dtype).ok:
        pytest.fail(
            f"{check['label']}: now matches the reference, so the recorded defect "
            f"({defect.reason}) looks fixed; remove its entry from "
            "harness/known_defects.py",
            pytrace=False,
        )
    fail_unless_close(
        request,
        check["label"] + " against the recorded defect's model",
        got,
        modelled,
        dtype,
        {"rtol": rtol, "atol": atol, "signed_zeros": check["signed_zeros"]},
        check["named_inputs"],
    )


def check_forward(request, record_cell, adapter, case, dtype, device):
    """Compare the framework's value with the reference variant it declares."""
    function = get_function(case.function)
    variant = adapter.variant(case.function)
    rtol, atol, defect = _start_cell(
        request, record_cell, adapter, case, dtype, "value"
    )

    inputs = _rounded(case.arrays, dtype)
    got = adapter.forward(case.function, inputs, case.params, dtype, device)
    with np.errstate(all="ignore"):
        expected = function.variant(variant).evaluate(
            *inputs, dtype=dtype, **case.params
        )
        exact = function.exact.evaluate(*inputs, dtype=dtype, **case.params)
        expected, exact = in_dtype_range(expected, dtype), in_dtype_range(exact, dtype)
    label = _label(case.function, adapter.name, dtype, case.id, "value")
    _check_output(request, label, got, expected, dtype)
    record_cell(**_error_fields(got, expected, dtype))
    record_cell(**_error_fields(got, exact, dtype, prefix="exact_"))

    named_inputs = dict(zip(function.inputs, inputs))
    # An activation's zero must carry the reference's sign (elu(-0.0) = -0.0).
    signed_zeros = function.family == "activation"
    if defect is not None:
        check = {
            "inputs": inputs,
            "params": case.params,
            "dtype": dtype,
            "rtol": rtol,
            "atol": atol,
            "signed_zeros": signed_zeros,
            "label": label,
            "named_inputs": named_inputs,
        }
        _check_defect_model(request, record_cell, defect, "value", got, expected, check)
        return
    tolerance_fields = {"rtol": rtol, "atol": atol, "signed_zeros": signed_zeros}
    fail_unless_close(
        request, label, got, expected, dtype, tolerance_fields, named_inputs
    )


def check_gradient(request, record_cell, adapter, case, dtype, device):
    """Compare the framework's autodiff vector-Jacobian product with the analytic one."""
    function = get_function(case.function)
    variant_name = adapter.variant(case.function)
    rtol, atol, defect = _start_cell(
        request, record_cell, adapter, case, dtype, "gradient"
    )

    # A loss's case is (y_pred, cotangent, y_true): the gradient is with respect to
    # y_pred, with the labels held fixed.
    x, cotangent, *others = _rounded(case.arrays, dtype)
    got = adapter.vjp(case.function, x, cotangent, case.params, dtype, device, others)
    variant = function.variant(variant_name)
    if variant.vjp is None:  # a variant of the forward only keeps the exact derivative
        variant = function.exact
    with np.errstate(all="ignore"):
        expected = variant.gradient(x, cotangent, *others, dtype=dtype, **case.params)
        exact = function.exact.gradient(
            x, cotangent, *others, dtype=dtype, **case.params
        )
        expected = in_dtype_range(expected, dtype)
    label = _label(case.function, adapter.name, dtype, case.id, "gradient")
    _check_output(request, label, got, expected, dtype)
    if case.regime == "kink" and function.family == "activation":
        # The derivative each framework returns at the kinks, for the report's table.
        record_cell(kink_points=x.tolist(), kink_derivatives=got.tolist())
    record_cell(**_error_fields(got, expected, dtype))
    record_cell(**_error_fields(got, exact, dtype, "exact_"))
    named_inputs = dict(zip(function.inputs, [x, *others]), cotangent=cotangent)
    if defect is not None:
        check = {
            "inputs": [x, cotangent, *others],
            "params": case.params,
            "dtype": dtype,
            "rtol": rtol,
            "atol": atol,
            "signed_zeros": False,
            "label": label,
            "named_inputs": named_inputs,
        }
        _check_defect_model(
            request, record_cell, defect, "gradient", got, expected, check
        )
        return
    fail_unless_close(
        request, label, got, expected, dtype, {"rtol": rtol, "atol": atol}, named_inputs
    )
