"""Attached documents, stored once by SHA-256 inside the drafts database.

Keeping the bytes in SQLite (not loose files) means an attachment and the answer that names it
are committed in one transaction: a power cut cannot leave a reference to a file that is not
there. The type is read from the file's first bytes, not trusted from its name.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from i18n.errors import UserError
from i18n.translate import N_
from schemas.attachments import attachment_refs

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class AttachmentTooLarge(UserError):
    """Over the size a submission can carry to the secretariat."""

    code = "attachment_too_large"


class AttachmentUnreadable(UserError):
    """The file could not be read from disk."""

    code = "attachment_unreadable"


class AttachmentMissing(UserError):
    """An answer names an attachment whose bytes are not in this store."""

    code = "attachment_missing"


def _zip_media_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def sniff_media_type(data: bytes, name: str) -> str:
    """The file's media type from its content; from its name only when the content says nothing."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        found = _zip_media_type(data)
        if found:
            return found
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def read_attachment_file(path: Path) -> bytes:
    """Read a file the user chose, refusing it before reading when it is too large."""
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise_too_large(size)
        return path.read_bytes()
    except OSError as error:
        raise AttachmentUnreadable(
            N_("The file {name} could not be read ({reason}). Check that it is still there."),
            name=path.name,
            reason=error.strerror or str(error),
        ) from error


def raise_too_large(size: int) -> None:
    """Refuse an attachment over the limit, saying by how much."""
    raise AttachmentTooLarge(
        N_(
            "This file is {size_mb} MB; attachments can be at most {limit_mb} MB. "
            "Make it smaller (for instance save it as PDF with reduced images) and try again."
        ),
        size_mb=f"{size / 1024 / 1024:.1f}",
        limit_mb=MAX_ATTACHMENT_BYTES // 1024 // 1024,
    )


def store_blob(db: sqlite3.Connection, data: bytes) -> str:
    """Keep the bytes once under their SHA-256 (a second copy costs nothing); return the hash."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise_too_large(len(data))
    digest = hashlib.sha256(data).hexdigest()
    db.execute(
        "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
        [digest, len(data), data],
    )
    return digest


def load_blob(db: sqlite3.Connection, sha256: str) -> bytes:
    """The bytes stored under a hash."""
    row = db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        raise AttachmentMissing(
            N_("An attached file is missing from this computer's drafts. Attach it again."),
        )
    return bytes(row[0])


def referenced_hashes(value: Any) -> set[str]:
    """Every attachment hash named anywhere inside a set of answers."""
    return {ref["sha256"] for ref in attachment_refs(value)}
