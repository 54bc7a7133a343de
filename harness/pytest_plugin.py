"""pytest plumbing: options, adapter fixtures, per-test result records, results file.

Every test in the suite is one cell (function x framework x dtype x case x kind). A
test records its structured fields with ``record_cell``, and the outcome is added when
pytest reports it. At the end the whole run, with the environment, is written to
``--results`` for ``python -m reports`` to render.
"""

import datetime
import logging
import os
import platform

import numpy as np
import pytest

import adapters
import harness.hypothesis_profiles  # noqa: F401  (registers and loads the profiles)
from reference import FUNCTIONS
from reports.results import SCHEMA_VERSION, write_results

log = logging.getLogger(__name__)

# bfloat16 is NumPy's through ml_dtypes, imported by harness/__init__.py.
DTYPE_CHOICES = ("float16", "bfloat16", "float32", "float64")
DEVICE_CHOICES = ("cpu", "gpu")
_CELL = pytest.StashKey[dict]()
_RESULTS = pytest.StashKey[list]()
_ADAPTERS = pytest.StashKey[dict]()


def pytest_addoption(parser):
    group = parser.getgroup("nnparity")
    group.addoption(
        "--frameworks",
        default=None,
        help="comma-separated frameworks to test, of: "
        f"{', '.join(adapters.known_frameworks())} (default: all of them; the ones not "
        "installed are skipped)",
    )
    group.addoption(
        "--dtypes",
        default=",".join(DTYPE_CHOICES),
        help=f"comma-separated dtypes to test, of: {', '.join(DTYPE_CHOICES)} (default: all)",
    )
    group.addoption(
        "--device",
        default="cpu",
        choices=DEVICE_CHOICES,
        help="device the frameworks compute on; 'gpu' skips frameworks that see none",
    )
    group.addoption(
        "--extra-adapter",
        action="append",
        default=[],
        metavar="MODULE",
        help="dotted import path of an adapter module outside adapters/, tested as "
        "one more framework under its NAME (repeatable)",
    )
    group.addoption(
        "--results",
        default=None,
        metavar="PATH",
        help="write every cell of the run, with versions and platform, to this JSON file",
    )


def _split(value, allowed, option):
    names = list(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise pytest.UsageError(
            f"{option}={value!r}: unknown or empty {unknown}; choose from {', '.join(allowed)}"
        )
    return names


def selected_dtypes(config):
    return _split(config.getoption("--dtypes"), DTYPE_CHOICES, "--dtypes")


def selected_frameworks(config):
    value = config.getoption("--frameworks")
    names = (
        adapters.known_frameworks()
        if value is None
        else _split(value, adapters.known_frameworks(), "--frameworks")
    )
    return names + list(config.getoption("--extra-adapter"))


def pytest_configure(config):
    config.stash[_RESULTS] = []
    config.stash[_ADAPTERS] = {}
    config.addinivalue_line(
        "markers", "dtypes(*names): run the test only in these of the --dtypes"
    )
    _split(config.getoption("--dtypes"), DTYPE_CHOICES, "--dtypes")
    selected_frameworks(config)
    for module_path in config.getoption("--extra-adapter"):
        try:
            load_adapter(config, module_path)
        except ImportError as error:
            raise pytest.UsageError(
                f"--extra-adapter {module_path}: cannot import it ({error}); give an "
                "importable module path, such as tests.planted.wrong_elu_and_mse"
            ) from None
        except (ValueError, KeyError) as error:
            # The module imported, so the error names what in it is wrong: a missing
            # attribute, an unknown function or variant, an invalid declaration.
            message = error.args[0] if error.args else error
            raise pytest.UsageError(
                f"--extra-adapter {module_path}: not a valid adapter module: {message}"
            ) from None


def load_adapter(config, name):
    """Load an adapter once per session; return it or the FrameworkNotInstalled."""
    cache = config.stash[_ADAPTERS]
    if name not in cache:
        try:
            cache[name] = adapters.load(name)
        except adapters.FrameworkNotInstalled as error:
            log.info("%s", error)
            cache[name] = error
    return cache[name]


def _framework_label(config, name):
    loaded = load_adapter(config, name)
    return loaded.name if isinstance(loaded, adapters.Adapter) else name


def pytest_generate_tests(metafunc):
    config = metafunc.config
    if "framework" in metafunc.fixturenames:
        names = selected_frameworks(config)
        ids = [_framework_label(config, name) for name in names]
        metafunc.parametrize("framework", names, ids=ids)
    if "dtype" in metafunc.fixturenames:
        dtypes = selected_dtypes(config)
        # @pytest.mark.dtypes("float32", "float64") limits a test to those dtypes.
        marker = metafunc.definition.get_closest_marker("dtypes")
        if marker is not None:
            dtypes = [dtype for dtype in dtypes if dtype in marker.args]
            if not dtypes:
                # pytest would report "got empty parameter set", so name the cause.
                reason = (
                    f"{metafunc.definition.name} runs in {', '.join(marker.args)} "
                    "only, and --dtypes selects none of them"
                )
                metafunc.parametrize(
                    "dtype", [pytest.param(None, marks=pytest.mark.skip(reason))]
                )
                return
        metafunc.parametrize("dtype", dtypes)


@pytest.fixture
def device(request):
    return request.config.getoption("--device")


@pytest.fixture
def record_cell(request):
    """Return a function that adds structured fields to this test's result record."""
    cell = request.node.stash.setdefault(_CELL, {})

    def record(**fields):
        cell.update(fields)

    return record


def skip_cell(request, status, reason):
    """Skip this test, and record ``status`` (not_installed, not_provided, ...) for it."""
    request.node.stash.setdefault(_CELL, {})["status"] = status
    pytest.skip(reason)


@pytest.fixture
def adapter(request, framework, device, record_cell):
    """Return the loaded adapter for ``framework``, or skip when it cannot run here."""
    loaded = load_adapter(request.config, framework)
    if isinstance(loaded, adapters.FrameworkNotInstalled):
        record_cell(framework=framework)
        skip_cell(request, "not_installed", str(loaded))
    record_cell(framework=loaded.name, device=device)
    reason = loaded.device_unavailable_reason(device)
    if reason:
        skip_cell(request, "device_unavailable", f"{loaded.name} on {device}: {reason}")
    return loaded


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Tests that record no cell (the mpmath checks, the self-tests) still enter the
    # results, so that their failures reach the report.
    cell = item.stash.get(_CELL, None) or {"kind": "check"}
    finished = report.when == "call" or (report.when == "setup" and not report.passed)
    if report.when == "teardown" and report.failed:
        finished = True
    if finished:
        record = {"test_id": item.nodeid, **cell}
        if hasattr(report, "wasxfail"):
            record["status"] = "xfailed" if report.skipped else "xpassed"
            record.setdefault("reason", report.wasxfail)
        elif "status" not in cell or report.failed:
            record["status"] = report.outcome
        if report.skipped and not hasattr(report, "wasxfail"):
            record.setdefault("reason", _skip_reason(report))
        if report.failed:
            record["message"] = (
                str(report.longrepr.reprcrash.message)
                if hasattr(report.longrepr, "reprcrash")
                else str(report.longrepr)
            )
        item.config.stash[_RESULTS].append(record)
    return report


def _skip_reason(report):
    if isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr)


def environment(config):
    """Versions of Python, NumPy and every selected framework, the platform, device."""
    frameworks = {}
    for name in selected_frameworks(config):
        loaded = load_adapter(config, name)
        if isinstance(loaded, adapters.Adapter):
            frameworks[loaded.name] = {"installed": True, "version": loaded.version()}
        else:
            frameworks[name] = {"installed": False, "reason": loaded.reason}
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "device": config.getoption("--device"),
        "settings": {
            # Variables that change what the frameworks compute; see known_defects.py.
            # The jax adapter turns x64 mode on itself, whatever JAX_ENABLE_X64 is set to.
            name: os.environ.get(name, "unset")
            for name in ("TF_ENABLE_ONEDNN_OPTS", "KERAS_BACKEND")
        },
        "frameworks": frameworks,
    }


def pytest_report_header(config):
    env = environment(config)
    lines = [
        f"nnparity: python {env['python']}, numpy {env['numpy']}, device {env['device']}"
    ]
    for name, info in env["frameworks"].items():
        state = (
            info["version"]
            if info["installed"]
            else f"not installed ({info['reason']})"
        )
        lines.append(f"  {name}: {state}")
    lines.append(
        "  inputs: np.random.default_rng(seed) per case, seeds fixed in cases/"
    )
    return lines


def _function_catalogue():
    """Return each function's family and variants, so the report needs no other source."""
    return {
        name: {
            "family": function.family,
            "variants": {
                variant_name: {
                    "description": variant.description,
                    "source": variant.source,
                }
                for variant_name, variant in function.variants.items()
            },
        }
        for name, function in FUNCTIONS.items()
    }


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("--results")
    if not path:
        return
    if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        # Interrupted, collection or usage errors: the run is incomplete, so the
        # previous results file, if any, is kept.
        log.warning("pytest exited with %s; not writing %s", exitstatus, path)
        return
    document = {
        "schema_version": SCHEMA_VERSION,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"
        ),
        "command": " ".join(["pytest", *session.config.invocation_params.args]),
        "options": {
            "frameworks": selected_frameworks(session.config),
            "dtypes": _split(
                session.config.getoption("--dtypes"), DTYPE_CHOICES, "--dtypes"
            ),
            "device": session.config.getoption("--device"),
        },
        "environment": environment(session.config),
        "functions": _function_catalogue(),
        "cells": session.config.stash[_RESULTS],
    }
    write_results(path, document)
    log.info("wrote %d cells to %s", len(document["cells"]), path)
