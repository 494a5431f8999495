"""What the drafts store holds and hands out: statuses, records, the errors it raises.

Kept apart from the store's queries (`drafts.py`) so that the command line, the window and later
the outbox can name a draft, a submission or an error without reading how they are stored.
Qt-free.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from i18n.errors import UserError
from i18n.translate import N_
from schemas.validation import ValidationReport

REVISIONS_KEPT = 50
# Autosave runs every second while someone types; one revision per burst of typing (saves less
# than this apart update the newest revision) keeps 50 revisions worth going back to.
REVISION_INTERVAL = dt.timedelta(seconds=60)


class DraftStatus(StrEnum):
    """Where a draft is in its life; an enum because later issues add queued, sent, received.

    A StrEnum, so the value stored in SQLite stays the same text ("draft", "signed") and a status
    read back compares equal to it.
    """

    DRAFT = "draft"
    SIGNED = "signed"


# Statuses as shown to people.
STATUS_LABELS = {DraftStatus.DRAFT: N_("Draft"), DraftStatus.SIGNED: N_("Signed")}
LAST_OPENED_KEY = "last_opened_draft"
SESSION_KEY = "window_session_started"


class DraftNotFound(UserError):
    """No draft (or revision) with that id in this store."""

    code = "draft_not_found"


class DraftLocked(UserError):
    """The draft is signed (or later): it is never edited, only corrected by a new draft."""

    code = "draft_locked"


class StoreUnavailable(UserError):
    """The drafts file refused a change (read-only, disk full, unplugged)."""

    code = "store_unavailable"


class SaveFailed(UserError):
    """The disk refused the save (full, removed, read-only): the answers are still in memory."""

    code = "save_failed"


class DraftChangedWhileSigning(UserError):
    """The answers were saved again while the signature was being made: nothing is recorded."""

    code = "draft_changed_while_signing"


class FormVersionUnavailable(UserError):
    """The draft's form cannot be opened by this version of the app."""

    code = "form_version_unavailable"

    @classmethod
    def for_version(cls, version: str) -> FormVersionUnavailable:
        """The error for a draft written on form version `version`."""
        return cls(
            N_(
                "This draft was written on version {version} of the form, which this "
                "version of the app cannot open. Install the newest version of the app."
            ),
            version=version,
        )


@dataclass(frozen=True)
class DraftSummary:
    """One line of the drafts list."""

    id: str
    name: str
    country: str
    status: DraftStatus
    completion: float
    updated_at: str
    trashed_at: str | None
    form_id: str
    form_version: str


@dataclass(frozen=True)
class Draft:
    """A whole draft, with its answers."""

    id: str
    form_id: str
    form_version: str
    language: str | None
    status: DraftStatus
    answers: dict[str, Any]
    set_aside: dict[str, Any]
    corrects: str | None
    created_at: str
    updated_at: str
    trashed_at: str | None
    statement_language: str | None = None


@dataclass(frozen=True)
class Submission:
    """A signed draft: the envelope exactly as signed, and who signed it, when, with what key."""

    id: str
    draft_id: str
    envelope: bytes
    kid: str
    office_name: str
    signer_name: str
    signer_position: str
    signed_at: str
    signature_image: str
    signed_pdf: str | None


@dataclass(frozen=True)
class TrashContents:
    """What is in the trash: drafts that emptying it deletes, signed forms that it keeps."""

    deleted: int
    kept_signed: int


@dataclass(frozen=True)
class Revision:
    """One autosaved state of a draft."""

    id: int
    draft_id: str
    form_version: str
    saved_at: str


@dataclass(frozen=True)
class SaveResult:
    """What a save did: when, and whether anything had changed at all."""

    saved_at: str
    changed: bool
    report: ValidationReport


def dumps_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def summary_from_row(row: Mapping[str, Any]) -> DraftSummary:
    return DraftSummary(
        id=row["id"],
        name=row["name"],
        country=row["country"],
        status=DraftStatus(row["status"]),
        completion=row["completion"],
        updated_at=row["updated_at"],
        trashed_at=row["trashed_at"],
        form_id=row["form_id"],
        form_version=row["form_version"],
    )


def draft_from_row(row: Mapping[str, Any]) -> Draft:
    return Draft(
        id=row["id"],
        form_id=row["form_id"],
        form_version=row["form_version"],
        language=row["language"],
        status=DraftStatus(row["status"]),
        answers=json.loads(row["answers"]),
        set_aside=json.loads(row["set_aside"]),
        corrects=row["corrects"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        trashed_at=row["trashed_at"],
        statement_language=row["statement_language"],
    )


def listed_text(answers: Mapping[str, Any], key: str) -> str:
    value = answers.get(key)
    return value.strip() if isinstance(value, str) else ""
