"""The error hook: every unexpected failure reaches the person (a dialog) and the log."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import error_hook
from desktop.background import run_in_background
from desktop.core.logs import log_path, setup_logging

SECRET = "correct horse battery staple"


@pytest.fixture
def hooked(qapp, tmp_path: Path):
    """The hook installed as `hrcities` installs it, with the log in a fresh data folder."""
    log_file = setup_logging(tmp_path)
    hook = error_hook.install(log_file, qapp)
    yield hook
    if hook.dialog is not None:
        hook.dialog.close()
    error_hook.uninstall()
    setup_logging(None)


def _log(tmp_path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_path(tmp_path).read_text(encoding="utf-8")


def _fail_in_a_slot(passphrase: str) -> None:
    raise RuntimeError("the disk went away")


@pytest.mark.qt_no_exception_capture
def test_a_failing_slot_shows_a_dialog_in_words_and_logs_the_traceback(
    qtbot, hooked, tmp_path: Path
) -> None:
    QTimer.singleShot(0, lambda: _fail_in_a_slot(SECRET))
    qtbot.waitUntil(lambda: hooked.dialog is not None and hooked.dialog.isVisible(), timeout=3000)
    dialog = hooked.dialog
    assert "did not expect" in dialog.message.text()
    assert "RuntimeError: the disk went away" in dialog.message.text()
    assert str(log_path(tmp_path)) in dialog.message.text()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "_fail_in_a_slot" in copied
    assert "hrcities " in copied
    log = _log(tmp_path)
    assert "RuntimeError: the disk went away" in log
    assert "_fail_in_a_slot" in log
    assert SECRET not in log, "a value the failing code held went into the log"


@pytest.mark.qt_no_exception_capture
def test_failures_while_the_dialog_is_open_join_it_instead_of_piling_up(qtbot, hooked) -> None:
    QTimer.singleShot(0, lambda: _fail_in_a_slot(""))
    QTimer.singleShot(0, lambda: _fail_in_a_slot(""))
    qtbot.waitUntil(lambda: len(hooked.shown) == 2, timeout=3000)
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog"]
    assert len([d for d in dialogs if d.isVisible()]) == 1
    assert hooked.dialog.details.toPlainText().count("RuntimeError: the disk went away") == 2


def test_a_background_task_without_a_failure_callback_is_not_lost(qtbot, hooked) -> None:
    def work() -> None:
        raise OSError("no space left on device")

    task = run_in_background(work)
    assert task.wait(5)
    qtbot.waitUntil(lambda: hooked.dialog is not None, timeout=3000)
    assert "no space left on device" in hooked.shown[0]


def test_a_failing_python_thread_reaches_the_dialog(qtbot, hooked) -> None:
    def work() -> None:
        raise ValueError("thread gave up")

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join(5)
    qtbot.waitUntil(lambda: hooked.dialog is not None, timeout=3000)
    assert hooked.shown == ["ValueError: thread gave up"]


@pytest.mark.no_qt_log
def test_library_log_lines_and_qt_warnings_go_to_the_log_not_the_terminal(
    hooked, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("pyhanko.sign.validation").error("Traceback (most recent call last): x")
    qWarning("QFont: a Qt complaint")
    log = _log(tmp_path)
    assert "pyhanko.sign.validation" in log
    assert "QFont: a Qt complaint" in log
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert "Qt complaint" not in out + err


def test_without_a_data_folder_nothing_is_written_and_nothing_is_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "not-made"
    try:
        assert setup_logging(missing) is None
        logging.getLogger("pyhanko").error("a library complains")
    finally:
        setup_logging(None)
    assert not missing.exists()
    out, err = capfd.readouterr()
    assert "complains" not in out + err


def _message_box_text(qtbot) -> list[str]:
    """Read and close the next message box (the window shows it modally)."""
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.close()
        else:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    return seen


def test_new_draft_on_a_read_only_drafts_file_says_so_in_a_dialog(launch, qtbot) -> None:
    """Before the fix "New draft" only printed a traceback to stderr (lost on Windows)."""
    window = launch()
    window.store.db.execute("PRAGMA query_only = ON")  # SQLite refuses every write, as read-only
    seen = _message_box_text(qtbot)
    window.new_draft()
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert "could not be changed" in seen[0]
    assert "Nothing was changed" in seen[0]
    assert window.session is None
    window.store.db.execute("PRAGMA query_only = OFF")
