"""Every unexpected failure reaches the person: a dialog in their language, and the log.

Installed once when the window opens. It catches what nothing else did: an exception in a slot
(PySide6 hands those to `sys.excepthook`), in a Python thread, in a background task that has no
failure callback, and Qt's own warnings (through its message handler). Each goes to the log in
the data folder with its traceback; the person sees what happened in words, with "Copy details"
for whoever helps them. While one such dialog is open, further failures are added to its
details instead of opening dialogs on top of each other.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from desktop.version import __version__
from i18n.translate import _

log = logging.getLogger(__name__)
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class ErrorDialog(QDialog):
    """What went wrong, in words, with the technical details one click away."""

    def __init__(self, summary: str, details: str, log_file: Path | None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(_("Something went wrong"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        where = (
            _("A record of it is kept in {path}.").format(path=log_file)
            if log_file is not None
            else ""
        )
        self.message.setText(
            _(
                "Something went wrong that the app did not expect ({summary}). What you typed "
                "is kept: the app saves it as you type. If it happens again, choose “Copy "
                "details” and send them to whoever helps you with hrcities."
            ).format(summary=summary)
            + ("\n\n" + where if where else "")
        )
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setPlainText(details)
        self.details.setAccessibleName(_("Details"))
        self.details.hide()
        self.show_details = QPushButton(_("Show &details"), self)
        self.show_details.setCheckable(True)
        self.show_details.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(_("&Copy details"), self)
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.show_details, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(560, 220)

    def _toggle_details(self, shown: bool) -> None:
        """Grow to show the details below the message; the message keeps all its lines."""
        self.details.setVisible(shown)
        if shown:
            self.resize(self.width(), max(self.height(), self.sizeHint().height() + 160))

    def add(self, details: str) -> None:
        """Another failure while this dialog is open: one more entry in its details."""
        self.details.appendPlainText("\n" + details)

    def copy_details(self) -> None:
        """Put the version, the system and the tracebacks on the clipboard."""
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(_("Copied"))


class ErrorHook(QObject):
    """The process-wide catcher; failures from any thread are shown on the main thread."""

    _arrived = Signal(str, str)

    def __init__(self, log_file: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.dialog: ErrorDialog | None = None
        self.shown: list[str] = []  # summaries shown, for tests and the curious
        self._arrived.connect(self._show)

    def report(self, error: BaseException, where: str = "") -> None:
        """Log an unexpected failure and tell the person (from any thread)."""
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        log.error("unexpected failure%s\n%s", f" in {where}" if where else "", trace.rstrip())
        summary = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        details = (
            f"hrcities {__version__}, Python {platform.python_version()}, "
            f"{platform.platform()}\n{trace}"
        )
        self._arrived.emit(summary[:300], details)

    def _show(self, summary: str, details: str) -> None:
        self.shown.append(summary)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add(details)
            return
        parent = QApplication.activeWindow()
        self.dialog = ErrorDialog(summary, details, self.log_file, parent)
        self.dialog.finished.connect(lambda _code: self._closed())
        self.dialog.open()  # not exec(): a failure must not start a nested event loop

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None


_hook: ErrorHook | None = None
_previous_qt_handler = None


def report_unexpected(error: BaseException, where: str = "") -> None:
    """Tell the person about a failure nothing else handled (logged only before install)."""
    if _hook is not None:
        _hook.report(error, where)
    else:
        log.error("unexpected failure in %s", where or "?", exc_info=error)


def _excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    report_unexpected(error.with_traceback(trace))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        name = args.thread.name if args.thread is not None else "a thread"
        report_unexpected(args.exc_value, name)


def _qt_messages(kind: QtMsgType, context, message: str) -> None:
    level = _QT_LEVELS.get(kind, logging.WARNING)
    logging.getLogger("qt").log(level, "%s (%s:%s)", message, context.file, context.line)


def install(log_file: Path | None, parent: QObject) -> ErrorHook:
    """Catch every unexpected failure from now on; `parent` (the application) owns the hook."""
    global _hook, _previous_qt_handler  # noqa: PLW0603 - one hook per process, like sys.excepthook
    _hook = ErrorHook(log_file, parent)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    _previous_qt_handler = qInstallMessageHandler(_qt_messages)
    return _hook


def uninstall() -> None:
    """Give the hooks back (the app has ended; tests)."""
    global _hook, _previous_qt_handler
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
    qInstallMessageHandler(_previous_qt_handler)
    _hook, _previous_qt_handler = None, None
