"""Starting the window: the Qt application, the store, crash recovery notices and backups."""

from __future__ import annotations

import runpy
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QLocale, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.background import run_in_background
from desktop.language_switch import LanguageSwitcher
from desktop.main_window import MainWindow, restore_focus
from desktop.store.drafts import DraftsStore
from i18n import formatting
from i18n.languages import supported, system_language
from i18n.translate import _

BACKUP_CHECK_MS = 10 * 60 * 1000


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
    """Save, record a clean end, close the store."""
    window.close_draft(show_home=False)
    window.store.mark_session_ended()
    window.store.close()


def _run_script(script: Path, window: MainWindow, app: QApplication) -> None:
    """Run a test script inside the app; if it fails, say why and end the app (exit status 2)."""
    try:
        runpy.run_path(str(script), {"window": window, "app": app})
    except BaseException:  # a failing script must not leave the app running unattended
        traceback.print_exc()
        app.exit(2)


def run_app(data_dir: Path, script: Path | None = None) -> int:
    """Run the window until it is closed; `script` (tests only) runs once it is shown."""
    app = make_application()
    window = open_window(data_dir)
    window.show()
    restore_focus(window)
    if script is not None:
        QTimer.singleShot(0, lambda: _run_script(script, window, app))
    code = app.exec()
    close_window(window)
    return code
