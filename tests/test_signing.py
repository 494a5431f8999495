"""Signing a draft (desktop.core.signing): from the answers to a locked submission that verifies.

The command line's signing is in test_cli_signing.py, the signing screen in
test_signing_dialog.py.
"""

from __future__ import annotations

import hashlib

import pytest

from desktop.core.signing import NotReadyToSign, relevant_answers, sign_draft, verify_submission
from desktop.core.store.drafts import DraftChangedWhileSigning, DraftLocked, DraftsStore
from sync.signed_pdf import verify_signed_pdf
from tests.factories import complete_answers, tiny_png

PNG_1PX = tiny_png()


@pytest.fixture
def make_pdf(qapp):
    """The form's PDF as the window and `hrcities sign` make it (Qt lays it out)."""
    from desktop.form.pdf_export import form_pdf  # noqa: PLC0415 - Qt, for the tests that need it

    return form_pdf


def test_a_signed_draft_is_locked_and_verifies_with_its_pdf(office, make_pdf) -> None:
    data_dir, key = office
    store = DraftsStore.open(data_dir)
    try:
        answers = complete_answers() | {"lrg_type": "district", "lrg_type_other": "kept aside"}
        document = store.add_attachment_bytes(b"%PDF-1.4 charter", "perda.pdf")
        answers["local_actions"][0]["documents"] = [document]
        draft = store.create(answers)
        submission = sign_draft(store, draft.id, key, PNG_1PX, make_pdf=make_pdf)
        assert store.get(draft.id).status == "signed"
        with pytest.raises(DraftLocked):
            store.save(draft.id, complete_answers())
        report = verify_submission(store, submission.envelope)
        assert report.ok, [c.code for c in report.failures]
        payload = report.envelope.payload
        assert "lrg_type_other" not in payload["answers"], "only the questions asked are signed"
        assert payload["answers"] == relevant_answers(store.form_for(draft), answers)
        assert payload["signature_image"]["sha256"] == hashlib.sha256(PNG_1PX).hexdigest()
        assert [a["sha256"] for a in payload["attachments"]] == [document["sha256"]]
        pdf = store.attachment_bytes(submission.signed_pdf)
        checked = verify_signed_pdf(pdf)
        assert (checked.intact, checked.valid, checked.covers_whole_file) == (True, True, True)
        assert checked.signer_kid == key.kid
        with pytest.raises(DraftLocked):
            sign_draft(store, draft.id, key, PNG_1PX)
    finally:
        store.close()


def test_an_unfinished_draft_cannot_be_signed_and_nothing_changes(office) -> None:
    data_dir, key = office
    store = DraftsStore.open(data_dir)
    try:
        draft = store.create({"lrg_name": "Rabat"})
        with pytest.raises(NotReadyToSign):
            sign_draft(store, draft.id, key, PNG_1PX)
        assert store.get(draft.id).status == "draft"
        assert store.submission_for(draft.id) is None
    finally:
        store.close()


def test_answers_saved_while_signing_are_never_locked_in_unsigned(office, make_pdf) -> None:
    data_dir, key = office
    store = DraftsStore.open(data_dir)
    try:
        draft = store.create(complete_answers())

        def pdf_while_someone_saves(form, answers, block) -> bytes:
            store.save(draft.id, complete_answers() | {"inhabitants": 999})  # another window
            return make_pdf(form, answers, block)

        with pytest.raises(DraftChangedWhileSigning):
            sign_draft(store, draft.id, key, PNG_1PX, make_pdf=pdf_while_someone_saves)
        assert store.get(draft.id).status == "draft"
        assert store.submission_for(draft.id) is None
        sign_draft(store, draft.id, key, PNG_1PX)  # signing again now signs what is stored
        envelope = store.submission_for(draft.id).envelope
        assert verify_submission(store, envelope).envelope.payload["answers"]["inhabitants"] == 999
    finally:
        store.close()
