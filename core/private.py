"""Private files and folders: folders 0700 and files 0600, created so and tightened when found looser."""
from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create `path` (and missing parents) as 0700; an existing folder we own is tightened to 0700
    unless `tighten` is False (a folder the operator chose, which may hold other things)."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for created in missing:
        _chmod(created, DIR_MODE)                  # mkdir's mode is filtered by the umask; parents too
    if tighten:
        _tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty as 0600 if absent (its folder 0700), or tighten an existing file to 0600."""
    path = Path(path)
    if not path.parent.exists():
        private_dir(path.parent, tighten=False)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    _tighten(path, FILE_MODE)
    return path


def write_private(path: Path, text: str) -> Path:
    """Write `text` to a new 0600 file atomically (a temporary file renamed over `path`)."""
    path = Path(path)
    private_dir(path.parent, tighten=False)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    _chmod(tmp, FILE_MODE)
    os.replace(tmp, path)
    return path


def tighten_files(*paths: Path) -> None:
    """chmod 0600 those of `paths` that exist (e.g. a database and its -wal and -shm)."""
    for path in paths:
        if Path(path).exists():
            _tighten(Path(path), FILE_MODE)


def mode(path: Path) -> int:
    return stat.S_IMODE(Path(path).stat().st_mode)


def _tighten(path: Path, wanted: int) -> None:
    if mode(path) & ~wanted and path.stat().st_uid == os.getuid():
        _chmod(path, wanted)


def _chmod(path: Path, wanted: int) -> None:
    try:
        os.chmod(path, wanted)
    except OSError:                                # someone else's folder: leave it as it is
        pass
