"""Activation values and autodiff gradients of every framework against the reference."""

import pytest

from cases.generated import activation_gradient_cases, value_cases
from harness.checks import check_forward, check_gradient
from reference import FUNCTIONS

ACTIVATION_CASES = [
    case for case in value_cases() if FUNCTIONS[case.function].family == "activation"
]


@pytest.mark.parametrize("case", ACTIVATION_CASES, ids=lambda case: case.id)
def test_forward(request, record_cell, adapter, case, dtype, device):
    check_forward(request, record_cell, adapter, case, dtype, device)


@pytest.mark.parametrize("case", activation_gradient_cases(), ids=lambda case: case.id)
def test_gradient(request, record_cell, adapter, case, dtype, device):
    check_gradient(request, record_cell, adapter, case, dtype, device)
