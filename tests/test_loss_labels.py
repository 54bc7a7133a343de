"""Integer labels outside [0, k): what each framework does with the label k and -1.

Each adapter declares the outcome in OUT_OF_RANGE_LABELS: "raises" (an exception),
"nan" (NaN for that sample) or "wraps" (-1 is taken as the last class, k - 1, as a
NumPy index). The test observes the framework and asserts the declaration, so a
release that changes it turns the run red; the report tabulates the outcomes. A bad
label that changes the other sample's value is observed as "spreads", which no
adapter may declare.
"""

import numpy as np
import pytest

from harness.checks import require_cell

DTYPE = "float32"
LABEL_LOSSES = {
    "sparse_categorical_crossentropy": {"from_logits": True, "reduction": "none"},
    "nll_loss": {"reduction": "none"},
}
CLASSES = 4
# Two samples: the first has a valid label, the second the label under test.
_SCORES = np.array([[0.5, -1.0, 2.0, 0.1], [1.5, 0.3, -0.7, 0.9]])
_LOG_PROBABILITIES = _SCORES - np.log(np.sum(np.exp(_SCORES), axis=-1, keepdims=True))


def _observe(adapter, function_name, label, params, device):
    """Return (outcome, detail) for labels [1, label]."""
    y_pred = _LOG_PROBABILITIES if function_name == "nll_loss" else _SCORES
    labels = np.array([1, label], dtype=np.int64)
    try:
        got = adapter.forward(function_name, [y_pred, labels], params, DTYPE, device)
    except Exception as error:  # the outcome under test: any exception counts
        return "raises", f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"
    got = np.asarray(got, dtype=np.float64)
    valid = adapter.forward(
        function_name, [y_pred[:1], labels[:1]], params, DTYPE, device
    )
    if not np.isclose(got[0], float(np.asarray(valid)[0]), rtol=1e-6):
        return "spreads", (
            f"the valid sample gives {got[0]:.6g} next to the bad label and "
            f"{float(np.asarray(valid)[0]):.6g} alone"
        )
    if np.isnan(got[1]):
        return "nan", f"NaN (the valid sample gives {got[0]:.6g})"
    wrapped = np.array([1, label % CLASSES], dtype=np.int64)
    expected = adapter.forward(function_name, [y_pred, wrapped], params, DTYPE, device)
    if np.isclose(got[1], float(np.asarray(expected)[1]), rtol=1e-6):
        return "wraps", f"{got[1]:.6g}, the value of label {label % CLASSES}"
    return "value", f"{got[1]:.6g}"


@pytest.mark.parametrize("label_name", ["k", "-1"])
@pytest.mark.parametrize("function_name", sorted(LABEL_LOSSES))
def test_out_of_range_label(
    request, record_cell, adapter, function_name, label_name, device
):
    params = LABEL_LOSSES[function_name]
    case_id = f"{function_name}-label={label_name}"
    record_cell(kind="labels", function=function_name, dtype=DTYPE, case=case_id,
                label=label_name)  # fmt: skip
    require_cell(request, record_cell, adapter, function_name, DTYPE, "labels",
                 case_id, params)  # fmt: skip
    declared = (adapter.out_of_range_labels(function_name) or {}).get(label_name)
    label = CLASSES if label_name == "k" else -1

    outcome, detail = _observe(adapter, function_name, label, params, device)

    record_cell(api=adapter.api(function_name), outcome=outcome, detail=detail)
    assert declared is not None, (
        f"{function_name} [framework={adapter.name}] with label {label}: {outcome} "
        f"({detail}); declare it in OUT_OF_RANGE_LABELS of the adapter module"
    )
    assert outcome == declared, (
        f"{function_name} [framework={adapter.name}] with label {label}: {outcome} "
        f"({detail}), but the adapter declares {declared!r}; update "
        "OUT_OF_RANGE_LABELS if the framework changed on purpose"
    )
