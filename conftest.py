"""Root conftest: load the nnparity pytest plugin for every test run from this tree."""

pytest_plugins = ["harness.pytest_plugin"]
