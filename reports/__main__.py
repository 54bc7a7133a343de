"""Command line: run the conformance suite and write the HTML report, or build it.

python -m reports run [--results PATH] [--output PATH] [-- PYTEST_ARGS...]
python -m reports build RESULTS [--output PATH]
"""

import argparse
import logging
import subprocess
import sys
from pathlib import Path

from reports.html import render
from reports.results import ResultsFileError, read_results

log = logging.getLogger("reports")
DEFAULT_RESULTS = Path("results/results.json")
DEFAULT_BENCHMARK_JSON = Path("results/benchmark.json")
DEFAULT_REPORT = Path("results/report.html")


def build(results_path, output_path):
    """Render ``results_path`` to ``output_path``; return the output path."""
    document = read_results(results_path)
    output_path = Path(output_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    output_path.write_text(render(document), encoding="utf-8")
    return output_path


# The harness's own tests record no cells; the report run leaves them out.
HARNESS_TESTS = ("tests/test_selftest.py", "tests/test_report.py")


def run(results_path, output_path, pytest_args):
    """Run the suite with benchmarks into ``results_path``, then build the report.

    Returns pytest's exit status, so failures in the run still fail the command. The
    run writes to a new file first: the previous results and report are replaced only
    when pytest finished the run (all passed, or some failed), never after a usage or
    collection error.
    """
    results_path = Path(results_path)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    new_results = results_path.with_name(f".{results_path.name}.new")
    new_results.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests",
        "-p",
        "no:cacheprovider",
        "--results",
        str(new_results),
        "--benchmark-enable",
        "--benchmark-json",
        str(results_path.with_name(DEFAULT_BENCHMARK_JSON.name)),
        *(argument for path in HARNESS_TESTS for argument in ("--ignore", path)),
        *pytest_args,
    ]
    log.info("running: %s", " ".join(command))
    status = subprocess.call(command)
    if not new_results.exists():
        log.error(
            "pytest exited with %s and wrote no results; %s and %s are unchanged; "
            "see pytest's output above",
            status,
            results_path,
            output_path,
        )
        return status or 1
    new_results.replace(results_path)
    print(f"report: {build(results_path, output_path)}")
    return status


def main(argv=None):
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    parser = argparse.ArgumentParser(
        prog="python -m reports", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser(
        "run", help="run the suite and benchmarks, then build the report"
    )
    run_parser.add_argument(
        "--results", default=DEFAULT_RESULTS, help="results JSON to write"
    )
    run_parser.add_argument(
        "--output", default=DEFAULT_REPORT, help="HTML report to write"
    )
    run_parser.add_argument(
        "pytest_args", nargs="*", help="extra pytest arguments, after --"
    )
    build_parser = commands.add_parser(
        "build", help="build the report from a results file"
    )
    build_parser.add_argument("results", help="results JSON written by a run")
    build_parser.add_argument(
        "--output", default=DEFAULT_REPORT, help="HTML report to write"
    )
    arguments = parser.parse_args(argv)

    try:
        if arguments.command == "run":
            return run(arguments.results, arguments.output, arguments.pytest_args)
        print(f"report: {build(arguments.results, arguments.output)}")
        return 0
    except ResultsFileError as error:
        log.error("cannot build %s, so it is unchanged: %s", arguments.output, error)
        return 2


if __name__ == "__main__":
    sys.exit(main())
