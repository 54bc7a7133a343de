"""Loss values of every framework against the reference variant it declares."""

import pytest

from cases.generated import value_cases
from harness.checks import check_forward
from reference import FUNCTIONS

LOSS_CASES = [
    case for case in value_cases() if FUNCTIONS[case.function].family == "loss"
]


# NOTE: losses are checked in float32 and float64 only; half precisions are not yet.
@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize("case", LOSS_CASES, ids=lambda case: case.id)
def test_forward(request, record_cell, adapter, case, dtype, device):
    check_forward(request, record_cell, adapter, case, dtype, device)
