"""Shared fixtures, and the guards that keep every test honest and on its own.

- Qt tests run on the offscreen platform, set here so no display is needed.
- Every test that uses Qt is marked `gui` automatically: it asks for a Qt fixture (`qtbot`,
  `qapp`, `launch` or one that depends on them) or lives in a module that imports Qt.
  `pytest -m "not gui"` then runs the rest without importing PySide6 at all: pytest-qt is left
  out, Qt test modules are not collected, and a test that imports Qt anyway fails, named.
- A gui test that leaves a window open, a timer running, a thread or background work behind
  fails, naming what it left (tests/leftovers.py); a modal dialog no test answers is cancelled
  after a while and fails the test, rather than hanging the run (tests/dialogs.py).
- No test reads or writes anything beside the project (a folder next to it, such as the
  campaign's reference documents): a clone anywhere else has nothing there.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

from desktop.core.store.drafts import DraftsStore
from i18n.translate import set_language
from schemas.forms import FORMS_DIR, FormDefinition, FormRegistry, default_registry
from sync import office_key
from tests import qt_imports
from tests.factories import OFFICE_PASSPHRASE

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app starts in the computer's language: the tests start from English whatever the machine.
for _variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "en_US.UTF-8"

FIXTURE_FORMS = Path(__file__).parent / "fixtures" / "forms"
QT_FIXTURES = frozenset({"qtbot", "qapp", "qtlog", "qtmodeltester", "launch"})
QT_LEFT_OUT = pytest.StashKey[bool]()
# pytest-qt's own marks, declared again when the plugin is left out (--strict-markers).
PYTEST_QT_MARKS = ("qt_no_exception_capture", "qt_log_level_fail", "qt_log_ignore", "no_qt_log")
# How long a modal dialog may wait for an answer before the watchdog cancels it (an environment
# variable, so that tests/test_conftest.py can show the watchdog at work without waiting).
UNANSWERED_DIALOG_SECONDS = float(os.environ.get("HRCITIES_TESTS_DIALOG_PATIENCE", "30"))


# --- Nothing beside the project ---------------------------------------------------------------

_BESIDE = str(qt_imports.PROJECT.parent).rstrip(os.sep) + os.sep


def _allowed_beside() -> tuple[str, ...]:
    """Path prefixes that may be used even beside the project: the project itself, where Python
    and its packages live, and the temporary files of tests (pytest's tmp_path, tempfile's tmp*),
    any of which may sit next to it. Never a folder holding the project: that would allow all."""
    project = str(qt_imports.PROJECT) + os.sep
    temp = Path(tempfile.gettempdir()).resolve()
    places = {str(Path(p).resolve()) + os.sep for p in (sys.prefix, sys.exec_prefix)}
    places |= {str(Path(p).resolve()) + os.sep for p in sys.path if p and Path(p).is_dir()}
    places |= {str(temp / "pytest-of-"), str(temp / "tmp")}  # name prefixes, not folders
    return (project, *sorted(p for p in places if not project.startswith(p)))


_INSIDE = _allowed_beside()
_AUDITED = frozenset({"open", "os.listdir", "os.scandir", "sqlite3.connect"})
reached_beside: list[str] = []


def _nothing_beside_the_project(event: str, args: tuple) -> None:
    """Refuse (and remember, in case the refusal is caught) any file use beside the project."""
    if event not in _AUDITED or not args or args[0] is None or isinstance(args[0], int):
        return
    try:
        path = os.path.abspath(os.fsdecode(args[0]))
    except (TypeError, ValueError):
        return
    if path.startswith(_BESIDE) and not (path + os.sep).startswith(_INSIDE):
        reached_beside.append(path)
        raise RuntimeError(
            f"a test reached {path}, beside the project: a clone anywhere else has nothing "
            "there. Copy what the test needs into tests/fixtures/, saying where it comes from."
        )


if os.sep != _BESIDE:  # a project at the root of the disk has nothing beside it
    sys.addaudithook(_nothing_beside_the_project)


@pytest.fixture(autouse=True)
def nothing_reached_beside_the_project():
    """Fail the test even if the code under test caught the refusal."""
    count = len(reached_beside)
    yield
    if len(reached_beside) > count:
        pytest.fail(f"reached beside the project: {reached_beside[count:]}", pytrace=False)


# --- Qt only for gui tests ---------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """When `-m` leaves out every gui test, leave Qt out too: pytest-qt imports PySide6 as it
    starts, so it is blocked before it does."""
    left_out = qt_imports.leaves_out(config.option.markexpr, "gui")
    config.stash[QT_LEFT_OUT] = left_out
    if left_out:
        config.pluginmanager.set_blocked("pytest-qt")


def pytest_configure(config: pytest.Config) -> None:
    """Without pytest-qt, its marks are still known (a module may use them)."""
    if config.stash.get(QT_LEFT_OUT, False):
        for mark in PYTEST_QT_MARKS:
            config.addinivalue_line("markers", f"{mark}: pytest-qt's (left out: not gui)")


def _qt_left_out(config: pytest.Config) -> bool:
    return config.stash.get(QT_LEFT_OUT, False)


class QtModuleLeftOut(pytest.File):
    """A test module that imports Qt, left unimported: Qt is left out (-m excludes gui)."""

    def collect(self) -> list[pytest.Item]:
        """Nothing: importing the module would import Qt."""
        return []


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.File | None:
    """Without Qt, a test module that imports it is not even imported (named on the command
    line or found in a folder alike)."""
    if not _qt_left_out(parent.config):
        return None
    name = qt_imports.module_name(module_path)
    if name is None or not qt_imports.imports_qt(name):
        return None
    return QtModuleLeftOut.from_parent(parent, path=module_path)


def pytest_report_collectionfinish(config: pytest.Config) -> str | None:
    """Say that Qt was left out, so that nobody wonders where the gui tests went."""
    if _qt_left_out(config):
        return "Qt left out (-m excludes gui): modules importing Qt were not collected"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    """Without Qt, a module whose import brings Qt in anyway (a way qt_imports does not follow)
    is a collection error naming it."""
    had_qt = "PySide6" in sys.modules
    report = yield
    if (
        _qt_left_out(collector.config)
        and isinstance(collector, pytest.Module)
        and not had_qt
        and "PySide6" in sys.modules
    ):
        report.outcome = "failed"
        report.longrepr = (
            f"importing {collector.path.name} imported PySide6 although Qt is left out "
            "(-m excludes gui): import Qt inside the tests that need it, or mark the module gui"
        )
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `gui` every test that uses Qt: by its fixtures, or by the module it lives in (before
    `-m` selects anything)."""
    for item in items:
        name = qt_imports.module_name(item.path)
        in_qt_module = name is not None and qt_imports.imports_qt(name)
        if in_qt_module or QT_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def qt_stays_out_of_tests_not_marked_gui(request: pytest.FixtureRequest):
    """Without Qt, the test that imports it anyway fails: mark it gui (it needs Qt)."""
    had_qt = "PySide6" in sys.modules
    yield
    if _qt_left_out(request.config) and not had_qt and "PySide6" in sys.modules:
        pytest.fail(
            f"{request.node.nodeid} imported PySide6 but is not marked gui: it needs Qt, "
            "so mark it @pytest.mark.gui (or ask for qapp)",
            pytrace=False,
        )


# --- Nothing left behind by gui tests ----------------------------------------------------------


@pytest.fixture(autouse=True)
def nothing_left_behind(request: pytest.FixtureRequest):
    """A gui test that leaves a window, a timer, a thread or background work fails, naming it.

    Set up before any other fixture and torn down after all of them (and after pytest-qt has
    closed the widgets given to qtbot), so only what the test itself leaves is found."""
    if request.node.get_closest_marker("gui") is None or _qt_left_out(request.config):
        yield
        return
    request.getfixturevalue("qapp")  # the application first: timers and windows need it
    from tests import leftovers  # noqa: PLC0415 - Qt, for gui tests only

    before = leftovers.before_test()
    yield
    problems = leftovers.left_behind(before)
    if problems:
        leftovers.tidy_up()
        pytest.fail("left behind:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(autouse=True)
def no_dialog_waits_for_ever(request: pytest.FixtureRequest):
    """A modal dialog no test answers fails the test (after a while) instead of hanging the run:
    answer dialogs with tests/dialogs.answer_next_dialog."""
    if request.node.get_closest_marker("gui") is None or _qt_left_out(request.config):
        yield
        return
    request.getfixturevalue("qapp")  # its poller is a timer: it needs the application
    from tests.dialogs import unanswered_dialog_watchdog  # noqa: PLC0415 - Qt, gui tests only

    with unanswered_dialog_watchdog(UNANSWERED_DIALOG_SECONDS) as cancelled:
        yield
    if cancelled:
        pytest.fail(f"a dialog nobody answered was cancelled: {cancelled}", pytrace=False)


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def form() -> FormDefinition:
    """The join form as shipped (2022)."""
    return default_registry().get("hrc-join", "2022")


@pytest.fixture
def store(tmp_path: Path):
    """A drafts store in a fresh folder, closed after the test."""
    opened = DraftsStore.open(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def two_version_registry() -> FormRegistry:
    """The shipped forms plus a fixture 2099 version of the join form, to exercise migrations."""
    return FormRegistry((FORMS_DIR, FIXTURE_FORMS))


@pytest.fixture
def office(tmp_path: Path):
    """A data folder with an office key (made once, at the floor of the key derivation)."""
    from tests.keys import floor_key  # noqa: PLC0415

    data_dir = tmp_path / "data"
    key, data = floor_key("Kantor Bupati Jember", OFFICE_PASSPHRASE)
    office_key.save_key_file(data_dir, data)
    return data_dir, key


@pytest.fixture(scope="session")
def pdfsig() -> str:
    """poppler's pdfsig, a PDF signature checker we do not use for signing: a test that needs it
    fails without it (rather than passing without the check it exists for)."""
    found = shutil.which("pdfsig")
    if found is None:
        pytest.fail(
            "pdfsig is not installed: install poppler-utils (Debian: apt-get install "
            "poppler-utils; `make test` installs it when run as root)",
            pytrace=False,
        )
    return found


def _back_to_english() -> None:
    """The catalog, and when Qt runs, its translators, locale and layout direction too."""
    set_language("en")
    if "PySide6.QtWidgets" not in sys.modules:
        return  # no Qt in this process (yet): nothing of it to set back, nothing to import
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415 - only if Qt is already in use

    from desktop.window.language_switch import LanguageSwitcher  # noqa: PLC0415

    app = QApplication.instance()
    if app is not None:
        switcher = app.findChild(LanguageSwitcher)
        if switcher is not None:
            switcher.apply("en")


@pytest.fixture(autouse=True)
def english_between_tests():
    """Each test starts in English, whatever language the test before it left set."""
    _back_to_english()
    yield
    _back_to_english()


def _is_open(store: DraftsStore) -> bool:
    try:
        store.db.execute("SELECT 1")
    except sqlite3.ProgrammingError:  # closed by the test itself (close_window)
        return False
    return True


@pytest.fixture
def launch(qtbot, tmp_path: Path):
    """Open the app's window on a data folder, as `hrcities` does; afterwards each window is
    closed as the app closes it (saved, clean end recorded, store closed) and deleted."""
    from desktop.app import close_window, make_application, open_window  # noqa: PLC0415 - Qt

    windows = []

    def start(data_dir: Path = tmp_path / "data"):
        make_application()
        window = open_window(data_dir)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        windows.append(window)
        return window

    yield start
    from tests.dialogs import dismissing_dialogs  # noqa: PLC0415 - Qt

    with dismissing_dialogs() as dismissed:  # a test that left a failed save must not hang here
        for window in windows:
            if window.isVisible():
                window.close()
            if _is_open(window.store):
                close_window(window)
            window.deleteLater()
    if dismissed:
        pytest.fail(f"closing the window asked what nobody answered: {dismissed}", pytrace=False)
