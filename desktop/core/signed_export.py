"""A signed form's files, written to a folder: what another computer needs to verify it.

The envelope, the signed PDF, the picture of the handwritten signature and every attached
document, under names a person recognises. `hrcities verify ENVELOPE --files FOLDER` on any
computer then checks all of it (files are matched by their SHA-256, never by name). Qt-free:
the window's "Export signed files" and `hrcities drafts export-signed` call the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.core.file_names import safe_name
from desktop.core.store.drafts import DraftsStore, Submission
from i18n.errors import UserError
from i18n.translate import N_
from schemas.attachments import attachment_refs
from sync.durable import write_atomically


class NotSigned(UserError):
    """The draft has no signed submission to export."""

    code = "not_signed"


class ExportRefused(UserError):
    """The folder is missing, or files of that name are already there."""

    code = "export_refused"


@dataclass(frozen=True)
class PlannedFile:
    """One file to write: its name in the folder and its bytes."""

    name: str
    data: bytes


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem}-{number}.{suffix}" if suffix else f"{stem}-{number}"
    taken.add(candidate.casefold())
    return candidate


def plan(store: DraftsStore, draft_id: str) -> tuple[Submission, list[PlannedFile]]:
    """The files of a signed draft, named, in the order they are written."""
    submission = store.submission_for(draft_id)
    if submission is None:
        raise NotSigned(
            N_(
                "This draft is not signed, so it has no signed files. Sign it first, or export "
                "the draft itself with hrcities drafts export."
            )
        )
    taken: set[str] = set()
    files = [PlannedFile(_unique(f"{submission.id}.envelope.json", taken), submission.envelope)]
    if submission.signed_pdf:
        files.append(
            PlannedFile(
                _unique(f"{submission.id}.pdf", taken),
                store.attachment_bytes(submission.signed_pdf),
            )
        )
    files.append(
        PlannedFile(
            _unique(f"{submission.id}.signature.png", taken),
            store.attachment_bytes(submission.signature_image),
        )
    )
    for ref in attachment_refs(store.get(draft_id).answers):
        name = safe_name(str(ref.get("name", "")), f"{ref['sha256'][:12]}.bin")
        files.append(PlannedFile(_unique(name, taken), store.attachment_bytes(ref["sha256"])))
    return submission, files


def check_folder(folder: Path, names: list[str], *, replace: bool) -> None:
    """Refuse before writing anything: a folder whose parent is missing (a mistyped path), a
    path that is a file, or files of these names already there (unless `replace`)."""
    if folder.exists() and not folder.is_dir():
        raise ExportRefused(
            N_("{path} is a file, not a folder. Give the name of a folder to write into."),
            path=str(folder),
        )
    if not folder.exists() and not folder.parent.is_dir():
        raise ExportRefused(
            N_(
                "The folder {path} does not exist, so nothing was written. Check the name, or "
                "that the USB stick is connected, and try again."
            ),
            path=str(folder.parent),
        )
    if replace or not folder.is_dir():
        return
    there = sorted(name for name in names if (folder / name).exists())
    if there:
        raise ExportRefused(
            N_(
                "{folder} already holds {names}, so nothing was written. Choose another folder, "
                "or confirm that they may be replaced (on the command line: --force)."
            ),
            folder=str(folder),
            names=", ".join(there[:3]) + (" …" if len(there) > 3 else ""),
        )


def export_signed(
    store: DraftsStore, draft_id: str, folder: Path, *, replace: bool = False
) -> list[Path]:
    """Write a signed draft's files into `folder` (made if only it is missing); return them.

    Everything is checked before the first file is written; each file is written whole (a
    temporary file renamed into place), so a pulled-out USB stick leaves whole files or none.
    """
    _submission, files = plan(store, draft_id)
    check_folder(folder, [f.name for f in files], replace=replace)
    try:
        folder.mkdir(exist_ok=True)
        written = []
        for planned in files:
            path = folder / planned.name
            write_atomically(path, planned.data)
            written.append(path)
    except OSError as error:
        raise ExportRefused(
            N_(
                "The signed files could not be written to {path} ({reason}). Check that the "
                "disk or USB stick is connected and has free space, then try again."
            ),
            path=str(error.filename or folder),
            reason=error.strerror or str(error),
        ) from error
    return written
