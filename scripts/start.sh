#!/usr/bin/env bash
# Install what the app needs, build the store from the seed files if there is
# none yet, and start the app on http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# Debian packages: Chromium draws the PNG/SVG/PDF images and the deck's
# charts (kaleido uses it; nothing downloads a browser); librsvg turns the
# SVG into the PDF (rsvg-convert); fonts with full
# Vietnamese coverage.
. scripts/debs.sh
install_debs chromium chromium-headless-shell librsvg2-bin fonts-dejavu-core
"$PYTHON" -m pip install --quiet --disable-pip-version-check -r requirements.txt
store=${PLAN_STORE:-data/store}
if [ ! -d "$store/observations/_delta_log" ]; then
  "$PYTHON" -m loaders build
fi
exec "$PYTHON" -m streamlit run app.py --server.headless true "$@"
