"""Named, recorded changes to the drafts database schema.

Each migration runs inside one transaction together with the row that records it, so a power cut
leaves either the old schema or the new one, and opening an up-to-date database twice runs nothing.
New migrations are appended; a released one is never edited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATIONS_TABLE = "_migrations"


def _initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE drafts (
            id TEXT PRIMARY KEY,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            language TEXT,
            status TEXT NOT NULL DEFAULT 'draft',
            answers TEXT NOT NULL DEFAULT '{}',
            set_aside TEXT NOT NULL DEFAULT '{}',
            name TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            completion REAL NOT NULL DEFAULT 0,
            corrects TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            trashed_at TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
            form_version TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            answers TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX revisions_by_draft ON revisions(draft_id, id)")
    db.execute(
        """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        )
        """
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _statement_language(db: Database) -> None:
    # The language the statement of commitment was last shown in (the one the signer reads).
    db["drafts"].add_column("statement_language", str)


def _submissions(db: Database) -> None:
    # A signed draft's submission: the envelope exactly as signed, and what was signed with it.
    db.execute(
        """
        CREATE TABLE submissions (
            id TEXT PRIMARY KEY,
            draft_id TEXT NOT NULL UNIQUE REFERENCES drafts(id) ON DELETE CASCADE,
            envelope BLOB NOT NULL,
            kid TEXT NOT NULL,
            office_name TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            signer_position TEXT NOT NULL,
            signed_at TEXT NOT NULL,
            signature_image TEXT NOT NULL REFERENCES blobs(sha256),
            signed_pdf TEXT REFERENCES blobs(sha256)
        )
        """
    )


def _revision_started_at(db: Database) -> None:
    # When the newest revision's burst of typing began: saves keep updating that revision for
    # a while (steady typing saves every second), and only its start says when to begin anew.
    db["revisions"].add_column("started_at", str)


MIGRATIONS: tuple[tuple[str, Callable[[Database], None]], ...] = (
    ("0001_initial", _initial),
    ("0002_statement_language", _statement_language),
    ("0003_submissions", _submissions),
    ("0004_revision_started_at", _revision_started_at),
)


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations this database has recorded, in the order they ran."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if not exists:
        return []
    return [row[0] for row in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY rowid")]


def apply_migrations(conn: sqlite3.Connection, now: str) -> list[str]:
    """Bring the schema up to date; return the names of the migrations that ran now.

    Two processes may open a new data folder at the same moment (the window and a command
    started beside it): each migration takes the write lock (BEGIN IMMEDIATE, waiting for the
    other process within the connection's busy timeout) and checks again, under the lock,
    whether the other already applied it.
    sqlite-utils is loaded only when there is something to migrate: checking costs a query,
    while importing sqlite-utils would cost a third of the app's start on every start.
    """
    done = set(applied(conn))
    pending = [(name, step) for name, step in MIGRATIONS if name not in done]
    if not pending:
        return []
    from sqlite_utils import Database  # noqa: PLC0415 - see the docstring

    db = Database(conn, execute_plugins=False)
    ran = []
    for name, migration in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            if name not in applied(conn):
                with db.atomic():  # a savepoint inside the transaction
                    migration(db)
                conn.execute(
                    f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)", [name, now]
                )
                ran.append(name)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return ran
