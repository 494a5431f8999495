"""One registry of windows that follow the language (desktop.retranslation)."""

from __future__ import annotations

import gc

from PySide6.QtWidgets import QWidget

from desktop.retranslation import follow_language, retranslate_all
from desktop.signing.signing_dialog import SigningDialog
from i18n.translate import _, set_language
from tests.factories import complete_answers
from tests.leftovers import wait_for_background


class Counting(QWidget):
    """A window that counts its retranslations."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def retranslate_ui(self) -> None:
        self.calls += 1


def test_registered_windows_follow_and_closed_ones_are_dropped(qtbot) -> None:
    kept, deleted_by_qt, forgotten = Counting(), Counting(), Counting()
    qtbot.addWidget(kept)
    for widget in (kept, deleted_by_qt, forgotten):
        follow_language(widget)
    assert retranslate_all() == 3
    assert (kept.calls, deleted_by_qt.calls, forgotten.calls) == (1, 1, 1)
    deleted_by_qt.deleteLater()  # Qt deletes it; the Python object lives on
    qtbot.wait(20)
    del forgotten, widget  # nothing holds it: the registry must not either
    gc.collect()
    assert retranslate_all() == 1
    assert (kept.calls, deleted_by_qt.calls) == (2, 1)


def test_a_second_window_follows_the_main_windows_language_change(launch, qtbot, office) -> None:
    data_dir, _key = office
    window = launch(data_dir)
    draft = window.store.create(complete_answers())
    window.open_draft(draft.id)
    dialog = SigningDialog(window.session, data_dir)  # a second top-level window, left open
    qtbot.addWidget(dialog)
    wait_for_background(qtbot)
    dialog.show()
    assert dialog.windowTitle() == "Sign the form"
    try:
        window.choose_language("fr")
        set_language("fr")
        french = _("Sign the form")
        assert french != "Sign the form"
        assert dialog.windowTitle() == french, "no call from the main window to the dialog"
    finally:
        window.choose_language("en")
        dialog.close()
