"""Documented example values, asserted at the precision their source gives them.

The reference variant an example was computed under must reproduce it. Each framework
providing the function must reproduce it too, unless the example records why that
framework does not. Such a record is a strict expected failure, so a change either way
is noticed.
"""

import dataclasses

import numpy as np
import pytest

from cases.documented import load_documented
from harness.checks import expect_strict_failure
from harness.pytest_plugin import selected_dtypes, skip_cell
from reference import get_function

EXAMPLES = load_documented()


def reproduces(got, example):
    """True when every element of ``got`` equals the example's value at its precision."""
    got = np.atleast_1d(np.asarray(got, dtype=np.float64))
    expected = np.atleast_1d(example.expected)
    if got.shape != expected.shape:
        return False
    if "ulp" in example.precision:
        spacing = np.spacing(np.abs(expected).astype(example.dtype)).astype(np.float64)
        return bool(
            np.all(np.abs(got - expected) <= example.precision["ulp"] * spacing)
        )
    rounded = [
        round(value, decimals)
        for value, decimals in zip(got, example.printed_decimals())
    ]
    return bool(np.all(np.array(rounded) == expected))


def _describe(example, got):
    return (
        f"{example.function} documented example {example.id} [dtype={example.dtype}]: "
        f"got {np.asarray(got).tolist()!r}, expected {example.expected.tolist()!r} "
        f"to {example.precision_text()}; source: {example.provenance}"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.id)
def test_reference_variant_reproduces(example):
    variant = get_function(example.function).variant(example.variant)
    inputs = [
        np.asarray(a, example.dtype).astype(np.float64)
        for a in (example.y_pred, example.y_true)
    ]

    value = variant.evaluate(*inputs, dtype=example.dtype, **example.params)
    got = np.asarray(value).astype(example.dtype)

    assert reproduces(got, example), _describe(example, got)


def _check_known_mismatch(record_cell, example, mismatch, got):
    """Assert that the framework returns the recorded value, not the documented one."""
    assert not reproduces(got, example), (
        f"{_describe(example, got)}: now reproduced, so the recorded mismatch "
        f"({mismatch.reason}) looks fixed; remove it from cases/documented.json"
    )
    obtained = dataclasses.replace(example, expected=np.array(mismatch.obtained))
    assert reproduces(got, obtained), (
        f"{_describe(example, got)}; the recorded mismatch expects "
        f"{list(mismatch.obtained)} instead ({mismatch.reason})"
    )
    record_cell(
        status="known_defect",
        defect={
            "reason": mismatch.reason,
            "reference": mismatch.reference,
            "versions": mismatch.versions,
        },
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.id)
def test_framework_reproduces(request, record_cell, adapter, example, device):
    record_cell(
        kind="documented",
        function=example.function,
        dtype=example.dtype,
        case=example.id,
        variant=adapter.variant(example.function),
        example_variant=example.variant,
        expected=example.expected.tolist(),
        precision=example.precision_text(),
        provenance=example.provenance,
    )
    if example.dtype not in selected_dtypes(request.config):
        skip_cell(request, "skipped", f"{example.dtype} is not among --dtypes")
    if not adapter.provides(example.function):
        skip_cell(
            request, "not_provided", f"{adapter.name} provides no {example.function}"
        )
    unsupported = adapter.unsupported_params(example.function, example.params)
    if unsupported:
        skip_cell(
            request,
            "not_provided",
            f"{adapter.name} {adapter.api(example.function)} takes no "
            f"{', '.join(unsupported)}",
        )
    record_cell(api=adapter.api(example.function))
    mismatch = example.known_mismatches.get(adapter.name)
    if mismatch is not None and mismatch.obtained is None:
        expect_strict_failure(request, record_cell, mismatch)

    inputs = [example.y_pred, example.y_true]
    got = adapter.forward(
        example.function, inputs, example.params, example.dtype, device
    )
    record_cell(got=np.asarray(got, dtype=np.float64).tolist())

    assert got.dtype == np.dtype(example.dtype), (
        f"output dtype {got.dtype}, expected {example.dtype}"
    )
    if mismatch is not None and mismatch.obtained is not None:
        _check_known_mismatch(record_cell, example, mismatch, got)
        return
    assert reproduces(got, example), _describe(example, got)
