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

from desktop.store.attachments import referenced_hashes, store_blob
from desktop.store.database import transaction
from desktop.store.drafts import Draft, DraftsStore
from i18n.errors import UserError
from i18n.translate import N_
from schemas.forms import FormDefinitionError
from schemas.validation import ValidationReport, validate
from sync.durable import write_atomically

FORMAT = "hrcities-draft/1"
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


def write_draft_file(store: DraftsStore, draft_id: str, path: Path) -> None:
    """Export a draft to a file, replacing it only once the whole text is written."""
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
    files = _decode_files(document)
    set_aside = document.get("set_aside") or {}
    if not isinstance(set_aside, dict):
        raise DraftFileError(
            N_("The answers in this file do not fit the form: {paths}. Correct them and retry."),
            paths="set_aside",
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
            language=document.get("language")
            if isinstance(document.get("language"), str)
            else None,
            set_aside=set_aside,
        )
    return ImportResult(draft=draft, report=report)
