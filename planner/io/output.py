"""Safe output: a file is written whole or not at all, and never overwritten by surprise."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
    try:
        temporary = _temporary_file(folder, path.name, content)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def check_folder(folder: str | Path) -> Path:
    """Refuse an output folder before any work is done: a file in its place, or a place
    where it cannot be made or written in. A folder that does not exist yet is made by
    `write_folder` (its parent must exist)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file; give a folder for the workouts")
    if folder.is_dir():
        if not os.access(folder, os.W_OK):
            raise OutputError(f"cannot write in {folder}: no permission")
        return folder
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"cannot make the folder {folder}: {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"cannot make the folder {folder}: no permission to write in {parent}")
    return folder


Content = str | bytes | dict[str, bytes]  # a file's text or bytes; a folder's files by name


def is_workout(path: Path) -> bool:
    return path.suffix.lower() == ".fit" and not path.is_dir()


def check_folder_files(
    folder: str | Path,
    names: Iterable[str],
    force: bool = False,
    replaceable: Callable[[Path], bool] = is_workout,
) -> None:
    """Refuse to write the files `names` into `folder` (OutputError): one of them exists there
    (without `force`); with `force`, anything there that is not `replaceable` (FIT workouts
    by default: the folder is replaced whole, and a replace must lose nothing it did not
    write)."""
    folder = check_folder(folder)
    if not folder.is_dir():
        return
    if force:
        parent = folder.parent if str(folder.parent) else Path(".")
        if not os.access(parent, os.W_OK):
            raise OutputError(
                f"cannot replace the folder {folder}: no permission to write in {parent}"
            )
    else:
        for name in names:
            if (folder / name).exists():
                raise OutputError(f"{folder / name} already exists; use --force to overwrite it")
        return
    others = sorted(
        p.name for p in folder.iterdir() if not p.name.startswith(".") and not replaceable(p)
    )
    if others:
        shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        what = "workouts" if replaceable is is_workout else "what this command writes"
        raise OutputError(
            f"{folder} holds more than {what} ({shown}); --force replaces the folder whole, "
            f"so give a folder of {what} only, or a new one"
        )


def write_folder(
    folder: str | Path,
    files: dict[str, bytes],
    force: bool = False,
    replaceable: Callable[[Path], bool] = is_workout,
) -> list[Path]:
    """Write `files` (name -> content) into `folder` (`write_all`)."""
    return write_all([(Path(folder), files)], force, replaceable)


def write_all(
    outputs: list[tuple[Path, Content]],
    force: bool = False,
    replaceable: Callable[[Path], bool] = is_workout,
) -> list[Path]:
    """Write every output whole, or none of them: text or bytes to a file, a dict of files to
    a folder. Every target is checked first (`check_target`, `check_folder_files`); then
    every content is written under a temporary name beside its target; only when all are
    written are they renamed into place, one after the other (a rename failing then, which
    takes a file system gone away, leaves the earlier ones in place).

    A folder that does not exist is filled under a temporary name and renamed into place.
    An existing folder gets the new files beside the ones it holds, none over an existing
    file without `force`; with `force` the folder is replaced whole (the new one filled
    beside it and swapped in), so no stale workout of an earlier plan stays and no mix of old
    and new is ever seen. Returns the files written."""
    for path, content in outputs:
        if isinstance(content, dict):
            check_folder_files(path, content, force, replaceable)
        else:
            check_target(path, force)
    staged: list[_Staged] = []
    current = Path()
    try:
        for path, content in outputs:
            current = path
            staged.append(_stage(path, content, force, staged))
        for stage in staged:
            current = stage.target
            stage.commit()
    except OSError as error:
        raise OutputError(f"cannot write {current}: {error.strerror or error}") from None
    finally:
        for stage in staged:
            stage.discard()
    written: list[Path] = []
    for path, content in outputs:
        written += [path / name for name in content] if isinstance(content, dict) else [path]
    return written


@dataclass
class _Staged:
    """A content written under a temporary name, to be renamed into place.

    - a file: `temporary` becomes `target`;
    - a new folder, or one replaced whole (`swap`): the folder `temporary` becomes `target`
      (an existing one is moved aside to `backup` first, and removed once the new one is in);
    - new files in an existing folder: each of `files` (temporary, final) is renamed.
    """

    target: Path
    temporary: Path | None = None
    swap: bool = False
    files: list[tuple[Path, Path]] = field(default_factory=list)
    backup: Path | None = None
    done: bool = False

    def commit(self) -> None:
        if self.temporary is None:
            for temporary, final in self.files:
                os.replace(temporary, final)
        elif self.swap:
            self.backup = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".old",
                                                dir=self.target.parent))  # fmt: skip
            os.replace(self.target, self.backup / self.target.name)
            try:
                os.replace(self.temporary, self.target)
            except OSError:
                os.replace(self.backup / self.target.name, self.target)  # put it back
                raise
        else:
            os.replace(self.temporary, self.target)
        self.done = True

    def discard(self) -> None:
        """Remove what is left over: temporaries not renamed, the old folder swapped out."""
        if self.temporary is not None and not self.done:
            _remove(self.temporary)
        for temporary, _ in self.files:
            temporary.unlink(missing_ok=True)  # gone once renamed
        if self.backup is not None:
            _remove(self.backup)


def _stage(path: Path, content: Content, force: bool, staged: list[_Staged]) -> _Staged:
    """`content` under a temporary name beside `path`. A folder's stage is in `staged` while
    it is made, so that a failure half way leaves nothing behind; it is returned taken out."""
    folder = path.parent if str(path.parent) else Path(".")
    if not isinstance(content, dict):
        return _Staged(path, _temporary_file(folder, path.name, content))
    if path.is_dir() and not force:
        stage = _Staged(path)
        staged.append(stage)
        for name, data in content.items():
            stage.files.append((_temporary_file(path, name, data), path / name))
        return staged.pop()
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder))
    stage = _Staged(path, temporary, swap=path.is_dir())
    staged.append(stage)
    for name, data in content.items():
        os.replace(_temporary_file(temporary, name, data), temporary / name)
    os.chmod(temporary, 0o755)
    return staged.pop()


def _temporary_file(folder: Path, name: str, content: str | bytes) -> Path:
    """`content` written and synced under a temporary name in `folder`."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def _remove(path: Path) -> None:
    """A file, or a folder and what it holds."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
