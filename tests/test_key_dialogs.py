"""The office key screens (desktop.signing.key_dialogs), opened from File > Office key."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from desktop.signing.key_dialogs import ChangePassphraseDialog, OfficeKeyDialog
from sync import office_key
from tests.dialogs import answer_next_dialog
from tests.factories import OFFICE_PASSPHRASE
from tests.keyboard import type_text

NEW_PASSPHRASE = "pohon kelapa di pantai selatan"


def test_changing_the_passphrase_in_the_window_keeps_the_key_under_the_new_passphrase(
    launch, qtbot, office
) -> None:
    data_dir, key = office
    window = launch(data_dir)
    before = office_key.load_key_file(data_dir)
    steps: list[str] = []

    def change(dialog: ChangePassphraseDialog) -> None:
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        type_text(dialog.current, OFFICE_PASSPHRASE)
        type_text(dialog.new_passphrase.first, "password")
        type_text(dialog.new_passphrase.second, "password")
        ok.click()
        steps.append(dialog.error.text())  # too easy to guess: refused before any unlocking
        assert dialog.isVisible()
        for field in (dialog.new_passphrase.first, dialog.new_passphrase.second):
            field.clear()
            type_text(field, NEW_PASSPHRASE)
        dialog.current.clear()
        type_text(dialog.current, "not the current passphrase")
        ok.click()
        qtbot.waitUntil(lambda: dialog.isEnabled() and bool(dialog.error.text()), timeout=5000)
        steps.append(dialog.error.text())  # wrong current passphrase: nothing changes
        assert office_key.load_key_file(data_dir) == before
        assert dialog.current.text() == "", "the wrong passphrase is cleared, to type again"
        type_text(dialog.current, OFFICE_PASSPHRASE)
        ok.click()  # the key is sealed again off the UI thread; the dialog closes when saved

    def change_from_the_key_screen(screen: OfficeKeyDialog) -> str:
        shown = screen.fingerprint.text()
        with answer_next_dialog(qtbot, ChangePassphraseDialog, change, timeout_ms=20_000):
            screen.passwd_button.click()
        assert screen.fingerprint.text() == shown, "the same key, so the same fingerprint"
        screen.reject()
        return shown

    with answer_next_dialog(qtbot, OfficeKeyDialog, change_from_the_key_screen) as screen:
        window.key_action.trigger()

    assert screen.value == key.fingerprint
    assert "Type a strong new passphrase twice" in steps[0]
    assert "passphrase" in steps[1].lower()
    after = office_key.load_key_file(data_dir)
    assert after != before
    unlocked = office_key.unlock(after, NEW_PASSPHRASE)
    assert unlocked.kid == key.kid, "the same key under a new passphrase"
