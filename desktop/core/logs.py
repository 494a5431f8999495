"""The log file in the data folder: where unexpected failures and libraries' own messages go.

On Windows a window app has no terminal, so a traceback printed to stderr is lost; and on the
command line a library's traceback (pyHanko prints one for every modified PDF it is asked to
check) drowns the message meant for the person. Both go to `logs/hrcities.log` instead, rotated
so it never grows past a few megabytes. Nothing typed into the form and no passphrase is ever
logged: failures are logged with their tracebacks, which carry code, not values.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FOLDER = "logs"
LOG_NAME = "hrcities.log"
LOG_BYTES = 1024 * 1024
LOGS_KEPT = 3
OUR_PACKAGES = ("desktop", "sync", "schemas", "i18n")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handler: logging.Handler | None = None


def log_path(data_dir: Path) -> Path:
    """Where the log of a data folder is."""
    return data_dir / LOG_FOLDER / LOG_NAME


def setup_logging(data_dir: Path | None, *, create: bool = True) -> Path | None:
    """Send every log record of the process to the data folder's log; return its path.

    With no data folder, or (not `create`: the command line, where `hrcities verify` must make
    nothing) no log folder yet, records are dropped rather than printed, so no library writes
    to the terminal. Safe to call again: the handler is replaced, never doubled.
    """
    global _handler  # noqa: PLW0603 - one log per process, by design
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    path = log_path(data_dir) if data_dir is not None and data_dir.is_dir() else None
    if path is not None and not create and not path.parent.is_dir():
        path = None
    if path is None:
        _handler = logging.NullHandler()
    else:
        try:
            path.parent.mkdir(exist_ok=True)
            _handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=LOG_BYTES, backupCount=LOGS_KEPT, encoding="utf-8"
            )
        except OSError:  # a read-only data folder: the log is the least of the worries
            path, _handler = None, logging.NullHandler()
        _handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(_handler)
    # Libraries' warnings and errors; our own packages' notes too (a rescued draft, say).
    root.setLevel(logging.WARNING)
    for package in OUR_PACKAGES:
        logging.getLogger(package).setLevel(logging.INFO)
    return path
