"""Documented example values: loading and validating ``cases/documented.json``.

Each example is a value printed in a book or an API doc, with its provenance, the
precision it is given to, and the reference variant it was computed under. Frameworks
known not to reproduce it list the cause under ``known_mismatches``.
"""

import inspect
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import adapters
from reference import get_function
from reference.losses import REDUCTIONS

DOCUMENTED_PATH = Path(__file__).with_name("documented.json")
SCHEMA_VERSION = 1
_REQUIRED_KEYS = (
    "id",
    "function",
    "params",
    "y_pred",
    "y_true",
    "dtype",
    "expected",
    "precision",
    "variant",
    "provenance",
)
_DTYPES = ("float32", "float64")


class CaseFileError(ValueError):
    """A case file that cannot be used, with the file and the entry at fault."""


@dataclass(frozen=True)
class KnownMismatch:
    reason: str
    reference: str
    versions: str
    # What the framework returns instead, asserted at the example's precision; a
    # record without it is a strict expected failure, where any failure counts.
    obtained: tuple | None = None


@dataclass(frozen=True)
class DocumentedExample:
    id: str
    function: str
    params: dict
    y_pred: np.ndarray
    y_true: np.ndarray
    dtype: str
    expected: np.ndarray
    precision: dict  # {"ulp": n} or {"printed_decimals": true}
    variant: str
    provenance: str
    known_mismatches: dict[str, KnownMismatch] = field(default_factory=dict)
    expected_text: tuple = ()  # the values as printed, for printed_decimals

    def precision_text(self):
        if "ulp" in self.precision:
            return f"{self.precision['ulp']} {self.dtype} ULP"
        return f"the decimals printed ({', '.join(self.expected_text)})"

    def printed_decimals(self):
        """Return the number of decimals each expected value is printed with."""
        return [len(text.partition(".")[2]) for text in self.expected_text]


_PRINTED_NUMBER = re.compile(r"-?[0-9]+\.[0-9]+")


def _numeric_array(value, name, where):
    """Return ``value`` as a float64 array, or raise CaseFileError naming it."""
    try:
        raw = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise CaseFileError(
            f"{where}: {name} is not a rectangular array: {error}"
        ) from None
    if raw.dtype.kind not in "iuf" or raw.size == 0:
        raise CaseFileError(
            f"{where}: {name} must be a non-empty array of numbers; got {value!r:.80}"
        )
    return raw.astype(np.float64)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_params(params, function, where):
    if not isinstance(params, dict):
        raise CaseFileError(f"{where}: params must be an object, got {params!r:.80}")
    signature = inspect.signature(function.exact.forward)
    accepted = [name for name in signature.parameters if name not in function.inputs]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise CaseFileError(
            f"{where}: {function.name} takes no parameter {unknown}; it accepts {accepted}"
        )
    if "reduction" in params and params["reduction"] not in REDUCTIONS:
        raise CaseFileError(
            f"{where}: reduction {params['reduction']!r} is not one of {REDUCTIONS}"
        )
    smoothing = params.get("label_smoothing", 0.0)
    if not (_is_number(smoothing) and 0.0 <= smoothing <= 1.0):
        raise CaseFileError(
            f"{where}: label_smoothing {smoothing!r} is not a number in [0, 1]; give "
            "0 for hard labels, up to 1 for uniform labels"
        )


def _check_precision(precision, where):
    ulp = precision.get("ulp") if isinstance(precision, dict) else None
    valid_ulp = isinstance(ulp, int) and not isinstance(ulp, bool) and ulp >= 1
    printed = isinstance(precision, dict) and precision.get("printed_decimals") is True
    if not (
        isinstance(precision, dict) and len(precision) == 1 and (valid_ulp or printed)
    ):
        raise CaseFileError(
            f'{where}: precision {precision!r} is invalid; write {{"ulp": n}} with n >= 1, '
            'or {"printed_decimals": true} with the expected values as printed strings'
        )
    return printed


def _expected_values(entry, printed, where):
    values = (
        entry["expected"]
        if isinstance(entry["expected"], list)
        else [entry["expected"]]
    )
    if printed:
        if not all(isinstance(v, str) and _PRINTED_NUMBER.fullmatch(v) for v in values):
            raise CaseFileError(
                f"{where}: with printed_decimals each expected value is a string in "
                f'plain decimal notation as printed ("0.0513"); got {values!r:.80}'
            )
        return [float(v) for v in values], tuple(values)
    if not all(_is_number(v) for v in values):
        raise CaseFileError(f"{where}: expected must be numbers; got {values!r:.80}")
    if not all(math.isfinite(v) for v in values):
        raise CaseFileError(
            f"{where}: expected must be finite, since no output can match NaN or "
            f"infinity at a given precision; got {values!r:.80}"
        )
    return entry["expected"], ()


def _obtained(value, where):
    values = value if isinstance(value, list) else [value]
    if not values or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v)
        for v in values
    ):
        raise CaseFileError(
            f"{where}: known_mismatches obtained is {value!r:.80}; give the finite "
            "number, or list of numbers, that the framework returns"
        )
    return tuple(float(v) for v in values)


def _known_mismatches(entry, where):
    details = entry.get("known_mismatches", {})
    if not isinstance(details, dict):
        raise CaseFileError(
            f"{where}: known_mismatches must map framework names to records"
        )
    mismatches = {}
    for framework, detail in details.items():
        if framework not in adapters.known_frameworks():
            raise CaseFileError(
                f"{where}: known_mismatches names {framework!r}, which is not one of "
                f"{adapters.known_frameworks()}"
            )
        required = {"reason", "reference", "versions"}
        if not isinstance(detail, dict) or not (
            required <= set(detail) <= required | {"obtained"}
        ):
            raise CaseFileError(
                f"{where}: known_mismatches[{framework!r}] needs the keys reason, "
                f"reference, versions and optionally obtained; got {detail!r:.80}"
            )
        if "obtained" in detail:
            detail = {**detail, "obtained": _obtained(detail["obtained"], where)}
        mismatches[framework] = KnownMismatch(**detail)
    return mismatches


def _parse_example(entry, where):
    if not isinstance(entry, dict):
        raise CaseFileError(f"{where}: each example is an object; got {entry!r:.80}")
    missing = [key for key in _REQUIRED_KEYS if key not in entry]
    if missing:
        raise CaseFileError(
            f"{where}: missing keys {missing}; each example needs {list(_REQUIRED_KEYS)}"
        )
    for key in ("id", "provenance"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise CaseFileError(
                f"{where}: {key} must be a non-blank string; got {entry[key]!r:.80}"
            )
    unknown = sorted(set(entry) - set(_REQUIRED_KEYS) - {"known_mismatches"})
    if unknown:
        raise CaseFileError(
            f"{where}: unknown keys {unknown}; allowed are {list(_REQUIRED_KEYS)} and "
            "known_mismatches"
        )

    try:
        function = get_function(entry["function"])
        function.variant(entry["variant"])
    except KeyError as error:
        raise CaseFileError(f"{where}: {error.args[0]}") from None
    if entry["dtype"] not in _DTYPES:
        raise CaseFileError(
            f"{where}: dtype {entry['dtype']!r} is not one of {_DTYPES}"
        )

    _check_params(entry["params"], function, where)
    printed = _check_precision(entry["precision"], where)
    expected, expected_text = _expected_values(entry, printed, where)
    y_pred = _numeric_array(entry["y_pred"], "y_pred", where)
    y_true = _numeric_array(entry["y_true"], "y_true", where)
    if y_pred.shape != y_true.shape:
        raise CaseFileError(
            f"{where}: y_pred shape {y_pred.shape} differs from y_true shape {y_true.shape}"
        )

    example = DocumentedExample(
        id=entry["id"],
        function=entry["function"],
        params=dict(entry["params"]),
        y_pred=y_pred,
        y_true=y_true,
        dtype=entry["dtype"],
        expected=np.asarray(expected, dtype=np.float64),
        expected_text=expected_text,
        precision=entry["precision"],
        variant=entry["variant"],
        provenance=entry["provenance"],
        known_mismatches=_known_mismatches(entry, where),
    )
    _check_expected_shape(example, function, where)
    return example


def _check_expected_shape(example, function, where):
    """Raise CaseFileError unless ``expected`` has the exact reference's output shape.

    A single expected value counts as shape (1,), because the documented-example test
    compares both sides after ``np.atleast_1d``.
    """
    inputs = [
        np.asarray(array, example.dtype).astype(np.float64)
        for array in (example.y_pred, example.y_true)
    ]
    try:
        with np.errstate(all="ignore"):  # only the shape is used here
            output = function.exact.evaluate(
                *inputs, dtype=example.dtype, **example.params
            )
    except (ValueError, TypeError, IndexError) as error:
        raise CaseFileError(
            f"{where}: the reference {example.function} cannot evaluate y_pred and "
            f"y_true with params {example.params}: {error}"
        ) from None
    output_shape = np.atleast_1d(np.asarray(output)).shape
    expected_shape = np.atleast_1d(example.expected).shape
    if output_shape != expected_shape:
        raise CaseFileError(
            f"{where}: expected has shape {expected_shape}, but the reference "
            f"{example.function} returns shape {output_shape} for these inputs and "
            f"params {example.params}; give one expected value per output element"
        )


def load_documented(path=DOCUMENTED_PATH):
    """Read and validate the documented examples; raise CaseFileError naming the fault."""
    path = Path(path)
    try:
        document = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise CaseFileError(
            f"{path}: cannot read documented examples: {error}"
        ) from None
    if (
        not isinstance(document, dict)
        or document.get("schema_version") != SCHEMA_VERSION
    ):
        raise CaseFileError(
            f"{path}: expected a JSON object with schema_version {SCHEMA_VERSION}"
        )
    entries = document.get("examples", [])
    if not isinstance(entries, list):
        raise CaseFileError(f"{path}: examples must be a list")
    examples = [
        _parse_example(entry, f"{path} examples[{index}]")
        for index, entry in enumerate(entries)
    ]
    if not examples:
        raise CaseFileError(f"{path}: no examples")
    ids = [example.id for example in examples]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CaseFileError(f"{path}: duplicate example ids {duplicates}")
    return examples
