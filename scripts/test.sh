#!/usr/bin/env bash
# Install everything the tests need (Debian packages included) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# Debian packages: Chromium for the browser tests and chart images (kaleido
# uses it; nothing downloads a browser), poppler for PDF checks, fonts with
# full Vietnamese coverage.
DEBS="chromium poppler-utils fonts-dejavu-core"
missing=""
for pkg in $DEBS; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
"$PYTHON" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
exec "$PYTHON" -m pytest -q "$@"
