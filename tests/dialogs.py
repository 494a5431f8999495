"""Answering the app's modal dialogs from a test: wait for the dialog, then act on it.

A modal dialog runs its own event loop (`exec()`), so the test cannot act after the call that
opens it: it arms an answer first, and the answer acts from inside that loop once the dialog is
there. A fixed `QTimer.singleShot(100, ...)` guesses when that is: too early on a slow machine
(no dialog yet), and the test waits for nothing on a fast one. `answer_next_dialog` polls until
a dialog of the expected kind is shown, acts on it, and fails the test, naming what was on the
screen instead, when none comes in time (closing whatever other dialog blocks, so the test ends
instead of hanging).

    with answer_next_dialog(qtbot, QMessageBox, press(QMessageBox.StandardButton.Yes)) as asked:
        window.empty_trash()
    assert "deleted for good" in asked.text
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from tests.leftovers import describe

D = TypeVar("D", bound=QWidget)
POLL_MS = 10
WATCHDOG_POLL_MS = 250
_armed = [0]  # answers still waiting for their dialog: the watchdog leaves dialogs to them


@dataclasses.dataclass
class Answer(Generic[D]):
    """What the answered dialog showed (read before the action closed it) and what it returned."""

    kind: type[D]
    title: str = ""
    text: str = ""
    value: Any = None
    answered: bool = False
    timed_out: bool = False
    error: BaseException | None = None
    seen: list[str] = dataclasses.field(default_factory=list)


def _shown(kind: type[QWidget]) -> QWidget | None:
    modal = QApplication.activeModalWidget()
    if isinstance(modal, kind) and modal.isVisible():
        return modal
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None
    )


def _close(widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        widget.reject()
    else:
        widget.close()


@contextlib.contextmanager
def answer_next_dialog(
    qtbot, kind: type[D], action: Callable[[D], Any], *, timeout_ms: int = 5000
) -> Iterator[Answer[D]]:
    """Within the block, the next `kind` dialog shown is answered by `action(dialog)`.

    On leaving the block the dialog must have been answered (waiting for it if the block opened
    it without blocking); an exception raised by `action` is raised again there."""
    answer: Answer[D] = Answer(kind)
    deadline = time.monotonic() + timeout_ms / 1000
    poller = QTimer()
    poller.setInterval(POLL_MS)

    def stop() -> None:
        if poller.isActive():
            poller.stop()
            _armed[0] -= 1  # answered or given up: a dialog still open is the watchdog's again

    def poll() -> None:
        dialog = _shown(kind)
        if dialog is not None:
            stop()
            answer.title = dialog.windowTitle()
            if isinstance(dialog, QMessageBox):
                answer.text = dialog.text()
            try:
                answer.value = action(dialog)  # type: ignore[arg-type]
            except BaseException as error:  # raised again in the test, not lost in Qt's loop
                answer.error = error
                if dialog.isVisible():
                    _close(dialog)
            answer.answered = True
        elif time.monotonic() > deadline:
            stop()
            answer.timed_out = True
            answer.seen = [describe(w) for w in QApplication.topLevelWidgets() if w.isVisible()]
            blocking = QApplication.activeModalWidget()
            if blocking is not None:
                _close(blocking)  # another dialog: let its exec() return, so the test can fail

    poller.timeout.connect(poll)
    poller.start()
    _armed[0] += 1
    try:
        yield answer
        if not (answer.answered or answer.timed_out):
            qtbot.waitUntil(lambda: answer.answered or answer.timed_out, timeout=timeout_ms + 1000)
    finally:
        stop()
    if answer.error is not None:
        raise answer.error
    if not answer.answered:
        pytest.fail(
            f"no {kind.__name__} appeared within {timeout_ms} ms; shown instead: "
            f"{answer.seen or 'nothing'}",
            pytrace=False,
        )


def press(button: QMessageBox.StandardButton) -> Callable[[QMessageBox], None]:
    """An answer: press one of a message box's standard buttons."""

    def answer(box: QMessageBox) -> None:
        box.button(button).click()

    return answer


def press_labelled(text: str) -> Callable[[QMessageBox], None]:
    """An answer: press the message box's button showing `text` (mnemonic ampersands ignored)."""

    def answer(box: QMessageBox) -> None:
        labels = {b.text().replace("&", ""): b for b in box.buttons()}
        assert text in labels, f"no button {text!r} among {sorted(labels)}"
        labels[text].click()

    return answer


def choose_file(qtbot, path: Path) -> Callable[[QFileDialog], None]:
    """An answer: a file dialog given `path` (typed in full in its name field) and accepted.

    The dialog lists folders in the background and, as a listing arrives, may put its initial
    file name back in the field (seen as draft.json written in the chosen folder): so the path is
    typed again until the dialog reports it, and accepted in the same turn of the event loop,
    before anything else can change it."""
    wanted = str(path)

    def choose(dialog: QFileDialog) -> None:
        name_field = dialog.findChild(QLineEdit, "fileNameEdit")

        def given() -> bool:
            if dialog.selectedFiles() != [wanted]:
                if name_field is not None:
                    name_field.setText(wanted)
                else:
                    dialog.selectFile(wanted)
            return dialog.selectedFiles() == [wanted]

        dialog.selectFile(wanted)
        qtbot.waitUntil(given, timeout=5000)
        assert given(), f"the file dialog holds {dialog.selectedFiles()}, not {wanted}"
        dialog.accept()

    return choose


def reject(dialog: QDialog) -> None:
    """An answer: Cancel (Esc)."""
    dialog.reject()


@contextlib.contextmanager
def dismissing_dialogs() -> Iterator[list[str]]:
    """Within the block, any modal dialog is cancelled as soon as it shows, and named in the list
    yielded: for a teardown that must never wait for an answer nobody will give."""
    dismissed: list[str] = []
    poller = QTimer()
    poller.setInterval(POLL_MS)

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.isVisible():
            text = f": {modal.text()!r}" if isinstance(modal, QMessageBox) else ""
            dismissed.append(describe(modal) + text)
            _close(modal)

    poller.timeout.connect(poll)
    poller.start()
    try:
        yield dismissed
    finally:
        poller.stop()


@contextlib.contextmanager
def unanswered_dialog_watchdog(seconds: float) -> Iterator[list[str]]:
    """A modal dialog that nothing answers would wait for ever, and the test run with it: one
    left open `seconds` with no answer armed is cancelled and named in the list yielded."""
    cancelled: list[str] = []
    seen: dict[int, float] = {}  # id of the modal dialog -> when it was first seen
    poller = QTimer()
    poller.setInterval(WATCHDOG_POLL_MS)

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or not modal.isVisible() or _armed[0]:
            seen.clear()
            return
        first = seen.setdefault(id(modal), time.monotonic())
        if time.monotonic() - first > seconds:
            text = f": {modal.text()!r}" if isinstance(modal, QMessageBox) else ""
            cancelled.append(describe(modal) + text)
            seen.clear()
            _close(modal)

    poller.timeout.connect(poll)
    poller.start()
    try:
        yield cancelled
    finally:
        poller.stop()
