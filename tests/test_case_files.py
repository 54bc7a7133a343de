"""The documented-examples loader: every malformed entry gets an error naming it."""

import copy
import json

import pytest

from cases.documented import DOCUMENTED_PATH, CaseFileError, load_documented

VALID = json.loads(DOCUMENTED_PATH.read_text())


def _mutate(change):
    document = copy.deepcopy(VALID)
    change(document["examples"][2])
    return document


def _set(key, value):
    def change(entry):
        entry[key] = value

    return change


def _delete(key):
    def change(entry):
        del entry[key]

    return change


MUTATIONS = {  # id -> (change to the tf.keras example, expected message fragment)
    "missing_key": (_delete("dtype"), "missing keys ['dtype']"),
    "unknown_key": (_set("known_mismatchs", {}), "unknown keys ['known_mismatchs']"),
    "unknown_function": (_set("function", "bce"), "unknown function 'bce'"),
    "unknown_variant": (_set("variant", "keras9"), "has no variant 'keras9'"),
    "bad_dtype": (_set("dtype", "float16"), "dtype 'float16' is not one of"),
    "unknown_param": (_set("params", {"axis": 0}), "takes no parameter ['axis']"),
    "bad_reduction": (_set("params", {"reduction": "max"}), "reduction 'max' is not"),
    "params_list": (_set("params", []), "params must be an object"),
    "negative_ulp": (
        _set("precision", {"ulp": -1}),
        "precision {'ulp': -1} is invalid",
    ),
    "boolean_ulp": (_set("precision", {"ulp": True}), "is invalid"),
    "null_expected": (_set("expected", None), "expected must be numbers"),
    "nan_expected": (_set("expected", float("nan")), "expected must be finite"),
    "infinite_expected": (_set("expected", [float("inf")]), "expected must be finite"),
    "integer_id": (_set("id", 7), "id must be a non-blank string; got 7"),
    "empty_id": (_set("id", ""), "id must be a non-blank string"),
    "empty_provenance": (
        _set("provenance", ""),
        "provenance must be a non-blank string",
    ),
    "blank_provenance": (
        _set("provenance", "  "),
        "provenance must be a non-blank string",
    ),
    "one_value_for_two_samples": (
        _set("params", {"from_logits": False, "reduction": "none"}),
        "expected has shape (1,), but the reference binary_crossentropy returns "
        "shape (2,)",
    ),
    "two_values_for_mean": (
        _set("expected", [0.34, 0.34]),
        "expected has shape (2,), but the reference binary_crossentropy returns "
        "shape (1,)",
    ),
    "label_smoothing_above_one": (
        _set("params", {"label_smoothing": 1.5}),
        "label_smoothing 1.5 is not a number in [0, 1]",
    ),
    "label_smoothing_negative": (
        _set("params", {"label_smoothing": -0.1}),
        "label_smoothing -0.1 is not a number in [0, 1]",
    ),
    "label_smoothing_text": (
        _set("params", {"label_smoothing": "0.1"}),
        "label_smoothing '0.1' is not a number in [0, 1]",
    ),
    "string_y_pred": (_set("y_pred", "abc"), "y_pred must be a non-empty array"),
    "ragged_y_pred": (_set("y_pred", [[0.5], [0.3, 0.8]]), "not a rectangular array"),
    "shape_mismatch": (_set("y_true", [1, 0]), "differs from y_true shape"),
    "unknown_framework": (
        _set("known_mismatches", {"tensorflw": {}}),
        "names 'tensorflw', which is not one of",
    ),
    "mismatch_keys": (
        _set("known_mismatches", {"torch": {"reason": "x"}}),
        "needs the keys reason, reference, versions and optionally obtained",
    ),
    "mismatch_obtained_text": (
        _set(
            "known_mismatches",
            {
                "torch": {
                    "reason": "x",
                    "reference": "y",
                    "versions": "z",
                    "obtained": "0.34",
                }
            },
        ),  # fmt: skip
        "known_mismatches obtained is '0.34'",
    ),
}


def test_valid_file_loads():
    examples = load_documented()

    assert [e.id for e in examples] == [e["id"] for e in VALID["examples"]]


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_malformed_entry_is_named(tmp_path, name):
    change, fragment = MUTATIONS[name]
    path = tmp_path / "documented.json"
    path.write_text(json.dumps(_mutate(change)))

    with pytest.raises(CaseFileError) as raised:
        load_documented(path)

    assert f"{path} examples[2]" in str(raised.value)
    assert fragment in str(raised.value)


def test_label_smoothing_bounds_are_accepted(tmp_path):
    document = copy.deepcopy(VALID)
    path = tmp_path / "documented.json"

    for smoothing in (0, 1.0):
        document["examples"][2]["params"]["label_smoothing"] = smoothing
        path.write_text(json.dumps(document))

        assert load_documented(path)[2].params["label_smoothing"] == smoothing


def test_printed_decimals_need_plain_notation(tmp_path):
    document = copy.deepcopy(VALID)
    document["examples"][3]["expected"] = ["5.13e-2", "2.303"]
    path = tmp_path / "documented.json"
    path.write_text(json.dumps(document))

    with pytest.raises(CaseFileError, match="plain decimal notation"):
        load_documented(path)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("{", "cannot read documented examples"),
        ("[]", "expected a JSON object with schema_version 1"),
        ('{"schema_version": 1, "examples": 3}', "examples must be a list"),
        ('{"schema_version": 1, "examples": [3]}', "each example is an object"),
        ('{"schema_version": 1, "examples": []}', "no examples"),
    ],
)
def test_malformed_file_is_named(tmp_path, text, fragment):
    path = tmp_path / "documented.json"
    path.write_text(text)

    with pytest.raises(CaseFileError, match=fragment):
        load_documented(path)
