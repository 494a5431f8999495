"""Writing files so that a power cut, a crash or a USB stick pulled out leaves the old file or
the new one, never half of one: a temporary file beside the target, flushed to the disk, renamed
over the target, and the rename itself made durable.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from i18n.errors import UserError
from i18n.translate import N_


def sync_folder(folder: Path) -> None:
    """Make renames in a folder durable (POSIX); Windows has no folder handles to sync."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_atomically(
    path: Path, data: bytes, *, private: bool = False, make_folder: bool = False
) -> None:
    """Replace `path` with `data`, all or nothing; raises OSError (the caller says it plainly).

    `private` files (the office key and its backups) are readable by their owner only;
    anything else gets the permissions a new file normally gets. The folder must exist unless
    `make_folder` (the app's own folders): a mistyped export path is an error, never a new
    folder that would hide the only backup somewhere on the local disk.
    """
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
    except OSError as error:
        raise _naming(error, path) from error
    try:
        if not private:  # mkstemp makes the file private; a shared export should not be
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _naming(error, path) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    sync_folder(path.parent)


def _naming(error: OSError, path: Path) -> OSError:
    """The same failure, naming the file the caller asked for, not our temporary one.

    `OSError(errno, ...)` gives back the matching subclass (FileNotFoundError, ...).
    """
    if error.errno is None:
        return error
    return OSError(error.errno, error.strerror, str(path))


class TargetRefused(UserError):
    """A file the person named cannot be written: its folder is missing, it is a folder, or it
    would replace a file without their say-so."""

    code = "target_refused"


def check_target(path: Path, *, replace: bool = False) -> None:
    """Refuse, before anything is made or signed, a path that `write_atomically` would fail on
    or that would replace a file nobody agreed to replace."""
    if path.is_dir():
        raise TargetRefused(
            N_("{path} is a folder. Give the name of the file to write, for example {example}."),
            path=str(path),
            example=str(path / "file.json"),
        )
    if not path.parent.is_dir():
        raise TargetRefused(
            N_(
                "The folder {folder} does not exist, so nothing was written. Check the name, or "
                "that the USB stick is connected, and try again."
            ),
            folder=str(path.parent),
        )
    if path.exists() and not replace:
        raise TargetRefused(
            N_(
                "{path} already exists, so nothing was written. Choose another name, or "
                "confirm that it may be replaced (on the command line: --force)."
            ),
            path=str(path),
        )
