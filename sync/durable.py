"""Writing files so that a power cut, a crash or a USB stick pulled out leaves the old file or
the new one, never half of one: a temporary file beside the target, flushed to the disk, renamed
over the target, and the rename itself made durable.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


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
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
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
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    sync_folder(path.parent)
