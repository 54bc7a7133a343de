"""Self-test of the loss references: each analytic derivative, of the exact definition
and of every variant, against central differences of its own forward in float64."""

import numpy as np
import pytest

from cases.loss_cases import loss_gradient_cases
from reference import get_function

# Central differences with step h have a truncation error of order h**2 and a
# rounding error of order eps / h. A step relative to the input, 1e-5 |y|, keeps both
# small for tiny probabilities too, where log(y) curves on the scale of y itself.
RELATIVE_STEP, MINIMUM_STEP = 1e-5, 1e-9
# A wrong formula is off by O(1); the differences themselves are good to about 1e-6.
RTOL, ATOL = 1e-5, 1e-6
CASES = [case for case in loss_gradient_cases() if case.regime == "random"]


def _numerical_vjp(variant, y_pred, cotangent, y_true, params):
    """Return d/dy_pred of sum(cotangent * forward) by central differences."""
    gradient = np.zeros_like(y_pred)
    for index in np.ndindex(y_pred.shape):
        step = max(RELATIVE_STEP * abs(y_pred[index]), MINIMUM_STEP)
        shifted = []
        for sign in (1.0, -1.0):
            moved = y_pred.copy()
            moved[index] += sign * step
            value = variant.evaluate(moved, y_true, dtype="float64", **params)
            shifted.append(np.sum(cotangent * value))
        gradient[index] = (shifted[0] - shifted[1]) / (2.0 * step)
    return gradient


def _variant_items():
    for case in CASES:
        function = get_function(case.function)
        for name, variant in function.variants.items():
            if variant.vjp is not None:
                yield pytest.param(case, name, id=f"{case.id}-{name}")


@pytest.mark.parametrize(("case", "variant_name"), list(_variant_items()))
def test_vjp_matches_central_differences(case, variant_name):
    variant = get_function(case.function).variant(variant_name)
    y_pred, cotangent, y_true = case.arrays

    analytic = variant.gradient(
        y_pred, cotangent, y_true, dtype="float64", **case.params
    )
    numerical = _numerical_vjp(variant, y_pred, cotangent, y_true, case.params)

    np.testing.assert_allclose(analytic, numerical, rtol=RTOL, atol=ATOL)
