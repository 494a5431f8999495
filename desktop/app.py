"""Starting the window: the Qt application, the store, crash recovery notices and backups."""

from __future__ import annotations

import contextlib
import os
import runpy
import signal
import socket
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QSettings, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import error_hook
from desktop.background import run_in_background
from desktop.core.logs import setup_logging
from desktop.core.store.drafts import DraftsStore
from desktop.window.language_switch import LanguageSwitcher
from desktop.window.main_window import MainWindow, restore_focus
from i18n import formatting
from i18n.errors import UserError
from i18n.languages import supported, system_language
from i18n.translate import N_, _

BACKUP_CHECK_MS = 10 * 60 * 1000
# Tests and benchmarks only: a Python file run inside the app once the window is shown. An
# environment variable, not an option, so that it is not offered to people as a feature.
TEST_SCRIPT_VARIABLE = "HRCITIES_TEST_SCRIPT"
# What a system sends when it shuts down or a session logs out (SIGTERM), a terminal closes
# (SIGHUP) or someone presses Ctrl+C in the terminal that started the app (SIGINT).
SHUTDOWN_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")


def make_application() -> QApplication:
    """The one QApplication, created once."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("hrcities")
    app.setOrganizationName("hrcities")
    return app


def first_start_language() -> str:
    """The computer's interface language when the app speaks it (Qt asks the system itself:
    on Windows the environment says nothing about it), else what the environment says."""
    for name in QLocale.system().uiLanguages():
        found = supported(name)
        if found:
            return found
    return system_language()


def open_window(data_dir: Path) -> MainWindow:
    """Open the store and the window, back at the draft of last time when there was one."""
    store = DraftsStore.open(data_dir)
    crashed_since = store.mark_session_started()
    settings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    app = make_application()
    switcher = app.findChild(LanguageSwitcher) or LanguageSwitcher(app)
    switcher.apply(supported(str(settings.value("language", ""))) or first_start_language())
    window = MainWindow(store, settings, switcher.apply)
    last = store.last_opened()
    if last is not None:
        window.open_draft(last)
        if crashed_since is not None and window.session is not None:
            window.tell(
                _(
                    "The app was not closed properly last time (a power cut?). Your draft was "
                    "reopened as it was last saved, {when}."
                ).format(when=formatting.moment(window.session.saved_at))
            )
    if store.open_report.recovered:
        message = store.open_report.message()
        QTimer.singleShot(
            0, window, lambda: QMessageBox.warning(window, _("Drafts recovered"), message)
        )
    timer = QTimer(window)
    timer.setInterval(BACKUP_CHECK_MS)
    timer.timeout.connect(lambda: run_in_background(store.backup_if_due))
    timer.start()
    # The window is the context: gone with it, the first backup does not run on a closed store.
    QTimer.singleShot(60_000, window, lambda: run_in_background(store.backup_if_due))
    return window


def close_window(window: MainWindow) -> None:
    """Save, record a clean end, close the store; nobody is asked anything any more."""
    window.close_draft(show_home=False, interactive=False)
    window.stop_watching()
    window.store.mark_session_ended()
    window.store.close()


def _run_script(script: Path, window: MainWindow, app: QApplication) -> None:
    """Run a test script inside the app; if it fails, say why and end the app (exit status 2)."""
    try:
        runpy.run_path(str(script), {"window": window, "app": app})
    except BaseException:  # a failing script must not leave the app running unattended
        traceback.print_exc()
        app.exit(2)


class ShutdownSignals(QObject):
    """Turns SIGTERM, SIGHUP and SIGINT into a clean end: everything saved, no crash notice.

    Qt's event loop runs in C++, where Python cannot run its signal handlers; the signal's byte
    on a wake-up socket makes Qt hand control back to Python, which then runs the handler.
    """

    def __init__(self, on_signal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._previous = {}
        for name in SHUTDOWN_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                self._previous[number] = signal.signal(number, self._handle)

    def _drain(self) -> None:
        with contextlib.suppress(OSError):  # nothing to read is as good as having read it
            self._reader.recv(256)

    def _handle(self, _number: int, _frame: object) -> None:
        # Runs between Python bytecodes on the main thread; the work is done from the loop.
        QTimer.singleShot(0, self._on_signal)

    def uninstall(self) -> None:
        """Give the signals back (the app is ending) and close the wake-up socket."""
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


def run_app(data_dir: Path) -> int:
    """Run the window until it is closed or the system ends the session."""
    app = make_application()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _cannot_start(
            UserError(
                N_(
                    "The data folder {path} could not be made ({reason}). Check that the disk "
                    "is connected and writable, or choose another folder with --data-dir."
                ),
                path=str(data_dir),
                reason=error.strerror or str(error),
            )
        )
    error_hook.install(setup_logging(data_dir), app)
    try:
        window = open_window(data_dir)
    except UserError as error:  # the drafts file busy in another window, a data folder refused
        error_hook.uninstall()
        return _cannot_start(error)
    window.show()
    restore_focus(window)

    def shut_down() -> None:
        window.save_for_shutdown()
        app.quit()

    signals = ShutdownSignals(shut_down, app)
    # Windows and desktop sessions ask before logging out: everything is saved there too.
    app.commitDataRequest.connect(lambda _manager: window.save_for_shutdown())
    script = os.environ.get(TEST_SCRIPT_VARIABLE)
    if script:
        QTimer.singleShot(0, lambda: _run_script(Path(script), window, app))
    code = app.exec()
    close_window(window)
    signals.uninstall()
    error_hook.uninstall()
    return code


def _cannot_start(error: UserError) -> int:
    """The window cannot open: say why, in the person's language, and end (status 1)."""
    from desktop.window.language_switch import LanguageSwitcher  # noqa: PLC0415

    app = make_application()
    switcher = app.findChild(LanguageSwitcher) or LanguageSwitcher(app)
    switcher.apply(first_start_language())
    QMessageBox.critical(None, _("hrcities cannot start"), str(error))
    return 1
