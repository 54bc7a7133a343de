"""Loss values and gradients of every framework against the reference variant it
declares, under each reduction and option, on random and extreme inputs."""

import pytest

from cases.loss_cases import loss_gradient_cases, loss_value_cases
from harness.checks import check_forward, check_gradient


# NOTE: losses are checked in float32 and float64 only; half precisions are not yet.
@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize("case", loss_value_cases(), ids=lambda case: case.id)
def test_forward(request, record_cell, adapter, case, dtype, device):
    check_forward(request, record_cell, adapter, case, dtype, device)


@pytest.mark.dtypes("float32", "float64")
@pytest.mark.parametrize("case", loss_gradient_cases(), ids=lambda case: case.id)
def test_gradient(request, record_cell, adapter, case, dtype, device):
    check_gradient(request, record_cell, adapter, case, dtype, device)
