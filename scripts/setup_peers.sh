#!/usr/bin/env bash
# The de-identification peers (Presidio, philter-lite) in their own virtualenv, for benchmarks/pii_scrub.py only.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-peers/bin/python ] || python3 -m venv .venv-peers
.venv-peers/bin/python -m pip install -q --upgrade pip
.venv-peers/bin/python -m pip install -q -r requirements-peers.txt
echo "peers ready: .venv-peers (run: .venv/bin/python -m benchmarks.pii_scrub)"
