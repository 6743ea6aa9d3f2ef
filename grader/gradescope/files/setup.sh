#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image (an Ubuntu base image;
# the zip is already unpacked in /autograder/source). It installs Python 3.11+ and the grader into
# a virtual environment of its own, then lists the challenges to prove the install works.
set -euo pipefail
VENV=/opt/asyncio-kit/venv
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    PYTHON=python3                     # Ubuntu 24.04 and later
    apt-get install -y -qq python3-venv
else
    PYTHON=python3.11                  # Ubuntu 22.04 (universe): the kit needs 3.11 or newer
    apt-get install -y -qq python3.11 python3.11-venv
fi
mkdir -p "$(dirname "$VENV")"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --no-cache-dir --upgrade pip
"$VENV/bin/python" -m pip install --quiet --no-cache-dir /autograder/source
"$VENV/bin/grader" --kit /autograder/source list
