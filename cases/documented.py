"""Documented example values: loading and validating ``cases/documented.json``.

Each example is a value printed in a book or an API doc, with its provenance, the
precision it is given to, and the reference variant it was computed under. Frameworks
known not to reproduce it list the cause under ``known_mismatches``.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reference import get_function

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


def _parse_example(entry, where):
    missing = [key for key in _REQUIRED_KEYS if key not in entry]
    if missing:
        raise CaseFileError(
            f"{where}: missing keys {missing}; each example needs {list(_REQUIRED_KEYS)}"
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
    precision = entry["precision"]
    valid_ulp = precision.get("ulp") if isinstance(precision, dict) else None
    if not (
        isinstance(precision, dict)
        and len(precision) == 1
        and (isinstance(valid_ulp, int) or precision.get("printed_decimals") is True)
    ):
        raise CaseFileError(
            f'{where}: precision {precision!r} is invalid; write {{"ulp": n}} or '
            '{"printed_decimals": true} with the expected values as printed strings'
        )
    printed = precision.get("printed_decimals") is True
    expected_values = (
        entry["expected"]
        if isinstance(entry["expected"], list)
        else [entry["expected"]]
    )
    if printed != all(isinstance(value, str) for value in expected_values):
        raise CaseFileError(
            f"{where}: with printed_decimals the expected values are strings as printed "
            '("0.0513"), otherwise numbers'
        )
    y_pred = np.asarray(entry["y_pred"], dtype=np.float64)
    y_true = np.asarray(entry["y_true"], dtype=np.float64)
    if y_pred.shape != y_true.shape:
        raise CaseFileError(
            f"{where}: y_pred shape {y_pred.shape} differs from y_true shape {y_true.shape}"
        )
    mismatches = {}
    for framework, detail in entry.get("known_mismatches", {}).items():
        try:
            mismatches[framework] = KnownMismatch(**detail)
        except TypeError:
            raise CaseFileError(
                f"{where}: known_mismatches[{framework!r}] needs exactly the keys "
                f"reason, reference, versions; got {sorted(detail)}"
            ) from None
    return DocumentedExample(
        id=entry["id"],
        function=entry["function"],
        params=dict(entry["params"]),
        y_pred=y_pred,
        y_true=y_true,
        dtype=entry["dtype"],
        expected=np.asarray(
            [float(v) for v in expected_values] if printed else entry["expected"],
            dtype=np.float64,
        ),
        expected_text=tuple(expected_values) if printed else (),
        precision=precision,
        variant=entry["variant"],
        provenance=entry["provenance"],
        known_mismatches=mismatches,
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
    examples = [
        _parse_example(entry, f"{path} examples[{index}]")
        for index, entry in enumerate(document.get("examples", []))
    ]
    if not examples:
        raise CaseFileError(f"{path}: no examples")
    ids = [example.id for example in examples]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CaseFileError(f"{path}: duplicate example ids {duplicates}")
    return examples
