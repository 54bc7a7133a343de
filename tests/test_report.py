"""The report command end to end, and the results reader on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import adapters
from cases.documented import load_documented
from reference import FUNCTIONS
from reports.__main__ import main as reports_main
from reports.html import render
from reports.results import ResultsFileError, read_results

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report_run(tmp_path_factory):
    """Run `python -m reports run` on float32 cells, without the slow self-tests."""
    tmp_path = tmp_path_factory.mktemp("report")
    results, output = tmp_path / "results.json", tmp_path / "report.html"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "reports",
            "run",
            "--results",
            str(results),
            "--output",
            str(output),
            "--",
            "--dtypes",
            "float32",
            "--ignore",
            "tests/test_reference_oracle.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return completed, results, output


def test_report_run_succeeds(report_run):
    completed, results, output = report_run

    assert completed.returncode == 0, (
        completed.stdout[-3000:] + completed.stderr[-3000:]
    )
    assert results.exists()
    assert output.exists()


def test_report_names_each_framework_version(report_run):
    _, results, output = report_run
    html = output.read_text()
    environment = read_results(results)["environment"]

    for framework in adapters.known_frameworks():
        info = environment["frameworks"][framework]
        if info["installed"]:
            assert f"<td>{framework}</td><td>{info['version']}</td>" in html
        else:
            assert f'<td>{framework}</td><td class="not_installed">' in html


def test_report_shows_every_function(report_run):
    html = report_run[2].read_text()

    for name in FUNCTIONS:
        assert f"<th>{name}</th>" in html, name


def test_report_shows_documented_examples(report_run):
    html = report_run[2].read_text()

    for example in load_documented():
        assert f"<b>{example.id}</b>" in html
    assert "0.09750000000000003" in html
    assert "0.510825457099338" in html
    assert "0.3445814251899719" in html  # documented
    assert "0.3445815443992615" in html  # what current frameworks return


def test_report_has_benchmark_timings(report_run):
    cells = read_results(report_run[1])["cells"]

    timed = [c for c in cells if c.get("kind") == "benchmark" and "median_s" in c]

    environment = read_results(report_run[1])["environment"]
    installed = {
        name for name, info in environment["frameworks"].items() if info["installed"]
    }
    assert {c["framework"] for c in timed} == installed
    assert all(c["median_s"] > 0 for c in timed)


def test_read_results_rejects_corrupt_file(tmp_path):
    path = tmp_path / "results.json"
    path.write_text('{"schema_version": 1, "cells": [')

    with pytest.raises(ResultsFileError, match="not a readable JSON results file"):
        read_results(path)


def test_read_results_rejects_other_schema(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"schema_version": 99, "environment": {}, "cells": []}))

    with pytest.raises(ResultsFileError, match="schema_version 99 is not supported"):
        read_results(path)


MINIMAL_ENVIRONMENT = {
    "python": "3.11",
    "numpy": "2.4",
    "platform": "Linux",
    "device": "cpu",
    "frameworks": {},
}


def test_read_results_rejects_cell_without_status(tmp_path):
    path = tmp_path / "results.json"
    document = {"schema_version": 1, "environment": MINIMAL_ENVIRONMENT}
    path.write_text(json.dumps({**document, "cells": [{"test_id": "x"}]}))

    with pytest.raises(ResultsFileError, match=r"cells\[0\] has no valid status"):
        read_results(path)


def test_read_results_rejects_empty_environment(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"schema_version": 1, "environment": {}, "cells": []}))

    with pytest.raises(ResultsFileError, match="environment lacks python"):
        read_results(path)


def test_read_results_rejects_non_utf8(tmp_path):
    path = tmp_path / "results.json"
    path.write_bytes(b"\xff\xfe{")

    with pytest.raises(ResultsFileError, match="not a readable JSON results file"):
        read_results(path)


def test_build_renders_minimal_results(tmp_path):
    results, output = tmp_path / "results.json", tmp_path / "report.html"
    cell = {"test_id": "tests/x.py::test_y", "status": "failed", "message": "boom"}
    document = {"schema_version": 1, "environment": MINIMAL_ENVIRONMENT}
    results.write_text(json.dumps({**document, "cells": [cell]}))

    status = reports_main(["build", str(results), "--output", str(output)])

    assert status == 0
    assert "boom" in output.read_text()


def test_build_on_corrupt_results_keeps_old_report(tmp_path, caplog):
    results, output = tmp_path / "results.json", tmp_path / "report.html"
    results.write_text("not json")
    output.write_text("earlier report")

    status = reports_main(["build", str(results), "--output", str(output)])

    assert status == 2
    assert output.read_text() == "earlier report"
    assert "not a readable JSON results file" in caplog.text


def test_run_with_usage_error_keeps_old_results(tmp_path):
    results, output = tmp_path / "results.json", tmp_path / "report.html"
    results.write_text("earlier results")
    output.write_text("earlier report")

    completed = subprocess.run(
        [sys.executable, "-m", "reports", "run", "--results", str(results),
         "--output", str(output), "--", "--frameworks", "no_such_framework"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert completed.returncode != 0
    assert "unknown or empty ['no_such_framework']" in completed.stderr
    assert results.read_text() == "earlier results"
    assert output.read_text() == "earlier report"


VALUE_CELL = {
    "test_id": "tests/test_losses.py::test_forward[numpy-float32-mse_mean-random]",
    "kind": "value",
    "status": "passed",
    "function": "mse_mean",
    "framework": "numpy",
    "dtype": "float32",
    "case": "mse_mean-reduction=mean-random",
    "variant": "exact",
}


def _with(**fields):
    return lambda cell: {**cell, **fields}


def _without(field):
    return lambda cell: {key: value for key, value in cell.items() if key != field}


CORRUPT_CELLS = {  # id -> (change to VALUE_CELL, expected message fragment)
    "missing_function": (
        _without("function"),
        "function is missing, and the report reads it from every value cell",
    ),
    "null_framework": (
        _with(framework=None),
        "framework is null, but the report needs a string",
    ),
    "text_defect": (
        _with(defect="torch rounds twice"),
        'defect is "torch rounds twice", but the report needs an object with the '
        "strings reason, reference, versions",
    ),
    "defect_without_versions": (
        _with(defect={"reason": "rounds twice", "reference": "-"}),
        'defect is {"reason": "rounds twice", "reference": "-"}, but the report',
    ),
    "list_reason": (
        _with(status="failed", reason=["rounds twice"]),
        'reason is ["rounds twice"], but the report needs a string',
    ),
    "text_defaults": (
        _with(kind="default", defaults="reduction=mean"),
        'defaults is "reduction=mean", but the report needs an object',
    ),
    "kink_derivatives_alone": (
        _with(kind="gradient", kink_derivatives=[1.0]),
        "kink_points is missing, and the report reads it from a cell with "
        "kink_derivatives",
    ),
    "text_kink_points": (
        _with(kind="gradient", kink_points="0", kink_derivatives=[1.0]),
        'kink_points is "0", but the report needs a list of numbers or of',
    ),
    "accuracy_without_p99": (
        _with(kind="accuracy", max_ulp_error=1.5, worst_input=0.25),
        "p99_ulp_error is missing, and the report reads it from an accuracy cell "
        "with max_ulp_error",
    ),
    "accuracy_list_error": (
        _with(kind="accuracy", max_ulp_error=[1.5], p99_ulp_error=1, worst_input=0),
        "max_ulp_error is [1.5], but the report needs a number or one of inf",
    ),
    "benchmark_text_min": (
        _with(kind="benchmark", median_s=1e-3, min_s="1ms", mean_s=1e-3, rounds=5),
        'min_s is "1ms", but the report needs a number',
    ),
    "documented_without_case": (
        lambda cell: _without("case")({**cell, "kind": "documented"}),
        "case is missing, and the report reads it from every documented cell",
    ),
}


def _write_results(path, cells, **top_level):
    document = {"schema_version": 1, "environment": MINIMAL_ENVIRONMENT}
    path.write_text(json.dumps({**document, "cells": cells, **top_level}))


def test_build_renders_value_cell(tmp_path):
    results, output = tmp_path / "results.json", tmp_path / "report.html"
    _write_results(results, [VALUE_CELL], options={"dtypes": ["float32"]})

    status = reports_main(["build", str(results), "--output", str(output)])

    assert status == 0
    assert "<th>mse_mean</th>" in output.read_text()


@pytest.mark.parametrize("name", sorted(CORRUPT_CELLS))
def test_read_results_names_corrupt_cell(tmp_path, name):
    change, fragment = CORRUPT_CELLS[name]
    path = tmp_path / "results.json"
    _write_results(path, [VALUE_CELL, change(VALUE_CELL)])

    with pytest.raises(ResultsFileError) as raised:
        read_results(path)

    message = str(raised.value)
    assert f"cells[1] ({VALUE_CELL['test_id']}): " in message
    assert fragment in message
    assert "rerun the suite to regenerate the file, or correct that cell" in message


@pytest.mark.parametrize("name", sorted(CORRUPT_CELLS))
def test_build_on_corrupt_cell_keeps_old_report(tmp_path, caplog, name):
    change, fragment = CORRUPT_CELLS[name]
    results, output = tmp_path / "results.json", tmp_path / "report.html"
    _write_results(results, [VALUE_CELL, change(VALUE_CELL)])
    output.write_text("earlier report")

    status = reports_main(["build", str(results), "--output", str(output)])

    assert status == 2
    assert output.read_text() == "earlier report"
    assert f"cannot build {output}, so it is unchanged" in caplog.text
    assert fragment in caplog.text


CORRUPT_TOP_LEVEL = {  # id -> (top-level keys to replace, expected message fragment)
    "text_dtypes": (
        {"options": {"dtypes": "float32"}},
        'options.dtypes is "float32", not a list of dtype names',
    ),
    "list_options": ({"options": ["float32"]}, 'options is ["float32"], not an object'),
    "list_functions": ({"functions": ["elu"]}, 'functions is ["elu"], not an object'),
    "number_description": (
        {"functions": {"elu": {"variants": {"exact": {"description": 3}}}}},
        "functions.elu.variants.exact.description is 3, not a string",
    ),
    "framework_without_version": (
        {
            "environment": {
                **MINIMAL_ENVIRONMENT,
                "frameworks": {"torch": {"installed": True}},
            }
        },
        "environment.frameworks.torch.version is null, not a string",
    ),
    "text_frameworks": (
        {"environment": {**MINIMAL_ENVIRONMENT, "frameworks": "torch"}},
        'environment.frameworks is "torch", not an object',
    ),
}


@pytest.mark.parametrize("name", sorted(CORRUPT_TOP_LEVEL))
def test_read_results_names_corrupt_top_level(tmp_path, name):
    replaced, fragment = CORRUPT_TOP_LEVEL[name]
    path = tmp_path / "results.json"
    _write_results(path, [VALUE_CELL], **replaced)

    with pytest.raises(ResultsFileError) as raised:
        read_results(path)

    assert fragment in str(raised.value)
    assert "rerun the suite to regenerate the file" in str(raised.value)


def test_reader_rejects_what_report_cannot_render(report_run, tmp_path):
    """For each field of one real cell per kind and field set, deleted or set to null
    or a list, the reader rejects the file or the report renders it."""
    document = read_results(report_run[1])
    samples = {}
    for cell in document["cells"]:
        shape = (cell.get("kind"), cell["status"], tuple(sorted(cell)))
        samples.setdefault(shape, cell)
    path = tmp_path / "results.json"

    for sample in samples.values():
        for field in sample:
            for replacement in ("deleted", None, ["x"]):
                changed = _without(field)(sample)
                if replacement != "deleted":
                    changed[field] = replacement
                cells = [changed if c is sample else c for c in samples.values()]
                changed_document = {**document, "cells": cells}
                path.write_text(json.dumps(changed_document))
                try:
                    read_results(path)
                except ResultsFileError:
                    continue
                try:
                    render(changed_document)
                except Exception as error:  # whatever render raises is the finding
                    pytest.fail(
                        f"{sample['test_id']}: {field} {replacement!r} passes "
                        f"read_results but render raises {error!r}"
                    )
