"""Signing a draft end to end: the core steps, the command line and the window."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop.cli import main
from desktop.pdf_export import form_pdf
from desktop.signing import NotReadyToSign, relevant_answers, sign_draft, verify_submission
from desktop.store.drafts import DraftChangedWhileSigning, DraftLocked, DraftsStore
from sync import office_key
from sync.signed_pdf import verify_signed_pdf
from tests.factories import complete_answers, tiny_png
from tests.keys import floor_key

PASSPHRASE = "kopi tubruk jember hujan sore"
PNG_1PX = tiny_png()


@pytest.fixture
def office(tmp_path: Path) -> tuple[Path, office_key.OfficeKey]:
    """A data folder with an office key (made once, at the floor of the key derivation)."""
    data_dir = tmp_path / "data"
    key, data = floor_key("Kantor Bupati Jember", PASSPHRASE)
    office_key.save_key_file(data_dir, data)
    return data_dir, key


def test_a_signed_draft_is_locked_and_verifies_with_its_pdf(office, qapp) -> None:
    data_dir, key = office
    store = DraftsStore.open(data_dir)
    try:
        answers = complete_answers() | {"lrg_type": "district", "lrg_type_other": "kept aside"}
        document = store.add_attachment_bytes(b"%PDF-1.4 charter", "perda.pdf")
        answers["local_actions"][0]["documents"] = [document]
        draft = store.create(answers)
        submission = sign_draft(store, draft.id, key, PNG_1PX, make_pdf=form_pdf)
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


def test_the_command_line_signs_and_verifies(office, tmp_path: Path, capsys) -> None:
    data_dir, _key = office
    store = DraftsStore.open(data_dir)
    draft = store.create(complete_answers())
    store.close()
    signature = tmp_path / "signature.png"
    signature.write_bytes(PNG_1PX)
    secret = tmp_path / "passphrase.txt"
    secret.write_text("wrong words entirely here\n", encoding="utf-8")
    base = ["--data-dir", str(data_dir)]
    sign = [*base, "sign", draft.id, "--signature-image", str(signature), "--yes"]
    assert main([*sign, "--passphrase-file", str(secret)]) == 1
    assert "passphrase" in capsys.readouterr().err.lower()
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert office_key.read_key_file(office_key.load_key_file(data_dir)).kdf == office_key.FLOOR_KDF
    assert main([*sign, "--passphrase-file", str(secret), "--out", str(out)]) == 0
    assert "Signed." in capsys.readouterr().out
    stored = office_key.read_key_file(office_key.load_key_file(data_dir))
    assert stored.kdf == office_key.DEFAULT_KDF, "hrcities sign re-wraps a weaker key file"
    (envelope,) = out.glob("*.envelope.json")
    (pdf,) = out.glob("*.pdf")
    assert main([*base, "verify", str(envelope)]) == 0
    assert "Everything checked is in order." in capsys.readouterr().out
    assert main([*base, "verify", str(pdf)]) == 0
    capsys.readouterr()
    altered = bytearray(envelope.read_bytes())
    altered[len(altered) // 2] ^= 0x01
    envelope.write_bytes(bytes(altered))
    assert main([*base, "verify", str(envelope)]) == 1
    assert "FAILED" in capsys.readouterr().out
    pdfsig = shutil.which("pdfsig")
    if pdfsig:
        shown = subprocess.run([pdfsig, str(pdf)], capture_output=True, text=True, check=False)
        assert "Signature Validation: Signature is Valid" in shown.stdout, shown.stdout


def test_keys_commands_create_show_back_up_and_restore(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    secret = tmp_path / "passphrase.txt"
    secret.write_text("password\n", encoding="utf-8")
    base = ["--data-dir", str(data_dir)]
    assert (
        main([*base, "keys", "create", "--office", "Grigny", "--passphrase-file", str(secret)]) == 1
    )
    assert "too easy to guess" in capsys.readouterr().err
    assert not office_key.key_path(data_dir).exists()
    assert main([*base, "keys", "show"]) == 1
    capsys.readouterr()


def _drag(pad, points: list[tuple[int, int]]) -> None:
    """A stroke with the mouse: press, moves with the button held, release."""

    def send(kind, x: int, y: int, buttons) -> None:
        event = QMouseEvent(
            kind,
            QPointF(x, y),
            pad.mapToGlobal(QPointF(x, y)),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(pad, event)

    held = Qt.MouseButton.LeftButton
    send(QMouseEvent.Type.MouseButtonPress, *points[0], held)
    for x, y in points[1:]:
        send(QMouseEvent.Type.MouseMove, x, y, held)
    send(QMouseEvent.Type.MouseButtonRelease, *points[-1], Qt.MouseButton.NoButton)


@pytest.mark.gui
def test_the_window_signs_with_a_drawn_signature(launch, qtbot, office) -> None:
    data_dir, key = office
    window = launch(data_dir)
    draft = window.store.create(complete_answers())
    window.open_draft(draft.id)
    window.form_view.go_to_summary()
    assert window.form_view.summary.sign_button.isEnabled()
    outcome: list[str] = []

    def fill_in_and_sign() -> None:
        from desktop.signing_dialog import SigningDialog  # noqa: PLC0415

        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SigningDialog)
        assert "Kabupaten Jember" in dialog.statement.text() or "Jember" in dialog.statement.text()
        assert key.fingerprint in dialog.office.text()
        assert not dialog.sign_button.isEnabled(), "no signature drawn yet"
        pad = dialog.signature.pad
        _drag(pad, [(30, 80), (60, 40), (90, 90), (120, 50), (160, 85)])
        _drag(pad, [(40, 110), (200, 105)])
        dialog.passphrase.setText("not the passphrase at all")
        dialog.sign_button.click()
        qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=5000)
        outcome.append(dialog.error.text())
        assert dialog.isVisible(), "a wrong passphrase leaves the screen open"
        assert not pad.is_empty(), "and the drawn signature as it was"
        dialog.passphrase.setText(PASSPHRASE)
        dialog.sign_button.click()

    QTimer.singleShot(100, fill_in_and_sign)
    window.form_view.summary.sign_button.click()
    assert "passphrase" in outcome[0].lower()
    stored = office_key.read_key_file(office_key.load_key_file(data_dir))
    assert stored.kdf == office_key.DEFAULT_KDF, "the signing screen re-wraps a weaker key file"
    submission = window.store.submission_for(draft.id)
    assert submission is not None, "signed"
    assert window.form_view.submission == submission
    assert window.form_view.banner is not None
    assert window.form_view.banner.isVisible()
    assert not window.form_view.section_pages[0].rows["lrg_name"].isEnabled(), "read-only"
    assert verify_submission(window.store, submission.envelope).ok
    window.form_view.correct_button.click()
    assert window.session.draft.corrects == submission.id
    assert window.form_view.submission is None
    assert window.form_view.section_pages[0].rows["lrg_name"].isEnabled()


def test_keys_commands_round_trip(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    secret, new_secret = tmp_path / "secret.txt", tmp_path / "new-secret.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    new_secret.write_text("pohon kelapa di pantai selatan\n", encoding="utf-8")
    base = ["--data-dir", str(data_dir), "keys"]
    assert (
        main(
            [*base, "create", "--office", "Kantor Bupati Jember", "--passphrase-file", str(secret)]
        )
        == 0
    )
    created = capsys.readouterr().out
    kid = office_key.read_key_file(office_key.load_key_file(data_dir)).kid
    assert office_key.read_key_file(office_key.load_key_file(data_dir)).fingerprint in created
    assert main([*base, "create", "--office", "Other", "--passphrase-file", str(secret)]) == 1
    assert "another office key" in capsys.readouterr().err, "no key is replaced silently"
    assert main([*base, "show", "--qr"]) == 0
    assert kid in capsys.readouterr().out
    backup = tmp_path / "usb" / "office-key.json"
    backup.parent.mkdir()
    assert main([*base, "export", str(backup)]) == 0
    assert (
        main(
            [
                *base,
                "passwd",
                "--passphrase-file",
                str(secret),
                "--new-passphrase-file",
                str(new_secret),
            ]
        )
        == 0
    )
    changed = office_key.load_key_file(data_dir)
    office_key.unlock(changed, "pohon kelapa di pantai selatan")
    assert office_key.read_key_file(changed).kdf == office_key.DEFAULT_KDF
    other = tmp_path / "other-computer"
    assert main(["--data-dir", str(other), "keys", "import", str(backup)]) == 0
    assert office_key.read_key_file(office_key.load_key_file(other)).kid == kid
    backup.write_bytes(b"{not a key}")
    assert main(["--data-dir", str(tmp_path / "third"), "keys", "import", str(backup)]) == 1
    assert "not a usable office key backup" in capsys.readouterr().err


def test_answers_saved_while_signing_are_never_locked_in_unsigned(office, qapp) -> None:
    data_dir, key = office
    store = DraftsStore.open(data_dir)
    try:
        draft = store.create(complete_answers())

        def pdf_while_someone_saves(form, answers, block) -> bytes:
            store.save(draft.id, complete_answers() | {"inhabitants": 999})  # another window
            return form_pdf(form, answers, block)

        with pytest.raises(DraftChangedWhileSigning):
            sign_draft(store, draft.id, key, PNG_1PX, make_pdf=pdf_while_someone_saves)
        assert store.get(draft.id).status == "draft"
        assert store.submission_for(draft.id) is None
        sign_draft(store, draft.id, key, PNG_1PX)  # signing again now signs what is stored
        envelope = store.submission_for(draft.id).envelope
        assert verify_submission(store, envelope).envelope.payload["answers"]["inhabitants"] == 999
    finally:
        store.close()


@pytest.mark.gui
def test_escape_while_the_key_unlocks_does_not_sign_behind_the_users_back(office, qtbot) -> None:
    from desktop.app import make_application  # noqa: PLC0415
    from desktop.draft_session import DraftSession  # noqa: PLC0415
    from desktop.signing_dialog import SigningDialog  # noqa: PLC0415

    make_application()
    data_dir, _key = office
    store = DraftsStore.open(data_dir)
    try:
        draft = store.create(complete_answers())
        dialog = SigningDialog(DraftSession(store, store.get(draft.id)), data_dir)
        qtbot.addWidget(dialog)
        dialog.show()
        _drag(dialog.signature.pad, [(30, 80), (90, 40), (160, 85)])
        dialog.passphrase.setText(PASSPHRASE)
        dialog._set_busy(True)  # as while the key unlocks
        dialog.reject()
        dialog.close()
        assert dialog.isVisible(), "Esc and the close button wait for the signing to end"
        dialog._set_busy(False)
        dialog.reject()
        assert not dialog.isVisible()
        assert store.submission_for(draft.id) is None
    finally:
        store.close()


def test_signing_on_the_command_line_shows_the_statement_and_asks(
    office, tmp_path: Path, capsys, monkeypatch
) -> None:
    data_dir, _key = office
    store = DraftsStore.open(data_dir)
    draft = store.create(complete_answers())
    store.close()
    signature = tmp_path / "signature.png"
    signature.write_bytes(PNG_1PX)
    secret = tmp_path / "passphrase.txt"
    secret.write_bytes(b"\xef\xbb\xbf" + PASSPHRASE.encode() + b"\r\n")  # as Notepad writes it
    sign = ["--data-dir", str(data_dir), "sign", draft.id, "--signature-image", str(signature)]
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main([*sign, "--passphrase-file", str(secret), "--language", "fr"]) == 1
    shown = capsys.readouterr()
    assert "Je soussigné(e), Hendy Siswanto" in shown.out
    assert DraftsStore.open(data_dir).get(draft.id).status == "draft"
    monkeypatch.setattr("builtins.input", lambda prompt: "oui")
    assert main([*sign, "--passphrase-file", str(secret), "--language", "fr"]) == 0
    store = DraftsStore.open(data_dir)
    try:
        payload = verify_submission(store, store.submission_for(draft.id).envelope).envelope.payload
        assert payload["statement_language"] == "fr"
        assert payload["statement"].startswith("Je soussigné(e), Hendy Siswanto")
    finally:
        store.close()


def test_an_office_name_from_a_key_file_is_shown_escaped(tmp_path: Path, capsys) -> None:
    """A backup from someone else's USB stick names its office as it likes."""
    _key, data = floor_key(
        "Mairie\x1b[2K\rEverything checked is in order.", "violet anchor drizzle pumpkin"
    )
    office_key.save_key_file(tmp_path / "data", data)
    assert main(["--data-dir", str(tmp_path / "data"), "keys", "show"]) == 0
    out = capsys.readouterr().out
    assert "Office: Mairie\\x1b[2K\\x0dEverything checked is in order." in out
    assert "\x1b" not in out
