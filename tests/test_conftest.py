"""The suite's own guards (tests/conftest.py): each is shown failing where it must, in a separate
pytest run, and `-m "not gui"` is shown to run without Qt.

A guard that never fails guards nothing; these runs are what proves they can.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.qt_imports import PROJECT, imports_qt, leaves_out

CASES = PROJECT / "tests" / "guard_cases"
# A module mixing core and gui tests, a Qt-only module (not even imported) and a pure one.
CORE_MODULES = ("tests/test_signing.py", "tests/test_form_window.py", "tests/test_forms.py")
RUN_TIMEOUT = 120
# Runs pytest in-process in a fresh interpreter, then says whether Qt was ever imported.
PROBE = (
    "import sys, pytest\n"
    "code = pytest.main(sys.argv[1:])\n"
    "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
    "print('QT MODULES IMPORTED:', qt)\n"
    "sys.exit(code)\n"
)


class Run:
    """`pytest ARGS` in a child Python (same interpreter, same project), started at once."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HRCITIES_TESTS_DIALOG_PATIENCE": "1"}
        self._process = subprocess.Popen(
            [sys.executable, "-c", PROBE, "-p", "no:cacheprovider", "-q", "-rfE", *args],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

        self._result: tuple[int, str] | None = None

    def result(self) -> tuple[int, str]:
        """Its exit status and output, once it has ended."""
        if self._result is None:
            out, _ = self._process.communicate(timeout=RUN_TIMEOUT)
            self._result = (self._process.returncode, out)
        return self._result


@pytest.fixture(scope="module")
def runs() -> Iterator[dict[str, Run]]:
    """The three runs, side by side: each takes a few seconds, mostly pytest starting."""
    started = {
        "core": Run("-m", "not gui", *CORE_MODULES),
        "without_qt": Run("-m", "not gui", str(CASES / "without_qt.py")),
        "leaves_behind": Run(str(CASES / "leaves_behind.py")),
    }
    yield started
    for run in started.values():
        run.result()  # reaped even when a test failed before asking


def test_not_gui_runs_the_core_tests_without_ever_importing_qt(runs: dict[str, Run]) -> None:
    code, out = runs["core"].result()
    assert code == 0, out
    assert "QT MODULES IMPORTED: []" in out
    assert "Qt left out" in out
    passed = re.search(r"(\d+) passed", out)
    assert passed, out
    assert int(passed.group(1)) >= 20, out  # test_forms and the core of test_signing


def test_without_qt_an_unmarked_test_importing_qt_or_reaching_beside_the_project_fails(
    runs: dict[str, Run],
) -> None:
    code, out = runs["without_qt"].result()
    assert code == 1, out
    assert "3 passed, 2 errors" in out
    assert "test_imports_qt_unmarked imported PySide6 but is not marked gui" in out
    assert "reached beside the project" in out
    assert "a-folder-beside-the-project" in out


def test_gui_tests_leaving_windows_timers_threads_work_or_questions_behind_fail_naming_it(
    runs: dict[str, Run],
) -> None:
    code, out = runs["leaves_behind"].result()
    assert code == 1, out
    expected = {
        "test_leaves_a_window_open": "a window still open: QDialog #leftOpen",
        "test_leaves_a_timer_running": "a running QTimer (60000 ms) owned by QObject",
        "test_leaves_a_single_shot_pending": "QTimer.singleShot(60000 ms, ",
        "test_leaves_a_thread_running": "a Python thread still running: 'forgotten'",
        "test_leaves_background_work_running": "still running on Qt's global thread pool",
        "test_leaves_a_question_unanswered": "Nobody answers this",
        "test_answers_a_question_but_leaves_it_open": "Answered, yet left open",
    }
    for test, message in expected.items():
        assert f"ERROR tests/guard_cases/leaves_behind.py::{test}" in out, out
        assert message in out, out
    assert out.count("a dialog nobody answered was cancelled") >= 2, out
    assert "8 passed, 7 errors" in out, "each leak fails its own test, and is tidied up"


def test_qt_modules_are_known_from_their_source() -> None:
    assert imports_qt("tests.test_form_window")
    assert imports_qt("desktop.app"), "through desktop.app's own imports"
    assert not imports_qt("tests.test_forms")
    assert not imports_qt("desktop.cli.main"), "the command line imports Qt only to open the window"
    assert not imports_qt("tests.conftest")


@pytest.mark.parametrize(
    ("markexpr", "left_out"),
    [
        ("not gui", True),
        ("not gui and not slow", True),
        ("not (gui or slow)", True),
        ("", False),
        ("gui", False),
        ("slow", False),
        ("not slow", False),
        ("not gui or slow", False),
    ],
)
def test_qt_is_left_out_only_when_no_gui_test_can_be_selected(
    markexpr: str, left_out: bool
) -> None:
    assert leaves_out(markexpr, "gui") is left_out
