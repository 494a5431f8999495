"""Draft files: one draft as a JSON document, to move it between computers or to script it.

The file carries the answers exactly as stored, the form id and version they were written
against, and the bytes of every attached document (base64) so that it is complete on its own.
Importing checks everything before writing anything: a file that is refused leaves no trace.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.store.attachments import referenced_hashes, store_blob
from desktop.core.store.database import transaction
from desktop.core.store.drafts import Draft, DraftsStore
from i18n.errors import Translated, UserError
from i18n.languages import LANGUAGE_CODES
from i18n.translate import N_
from schemas.forms import FormDefinition, FormDefinitionError
from schemas.limits import over_limits
from schemas.validation import ValidationReport, validate
from sync.durable import check_target, write_atomically

FORMAT = "hrcities-draft/1"
# The largest draft file read: its attachments (base64, a third larger) plus the answers. What
# the form can attach is bounded by what a submission may carry to the secretariat (100 MB).
MAX_DRAFT_FILE_BYTES = 150 * 1024 * 1024
# Answers set aside by a form migration: text, never more than the answers themselves hold.
MAX_SET_ASIDE_CHARACTERS = 1024 * 1024
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Findings that mean the answers could not even be shown in the form's fields.
STRUCTURAL_CODES = frozenset(
    {"wrong_type", "not_an_object", "bad_attachment", "unknown_field", "not_a_whole_number"}
)


class DraftFileError(UserError):
    """A draft file that cannot be imported as it is."""

    code = "draft_file_invalid"


@dataclass(frozen=True)
class ImportResult:
    """The draft created from a file and what validation says of its answers."""

    draft: Draft
    report: ValidationReport


def export_draft(store: DraftsStore, draft_id: str) -> dict[str, Any]:
    """The draft as a self-contained JSON-ready document."""
    draft = store.get(draft_id)
    return {
        "format": FORMAT,
        "id": draft.id,
        "form_id": draft.form_id,
        "form_version": draft.form_version,
        "language": draft.language,
        "statement_language": draft.statement_language,
        "status": draft.status,
        "created_at": draft.created_at,
        "updated_at": draft.updated_at,
        "answers": draft.answers,
        "set_aside": draft.set_aside,
        "files": {
            sha256: base64.b64encode(store.attachment_bytes(sha256)).decode("ascii")
            for sha256 in sorted(
                referenced_hashes(draft.answers) | referenced_hashes(draft.set_aside)
            )
        },
    }


def write_draft_file(
    store: DraftsStore, draft_id: str, path: Path, *, replace: bool = False
) -> None:
    """Export a draft to a file, whole or not at all; an existing file only with `replace`."""
    check_target(path, replace=replace)
    text = json.dumps(export_draft(store, draft_id), ensure_ascii=False, indent=2)
    write_atomically(path, (text + "\n").encode("utf-8"))


def _decode_files(document: dict[str, Any]) -> dict[str, bytes]:
    files = document.get("files", {})
    if not isinstance(files, dict):
        raise DraftFileError(N_("The attached files in this draft file are damaged."))
    decoded = {}
    for sha256, encoded in files.items():
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, TypeError, ValueError) as error:
            raise DraftFileError(
                N_("The attached files in this draft file are damaged.")
            ) from error
        if hashlib.sha256(data).hexdigest() != sha256:
            raise DraftFileError(
                N_("An attached file in this draft file does not match its fingerprint.")
            )
        decoded[sha256] = data
    return decoded


def read_draft_file(path: Path) -> str:
    """The text of a draft file, refused before reading when it is too large to be one.

    Notepad and PowerShell start UTF-8 files with a byte-order mark: it is not part of the
    text. A file in another encoding (Notepad's "Unicode", a legacy code page) gets a message
    saying to save it as UTF-8, rather than a guess that could change letters of names.
    """
    try:
        size = path.stat().st_size
        if size > MAX_DRAFT_FILE_BYTES:
            raise DraftFileError(
                N_(
                    "The file {path} is {size_mb} MB: far more than a draft with all its "
                    "attached files can be (at most {limit_mb} MB). Check that it is the right "
                    "file."
                ),
                path=str(path),
                size_mb=f"{size / 1024 / 1024:.0f}",
                limit_mb=MAX_DRAFT_FILE_BYTES // 1024 // 1024,
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_DRAFT_FILE_BYTES + 1)
    except OSError as error:
        raise DraftFileError(
            N_("The file {path} could not be read ({reason}). Check the name and try again."),
            path=str(path),
            reason=error.strerror or str(error),
        ) from error
    try:
        if data.startswith(_UTF16_BOMS):
            raise UnicodeDecodeError("utf-16", data[:2], 0, 2, "not UTF-8")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DraftFileError(
            N_(
                "The file {path} is not saved as UTF-8 text, so its letters cannot be read "
                "safely. Open it in a text editor, save it with the encoding UTF-8 (in Notepad: "
                "Save as, Encoding: UTF-8), then import it again."
            ),
            path=str(path),
        ) from error


def parse_draft_document(text: str) -> dict[str, Any]:
    """Read a draft file's text: a draft document, or a bare object of answers."""
    try:
        document = json.loads(text)
    except RecursionError as error:
        raise DraftFileError(N_("This file is nested too deeply to be a draft.")) from error
    except json.JSONDecodeError as error:
        raise DraftFileError(
            N_("This file is not valid JSON (line {line}, column {column}): {reason}."),
            line=error.lineno,
            column=error.colno,
            reason=error.msg,
        ) from error
    if not isinstance(document, dict):
        raise DraftFileError(N_("This file does not hold a draft: expected a JSON object."))
    if "format" not in document:
        return {"format": FORMAT, "answers": document}
    if document.get("format") != FORMAT:
        raise DraftFileError(
            N_("This draft file has format {found}; this app reads {expected}."),
            found=str(document.get("format")),
            expected=FORMAT,
        )
    return document


def _check_limits(form: FormDefinition, answers: Any) -> None:
    """Refuse answers past what the window can hold, naming the question and the bound."""
    over = over_limits(form, answers)
    if not over:
        return
    first = over[0]
    message = (
        N_(
            "The answer to \u201c{question}\u201d ({path}) has {found} characters; this form "
            "holds at most {limit}. Shorten it in the file, or remove it, and import again."
        )
        if first.unit == "characters"
        else N_(
            "The answer to \u201c{question}\u201d ({path}) has {found} entries; this form "
            "holds at most {limit}. Remove some in the file and import again."
        )
    )
    raise DraftFileError(
        message,
        question=Translated(first.fdef.label),
        path=first.path,
        found=first.found,
        limit=first.limit,
    )


def import_draft(store: DraftsStore, text: str) -> ImportResult:
    """Create a new draft from a draft file's text, after checking all of it."""
    document = parse_draft_document(text)
    form_id = document.get("form_id", "hrc-join")
    try:
        form = (
            store.registry.get(form_id, document["form_version"])
            if "form_version" in document
            else store.registry.latest(form_id)
        )
    except (FormDefinitionError, TypeError) as error:
        raise DraftFileError(
            N_("This draft is for a form this app does not know ({form} {version})."),
            form=str(form_id),
            version=str(document.get("form_version", "")),
        ) from error
    answers = document.get("answers")
    report = validate(form, answers)
    structural = [f for f in report.findings if f.code in STRUCTURAL_CODES]
    if structural:
        raise DraftFileError(
            N_("The answers in this file do not fit the form: {paths}. Correct them and retry."),
            paths=", ".join(f.path or "answers" for f in structural),
        )
    _check_limits(form, answers)
    files = _decode_files(document)
    set_aside = document.get("set_aside") or {}
    if not isinstance(set_aside, dict) or len(json.dumps(set_aside)) > MAX_SET_ASIDE_CHARACTERS:
        raise DraftFileError(
            N_("The answers in this file do not fit the form: {paths}. Correct them and retry."),
            paths="set_aside",
        )
    language = document.get("language")
    if language is not None and language not in LANGUAGE_CODES:
        raise DraftFileError(
            N_(
                "This draft file says its answers are in the language {language}, which this "
                "app does not offer. Correct the file (one of {languages}) and import it again."
            ),
            language=str(language)[:20],
            languages=", ".join(LANGUAGE_CODES),
        )
    missing = (referenced_hashes(answers) | referenced_hashes(set_aside)) - set(files)
    if missing:
        raise DraftFileError(N_("This draft file names attached files that are not in it."))
    with transaction(store.db):
        for data in files.values():
            store_blob(store.db, data)
        draft = store.create(
            answers,
            form_id=form.form_id,
            form_version=form.version,
            language=language,
            set_aside=set_aside,
        )
    return ImportResult(draft=draft, report=report)
