"""llama.cpp's converter scripts, taken from the llama-cpp-python sdist matching the installed runtime."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

from core.errors import ConfigError, ToolkitError

# What the converters need from the sdist's vendor/llama.cpp/ (scripts, their helper package, gguf-py).
MEMBERS = ("convert_hf_to_gguf.py", "convert_lora_to_gguf.py", "conversion/", "gguf-py/")


class ToolsUnavailable(ToolkitError):
    code, exit_code = "tools_unavailable", 1


def runtime_version() -> str:
    try:
        return metadata.version("llama-cpp-python")
    except metadata.PackageNotFoundError:
        raise ToolsUnavailable("llama-cpp-python is not installed, so there is no converter to match.",
                               hint="install requirements.txt (scripts/setup.sh builds llama-cpp-python)") from None


def cache_root() -> Path:
    """Shared across homes: the tools depend only on the llama-cpp-python version."""
    base = os.environ.get("THERAPY_CACHE") or os.path.expanduser("~/.cache/therapy-toolkit")
    return Path(base)


def llama_tools(version: str | None = None, *, download: bool = True) -> Path:
    """Folder holding convert_hf_to_gguf.py, convert_lora_to_gguf.py, conversion/ and gguf-py/."""
    version = version or runtime_version()
    folder = cache_root() / f"llama.cpp-{version}"
    if (folder / "convert_hf_to_gguf.py").is_file():
        return folder
    sdist = _find_sdist(version) or (_download_sdist(version) if download else None)
    if sdist is None:
        raise ToolsUnavailable(f"llama.cpp's converter for llama-cpp-python {version} is not set up.",
                               hint="run scripts/fetch_llama_tools.sh (needs PyPI once)")
    _extract(sdist, folder)
    return folder


def _find_sdist(version: str) -> Path | None:
    name = f"llama_cpp_python-{version}.tar.gz"
    for folder in (cache_root() / "sdist", cache_root()):  # scripts/setup.sh keeps it in sdist/
        if (folder / name).is_file():
            return folder / name
    return None


def _download_sdist(version: str) -> Path:
    root = cache_root() / "sdist"
    root.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", f"llama-cpp-python=={version}", "--no-deps",
           "--no-binary", ":all:", "-d", str(root)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    found = _find_sdist(version)
    if done.returncode != 0 and found is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ToolsUnavailable(f"Could not download the llama-cpp-python {version} sdist: {' / '.join(tail)}",
                               hint="check access to PyPI, or put the .tar.gz in "
                                    f"{root} (pip download llama-cpp-python=={version} --no-binary :all:)")
    return found


def _extract(sdist: Path, folder: Path) -> None:
    """Extract only the converter files, into a temp folder renamed into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".llama-tools-", dir=folder.parent))
    try:
        with tarfile.open(sdist) as tar:
            prefix = f"{tar.getnames()[0].split('/')[0]}/vendor/llama.cpp/"
            members = [m for m in tar.getmembers() if m.name.startswith(prefix)
                       and m.name[len(prefix):].startswith(MEMBERS)]
            if not any(m.name.endswith("convert_hf_to_gguf.py") for m in members):
                raise ConfigError(f"{sdist.name} does not contain vendor/llama.cpp/convert_hf_to_gguf.py")
            for member in members:
                member.name = member.name[len(prefix):]
            tar.extractall(tmp, members=members, filter="data")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_script(script: str, args: list[str], *, what: str, timeout: float = 3600) -> str:
    """Run one converter script with its own gguf-py first on the path; failures become ToolkitErrors."""
    tools = llama_tools()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tools / "gguf-py"), str(tools)]),
           "NO_LOCAL_GGUF": ""}
    try:
        done = subprocess.run([sys.executable, str(tools / script), *args], capture_output=True, text=True,
                              env=env, cwd=tools, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ToolkitError(f"{what} timed out after {timeout:.0f} s.") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()][-4:]
        raise ToolkitError(f"{what} failed (llama.cpp {script}): {' | '.join(lines)}",
                           hint="check the model architecture is supported by this llama.cpp version; "
                                "see the run's convert.log")
    return done.stderr
