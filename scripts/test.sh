#!/usr/bin/env bash
# Set up .venv and run the project's tests: conformance cells, documented examples,
# reference-vs-mpmath checks and the harness self-tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
