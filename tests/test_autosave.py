"""Autosave (desktop.autosave) in the window: what happens when the disk refuses a save.

Written against what a person sees (the text stays, the status bar says so, the save happens
once it can), not against the timer's intervals, which are the autosave's to choose.
"""

from __future__ import annotations

from desktop.main_window import MainWindow
from tests.keyboard import type_text

RETRY_WAIT_MS = 20_000  # the retry comes by itself, a few seconds after a failed save
TEXT = "Hak asasi manusia adalah dasar pelayanan publik kami."


def refuse_writes(window: MainWindow, refused: bool) -> None:
    """SQLite refuses every write, with the error a read-only disk or file gives (as root, a
    read-only file mode would not stop it), or takes them again."""
    window.store.db.execute(f"PRAGMA query_only = {'ON' if refused else 'OFF'}")


def test_a_refused_save_keeps_the_text_says_so_and_is_retried_until_it_succeeds(
    launch, qtbot
) -> None:
    window = launch()
    window.new_draft()
    draft_id = window.session.draft_id
    refuse_writes(window, True)
    window.form_view.go_to_field("vision")
    editor = window.form_view.section_pages[1].rows["vision"].editor.focus_widget()
    type_text(editor, TEXT)
    qtbot.waitUntil(lambda: "could not be saved" in window.save_status.text(), timeout=10_000)
    assert "The text is still here" in window.save_status.text()
    assert window.store.get(draft_id).answers == {}, "nothing was written"
    assert window.session.answers == {"vision": TEXT}
    assert editor.toPlainText() == TEXT
    assert window.session.dirty

    refuse_writes(window, False)  # the disk is back; nobody types
    qtbot.waitUntil(
        lambda: window.store.get(draft_id).answers == {"vision": TEXT}, timeout=RETRY_WAIT_MS
    )
    qtbot.waitUntil(lambda: window.save_status.text().startswith("Saved "), timeout=5000)
    assert not window.session.dirty
