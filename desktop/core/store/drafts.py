"""Drafts: create, list, open, autosave, duplicate, trash, restore, revisions, attachments.

Every change is one committed transaction before the caller returns, so what the window says was
saved is saved. Each save keeps a revision (the last `REVISIONS_KEPT` per draft) to go back to.
A draft of an older form version is moved to the newest version when opened, through the form's
explicit migration; the answers as they were stay in a revision, and answers the newer form has no
place for are kept beside the draft.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from desktop.core.store.attachments import (
    load_blob,
    read_attachment_file,
    referenced_hashes,
    sniff_media_type,
    store_blob,
)
from desktop.core.store.database import (
    DATABASE_NAME,
    OpenReport,
    backup_if_due,
    busy_error,
    is_busy,
    iso,
    open_database,
    transaction,
    utc_now,
)
from desktop.core.store.events import StoreChange, StoreEvent, StoreEvents
from desktop.core.store.records import (  # noqa: F401 - re-exported: the store's API
    LAST_OPENED_KEY,
    REVISION_INTERVAL,
    REVISIONS_KEPT,
    SESSION_KEY,
    STATUS_LABELS,
    Draft,
    DraftChangedWhileSigning,
    DraftLocked,
    DraftNotFound,
    DraftStatus,
    DraftSummary,
    FormVersionUnavailable,
    Revision,
    SaveFailed,
    SaveResult,
    StoreUnavailable,
    Submission,
    TrashContents,
    draft_from_row,
    dumps_json,
    listed_text,
    summary_from_row,
)
from i18n.errors import UserError
from i18n.translate import N_
from schemas.forms import (
    DEFAULT_FORM_ID,
    FormDefinition,
    FormDefinitionError,
    FormRegistry,
    default_registry,
)
from schemas.migration import MigrationError, migrate
from schemas.validation import validate

P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[P, R]) -> Callable[P, R]:
    """Serialise a store method: the window reads while the autosave worker writes."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        store = args[0]
        with store._lock:  # type: ignore[attr-defined]
            try:
                return method(*args, **kwargs)
            except sqlite3.OperationalError as error:
                # Whatever a store method was doing, a refused file is a message, not a crash.
                raise _unavailable(store.data_dir, error) from error  # type: ignore[attr-defined]

    return wrapper


def _unavailable(data_dir: Path, error: sqlite3.OperationalError) -> UserError:
    """A busy file (another hrcities) or a refused one (read-only, full, unplugged)."""
    path = data_dir / DATABASE_NAME
    if is_busy(error):
        return busy_error(path)
    return StoreUnavailable(
        N_(
            "The drafts file {path} could not be changed ({reason}). Nothing was changed. Check "
            "that the disk is connected, not full and not read-only, then try again."
        ),
        path=str(path),
        reason=str(error),
    )


class DraftsStore:
    """The drafts of one data folder. Safe to share between threads: one call at a time."""

    def __init__(
        self,
        db: sqlite3.Connection,
        data_dir: Path,
        registry: FormRegistry | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        open_report: OpenReport | None = None,
    ) -> None:
        self.db = db
        self.data_dir = data_dir
        self.registry = registry or default_registry()
        self._clock = clock
        self.open_report = open_report or OpenReport()
        self._lock = threading.RLock()
        self._seen_version = self._data_version()
        # Announced after each change has committed, in the thread that made it.
        self.events = StoreEvents()
        self.closed = False

    @classmethod
    def open(
        cls,
        data_dir: Path,
        registry: FormRegistry | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> DraftsStore:
        """Open the store of a data folder; `open_report` says if it had to be recovered."""
        db, report = open_database(data_dir, clock())
        return cls(db, data_dir, registry, clock, report)

    def _data_version(self) -> int:
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    @_locked
    def changed_elsewhere(self) -> bool:
        """Whether another process (the command line, another window) has committed a change
        since the last call: a query of a few microseconds, for the window to poll."""
        version = self._data_version()
        changed, self._seen_version = version != self._seen_version, version
        if changed:
            self.events.announce(StoreChange(StoreEvent.CHANGED_ELSEWHERE, None))
        return changed

    @_locked
    def close(self) -> None:
        """Close the database; the WAL is folded back into the main file."""
        self.db.close()
        self.closed = True

    def _now(self) -> str:
        return iso(self._clock())

    def form_for(self, draft: Draft) -> FormDefinition:
        """The form definition a draft is written against."""
        return self._form(draft.form_id, draft.form_version)

    def _form(self, form_id: str, version: str) -> FormDefinition:
        try:
            return self.registry.get(form_id, version)
        except FormDefinitionError as error:
            raise FormVersionUnavailable.for_version(version) from error

    def _row(self, draft_id: str) -> Mapping[str, Any]:
        rows = list(self.db.execute("SELECT * FROM drafts WHERE id = ?", [draft_id]).fetchall())
        if not rows:
            raise DraftNotFound(N_("There is no draft with the id {id}."), id=draft_id)
        return rows[0]

    # Listing -----------------------------------------------------------------------------

    @_locked
    def list(self, trashed: bool = False) -> list[DraftSummary]:
        """Drafts (or, with `trashed`, the trash), most recently changed first."""
        condition = "trashed_at IS NOT NULL" if trashed else "trashed_at IS NULL"
        return [
            summary_from_row(row)
            for row in self.db.execute(
                f"SELECT * FROM drafts WHERE {condition} ORDER BY updated_at DESC, id"
            ).fetchall()
        ]

    @_locked
    def last_opened(self) -> str | None:
        """The draft opened last, if it is still there and not in the trash."""
        rows = list(
            self.db.execute("SELECT value FROM meta WHERE key = ?", [LAST_OPENED_KEY]).fetchall()
        )
        if not rows:
            return None
        draft_id = rows[0]["value"]
        alive = self.db.execute(
            "SELECT 1 FROM drafts WHERE id = ? AND trashed_at IS NULL", [draft_id]
        ).fetchone()
        return draft_id if alive else None

    @_locked
    def mark_session_started(self) -> str | None:
        """Record that the window is open; return when the previous one started if it never
        closed properly (a crash or a power cut), else None."""
        rows = list(
            self.db.execute("SELECT value FROM meta WHERE key = ?", [SESSION_KEY]).fetchall()
        )
        with transaction(self.db):
            self._set_meta(SESSION_KEY, self._now())
        return rows[0]["value"] if rows else None

    @_locked
    def mark_session_ended(self) -> None:
        """Record that the window closed properly."""
        with transaction(self.db):
            self.db.execute("DELETE FROM meta WHERE key = ?", [SESSION_KEY])

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    # Creating and opening ----------------------------------------------------------------

    @_locked
    def create(
        self,
        answers: Mapping[str, Any] | None = None,
        *,
        form_id: str = DEFAULT_FORM_ID,
        language: str | None = None,
        corrects: str | None = None,
        form_version: str | None = None,
        set_aside: Mapping[str, Any] | None = None,
    ) -> Draft:
        """A new draft of the newest form version (or the given one), saved at once."""
        form = (
            self.registry.get(form_id, form_version)
            if form_version
            else self.registry.latest(form_id)
        )
        draft_id = str(uuid.uuid4())
        now = self._now()
        values = dict(answers or {})
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO drafts (id, form_id, form_version, language, status, answers, "
                "set_aside, name, country, completion, corrects, created_at, updated_at) "
                "VALUES (:id, :form_id, :form_version, :language, :status, :answers, :set_aside, "
                ":name, :country, :completion, :corrects, :now, :now)",
                {
                    "id": draft_id,
                    "form_id": form.form_id,
                    "form_version": form.version,
                    "language": language,
                    "status": DraftStatus.DRAFT,
                    "answers": dumps_json(values),
                    "set_aside": dumps_json(dict(set_aside or {})),
                    "name": listed_text(values, form.role("lrg_name")),
                    "country": listed_text(values, form.role("country")),
                    "completion": validate(form, values).overall.fraction,
                    "corrects": corrects,
                    "now": now,
                },
            )
            self._add_revision(draft_id, form.version, values, now)
        self.events.announce(StoreChange(StoreEvent.CREATED, draft_id))
        return self.get(draft_id)

    @_locked
    def get(self, draft_id: str) -> Draft:
        """A draft as stored, without moving it to a newer form version."""
        return draft_from_row(self._row(draft_id))

    @_locked
    def open_draft(self, draft_id: str) -> Draft:
        """Open a draft to work on: moved to the newest form version, remembered as last opened."""
        draft = self.get(draft_id)
        latest = self.registry.latest(draft.form_id)
        if draft.status == DraftStatus.DRAFT and draft.form_version != latest.version:
            draft = self._migrate(draft, latest)
        with transaction(self.db):
            self._set_meta(LAST_OPENED_KEY, draft_id)
        return draft

    def _migrate(self, draft: Draft, latest: FormDefinition) -> Draft:
        try:
            result = migrate(
                self.registry, draft.form_id, draft.answers, draft.form_version, latest.version
            )
        except MigrationError as error:
            raise FormVersionUnavailable.for_version(draft.form_version) from error
        set_aside = {**draft.set_aside, **result.set_aside}
        now = self._now()
        with transaction(self.db):
            self.db.execute(
                "UPDATE drafts SET form_version = ?, answers = ?, set_aside = ?, completion = ?, "
                "updated_at = ? WHERE id = ?",
                [
                    latest.version,
                    dumps_json(result.answers),
                    dumps_json(set_aside),
                    validate(latest, result.answers).overall.fraction,
                    now,
                    draft.id,
                ],
            )
            self._add_revision(draft.id, latest.version, result.answers, now)
        return self.get(draft.id)

    # Saving ------------------------------------------------------------------------------

    @_locked
    def save(
        self, draft_id: str, answers: Mapping[str, Any], *, new_revision: bool = False
    ) -> SaveResult:
        """Store the answers as typed so far; a committed transaction when this returns.

        The save becomes the newest revision, or updates it when that one is less than
        `REVISION_INTERVAL` old (steady typing); `new_revision` always starts one (restoring an
        earlier version must not overwrite the state it replaces). A disk that refuses the
        write (full, unplugged, read-only) raises SaveFailed, which says so in the user's
        language; nothing half-written stays (the transaction rolls back).
        """
        try:
            result = self._save(draft_id, answers, new_revision)
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise busy_error(self.data_dir / DATABASE_NAME) from error
            raise self._save_failed(error) from error
        except OSError as error:
            raise self._save_failed(error) from error
        if result.changed:
            self.events.announce(StoreChange(StoreEvent.SAVED, draft_id))
        return result

    @staticmethod
    def _save_failed(error: Exception) -> SaveFailed:
        return SaveFailed(
            N_(
                "The draft could not be saved ({reason}). The text is still here: free some "
                "disk space or save a copy elsewhere, then try again."
            ),
            reason=str(error),
        )

    def _save(
        self, draft_id: str, answers: Mapping[str, Any], new_revision: bool = False
    ) -> SaveResult:
        row = self._row(draft_id)
        if row["status"] != DraftStatus.DRAFT:
            raise DraftLocked(
                N_("This form is signed and cannot be changed. Use Correct to make a new draft.")
            )
        form = self._form(row["form_id"], row["form_version"])
        report = validate(form, dict(answers))
        encoded = dumps_json(answers)
        if encoded == row["answers"]:
            return SaveResult(saved_at=row["updated_at"], changed=False, report=report)
        now = self._now()
        with transaction(self.db):
            self.db.execute(
                "UPDATE drafts SET answers = ?, name = ?, country = ?, completion = ?, "
                "updated_at = ? WHERE id = ?",
                [
                    encoded,
                    listed_text(answers, form.role("lrg_name")),
                    listed_text(answers, form.role("country")),
                    report.overall.fraction,
                    now,
                    draft_id,
                ],
            )
            self._add_revision(
                draft_id, row["form_version"], answers, now, encoded, coalesce=not new_revision
            )
        return SaveResult(saved_at=now, changed=True, report=report)

    def _add_revision(
        self,
        draft_id: str,
        form_version: str,
        answers: Mapping[str, Any],
        now: str,
        encoded: str | None = None,
        *,
        coalesce: bool = False,
    ) -> None:
        encoded = encoded if encoded is not None else dumps_json(answers)
        if coalesce:
            newest = self.db.execute(
                "SELECT id, COALESCE(started_at, saved_at) AS started_at, form_version "
                "FROM revisions WHERE draft_id = ? "
                "ORDER BY id DESC LIMIT 1",
                [draft_id],
            ).fetchone()
            if newest is not None and self._recent(newest, form_version, now):
                self.db.execute(
                    "UPDATE revisions SET saved_at = ?, answers = ? WHERE id = ?",
                    [now, encoded, newest["id"]],
                )
                return
        self.db.execute(
            "INSERT INTO revisions (draft_id, form_version, saved_at, started_at, answers) "
            "VALUES (?, ?, ?, ?, ?)",
            [draft_id, form_version, now, now, encoded],
        )
        self.db.execute(
            "DELETE FROM revisions WHERE draft_id = ? AND id <= ("
            " SELECT id FROM revisions WHERE draft_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
            [draft_id, draft_id, REVISIONS_KEPT],
        )

    @staticmethod
    def _recent(revision: Mapping[str, Any], form_version: str, now: str) -> bool:
        """Whether a save at `now` belongs to the same burst of typing as `revision`.

        A clock that jumped back (or a revision from the future) starts a new revision.
        """
        age = dt.datetime.fromisoformat(now) - dt.datetime.fromisoformat(revision["started_at"])
        return revision["form_version"] == form_version and (
            dt.timedelta(0) <= age < REVISION_INTERVAL
        )

    @_locked
    def set_language(self, draft_id: str, language: str) -> None:
        """Record the language the answers are written in (chosen by the user)."""
        self._row(draft_id)
        with transaction(self.db):
            self.db.execute("UPDATE drafts SET language = ? WHERE id = ?", [language, draft_id])

    @_locked
    def record_statement_language(self, draft_id: str, language: str) -> None:
        """Record the language the statement of commitment was shown in."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE drafts SET statement_language = ? WHERE id = ? "
                "AND statement_language IS NOT ?",
                [language, draft_id, language],
            )

    # Revisions ---------------------------------------------------------------------------

    @_locked
    def revisions(self, draft_id: str) -> list[Revision]:
        """The kept autosaves of a draft, newest first."""
        self._row(draft_id)
        return [
            Revision(row["id"], row["draft_id"], row["form_version"], row["saved_at"])
            for row in self.db.execute(
                "SELECT id, draft_id, form_version, saved_at FROM revisions "
                "WHERE draft_id = ? ORDER BY id DESC",
                [draft_id],
            ).fetchall()
        ]

    @_locked
    def revision_answers(self, revision_id: int) -> dict[str, Any]:
        """The answers as they were at one autosave."""
        row = self.db.execute(
            "SELECT answers FROM revisions WHERE id = ?", [revision_id]
        ).fetchone()
        if row is None:
            raise DraftNotFound(N_("There is no saved version with the id {id}."), id=revision_id)
        return json.loads(row[0])

    @_locked
    def restore_revision(self, draft_id: str, revision_id: int) -> SaveResult:
        """Go back to an earlier autosave; the current state stays in the history (undoable)."""
        revision = self.db.execute(
            "SELECT answers, form_version FROM revisions WHERE id = ? AND draft_id = ?",
            [revision_id, draft_id],
        ).fetchone()
        if revision is None:
            raise DraftNotFound(N_("There is no saved version with the id {id}."), id=revision_id)
        answers = json.loads(revision[0])
        current = self.get(draft_id)
        if revision[1] != current.form_version:
            answers = migrate(
                self.registry, current.form_id, answers, revision[1], current.form_version
            ).answers
        return self.save(draft_id, answers, new_revision=True)

    # Copies and the trash ----------------------------------------------------------------

    @_locked
    def duplicate(self, draft_id: str) -> Draft:
        """A new draft with the same answers (and form version), e.g. for a second territory."""
        source = self.get(draft_id)
        return self.create(
            source.answers,
            form_id=source.form_id,
            language=source.language,
            form_version=source.form_version,
        )

    @_locked
    def trash(self, draft_id: str) -> None:
        """Move a draft to the trash; nothing is lost until the trash is emptied."""
        self._row(draft_id)
        with transaction(self.db):
            self.db.execute(
                "UPDATE drafts SET trashed_at = ? WHERE id = ?", [self._now(), draft_id]
            )
        self.events.announce(StoreChange(StoreEvent.TRASHED, draft_id))

    @_locked
    def restore(self, draft_id: str) -> None:
        """Bring a draft back from the trash."""
        self._row(draft_id)
        with transaction(self.db):
            self.db.execute("UPDATE drafts SET trashed_at = NULL WHERE id = ?", [draft_id])
        self.events.announce(StoreChange(StoreEvent.RESTORED, draft_id))

    @_locked
    def trash_contents(self) -> TrashContents:
        """What emptying the trash would delete, and what it keeps (for the prompt)."""
        rows = self.db.execute(
            "SELECT status, COUNT(*) FROM drafts WHERE trashed_at IS NOT NULL GROUP BY status"
        ).fetchall()
        counts = {row[0]: row[1] for row in rows}
        return TrashContents(
            deleted=counts.get(DraftStatus.DRAFT, 0),
            kept_signed=sum(n for status, n in counts.items() if status != DraftStatus.DRAFT),
        )

    @_locked
    def empty_trash(self) -> int:
        """Delete the trashed drafts for good, with their history and unused attachments.

        A signed form in the trash is kept, with its envelope, signed PDF and files: it has not
        reached the secretariat (sending comes later), and a signature cannot be made again
        from a deleted draft. Returns how many drafts were deleted.
        """
        with transaction(self.db):
            count = self.db.execute(
                "DELETE FROM drafts WHERE trashed_at IS NOT NULL AND status = ?",
                [DraftStatus.DRAFT],
            ).rowcount
            self._forget_unused_blobs()
        self.events.announce(StoreChange(StoreEvent.TRASHED, None))
        return count

    def _forget_unused_blobs(self) -> None:
        used: set[str] = {
            sha256
            for row in self.db.execute("SELECT signature_image, signed_pdf FROM submissions")
            for sha256 in row
            if sha256
        }
        # Answers set aside by a form migration are kept with their files too.
        for (answers,) in self.db.execute(
            "SELECT answers FROM drafts UNION ALL SELECT set_aside FROM drafts "
            "UNION ALL SELECT answers FROM revisions"
        ):
            used |= referenced_hashes(json.loads(answers))
        for (sha256,) in list(self.db.execute("SELECT sha256 FROM blobs")):
            if sha256 not in used:
                self.db.execute("DELETE FROM blobs WHERE sha256 = ?", [sha256])

    # Signing -------------------------------------------------------------------------------

    @_locked
    def record_signature(
        self,
        submission: Submission,
        signature_png: bytes,
        signed_pdf: bytes | None,
        signed_version: str | None = None,
    ) -> None:
        """Keep a signed submission and lock its draft, all in one transaction.

        `signed_version` is the draft's `updated_at` when its answers were read for signing:
        if they were saved again since (another window, an autosave), nothing is recorded,
        so a signed draft always holds exactly the answers that were signed.
        """
        with transaction(self.db):  # BEGIN IMMEDIATE: nothing else writes until the commit
            if signed_version is not None:
                row = self.db.execute(
                    "SELECT updated_at FROM drafts WHERE id = ?", [submission.draft_id]
                ).fetchone()
                if row is not None and row["updated_at"] != signed_version:
                    raise DraftChangedWhileSigning(
                        N_(
                            "The answers changed while the form was being signed, so nothing "
                            "was signed. Check them and sign again."
                        )
                    )
            store_blob(self.db, signature_png)
            if signed_pdf is not None:
                store_blob(self.db, signed_pdf)
            locked = self.db.execute(
                "UPDATE drafts SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
                [DraftStatus.SIGNED, submission.signed_at, submission.draft_id, DraftStatus.DRAFT],
            ).rowcount
            if locked != 1:
                raise DraftLocked(
                    N_("This form is already signed. Use Correct to make a new draft.")
                )
            self.db.execute(
                "INSERT INTO submissions (id, draft_id, envelope, kid, office_name, signer_name, "
                "signer_position, signed_at, signature_image, signed_pdf) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    submission.id,
                    submission.draft_id,
                    submission.envelope,
                    submission.kid,
                    submission.office_name,
                    submission.signer_name,
                    submission.signer_position,
                    submission.signed_at,
                    submission.signature_image,
                    submission.signed_pdf,
                ],
            )
        self.events.announce(StoreChange(StoreEvent.SIGNED, submission.draft_id))

    @_locked
    def submission_for(self, draft_id: str) -> Submission | None:
        """The signed submission of a draft, if it is signed."""
        row = self.db.execute("SELECT * FROM submissions WHERE draft_id = ?", [draft_id]).fetchone()
        if row is None:
            return None
        return Submission(**{key: row[key] for key in row.keys()})  # noqa: SIM118 - sqlite3.Row

    @_locked
    def correct(self, draft_id: str) -> Draft:
        """A new draft that corrects a signed one: same answers, naming the submission it corrects.

        The signed draft itself is never edited.
        """
        submission = self.submission_for(draft_id)
        if submission is None:
            raise DraftNotFound(N_("There is no signed form with the id {id}."), id=draft_id)
        source = self.get(draft_id)
        return self.create(
            source.answers,
            form_id=source.form_id,
            language=source.language,
            corrects=submission.id,
            form_version=source.form_version,
        )

    # Attachments -------------------------------------------------------------------------

    def add_attachment(self, path: Path, name: str | None = None) -> dict[str, Any]:
        """Store a file once by its hash; return the reference an answer keeps."""
        data = read_attachment_file(path)
        return self.add_attachment_bytes(data, name or path.name)

    @_locked
    def add_attachment_bytes(self, data: bytes, name: str) -> dict[str, Any]:
        """Store bytes once by their hash; return the reference an answer keeps."""
        try:
            with transaction(self.db):
                digest = store_blob(self.db, data)
        except (sqlite3.OperationalError, OSError) as error:
            raise SaveFailed(
                N_("The file could not be kept ({reason}). Free some disk space and try again."),
                reason=str(error),
            ) from error
        return {
            "sha256": digest,
            "name": name,
            "media_type": sniff_media_type(data, name),
            "size": len(data),
        }

    @_locked
    def attachment_bytes(self, sha256: str) -> bytes:
        """The bytes of a stored attachment."""
        return load_blob(self.db, sha256)

    # Backups -----------------------------------------------------------------------------

    @_locked
    def backup_if_due(self) -> Path | None:
        """Take the hourly automatic backup if it is due; the app calls this on a timer."""
        return backup_if_due(self.db, self.data_dir, self._clock())
