"""Elementwise comparison of a framework's output with the reference, and its message."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Comparison:
    """Errors of ``got`` against ``expected``, measured in float64."""

    ok: bool
    mismatched: int
    total: int
    max_abs_error: float
    max_rel_error: float
    max_ulp_error: float  # in units of the output dtype's spacing at the expected value
    worst_index: tuple | None  # the element with the largest excess over its tolerance
    worst_got: float | None
    worst_expected: float | None
    worst_allowed: float | None


def ulp_errors(got, expected, dtype):
    """Return |got - expected| in units in the last place of ``dtype`` at ``expected``.

    Non-finite elements count 0 ULP where both sides agree (same infinity, both NaN)
    and infinitely many otherwise.
    """
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        spacing = np.spacing(np.abs(expected).astype(dtype)).astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        errors = np.abs(got - expected) / spacing
    same_nonfinite = (np.isnan(got) & np.isnan(expected)) | (
        np.isinf(expected) & (got == expected)
    )
    return np.where(same_nonfinite, 0.0, np.where(np.isnan(errors), np.inf, errors))


def in_dtype_range(expected, dtype):
    """Return ``expected`` with values that overflow ``dtype`` replaced by +-inf.

    selu(65504) = 68825 is inf in float16: a framework returning inf is right there.
    """
    expected = np.asarray(expected, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        overflows = np.isfinite(expected) & np.isinf(expected.astype(dtype))
        return np.where(overflows, np.copysign(np.inf, expected), expected)


def compare(got, expected, rtol, atol, dtype, signed_zeros=False):
    """Compare elementwise: NaN must meet NaN, an infinity the same infinity, and a
    finite expected value e allows |got - e| <= atol + rtol * |e|. With
    ``signed_zeros``, a zero result must also have the expected zero's sign."""
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    got_b, expected_b = np.broadcast_arrays(got, expected)

    finite = np.isfinite(expected_b)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        abs_error = np.abs(got_b - expected_b)
        allowed = atol + rtol * np.abs(expected_b)
        close = np.where(
            finite,
            abs_error <= allowed,
            (np.isnan(expected_b) & np.isnan(got_b)) | (got_b == expected_b),
        )
        rel_error = np.where(expected_b != 0, abs_error / np.abs(expected_b), abs_error)

    if signed_zeros:
        both_zero = (got_b == 0) & (expected_b == 0)
        close = close & ~(both_zero & (np.signbit(got_b) != np.signbit(expected_b)))

    ulp = ulp_errors(got_b, expected_b, dtype)
    mismatched = int(np.size(close) - np.count_nonzero(close))
    worst = _worst_index(close, abs_error, allowed)
    return Comparison(
        ok=mismatched == 0,
        mismatched=mismatched,
        total=int(np.size(close)),
        max_abs_error=_nan_safe_max(_shown_errors(abs_error, close)),
        max_rel_error=_nan_safe_max(_shown_errors(rel_error, close)),
        max_ulp_error=_nan_safe_max(ulp),
        worst_index=None if worst is None else tuple(int(i) for i in worst),
        worst_got=None if worst is None else float(got_b[worst]),
        worst_expected=None if worst is None else float(expected_b[worst]),
        worst_allowed=None if worst is None else float(allowed[worst]),
    )


def _worst_index(close, abs_error, allowed):
    """Pick the mismatch with the largest error, or else the element nearest its limit."""
    if not np.size(close):
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        if not np.all(close):
            score = np.where(close, -1.0, np.nan_to_num(abs_error, nan=np.inf))
        else:
            score = np.nan_to_num(abs_error / np.maximum(allowed, np.finfo(float).tiny))
    return np.unravel_index(int(np.argmax(score)), np.shape(close))


def _shown_errors(errors, close):
    """Return the errors to report: 0 where NaN meets NaN or an infinity meets the
    same one, infinite for any other mismatch that gives no number (NaN against 2.0)."""
    with np.errstate(invalid="ignore"):
        return np.where(
            close,
            np.where(np.isnan(errors), 0.0, errors),
            np.where(np.isnan(errors), np.inf, errors),
        )


def _nan_safe_max(values):
    if np.size(values) == 0:
        return 0.0
    values = np.where(np.isnan(values), 0.0, values)
    return float(np.max(values))


def mismatch_message(label, comparison, rtol, atol, inputs=None, rerun=None):
    """Explain a failed comparison: where the worst element is, its values, the rule."""
    c = comparison
    index = c.worst_index
    lines = [
        f"{label}: {c.mismatched} of {c.total} elements "
        f"({100.0 * c.mismatched / max(c.total, 1):.1f}%) not close",
        f"  worst element at index {index}: got {c.worst_got!r}, expected {c.worst_expected!r}"
        f" (abs error {abs(c.worst_got - c.worst_expected):.3g})",
        f"  allowed there: atol {atol:g} + rtol {rtol:g} * |expected| = {c.worst_allowed:.3g}",
        f"  max abs error {c.max_abs_error:.3g}, max rel error {c.max_rel_error:.3g}, "
        f"max error {c.max_ulp_error:.3g} ULP",
    ]
    for name, array in (inputs or {}).items():
        array = np.asarray(array)
        if array.shape and index is not None and len(index) == array.ndim:
            lines.append(f"  {name} at {index} = {float(array[index])!r}")
    if rerun:
        lines.append(f"  rerun: {rerun}")
    return "\n".join(lines)
