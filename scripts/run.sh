#!/usr/bin/env bash
# The README's run command: set everything up, build the models on first run (skipped when up to date),
# create the fictional demo practice, and serve the API on http://127.0.0.1:8002.
#   scripts/run.sh              build (train, convert, verify, register) then serve the demo practice
#   scripts/run.sh --no-build   serve at once with the embedded base model
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
  .venv/bin/python main.py build
else
  bash scripts/setup.sh
fi
exec .venv/bin/python main.py serve --demo
