"""The signing screen (desktop.signing.signing_dialog), used as the mayor's office does."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt, QThreadPool
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from desktop.core.signing import verify_submission
from desktop.signing.signing_dialog import SigningDialog
from sync import office_key
from tests.dialogs import answer_next_dialog
from tests.factories import OFFICE_PASSPHRASE, complete_answers
from tests.leftovers import wait_for_background

# Real Argon2id, slow enough (about 0.15 s here) for Esc to be pressed many times while it runs.
RACE_KDF = office_key.KdfParameters(iterations=2, lanes=1, memory_cost=64 * 1024)
RACE_SECONDS = 30


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


def test_the_window_signs_with_a_drawn_signature(launch, qtbot, office) -> None:
    data_dir, key = office
    window = launch(data_dir)
    draft = window.store.create(complete_answers())
    window.open_draft(draft.id)
    window.form_view.go_to_summary()
    assert window.form_view.summary.sign_button.isEnabled()

    def fill_in_and_sign(dialog: SigningDialog) -> str:
        assert "Jember" in dialog.statement.text()
        assert key.fingerprint in dialog.office.text()
        assert not dialog.sign_button.isEnabled(), "no signature drawn yet"
        pad = dialog.signature.pad
        _drag(pad, [(30, 80), (60, 40), (90, 90), (120, 50), (160, 85)])
        _drag(pad, [(40, 110), (200, 105)])
        dialog.passphrase.setText("not the passphrase at all")
        dialog.sign_button.click()
        qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=5000)
        refused = dialog.error.text()
        assert dialog.isVisible(), "a wrong passphrase leaves the screen open"
        assert not pad.is_empty(), "and the drawn signature as it was"
        dialog.passphrase.setText(OFFICE_PASSPHRASE)
        dialog.sign_button.click()
        return refused

    with answer_next_dialog(qtbot, SigningDialog, fill_in_and_sign) as signing:
        window.form_view.summary.sign_button.click()
    assert "passphrase" in signing.value.lower()
    submission = window.store.submission_for(draft.id)
    assert submission is not None, "signed"
    stored = office_key.read_key_file(office_key.load_key_file(data_dir))
    assert stored.kdf == office_key.DEFAULT_KDF, "the signing screen re-wraps a weaker key file"
    assert window.form_view.submission == submission
    assert window.form_view.banner is not None
    assert window.form_view.banner.isVisible()
    assert not window.form_view.section_pages[0].rows["lrg_name"].isEnabled(), "read-only"
    assert verify_submission(window.store, submission.envelope).ok
    window.form_view.correct_button.click()
    assert window.session.draft.corrects == submission.id
    assert window.form_view.submission is None
    assert window.form_view.section_pages[0].rows["lrg_name"].isEnabled()


@pytest.fixture
def slow_office(tmp_path: Path) -> Path:
    """A data folder whose office key takes a noticeable moment to unlock."""
    data_dir = tmp_path / "data"
    _key, data = office_key.create_key("Kantor Bupati Jember", OFFICE_PASSPHRASE, kdf=RACE_KDF)
    office_key.save_key_file(data_dir, data)
    return data_dir


@pytest.mark.parametrize(
    ("passphrase", "signs"),
    [(OFFICE_PASSPHRASE, True), ("not the passphrase at all", False)],
    ids=["right-passphrase", "wrong-passphrase"],
)
def test_esc_and_close_while_the_key_unlocks_never_cancel_yet_sign(
    launch, qtbot, slow_office: Path, passphrase: str, signs: bool
) -> None:
    """Esc and the close button, pressed over and over from the moment Sign is clicked, race a
    real unlock in the background and the delivery of its outcome. It used to be possible to
    close the screen (cancelled, to the person) and have the form signed a moment later."""
    window = launch(slow_office)
    draft = window.store.create(complete_answers())
    window.open_draft(draft.id)
    pool = QThreadPool.globalInstance()
    race: dict = {"presses": 0, "while_unlocking": 0, "errors": set()}

    def sign_then_press_esc_and_close(dialog: SigningDialog) -> None:
        _drag(dialog.signature.pad, [(30, 80), (90, 40), (160, 85)])
        dialog.passphrase.setText(passphrase)
        wait_for_background(qtbot)  # the PDF signer's preload: from now on, only the unlock runs
        dialog.sign_button.click()
        deadline = time.monotonic() + RACE_SECONDS
        while dialog.isVisible() and time.monotonic() < deadline:
            race["while_unlocking"] += pool.activeThreadCount() > 0
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
            dialog.close()  # what the window's close button does
            race["presses"] += 1
            if dialog.error.text():
                race["errors"].add(dialog.error.text())
            qtbot.wait(2)  # the event loop runs: the unlock's outcome may arrive between presses
        race["result"] = dialog.result()

    with answer_next_dialog(qtbot, SigningDialog, sign_then_press_esc_and_close):
        window.sign_action.trigger()
    wait_for_background(qtbot)  # judged once the unlock and whatever it triggers have ended

    assert race["while_unlocking"] >= 1, f"no press landed while the key unlocked: {race}"
    submission = window.store.submission_for(draft.id)
    accepted = race["result"] == QDialog.DialogCode.Accepted
    assert accepted == (submission is not None), f"the screen and the store disagree: {race}"
    if submission is not None:  # signed, and everything says so
        assert window.store.get(draft.id).status == "signed"
        assert verify_submission(window.store, submission.envelope).ok
        assert window.form_view.submission == submission
        assert "The form is signed" in window.statusBar().currentMessage()
    else:  # not signed, and nothing recorded
        assert window.store.get(draft.id).status == "draft"
        assert window.form_view.submission is None
        assert "signed" not in window.statusBar().currentMessage()
    assert (submission is not None) == signs
    if not signs:
        assert any("passphrase" in error.lower() for error in race["errors"]), race


def test_the_office_name_is_isolated_in_a_right_to_left_sentence(qtbot, office) -> None:
    from desktop.core.draft_session import DraftSession  # noqa: PLC0415
    from desktop.core.store.drafts import DraftsStore  # noqa: PLC0415
    from i18n.formatting import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE  # noqa: PLC0415
    from i18n.translate import set_language  # noqa: PLC0415

    data_dir, key = office
    store = DraftsStore.open(data_dir)
    set_language("ar")
    try:
        session = DraftSession(store, store.create(complete_answers()))
        dialog = SigningDialog(session, data_dir)
        qtbot.addWidget(dialog)
        wait_for_background(qtbot)  # the PDF signer's preload
        text = dialog.office.text()
        assert f"{FIRST_STRONG_ISOLATE}{key.office_name}{POP_DIRECTIONAL_ISOLATE}" in text
        dialog.close()
    finally:
        set_language("en")
        store.close()
