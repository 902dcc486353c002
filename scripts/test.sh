#!/usr/bin/env bash
# Install everything the tests need (Debian packages included) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# Debian packages: Chromium for the browser tests and chart images (kaleido
# uses it; nothing downloads a browser), librsvg for the PDF (rsvg-convert),
# poppler for PDF checks, fonts with
# full Vietnamese coverage.
. scripts/debs.sh
install_debs chromium chromium-headless-shell librsvg2-bin poppler-utils fonts-dejavu-core
"$PYTHON" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# Two workers, one per core: each test file is one unit of work and the tests of
# the served app share one worker (tests/conftest.py), so one app server and one
# Chromium serve them; they run first (the longest unit). TEST_WORKERS=0 runs
# everything in one process.
exec "$PYTHON" -m pytest -q -n "${TEST_WORKERS:-2}" --dist loadgroup --no-loadscope-reorder "$@"
