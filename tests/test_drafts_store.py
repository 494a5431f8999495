"""The drafts store, on a real SQLite file: every operation, the limits, and what survives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktop.core.store.attachments import (
    DOCX,
    MAX_ATTACHMENT_BYTES,
    ODT,
    AttachmentTooLarge,
    AttachmentUnreadable,
    sniff_media_type,
)
from desktop.core.store.database import DATABASE_NAME, transaction
from desktop.core.store.drafts import (
    REVISIONS_KEPT,
    DraftLocked,
    DraftNotFound,
    DraftsStore,
    Submission,
)
from tests.factories import complete_answers, recorded_submission

PDF = b"%PDF-1.7\n" + b"0" * 100


class Clock:
    """A clock the test moves by hand, so ordering by time is exact."""

    def __init__(self, step: dt.timedelta = dt.timedelta(seconds=1)) -> None:
        self.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
        self.step = step

    def __call__(self) -> dt.datetime:
        self.now += self.step
        return self.now


@pytest.fixture
def clocked(tmp_path: Path):
    opened = DraftsStore.open(tmp_path, clock=Clock())
    yield opened
    opened.close()


def test_the_database_is_durable_wal_with_full_sync(store: DraftsStore) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_create_then_list_shows_name_country_status_completion_and_time(
    clocked: DraftsStore,
) -> None:
    first = clocked.create({"lrg_name": "Rabat", "country": "MA"}, language="ar")
    second = clocked.create(complete_answers())
    listed = clocked.list()
    assert [d.id for d in listed] == [second.id, first.id]
    assert (listed[1].name, listed[1].country, listed[1].status) == ("Rabat", "MA", "draft")
    assert 0 < listed[1].completion < 1
    assert listed[0].completion == 1.0
    assert listed[0].updated_at > listed[1].updated_at
    assert (first.form_id, first.form_version, first.language) == ("hrc-join", "2022", "ar")


def test_save_updates_answers_listing_and_history(clocked: DraftsStore) -> None:
    draft = clocked.create()
    result = clocked.save(draft.id, {"lrg_name": "Quito", "country": "EC", "inhabitants": 2800000})
    assert result.changed
    stored = clocked.get(draft.id)
    assert stored.answers == {"lrg_name": "Quito", "country": "EC", "inhabitants": 2800000}
    assert stored.updated_at == result.saved_at
    assert clocked.list()[0].name == "Quito"
    history = clocked.revisions(draft.id)
    assert len(history) == 1, "a save a second after the last one updates the newest revision"
    assert clocked.revision_answers(history[0].id) == stored.answers
    assert [f.path for f in result.report.wrong] == []


def test_steady_typing_makes_one_revision_per_minute_not_one_per_save(tmp_path: Path) -> None:
    clock = Clock(step=dt.timedelta(seconds=1))
    store = DraftsStore.open(tmp_path, clock=clock)
    try:
        draft = store.create()
        for second in range(1, 150):  # a save every second for two and a half minutes
            store.save(draft.id, {"vision": "word " * second})
        history = store.revisions(draft.id)
        assert len(history) == 3, [r.saved_at for r in history]
        assert store.revision_answers(history[0].id) == store.get(draft.id).answers
        store.save(draft.id, {"vision": "kept apart"}, new_revision=True)
        assert len(store.revisions(draft.id)) == 4, "an explicit save starts a revision"
        clock.now -= dt.timedelta(hours=2)  # the PC's clock was put back
        store.save(draft.id, {"vision": "after the clock jumped"})
        assert len(store.revisions(draft.id)) == 5, "a clock gone back starts a revision"
    finally:
        store.close()


def test_saving_the_same_answers_writes_nothing(clocked: DraftsStore) -> None:
    draft = clocked.create({"lrg_name": "Jember"})
    before = clocked.get(draft.id)
    result = clocked.save(draft.id, {"lrg_name": "Jember"})
    assert not result.changed
    assert clocked.get(draft.id).updated_at == before.updated_at
    assert len(clocked.revisions(draft.id)) == 1


def test_only_the_last_fifty_revisions_are_kept_and_any_can_be_restored(tmp_path: Path) -> None:
    clocked = DraftsStore.open(tmp_path, clock=Clock(step=dt.timedelta(minutes=2)))
    draft = clocked.create()
    for number in range(REVISIONS_KEPT + 10):
        clocked.save(draft.id, {"vision": f"Version {number}"})
    history = clocked.revisions(draft.id)
    assert len(history) == REVISIONS_KEPT
    assert clocked.revision_answers(history[0].id) == {"vision": f"Version {REVISIONS_KEPT + 9}"}
    assert clocked.revision_answers(history[-1].id) == {"vision": "Version 10"}
    clocked.restore_revision(draft.id, history[-1].id)
    assert clocked.get(draft.id).answers == {"vision": "Version 10"}
    newest = clocked.revisions(draft.id)[1]
    assert clocked.revision_answers(newest.id) == {"vision": f"Version {REVISIONS_KEPT + 9}"}
    with pytest.raises(DraftNotFound):
        clocked.restore_revision(draft.id, 10**9)
    clocked.close()


def test_duplicate_is_a_separate_draft(clocked: DraftsStore) -> None:
    draft = clocked.create({"lrg_name": "Grigny"})
    copy = clocked.duplicate(draft.id)
    assert copy.id != draft.id
    assert copy.answers == draft.answers
    clocked.save(copy.id, {"lrg_name": "Grigny 2"})
    assert clocked.get(draft.id).answers == {"lrg_name": "Grigny"}


def test_trash_and_restore_move_a_draft_and_empty_trash_deletes_it_with_its_history(
    clocked: DraftsStore,
) -> None:
    keep = clocked.create({"lrg_name": "Vienna"})
    drop = clocked.create({"lrg_name": "Utrecht"})
    clocked.trash(drop.id)
    assert [d.id for d in clocked.list()] == [keep.id]
    assert [d.id for d in clocked.list(trashed=True)] == [drop.id]
    clocked.restore(drop.id)
    assert {d.id for d in clocked.list()} == {keep.id, drop.id}
    clocked.trash(drop.id)
    assert clocked.empty_trash() == 1
    assert clocked.list(trashed=True) == []
    with pytest.raises(DraftNotFound):
        clocked.get(drop.id)
    left = clocked.db.execute("SELECT COUNT(*) FROM revisions WHERE draft_id = ?", [drop.id])
    assert left.fetchone()[0] == 0


def test_unknown_ids_are_a_clear_error(store: DraftsStore) -> None:
    for action in (store.get, store.trash, store.restore, store.duplicate, store.revisions):
        with pytest.raises(DraftNotFound) as raised:
            action("no-such-draft")
        assert "no-such-draft" in str(raised.value)


def test_last_opened_draft_is_remembered_until_trashed(clocked: DraftsStore) -> None:
    assert clocked.last_opened() is None
    draft = clocked.create()
    clocked.create()
    clocked.open_draft(draft.id)
    assert clocked.last_opened() == draft.id
    clocked.trash(draft.id)
    assert clocked.last_opened() is None


def test_a_signed_draft_is_never_edited(store: DraftsStore) -> None:
    draft = store.create({"lrg_name": "Gwangju"})
    with transaction(store.db):
        store.db.execute("UPDATE drafts SET status = 'signed' WHERE id = ?", [draft.id])
    with pytest.raises(DraftLocked):
        store.save(draft.id, {"lrg_name": "Changed"})
    assert store.get(draft.id).answers == {"lrg_name": "Gwangju"}


def test_attachments_are_stored_once_by_hash_with_name_type_and_size(
    store: DraftsStore, tmp_path: Path
) -> None:
    path = tmp_path / "charter.pdf"
    path.write_bytes(PDF)
    first = store.add_attachment(path)
    second = store.add_attachment_bytes(PDF, "copy-of-charter.pdf")
    assert first["sha256"] == second["sha256"]
    assert (first["name"], first["media_type"], first["size"]) == (
        "charter.pdf",
        "application/pdf",
        len(PDF),
    )
    assert second["name"] == "copy-of-charter.pdf"
    assert store.db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    assert store.attachment_bytes(first["sha256"]) == PDF


def test_an_attachment_over_25_mb_is_refused_and_nothing_is_stored(
    store: DraftsStore, tmp_path: Path
) -> None:
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(AttachmentTooLarge) as raised:
        store.add_attachment(path)
    assert "25 MB" in str(raised.value)
    with pytest.raises(AttachmentTooLarge):
        store.add_attachment_bytes(b"x" * (MAX_ATTACHMENT_BYTES + 1), "big.png")
    assert store.db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 0
    exact = tmp_path / "exact.pdf"
    exact.write_bytes(b"%PDF-" + b"0" * (MAX_ATTACHMENT_BYTES - 5))
    assert store.add_attachment(exact)["size"] == MAX_ATTACHMENT_BYTES


def test_a_missing_file_is_a_clear_error(store: DraftsStore, tmp_path: Path) -> None:
    with pytest.raises(AttachmentUnreadable) as raised:
        store.add_attachment(tmp_path / "gone.pdf")
    assert "gone.pdf" in str(raised.value)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "x.bin", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n0000", "photo.jpg", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "photo", "image/jpeg"),
        (_zip({"mimetype": ODT.encode(), "content.xml": b"<x/>"}), "plan.zip", ODT),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), "p.zip", DOCX),
        (_zip({"a.txt": b"a"}), "notes.zip", "application/zip"),
        (b"hello", "notes.txt", "text/plain"),
        (b"\x00\x01", "mystery", "application/octet-stream"),
    ],
)
def test_the_type_is_read_from_the_content(data: bytes, name: str, expected: str) -> None:
    assert sniff_media_type(data, name) == expected


def test_empty_trash_forgets_attachments_no_draft_uses(clocked: DraftsStore) -> None:
    kept = clocked.add_attachment_bytes(PDF, "kept.pdf")
    dropped = clocked.add_attachment_bytes(b"\x89PNG\r\n\x1a\nimage", "dropped.png")
    keep = clocked.create({"local_actions": [{"description": "x", "documents": [kept]}]})
    drop = clocked.create({"local_actions": [{"description": "y", "documents": [dropped]}]})
    clocked.trash(drop.id)
    clocked.empty_trash()
    hashes = {row[0] for row in clocked.db.execute("SELECT sha256 FROM blobs")}
    assert hashes == {kept["sha256"]}
    assert clocked.get(keep.id).answers["local_actions"][0]["documents"] == [kept]


def test_what_was_saved_is_there_after_reopening(tmp_path: Path) -> None:
    store = DraftsStore.open(tmp_path)
    draft = store.create()
    store.save(draft.id, complete_answers())
    store.close()
    with sqlite3.connect(tmp_path / DATABASE_NAME) as plain:
        assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened = DraftsStore.open(tmp_path)
    try:
        assert reopened.get(draft.id).answers == complete_answers()
        assert not reopened.open_report.recovered
        assert reopened.open_report.message() == ""
    finally:
        reopened.close()


def _submission(draft_id: str, signature_sha: str, submission_id: str = "sub-1") -> Submission:
    return recorded_submission(
        draft_id, signature_sha, submission_id, envelope=b'{"payload": "signed bytes"}'
    )


def test_signing_locks_the_draft_and_keeps_the_envelope_as_signed(store: DraftsStore) -> None:
    draft = store.create(complete_answers())
    png = b"\x89PNG\r\n\x1a\nsignature"
    submission = _submission(draft.id, hashlib.sha256(png).hexdigest())
    store.record_signature(submission, png, b"%PDF-1.7 signed")
    assert store.get(draft.id).status == "signed"
    assert store.submission_for(draft.id) == submission
    assert store.attachment_bytes(submission.signature_image) == png
    with pytest.raises(DraftLocked):
        store.save(draft.id, {"lrg_name": "changed"})
    with pytest.raises(DraftLocked):
        store.record_signature(
            _submission(draft.id, submission.signature_image, "sub-2"), png, None
        )
    assert store.submission_for(draft.id).id == "sub-1", "a failed second signing leaves nothing"


def test_correcting_makes_a_new_draft_naming_the_submission(store: DraftsStore) -> None:
    draft = store.create(complete_answers())
    png = b"\x89PNG\r\n\x1a\nsig"
    store.record_signature(_submission(draft.id, hashlib.sha256(png).hexdigest()), png, None)
    correction = store.correct(draft.id)
    assert correction.id != draft.id
    assert correction.corrects == "sub-1"
    assert correction.status == "draft"
    assert correction.answers == complete_answers()
    store.save(correction.id, complete_answers() | {"inhabitants": 2600000})
    assert store.get(draft.id).answers == complete_answers(), "the signed one never changes"
    with pytest.raises(DraftNotFound):
        store.correct(correction.id)


def test_emptying_the_trash_keeps_what_signed_forms_use(store: DraftsStore) -> None:
    keep = store.create(complete_answers())
    png = b"\x89PNG\r\n\x1a\nsig"
    submission = dataclasses.replace(
        _submission(keep.id, hashlib.sha256(png).hexdigest()),
        signed_pdf=hashlib.sha256(b"%PDF").hexdigest(),
    )
    store.record_signature(submission, png, b"%PDF")
    drop = store.create({"lrg_name": "x"})
    store.trash(drop.id)
    store.empty_trash()
    assert store.attachment_bytes(hashlib.sha256(png).hexdigest()) == png
    assert store.attachment_bytes(hashlib.sha256(b"%PDF").hexdigest()) == b"%PDF"


def test_emptying_the_trash_never_deletes_a_signed_form_that_has_not_been_sent(
    store: DraftsStore,
) -> None:
    """Before the fix a signed submission in the trash went with it: envelope, PDF and all."""
    document = store.add_attachment_bytes(PDF, "annex.pdf")
    signed = store.create(
        {**complete_answers(), "local_actions": [{"description": "x", "documents": [document]}]}
    )
    png = b"\x89PNG\r\n\x1a\nsig"
    submission = dataclasses.replace(
        _submission(signed.id, hashlib.sha256(png).hexdigest()),
        signed_pdf=hashlib.sha256(b"%PDF").hexdigest(),
    )
    store.record_signature(submission, png, b"%PDF")
    plain = store.create({"lrg_name": "plain draft"})
    store.trash(signed.id)
    store.trash(plain.id)
    contents = store.trash_contents()
    assert (contents.deleted, contents.kept_signed) == (1, 1)
    assert store.empty_trash() == 1
    assert [d.id for d in store.list(trashed=True)] == [signed.id]
    kept = store.submission_for(signed.id)
    assert kept is not None
    assert kept.envelope == submission.envelope
    for sha256 in (document["sha256"], hashlib.sha256(png).hexdigest(), kept.signed_pdf):
        assert store.attachment_bytes(sha256)
    assert store.trash_contents().deleted == 0


def test_answers_set_aside_keep_their_files_and_travel_in_draft_files(store: DraftsStore) -> None:
    from desktop.core.store.draft_files import export_draft, import_draft  # noqa: PLC0415

    ref = store.add_attachment_bytes(PDF, "old-annex.pdf")
    draft = store.create({"lrg_name": "Quito"}, set_aside={"old_question": {"documents": [ref]}})
    other = store.create({"lrg_name": "x"})
    store.trash(other.id)
    store.empty_trash()
    assert store.attachment_bytes(ref["sha256"]) == PDF, "set-aside files are not thrown away"
    document = export_draft(store, draft.id)
    assert ref["sha256"] in document["files"]
    copy = import_draft(store, json.dumps(document)).draft
    assert copy.set_aside == {"old_question": {"documents": [ref]}}
