"""The Qt binding itself: a release that loses references crashes the app mid-typing.

PySide6 6.12.0 under Python 3.11 lost a reference to None on every call returning nothing, and to
True on every bool delivered to a slot; after about a thousand keystrokes the count ran out and
the process aborted. pyproject.toml excludes that release; these tests catch any like it:

- on every Python, an ordinary object carried through signals and calls keeps its reference
  count (a binding losing references to it would free it under the app's feet);
- before Python 3.12, None and True keep theirs too. From 3.12 they are immortal: their count
  means nothing, and losing references to them can no longer abort anything;
- the soak these stand for: thousands of real key events typed into the real vision question of
  a real window, in a child process (an abort there must not take the test run with it), which
  must end normally with every character in the answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal

CALLS = 2000
KEYS = 3000
SOAK_TIMEOUT = 120

# Runs in the child: a real window, the vision question, KEYS key events through QTest.
SOAK = """
import sys
from pathlib import Path

from PySide6.QtTest import QTest

from desktop.app import close_window, make_application, open_window

keys = int(sys.argv[2])
app = make_application()
window = open_window(Path(sys.argv[1]))
window.show()
window.new_draft()
window.form_view.go_to_field("vision")
editor = window.form_view.section_pages[1].rows["vision"].editor.focus_widget()
editor.setFocus()
words = "hak asasi manusia untuk semua "
for number in range(keys):
    QTest.keyClick(editor, words[number % len(words)])
    if number % 100 == 0:
        app.processEvents()  # autosave and repaints run as they do while someone types
app.processEvents()
print("ANSWERED", len(window.session.answers.get("vision", "")), flush=True)
window.close()
close_window(window)
print("CLOSED", flush=True)
"""


class _Emitter(QObject):
    carried = Signal(object)
    flag = Signal(bool)


class _Payload:
    """An ordinary object: mortal on every Python version, unlike None and True from 3.12."""


def test_an_object_carried_by_signals_and_calls_keeps_its_reference_count(qapp) -> None:
    payload = _Payload()
    # Enough references that losing one per call would show in the count before it freed it.
    spare = [payload] * (CALLS * 2)
    emitter, target = _Emitter(), QObject()
    received: list[bool] = []
    emitter.carried.connect(lambda value: received.append(value is payload))
    before = sys.getrefcount(payload)
    for _ in range(CALLS):
        emitter.carried.emit(payload)
        target.setProperty("payload", payload)
    target.setProperty("payload", None)
    assert received == [True] * CALLS
    # A few references may come and go with interpreter internals; thousands may not.
    assert abs(sys.getrefcount(payload) - before) < CALLS // 10
    assert len(spare) == CALLS * 2


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="None and True are immortal from Python 3.12: their reference counts say nothing",
)
def test_calls_and_signals_keep_the_reference_counts_of_none_and_true(qapp) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.flag.connect(lambda value: received.append(int(value)))
    target = QObject()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        target.setObjectName("x")
        emitter.flag.emit(True)
    assert received == [1] * CALLS
    assert abs(sys.getrefcount(None) - none_before) < CALLS // 10
    assert abs(sys.getrefcount(True) - true_before) < CALLS // 10


def test_thousands_of_keystrokes_into_the_window_end_normally(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", SOAK, str(tmp_path / "data"), str(KEYS)],
        capture_output=True,
        text=True,
        env=env,
        timeout=SOAK_TIMEOUT,
        check=False,
    )
    told = f"exit status {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr[-3000:]}"
    assert done.returncode == 0, f"the window did not survive {KEYS} keystrokes: {told}"
    assert f"ANSWERED {KEYS}" in done.stdout, told
    assert "CLOSED" in done.stdout, told
