"""Shared fixtures. Qt tests run on the offscreen platform, set here so no display is needed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.store.drafts import DraftsStore
from i18n.translate import set_language
from schemas.forms import FORMS_DIR, FormDefinition, FormRegistry, default_registry

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app starts in the computer's language: the tests start from English whatever the machine.
for _variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "en_US.UTF-8"

FIXTURE_FORMS = Path(__file__).parent / "fixtures" / "forms"


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


def _back_to_english() -> None:
    """The catalog, and when Qt runs, its translators, locale and layout direction too."""
    set_language("en")
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415 - only if Qt is already in use

    from desktop.language_switch import LanguageSwitcher  # noqa: PLC0415

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


@pytest.fixture
def launch(qtbot, tmp_path: Path):
    """Open the app's window on a data folder, as `hrcities` does; closed properly afterwards."""
    from desktop.app import close_window, make_application, open_window  # noqa: PLC0415 - Qt

    windows = []

    def start(data_dir: Path = tmp_path / "data"):
        make_application()
        window = open_window(data_dir)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        windows.append(window)
        return window

    yield start
    for window in windows:
        if window.isVisible():
            window.close()
            close_window(window)
