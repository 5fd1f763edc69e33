#!/usr/bin/env bash
# The README's run command: set everything up, create the fictional demo practice and serve the API on
# http://127.0.0.1:8002 at once, on the best model there is (the last promoted one, else the embedded base),
# while the build (train, convert, verify, gate, promote) runs in the background; a model the gate promotes
# is served from the next request on. `main.py build status` follows the build.
#   scripts/run.sh              serve now and build in the background (stages already done are skipped)
#   scripts/run.sh --no-build   serve only
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "usage: scripts/run.sh [--no-build]" >&2; exit 2 ;;
  esac
done
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
if [ "$build" = 1 ]; then
  bash scripts/setup.sh --train
  exec .venv/bin/python main.py serve --demo --build
fi
bash scripts/setup.sh
exec .venv/bin/python main.py serve --demo
