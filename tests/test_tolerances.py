"""The tolerance table: every activation has a bound with a reason, and tight bounds
reject what they should."""

import numpy as np
import pytest

from harness.compare import compare
from harness.tolerances import (
    GRADIENT_TOLERANCES,
    LOSS_VALUE_TOLERANCES,
    VALUE_TOLERANCES,
    tolerance,
    tolerance_for,
)
from reference import FUNCTIONS

ACTIVATIONS = [n for n, f in FUNCTIONS.items() if f.family == "activation"]
DTYPES = ("float16", "bfloat16", "float32", "float64")


@pytest.mark.parametrize("table", [VALUE_TOLERANCES, GRADIENT_TOLERANCES])
def test_every_activation_has_its_own_tolerance(table):
    missing = sorted(set(ACTIVATIONS) - set(table))

    assert not missing, f"add tolerances for {missing} to harness/tolerances.py"
    assert all(spec.reason for spec in table.values())


@pytest.mark.parametrize("dtype_name", DTYPES)
def test_exact_function_rejects_one_ulp(dtype_name):
    rtol, atol, _ = tolerance("relu", "torch", dtype_name)
    expected = np.array([1.5, 3.0])
    spacing = np.spacing(expected.astype(dtype_name)).astype(np.float64)

    assert compare(expected, expected, rtol, atol, dtype_name).ok
    assert not compare(expected + spacing, expected, rtol, atol, dtype_name).ok


@pytest.mark.parametrize("dtype_name", DTYPES)
def test_smooth_function_allows_eight_ulp_not_nine(dtype_name):
    rtol, _, _ = tolerance("tanh", "torch", dtype_name)
    expected = np.array([256.0])  # a power of two: its spacing is 256 * epsilon
    spacing = float(np.spacing(expected.astype(dtype_name))[0])

    assert compare(expected + 8 * spacing, expected, rtol, 0.0, dtype_name).ok
    assert not compare(expected + 9 * spacing, expected, rtol, 0.0, dtype_name).ok


def test_gradient_tolerance_differs_from_value_tolerance():
    value = tolerance("softsign", "jax", "float32", "value")
    gradient = tolerance("softsign", "jax", "float32", "gradient")

    assert value[0] < gradient[0]
    assert "1 / (1 + |x|)^2" in gradient[2]


def test_every_loss_has_a_value_tolerance():
    losses = {n for n, f in FUNCTIONS.items() if f.family == "loss"}

    missing = sorted(losses - set(LOSS_VALUE_TOLERANCES))

    assert not missing, f"add value tolerances for {missing} to harness/tolerances.py"


def test_loss_tolerance_follows_the_input_form():
    probabilities = tolerance_for(
        "binary_crossentropy", "value", {"from_logits": False}
    )
    logits = tolerance_for("binary_crossentropy", "value", {"from_logits": True})

    assert "-log q" in probabilities.reason
    assert "logits" in logits.reason
