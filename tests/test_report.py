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
