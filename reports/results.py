"""The results file: one JSON document per run, containing every cell.

Schema version 1 has the keys ``created``, ``command``, ``options`` (frameworks,
dtypes, device), ``environment`` and ``cells``. The environment gives python, numpy,
platform, device, and per framework ``installed`` with ``version`` or ``reason``.
Each cell is a record with at least ``test_id`` and ``status``, plus the fields its
test recorded: ``kind`` (value, gradient, accuracy, documented, benchmark, ...),
``function``, ``framework``, ``dtype``, ``case``, ``variant``, errors and tolerances.
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
            raise ResultsFileError(f"{path}: cells[{index}] has no test_id")
