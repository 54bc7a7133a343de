"""The results file: one JSON document per run, containing every cell.

Schema version 1 has the keys ``created``, ``command``, ``options`` (frameworks,
dtypes, device), ``environment`` and ``cells``. The environment gives python, numpy,
platform, device, and per framework ``installed`` with ``version`` or ``reason``.
Each cell is a record with at least ``test_id`` and ``status``, plus the fields its
test recorded: ``kind`` (value, gradient, accuracy, documented, benchmark, ...),
``function``, ``framework``, ``dtype``, ``case``, ``variant``, errors and tolerances.
The reader rejects a cell that lacks a field the report reads for its kind, or has one
of the wrong type, so a damaged file fails with the cell named and not mid-render.
"""

import json
import math
import os
import tempfile
from pathlib import Path

SCHEMA_VERSION = 1
STATUSES = (
    "passed",
    "failed",
    "xfailed",
    "xpassed",
    "known_defect",
    "skipped",
    "not_installed",
    "not_provided",
    "device_unavailable",
)


ENVIRONMENT_KEYS = ("python", "numpy", "platform", "device", "frameworks")


class ResultsFileError(ValueError):
    """A results file that cannot be read as this schema, with the reason."""


def _json_safe(value):
    # JSON has no NaN or infinity; write them as strings the reader turns back.
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def write_results(path, document):
    """Write ``document`` to ``path`` atomically, so an old file survives a failed write."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_json_safe(document), indent=1, allow_nan=False, default=str)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp creates files readable by the owner only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_results(path):
    """Read and check a results file; raise ResultsFileError saying what is wrong."""
    path = Path(path)
    document = _load_json(path)
    _check_top_level(document, path)
    _check_cells(document["cells"], path)
    return document


def _load_json(path):
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise ResultsFileError(
            f"{path}: not found; run the suite with --results {path} first"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ResultsFileError(
            f"{path}: not a readable JSON results file: {error}"
        ) from None


def _check_top_level(document, path):
    if not isinstance(document, dict):
        raise ResultsFileError(f"{path}: expected a JSON object at the top level")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ResultsFileError(
            f"{path}: schema_version {version!r} is not supported (this reader reads "
            f"{SCHEMA_VERSION}); rerun the suite to regenerate the file"
        )
    for key in ("environment", "cells"):
        if key not in document:
            raise ResultsFileError(f"{path}: missing key {key!r}")

    environment = document["environment"]
    missing = [
        key
        for key in ENVIRONMENT_KEYS
        if not isinstance(environment, dict) or key not in environment
    ]
    if missing:
        raise ResultsFileError(
            f"{path}: environment lacks {', '.join(missing)}; a run writes "
            f"{', '.join(ENVIRONMENT_KEYS)}"
        )
    problem = (
        _environment_problem(environment)
        or _options_problem(document)
        or _catalogue_problem(document)
    )
    if problem:
        raise ResultsFileError(
            f"{path}: {problem}; rerun the suite to regenerate the file"
        )


def _shown(value):
    """Return ``value`` as JSON, cut to 80 characters, for an error message."""
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_text_list(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _environment_problem(environment):
    settings = environment.get("settings", {})
    if not isinstance(settings, dict):
        return f"environment.settings is {_shown(settings)}, not an object"
    frameworks = environment["frameworks"]
    if not isinstance(frameworks, dict):
        return f"environment.frameworks is {_shown(frameworks)}, not an object"
    for name, info in frameworks.items():
        if not isinstance(info, dict) or "installed" not in info:
            return (
                f"environment.frameworks.{name} is {_shown(info)}, not an object "
                "with installed"
            )
        text_key = "version" if info["installed"] else "reason"
        if not isinstance(info.get(text_key), str):
            return (
                f"environment.frameworks.{name}.{text_key} is "
                f"{_shown(info.get(text_key))}, not a string"
            )
    return None


def _options_problem(document):
    options = document.get("options", {})
    if not isinstance(options, dict):
        return f"options is {_shown(options)}, not an object"
    if "dtypes" in options and not _is_text_list(options["dtypes"]):
        return (
            f"options.dtypes is {_shown(options['dtypes'])}, not a list of dtype "
            'names such as ["float32"]'
        )
    return None


def _catalogue_problem(document):
    """Return what is wrong in ``functions`` (name -> {"variants": ...}), or None."""
    catalogue = document.get("functions", {})
    if not isinstance(catalogue, dict):
        return f"functions is {_shown(catalogue)}, not an object"
    for name, entry in catalogue.items():
        variants = entry.get("variants", {}) if isinstance(entry, dict) else None
        if not isinstance(variants, dict):
            return f"functions.{name} is {_shown(entry)}, not an object of variants"
        for variant, info in variants.items():
            where = f"functions.{name}.variants.{variant}"
            if not isinstance(info, dict):
                return f"{where} is {_shown(info)}, not an object"
            for key in ("description", "source"):
                if key in info and not isinstance(info[key], str):
                    return f"{where}.{key} is {_shown(info[key])}, not a string"
    return None


# Cell fields the report shows as text, so each must be a string where present.
TEXT_FIELDS = (
    "kind",
    "framework",
    "function",
    "dtype",
    "case",
    "variant",
    "example_variant",
    "provenance",
    "precision",
    "api",
    "tolerance_reason",
    "integer_behaviour",
    "message",
    "reason",
)
# kind -> the fields the report reads from every cell of that kind. Cells of other
# kinds (shape, property, convention, check) appear only in the summary and failures.
REQUIRED_FIELDS = {
    "value": ("function", "framework", "dtype"),
    "gradient": ("function", "framework", "dtype", "case"),
    "accuracy": ("case", "dtype"),
    "default": ("function",),
    "labels": ("function",),
    "integer": ("function",),
    "documented": ("function", "dtype", "case"),
}
DEFECT_KEYS = ("reason", "reference", "versions")
# The strings write_results writes for the floats that JSON cannot hold.
NON_FINITE = ("inf", "-inf", "nan")


def _check_cells(cells, path):
    if not isinstance(cells, list):
        raise ResultsFileError(f"{path}: cells must be a list of records")
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("status") not in STATUSES:
            raise ResultsFileError(
                f"{path}: cells[{index}] has no valid status (got {cell!r:.200}); "
                f"statuses are {', '.join(STATUSES)}"
            )
        if not isinstance(cell.get("test_id"), str):
            raise ResultsFileError(
                f"{path}: cells[{index}] has no test_id string (got "
                f"{_shown(cell.get('test_id'))}); rerun the suite to regenerate the "
                "file"
            )
        problem = _cell_problem(cell)
        if problem:
            raise ResultsFileError(
                f"{path}: cells[{index}] ({cell['test_id']}): {problem}; rerun the "
                "suite to regenerate the file, or correct that cell"
            )


def _cell_problem(cell):
    """Return what in ``cell`` the report cannot render, or None."""
    for field in TEXT_FIELDS:
        if field in cell and not isinstance(cell[field], str):
            return f"{field} is {_shown(cell[field])}, but the report needs a string"
    for field, holder in _needed_fields(cell):
        if field not in cell:
            return f"{field} is missing, and the report reads it from {holder}"
    return _defect_problem(cell) or _value_problem(cell)


def _needed_fields(cell):
    """Return (field, which cells need it) for each field the report reads from it."""
    kind = cell.get("kind")
    needed = [(field, f"every {kind} cell") for field in REQUIRED_FIELDS.get(kind, ())]
    if cell.get("defect"):
        needed.append(("function", "every cell with a defect"))
    if kind == "benchmark" and _is_number(cell.get("median_s")):
        timed = ("function", "framework", "dtype", "min_s", "mean_s", "rounds")
        needed += [(field, "a benchmark cell with median_s") for field in timed]
    if kind == "accuracy" and "max_ulp_error" in cell:
        errors = ("p99_ulp_error", "worst_input")
        needed += [(field, "an accuracy cell with max_ulp_error") for field in errors]
    if "kink_derivatives" in cell:
        needed.append(("kink_points", "a cell with kink_derivatives"))
    return needed


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _defect_problem(cell):
    defect = cell.get("defect")
    if not defect:
        return None
    if not isinstance(defect, dict) or not all(
        isinstance(defect.get(key), str) for key in DEFECT_KEYS
    ):
        return (
            f"defect is {_shown(defect)}, but the report needs an object with the "
            f"strings {', '.join(DEFECT_KEYS)}"
        )
    return None


def _value_problem(cell):
    """Return what is wrong in the numbers and defaults the report formats, or None."""
    defaults = cell.get("defaults")
    if defaults and not isinstance(defaults, dict):
        return f"defaults is {_shown(defaults)}, but the report needs an object"
    numbers = []
    if cell.get("kind") == "benchmark" and _is_number(cell.get("median_s")):
        numbers = [field for field in ("min_s", "mean_s", "elements") if field in cell]
    for field in numbers:
        if not _is_number(cell[field]):
            return f"{field} is {_shown(cell[field])}, but the report needs a number"
    if cell.get("kind") == "accuracy" and "max_ulp_error" in cell:
        for field in ("max_ulp_error", "p99_ulp_error", "worst_input"):
            value = cell[field]
            if not (_is_number(value) or value in NON_FINITE):
                return (
                    f"{field} is {_shown(value)}, but the report needs a number or "
                    f"one of {', '.join(NON_FINITE)}"
                )
    for field in ("kink_points", "kink_derivatives"):
        values = cell.get(field, [])
        # The results writer stores a non-finite number as "nan", "inf" or "-inf".
        if not (
            isinstance(values, list)
            and all(_is_number(v) or v in NON_FINITE for v in values)
        ):
            return (
                f"{field} is {_shown(values)}, but the report needs a list of "
                f"numbers or of {', '.join(NON_FINITE)}"
            )
    return None
