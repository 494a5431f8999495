"""Autosave (desktop.form.autosave) in the window: when it saves, and what happens when the disk
refuses a save.

The refusal test is written against what a person sees (the text stays, the status bar says so,
the save happens once it can), not against the timer's intervals, which are the autosave's.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from desktop.form.autosave import DELAY_MS, MAX_DELAY_MS
from desktop.window.main_window import MainWindow
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


def test_steady_typing_is_saved_at_least_every_second(launch, qtbot) -> None:
    """The timer used to restart on every key: typing without a pause was never saved."""
    window = launch()
    window.new_draft()
    started: list[float] = []
    window.autosave.saving.connect(lambda: started.append(time.monotonic()))
    typed = {"words": 0}

    def type_a_word() -> None:
        typed["words"] += 1
        window.session.set_answer("vision", "word " * typed["words"])

    timer = QTimer(window)
    timer.timeout.connect(type_a_word)
    first = time.monotonic()
    timer.start(20)  # a word every 20 ms: never a pause as long as the autosave's
    qtbot.waitUntil(lambda: len(started) >= 4, timeout=6000)
    timer.stop()
    gaps = [b - a for a, b in zip([first, *started], started, strict=False)]
    assert max(gaps) < 1.0, gaps
    assert MAX_DELAY_MS < 1000 < DELAY_MS * 4
    window.autosave.flush()
    stored = window.store.get(window.session.draft_id).answers["vision"]
    assert stored.split() == ["word"] * typed["words"]


def test_a_pause_saves_half_a_second_after_the_last_key(launch, qtbot) -> None:
    window = launch()
    window.new_draft()
    window.session.set_answer("lrg_name", "Kaolack")
    typed_at = time.monotonic()
    saved: list[float] = []
    window.autosave.saved.connect(lambda _when: saved.append(time.monotonic()))
    qtbot.waitUntil(lambda: bool(saved), timeout=3000)
    assert DELAY_MS / 1000 * 0.9 <= saved[0] - typed_at < 1.0
    assert window.save_status.text().startswith("Saved ")
