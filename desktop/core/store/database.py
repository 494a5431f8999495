"""Opening the drafts database safely: durable settings, damage detection, backups, recovery.

These offices have power cuts. WAL with `synchronous=FULL` makes every committed transaction
survive one (with NORMAL a commit can roll back after a power loss). A file that is damaged anyway
is never opened half-way nor overwritten: it is moved aside with a timestamp, and the newest
automatic backup that passes an integrity check takes its place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.core.store.schema_migrations import apply_migrations
from i18n import formatting
from i18n.errors import UserError
from i18n.translate import N_, _
from sync.durable import sync_folder

DATABASE_NAME = "drafts.sqlite3"
BACKUP_FOLDER = "backups"
BACKUP_PREFIX = "drafts-"
BACKUPS_KEPT = 5
BACKUP_INTERVAL = dt.timedelta(hours=1)
_STAMP = "%Y%m%dT%H%M%S%fZ"
_SIDE_FILES = ("-wal", "-shm", "-journal")
# A full form is ~55 KB of WAL per save; checkpointing every ~290 saves instead of every ~74
# keeps the occasional slow save (the checkpoint's own sync) out of the typing rhythm, and the
# size limit stops the WAL from staying large after it.
WAL_AUTOCHECKPOINT_PAGES = 4000
JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024
LOCK_WAIT_SECONDS = 10  # another window of the app may be finishing a save
_DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


class DatabaseDamaged(sqlite3.DatabaseError):
    """The file is not a database, or fails SQLite's integrity check."""


class DatabaseBusy(UserError):
    """Another hrcities (a window, a command) kept the drafts file busy longer than we wait."""

    code = "database_busy"


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether an error means the file itself is damaged (not merely locked or unreachable)."""
    if isinstance(error, DatabaseDamaged):
        return True
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _DAMAGE_CODES


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC (what the store records)."""
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    """How the store writes a moment: ISO 8601 in UTC with microseconds, sortable as text."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class OpenReport:
    """What happened when the database was opened, for the app to tell the user."""

    damaged_file: Path | None = None
    restored_from: Path | None = None
    reason: str = ""

    @property
    def recovered(self) -> bool:
        """Whether the database had to be replaced because it was damaged."""
        return self.damaged_file is not None

    def message(self) -> str:
        """What to tell the user, in the current language (empty when all was well)."""
        if self.damaged_file is None:
            return ""
        if self.restored_from is not None:
            return _(
                "The drafts file was damaged and could not be read. It has been kept as "
                "{damaged}, and your drafts were restored from the automatic backup of "
                "{when}. Check your latest changes: anything typed after that time is missing."
            ).format(
                damaged=self.damaged_file, when=formatting.moment(backup_time(self.restored_from))
            )
        return _(
            "The drafts file was damaged and could not be read, and there was no backup to "
            "restore. It has been kept as {damaged}: ask a technician to try to recover it. "
            "The app starts with an empty drafts list."
        ).format(damaged=self.damaged_file)


def check_whole(path: Path) -> None:
    """Raise DatabaseDamaged unless the file passes `quick_check`; never changes the file.

    Read-only on purpose: closing a read-write connection would fold a WAL left by a crash into
    a damaged file (and delete it) before the file could be kept aside as it was.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=LOCK_WAIT_SECONDS)) as conn:
            result = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            raise DatabaseDamaged(str(error)) from error
        raise
    if result is None or result[0] != "ok":
        raise DatabaseDamaged(result[0] if result else "quick_check gave no answer")


def is_busy(error: sqlite3.Error) -> bool:
    """Whether an error means another connection holds the file (not that the file is bad)."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    ) or "locked" in str(error)


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Set WAL mode, waiting for another process that is creating the same new file.

    Changing the journal mode does not wait through SQLite's busy handler: a second process
    opening a brand-new data folder at the same moment gets "database is locked" at once.
    """
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def connect(path: Path) -> sqlite3.Connection:
    """Open one SQLite file with the settings the store relies on (check it first).

    The connection is in autocommit mode: every change goes through `transaction`, so what
    is committed is exactly what the store meant to commit together. Rows read back are
    `sqlite3.Row`, addressable by column name.
    """
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=LOCK_WAIT_SECONDS, check_same_thread=False
    )
    try:
        _switch_to_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    except sqlite3.DatabaseError:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Everything inside is committed together or not at all; nested blocks use savepoints.

    BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way
    because another connection (the CLI beside the window) started writing first.
    """
    if conn.in_transaction:
        name = f"nested_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _move_aside(path: Path, now: dt.datetime) -> Path:
    """Rename the damaged file (and its WAL, which must not be replayed onto a backup)."""
    damaged = path.with_name(f"{path.name}.damaged-{now.strftime(_STAMP)}")
    os.replace(path, damaged)
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, damaged.with_name(damaged.name + suffix))
    sync_folder(path.parent)
    return damaged


def backup_folder(data_dir: Path) -> Path:
    """Where the automatic backups of the drafts database are kept."""
    return data_dir / BACKUP_FOLDER


def _sequence(backup: Path) -> int:
    """The backup's place in the order they were taken (names: drafts-<sequence>-<UTC time>)."""
    head = backup.stem.removeprefix(BACKUP_PREFIX).split("-", 1)[0]
    return int(head) if head.isdigit() and len(head) < 10 else 0


def list_backups(data_dir: Path) -> list[Path]:
    """Backups, newest first, by the order they were taken, not by the clock's time.

    Old shared PCs lose their clock (a flat CMOS battery): ordered by time, a backup taken
    "in 2009" would sort oldest and be deleted at once, and recovery would pick an old one.
    """
    folder = backup_folder(data_dir)
    if not folder.is_dir():
        return []
    found = folder.glob(f"{BACKUP_PREFIX}*.sqlite3")
    return sorted(found, key=lambda path: (_sequence(path), path.name), reverse=True)


def backup_time(backup: Path) -> dt.datetime:
    """When a backup was taken (by the computer's clock then), read from its name."""
    stamp = backup.stem.removeprefix(BACKUP_PREFIX).rsplit("-", 1)[-1]
    return dt.datetime.strptime(stamp, _STAMP).replace(tzinfo=dt.UTC)


def _is_whole(path: Path) -> bool:
    try:
        check_whole(path)
    except sqlite3.DatabaseError:
        return False
    return True


def _restore(backup: Path, path: Path) -> None:
    """Copy a backup into place through a temporary file, so no half-copied file remains."""
    partial = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, partial)
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, path)
    sync_folder(path.parent)


def _check_existing(path: Path, data_dir: Path) -> None:
    """Raise DatabaseDamaged when the file cannot be trusted; a missing file is a new store."""
    if not path.exists():
        return
    if path.stat().st_size == 0 and list_backups(data_dir):
        raise DatabaseDamaged("the drafts file is empty")
    check_whole(path)


def open_database(
    data_dir: Path, now: dt.datetime | None = None
) -> tuple[sqlite3.Connection, OpenReport]:
    """Open (or create) the drafts database in `data_dir`, recovering from damage if needed."""
    moment = now or utc_now()
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DATABASE_NAME
    report = OpenReport()
    try:
        _check_existing(path, data_dir)
    except DatabaseDamaged as error:
        damaged = _move_aside(path, moment)
        restored = next((b for b in list_backups(data_dir) if _is_whole(b)), None)
        if restored is not None:
            _restore(restored, path)
        report = OpenReport(damaged_file=damaged, restored_from=restored, reason=str(error))
    try:
        db = connect(path)
    except sqlite3.OperationalError as error:
        if is_busy(error):
            raise busy_error(path) from error
        raise
    try:
        apply_migrations(db, iso(moment))
    except sqlite3.OperationalError as error:
        db.close()
        if is_busy(error):
            raise busy_error(path) from error
        raise
    return db, report


def busy_error(path: Path) -> DatabaseBusy:
    """The message when another process holds the drafts file past our wait."""
    return DatabaseBusy(
        N_(
            "The drafts file {path} is busy: another hrcities window or command is using it "
            "and did not let go within {seconds} seconds. Wait for it to finish (or close it), "
            "then try again. Nothing was changed."
        ),
        path=str(path),
        seconds=LOCK_WAIT_SECONDS,
    )


def take_backup(db: sqlite3.Connection, data_dir: Path, now: dt.datetime | None = None) -> Path:
    """Copy the live database with SQLite's backup API (consistent while in use), keep a few."""
    moment = now or utc_now()
    folder = backup_folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    existing = list_backups(data_dir)
    sequence = _sequence(existing[0]) + 1 if existing else 1
    target = folder / f"{BACKUP_PREFIX}{sequence:06d}-{moment.strftime(_STAMP)}.sqlite3"
    partial = target.with_name(target.name + ".partial")
    with contextlib.closing(sqlite3.connect(partial)) as copy:
        db.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    sync_folder(folder)
    for old in list_backups(data_dir)[BACKUPS_KEPT:]:
        old.unlink(missing_ok=True)
    return target


def backup_if_due(
    db: sqlite3.Connection, data_dir: Path, now: dt.datetime | None = None
) -> Path | None:
    """Take a backup unless one was taken less than an hour ago; return it when taken."""
    moment = now or utc_now()
    backups = list_backups(data_dir)
    # A clock that jumped (back or forward) does not hold back new ones.
    if backups and dt.timedelta(0) <= moment - backup_time(backups[0]) < BACKUP_INTERVAL:
        return None
    return take_backup(db, data_dir, moment)
