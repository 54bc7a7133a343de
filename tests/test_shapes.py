"""Shapes, memory layouts and integer inputs for every activation.

Each framework gets 0-d, empty, transposed and sliced (non-contiguous views in
PyTorch) and broadcast (stride 0) inputs in float32. It must return the reference's
values in the input's shape and dtype. An integer input is either rejected with an
exception or computed. The report records which, and a computed result must be right.
"""

import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

from cases.generated import ACTIVATION_PARAMS, ROW_FUNCTIONS
from harness.checks import fail_unless_close, require_cell
from harness.tolerances import tolerance
from reference import FUNCTIONS, get_function

DTYPE = "float32"
ACTIVATIONS = sorted(n for n, f in FUNCTIONS.items() if f.family == "activation")
_VALUES = np.linspace(-4.0, 4.0, 40, dtype=np.float32)


def _scalar():
    return np.asarray(_VALUES[7])


def _empty():
    return np.zeros((0, 8), dtype=np.float32)


def _transposed():
    # A (5, 8) view of an (8, 5) array: column-major, so torch keeps it non-contiguous.
    return _VALUES.reshape(8, 5).copy().T


def _sliced():
    # Every other column of a (5, 8) array: a strided view, non-contiguous in torch.
    return _VALUES.reshape(5, 8).copy()[:, ::2]


def _broadcast():
    # Every row is the same 8 values, stored once: stride 0 along the first axis.
    row = _VALUES[:8].copy()
    return as_strided(row, shape=(6, 8), strides=(0, row.itemsize))


LAYOUTS = {
    "scalar": _scalar,
    "empty": _empty,
    "transposed": _transposed,
    "sliced": _sliced,
    "broadcast": _broadcast,
}
SHAPE_CASES = [
    (name, layout)
    for name in ACTIVATIONS
    for layout in LAYOUTS
    # Functions of whole rows need an axis; glu also needs an even length along it.
    if not (name in ROW_FUNCTIONS and layout == "scalar")
]


def _params(function_name):
    return ACTIVATION_PARAMS[function_name][0]


@pytest.mark.parametrize(
    "function_name, layout", SHAPE_CASES, ids=[f"{n}-{l}" for n, l in SHAPE_CASES]
)
def test_shape_and_layout(request, record_cell, adapter, function_name, layout, device):
    case_id = f"{function_name}-{layout}"
    record_cell(kind="shape", function=function_name, dtype=DTYPE, case=case_id)
    params = _params(function_name)
    require_cell(request, record_cell, adapter, function_name, DTYPE, "shape",
                 case_id, params)  # fmt: skip
    x = LAYOUTS[layout]()

    got = adapter.forward(function_name, [x], params, DTYPE, device)

    variant = get_function(function_name).variant(adapter.variant(function_name))
    expected = variant.evaluate(x.astype(np.float64), dtype=DTYPE, **params)
    assert got.shape == np.shape(expected), (
        f"shape {got.shape}, expected {np.shape(expected)}"
    )
    assert got.dtype == np.dtype(DTYPE), f"dtype {got.dtype}, expected {DTYPE}"
    rtol, atol, _ = tolerance(function_name, adapter.name, DTYPE)
    fail_unless_close(
        request,
        f"{function_name} [framework={adapter.name}, layout={layout}]",
        got,
        expected,
        DTYPE,
        {"rtol": rtol, "atol": atol},
        {"x": x},
    )


INTEGER_INPUT = np.array([-3, -1, 0, 1, 2, 5], dtype=np.int32)


@pytest.mark.parametrize("function_name", [n for n in ACTIVATIONS if n != "glu"])
def test_integer_input(request, record_cell, adapter, function_name, device):
    case_id = f"{function_name}-int32"
    record_cell(kind="integer", function=function_name, dtype="int32", case=case_id)
    params = _params(function_name)
    require_cell(request, record_cell, adapter, function_name, DTYPE, "integer",
                 case_id, params)  # fmt: skip

    try:
        got = adapter.forward(function_name, [INTEGER_INPUT], params, "int32", device)
    except Exception as error:  # each framework rejects in its own exception type
        record_cell(integer_behaviour=f"rejected: {type(error).__name__}")
        return

    record_cell(integer_behaviour=f"computed, output {got.dtype}")
    variant = get_function(function_name).variant(adapter.variant(function_name))
    expected = variant.evaluate(INTEGER_INPUT.astype(np.float64), dtype=DTYPE, **params)
    if np.issubdtype(got.dtype, np.integer):
        # An integer result is only right where every exact value is an integer.
        assert np.all(np.round(expected) == expected), (
            f"{function_name} on int32 [framework={adapter.name}] returned {got.dtype} "
            f"{got.tolist()} where the values {expected.tolist()} are not integers"
        )
    out_dtype = "float64" if got.dtype == np.float64 else "float32"
    rtol, atol, _ = tolerance(function_name, adapter.name, out_dtype)
    fail_unless_close(
        request,
        f"{function_name} on int32 [framework={adapter.name}, output {got.dtype}]",
        got.astype(np.float64),
        expected,
        out_dtype,
        {"rtol": rtol, "atol": atol},
        {"x": INTEGER_INPUT},
    )
