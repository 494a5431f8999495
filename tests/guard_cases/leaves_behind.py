"""Each test leaves one thing behind: the leftover guard must fail it, naming what it left."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.background import run_in_background
from tests.dialogs import answer_next_dialog

KEPT: list[object] = []  # references that outlive the test, as a forgotten attribute would
RELEASE = threading.Event()


def test_leaves_a_window_open(qapp) -> None:
    dialog = QDialog()
    dialog.setObjectName("leftOpen")
    dialog.show()
    KEPT.append(dialog)


def test_leaves_a_timer_running(qapp) -> None:
    owner = QObject(qapp)
    owner.setObjectName("leftover")
    QTimer(owner).start(60_000)


def test_leaves_a_single_shot_pending(qapp) -> None:
    QTimer.singleShot(60_000, lambda: None)


def test_leaves_a_thread_running(qapp) -> None:
    threading.Thread(target=RELEASE.wait, args=(0.5,), name="forgotten", daemon=True).start()


def test_leaves_background_work_running(qapp) -> None:
    run_in_background(lambda: RELEASE.wait(0.5))


def test_leaves_a_question_unanswered(qapp) -> None:
    QMessageBox(QMessageBox.Icon.Question, "Asked", "Nobody answers this").exec()


def test_answers_a_question_but_leaves_it_open(qtbot) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Asked", "Answered, yet left open")
    with answer_next_dialog(qtbot, QMessageBox, lambda _box: None):
        box.exec()


def test_tidies_up(qtbot) -> None:
    """Last, and it passes: the guard tidied up after the others."""
    RELEASE.set()
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.show()
