"""Self-tests of the harness: planted bugs must fail, a missing framework must skip.

Each runs the real test modules in a child pytest process, so the checks see what
a user gets: the exit code, the failure messages and the results file.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reports.html import render

ROOT = Path(__file__).resolve().parent.parent
# Stop any import of jax in the child process, as if it were not installed.
HIDE_JAX = """
import sys
class HideJax:
    def find_spec(self, name, path=None, target=None):
        if name == "jax" or name.startswith("jax."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, HideJax())
"""


def _run_pytest(tmp_path, *args, prelude=""):
    results = tmp_path / "results.json"
    code = (
        f"{prelude}\nimport sys, pytest\n"
        f"sys.exit(pytest.main({[*args, '-p', 'no:cacheprovider', '--results', str(results)]!r}))"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    document = json.loads(results.read_text()) if results.exists() else None
    return completed, document


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("planted")
    return _run_pytest(
        tmp_path,
        "tests/test_activations.py",
        "tests/test_losses.py",
        "-q",
        "--frameworks",
        "numpy",
        "--dtypes",
        "float32",
        "--extra-adapter",
        "tests.planted.wrong_elu_and_mse",
        "-k",
        "elu or mse_half_sum",
    )


def test_planted_bugs_fail_the_run(planted_run):
    completed, _ = planted_run

    assert completed.returncode == 1, (
        completed.stdout[-3000:] + completed.stderr[-3000:]
    )


def test_planted_elu_message_names_everything(planted_run):
    output = planted_run[0].stdout

    assert (
        "elu value [framework=planted, dtype=float32, case=elu-alpha=0.7-random]"
        in output
    )
    assert "worst element at index (" in output
    assert "got " in output
    assert "expected " in output
    assert "allowed there: atol 9.53674e-07 + rtol 9.53674e-07 * |expected|" in output


def test_planted_mse_message_names_everything(planted_run):
    output = planted_run[0].stdout

    assert (
        "mse_half_sum value [framework=planted, dtype=float32, "
        "case=mse_half_sum-reduction=none-random]" in output
    )


def test_planted_cells_fail_and_reference_cells_pass(planted_run):
    cells = planted_run[1]["cells"]
    by_framework = {}
    for cell in cells:
        by_framework.setdefault(cell["framework"], []).append(cell)

    planted_failures = {
        (cell["function"], cell["kind"])
        for cell in by_framework["planted"]
        if cell["status"] == "failed"
    }
    assert planted_failures == {
        ("elu", "value"),
        ("elu", "gradient"),
        ("mse_half_sum", "value"),
        ("mse_half_sum", "gradient"),
    }
    assert {cell["status"] for cell in by_framework["numpy"]} == {"passed"}
    # leaky_relu matches "-k elu" too, and the planted adapter leaves it correct.
    leaky = [
        cell for cell in by_framework["planted"] if cell["function"] == "leaky_relu"
    ]
    assert leaky and {cell["status"] for cell in leaky} == {"passed"}


def test_planted_elu_fails_on_nonzero_error(planted_run):
    cells = planted_run[1]["cells"]

    elu_failures = [
        cell
        for cell in cells
        if cell["framework"] == "planted"
        and cell["function"] == "elu"
        and cell["kind"] == "value"
        and cell["status"] == "failed"
    ]

    assert elu_failures
    # alpha off by 1e-3 shifts elu(x) by 1e-3 * expm1(x), at most 1e-3 in magnitude,
    # plus float32 rounding of values up to about 1.
    for cell in elu_failures:
        assert 0 < cell["max_abs_error"] <= 1e-3 + 1e-6, cell["test_id"]


def test_missing_framework_is_skipped_and_reported(tmp_path):
    completed, document = _run_pytest(
        tmp_path,
        "tests/test_activations.py",
        "-rs",
        "-k",
        "elu and random",
        "--frameworks",
        "numpy,jax",
        prelude=HIDE_JAX,
    )

    assert completed.returncode == 0, (
        completed.stdout[-3000:] + completed.stderr[-3000:]
    )
    assert "jax is not installed: import of 'jax' failed" in completed.stdout
    jax_info = document["environment"]["frameworks"]["jax"]
    assert jax_info["installed"] is False
    jax_cells = [cell for cell in document["cells"] if cell["framework"] == "jax"]
    assert jax_cells and {cell["status"] for cell in jax_cells} == {"not_installed"}
    numpy_cells = [cell for cell in document["cells"] if cell["framework"] == "numpy"]
    assert numpy_cells and {cell["status"] for cell in numpy_cells} == {"passed"}
    assert '<td class="not_installed">not installed: import of' in render(document)


def test_gpu_request_skips_cleanly_without_gpu(tmp_path):
    completed, document = _run_pytest(
        tmp_path, "tests/test_activations.py", "-k", "elu and random", "--device", "gpu"
    )

    assert completed.returncode == 0, (
        completed.stdout[-3000:] + completed.stderr[-3000:]
    )
    statuses = {cell["status"] for cell in document["cells"]}
    # A framework that finds a GPU runs there; every other one is skipped with a reason.
    assert statuses <= {"device_unavailable", "passed", "not_installed"}
    numpy_cells = [cell for cell in document["cells"] if cell["framework"] == "numpy"]
    assert {cell["status"] for cell in numpy_cells} == {"device_unavailable"}
    assert "the numpy reference runs on the CPU only" in completed.stdout
