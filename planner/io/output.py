"""Safe output: a file is written whole or not at all, and never overwritten by surprise."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from planner.errors import OutputError


def check_target(path: str | Path, force: bool = False) -> Path:
    """Refuse an output path before any work is done: an existing file without `force`,
    a folder, or a place that cannot hold a file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if path.exists() and not force:
        raise OutputError(f"{path} already exists; use --force to overwrite it")
    for parent in [folder, *folder.parents]:
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"cannot write {path}: {parent} is a file, not a folder")
    if not folder.exists():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write {path}: no permission to write in {folder}")
    return folder


def write_atomic(path: str | Path, content: str | bytes, force: bool = False) -> Path:
    """Write to a temporary file in the same folder, then rename it over `path`."""
    path = Path(path)
    folder = check_target(path, force)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
