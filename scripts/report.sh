#!/usr/bin/env bash
# Set up .venv, run the conformance suite with benchmarks, and write the HTML report
# (results/report.html, from results/results.json). Extra arguments go to pytest,
# e.g. `bash scripts/report.sh --frameworks torch,jax --dtypes float32`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
exec .venv/bin/python -m reports run -- "$@"
