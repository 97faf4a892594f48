#!/usr/bin/env bash
# Regenerate the README's screenshots of the HTML view (docs/img/graph.png, focus.png, timeline.png)
# with headless Chromium (Debian's `chromium`) driven by Playwright: see scripts/screenshots.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/screenshots.py "$@"
