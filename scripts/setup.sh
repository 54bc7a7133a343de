#!/usr/bin/env bash
# Create .venv beside this repository's files and install the pinned packages into it.
# Safe to rerun: an up-to-date .venv installs nothing. PYTHON picks the interpreter
# (3.11 or newer; default python3).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "setup: $python is $("$python" --version 2>&1); nnparity needs Python 3.11 or newer (set PYTHON)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
