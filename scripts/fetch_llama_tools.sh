#!/usr/bin/env bash
# Fetch llama.cpp's converter scripts (convert_hf_to_gguf.py, convert_lora_to_gguf.py, conversion/, gguf-py/)
# from the llama-cpp-python sdist of the installed runtime version into $THERAPY_CACHE/llama.cpp-<version>/.
# Idempotent; needs PyPI once (or the sdist already in $THERAPY_CACHE/sdist/). Called by scripts/setup.sh --train.
set -euo pipefail
cd "$(dirname "$0")/.."
export THERAPY_CACHE=${THERAPY_CACHE:-$HOME/.cache/therapy-toolkit}
.venv/bin/python -c "
import sys
from convert.tools import llama_tools
print('llama.cpp converter ready:', llama_tools(sys.argv[1] or None))
" "${LLAMA_VERSION:-}"
