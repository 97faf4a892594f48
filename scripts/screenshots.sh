#!/usr/bin/env bash
# Regenerate the README's screenshot of the seed graph with headless Chromium (Debian's `chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
kg build data/ --output "$out" >/dev/null
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$out/profile" --hide-scrollbars \
  --window-size=1400,900 --virtual-time-budget=8000 --screenshot="$PWD/docs/img/graph.png" \
  "file://$out/graph.html" 2>/dev/null
echo "wrote docs/img/graph.png"
