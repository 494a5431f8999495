"""A form whose fields are named otherwise: everything that needs the name, the country, the
signer or the date finds them through the form's roles (schemas.forms roles, desktop.core)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from desktop.core.draft_session import DraftSession
from desktop.core.file_names import document_name
from desktop.core.signed_export import export_signed
from desktop.core.signing import sign_draft, verify_submission
from desktop.core.store.drafts import DraftsStore
from schemas.forms import FORMS_DIR, FormRegistry
from sync.envelope import parse_envelope
from sync.verify import verify_envelope
from tests.conftest import FIXTURE_FORMS
from tests.factories import tiny_png

OTHER_FORM = "ward-pledge"


@pytest.fixture
def registry() -> FormRegistry:
    return FormRegistry((FORMS_DIR, FIXTURE_FORMS))


def _fill(session: DraftSession) -> None:
    """Answer the way the window does: question by question, then the statement's prefill."""
    for field_id, value in {
        "municipio": "Kota Bandung",
        "pais": "ID",
        "tipo": "district",
        "habitantes": 2_500_000,
        "firmante": "Siti Rahma",
        "cargo": "Wali Kota",
        "fecha": "2026-11-30",
    }.items():
        session.set_answer(field_id, value)
    session.prefill(session.form.section("pledge"))
    assert session.report.overall.fraction == 1, session.report


def test_a_form_with_other_field_ids_lists_signs_and_verifies(
    office, registry, qapp, tmp_path: Path
) -> None:
    from desktop.form.pdf_export import form_pdf  # noqa: PLC0415 - Qt lays the PDF out

    data_dir, key = office
    store = DraftsStore.open(data_dir, registry=registry)
    try:
        draft = store.create(form_id=OTHER_FORM, language="fr")
        session = DraftSession(store, draft)
        _fill(session)
        _generation, answers = session.snapshot()
        store.save(draft.id, answers)

        (listed,) = store.list()
        assert (listed.name, listed.country) == ("Kota Bandung", "ID")
        assert document_name(session.form, answers, ".pdf", "form") == "Kota Bandung.pdf"

        submission = sign_draft(store, draft.id, key, tiny_png(), make_pdf=form_pdf)
        payload = parse_envelope(submission.envelope).payload
        assert payload["form_id"] == OTHER_FORM
        assert (payload["signer_name"], payload["signer_position"], payload["signed_on"]) == (
            "Siti Rahma",
            "Wali Kota",
            "2026-11-30",
        )
        assert "Siti Rahma" in payload["statement"]
        assert "Kota Bandung" in payload["statement"], "the territory, prefilled from the name"

        report = verify_submission(store, submission.envelope)
        assert report.ok, [c.code for c in report.failures]

        folder = tmp_path / "usb"
        folder.mkdir()
        export_signed(store, draft.id, folder)
        exported = {
            hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes() for p in folder.iterdir()
        }
        elsewhere = verify_envelope(submission.envelope, exported.get, registry)
        assert elsewhere.ok, [c.code for c in elsewhere.failures]
        without_form = verify_envelope(
            submission.envelope, exported.get, FormRegistry((FORMS_DIR,))
        )
        assert not without_form.ok, "a form the reader does not have cannot be checked"
    finally:
        store.close()


def test_the_listing_follows_the_role_not_a_field_called_lrg_name(registry, tmp_path) -> None:
    store = DraftsStore.open(tmp_path / "data", registry=registry)
    try:
        draft = store.create({"lrg_name": "not a question here"}, form_id=OTHER_FORM)
        assert store.list()[0].name == ""
        store.save(draft.id, {"municipio": "Cuenca", "pais": "EC"})
        (listed,) = store.list()
        assert (listed.name, listed.country) == ("Cuenca", "EC")
    finally:
        store.close()
