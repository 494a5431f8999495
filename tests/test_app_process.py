"""Acceptance: typing survives the app being killed, and a system shutdown saves everything.

`hrcities` is started as a separate process on the offscreen platform with a script named by the
test-only HRCITIES_TEST_SCRIPT variable. The script opens a new draft, goes to the vision question
and types into it through real key events, a word every 40 ms.

In the first test the typing pauses now and then so the autosave (half a second after typing
stops) runs. Each completed autosave is printed with the number of words the store
then holds. After a few autosaves the process is killed with SIGKILL; a second `hrcities` on the
same data folder must reopen the draft by itself, show at least the words of the last printed
autosave (and no more than were typed), and say the app was not closed properly.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from desktop.app import TEST_SCRIPT_VARIABLE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.gui,
    pytest.mark.skipif(
        os.name != "posix" or not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL"
    ),
]

HRCITIES = Path(sys.executable).with_name("hrcities")
WORD = "word"
SAVES_BEFORE_KILL = 3
TYPING_AFTER_LAST_SAVE = 0.4  # seconds of typing let through before the kill, to be lost
SAVES_TIMEOUT = 20.0
EXIT_TIMEOUT = 10.0
RESTART_TIMEOUT = 20.0

# Runs inside the first app once its window is shown; `window` and `app` are given.
TYPING_SCRIPT = """
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest

WORD = "word "
BURST = 7  # words typed in a row, then a pause longer than the autosave delay
KEY_MS = 40
PAUSE_MS = 700


def out(*parts):
    print(*parts, flush=True)


window.new_draft()
window.form_view.go_to_page(1)
editor = window.form_view.section_pages[1].rows["vision"].editor.text
editor.setFocus()
state = {"typed": 0, "at_snapshot": []}


def on_saving():
    # Emitted right after the autosave took its snapshot: the words typed so far are in it.
    state["at_snapshot"].append(state["typed"])


def on_saved(_when):
    stored = window.store.get(window.session.draft_id).answers.get("vision", "")
    snapshot = state["at_snapshot"].pop(0) if state["at_snapshot"] else -1
    out("SAVED", len(stored.split()), snapshot)


def type_word():
    QTest.keyClicks(editor, WORD)
    state["typed"] += 1
    out("TYPED", state["typed"])
    timer.start(PAUSE_MS if state["typed"] % BURST == 0 else KEY_MS)


window.autosave.saving.connect(on_saving)
window.autosave.saved.connect(on_saved)
timer = QTimer(window)
timer.setSingleShot(True)
timer.timeout.connect(type_word)
out("DRAFT", window.session.draft_id, window.form_view.pages.currentIndex())
timer.start(KEY_MS)
"""

# Runs inside the restarted app: what it shows, then quit.
REPORT_SCRIPT = """
import json

view = window.form_view
vision = None if view is None else view.section_pages[1].rows["vision"].editor.text
shown = {
    "form_shown": view is not None and window.stack.currentWidget() is view,
    "draft_id": None if window.session is None else window.session.draft_id,
    "vision": None if vision is None else vision.toPlainText(),
    "status": window.statusBar().currentMessage(),
}
print("REOPENED", json.dumps(shown), flush=True)
app.quit()
"""


class LineReader:
    """Collects a child's stdout lines on a thread, so the test can wait with a timeout."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()
        self.eof = False

    def _pump(self, stream: IO[str]) -> None:
        try:
            with stream:
                for line in stream:
                    self._queue.put(line.rstrip("\n"))
        finally:
            self._queue.put(None)

    def take(self, timeout: float) -> str | None:
        """The next line within `timeout` seconds, or None (then `eof` says if the pipe ended)."""
        if self.eof:
            return None
        try:
            line = self._queue.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None
        if line is None:
            self.eof = True
            return None
        self.lines.append(line)
        return line

    def drain(self, timeout: float) -> None:
        """Read until the pipe ends (the child is dead) or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            self.take(deadline - time.monotonic())
        self.join(max(deadline - time.monotonic(), 0.1))

    def join(self, timeout: float) -> None:
        """Wait for the reading thread to end (it closes the pipe when it does)."""
        self._thread.join(timeout)

    def fields(self, tag: str) -> list[list[str]]:
        """The words after `tag` on each line starting with it."""
        return [line.split()[1:] for line in self.lines if line.split()[:1] == [tag]]


def start(data_dir: Path, script: Path, stderr: IO[bytes]) -> subprocess.Popen[str]:
    """`hrcities --data-dir DATA` running SCRIPT (HRCITIES_TEST_SCRIPT), offscreen."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONUNBUFFERED": "1",
        TEST_SCRIPT_VARIABLE: str(script),
    }
    return subprocess.Popen(
        [str(HRCITIES), "--data-dir", str(data_dir)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def stderr_text(path: Path) -> str:
    """The end of a child's stderr, for failure messages."""
    return path.read_text(encoding="utf-8", errors="replace")[-4000:]


def stop(proc: subprocess.Popen[str], reader: LineReader | None = None) -> None:
    """Kill the child if it still runs, reap it and close its pipe."""
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=EXIT_TIMEOUT)
    if reader is not None:
        reader.join(EXIT_TIMEOUT)  # the pipe has ended with the child; the reader closes it
    elif proc.stdout is not None:
        proc.stdout.close()


def type_until_killed(data_dir: Path, script: Path, stderr_path: Path) -> LineReader:
    """Run the typing script until it has printed a few autosaves, then SIGKILL the app."""
    with stderr_path.open("wb") as stderr:
        proc = start(data_dir, script, stderr)
    reader = LineReader(proc.stdout)  # type: ignore[arg-type]
    try:
        deadline = time.monotonic() + SAVES_TIMEOUT
        while len(reader.fields("SAVED")) < SAVES_BEFORE_KILL:
            left = deadline - time.monotonic()
            # A failing script leaves the app running: its traceback on stderr ends the wait.
            if reader.eof:
                state = "it exited"
            elif "Traceback" in stderr_text(stderr_path):
                state = "the script failed"
            elif left <= 0:
                state = f"still running after {SAVES_TIMEOUT:g} s"
            else:
                state = ""
            if state:
                pytest.fail(
                    f"the app printed {len(reader.fields('SAVED'))} autosaves, not "
                    f"{SAVES_BEFORE_KILL} ({state}).\nstdout:\n"
                    + "\n".join(reader.lines[-20:])
                    + f"\nstderr:\n{stderr_text(stderr_path)}"
                )
            reader.take(min(left, 0.25))
        # Let through some typing that no autosave will catch, then kill.
        after = time.monotonic() + TYPING_AFTER_LAST_SAVE
        while not reader.eof and (left := after - time.monotonic()) > 0:
            reader.take(left)
        assert proc.poll() is None, f"the app ended by itself:\n{stderr_text(stderr_path)}"
        proc.send_signal(signal.SIGKILL)
        reader.drain(EXIT_TIMEOUT)
        assert reader.eof, "the app's stdout did not close after SIGKILL"
        returncode = proc.wait(timeout=EXIT_TIMEOUT)
        assert returncode == -signal.SIGKILL, f"the app ended with {returncode}, not by the kill"
    finally:
        stop(proc, reader)
    return reader


def restart_and_report(data_dir: Path, script: Path, stderr_path: Path) -> dict[str, Any]:
    """Run the app again with the report script; what it showed."""
    with stderr_path.open("wb") as stderr:
        proc = start(data_dir, script, stderr)
    try:
        try:
            out, _err = proc.communicate(timeout=RESTART_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"the restarted app did not quit within {RESTART_TIMEOUT:g} s:\n"
                f"{stderr_text(stderr_path)}"
            )
        assert proc.returncode == 0, (
            f"the restarted app exited with {proc.returncode}:\n{out}\n"
            f"stderr:\n{stderr_text(stderr_path)}"
        )
    finally:
        stop(proc)
    reports = [line for line in out.splitlines() if line.startswith("REOPENED ")]
    assert reports, (
        f"the restarted app printed no report:\n{out}\nstderr:\n{stderr_text(stderr_path)}"
    )
    return json.loads(reports[0].removeprefix("REOPENED "))


def test_typing_survives_sigkill_up_to_the_last_autosave(tmp_path: Path) -> None:
    if not HRCITIES.exists():
        pytest.fail(f"{HRCITIES} not found: install the project (`make test` does) to get it")
    data_dir = tmp_path / "data"
    typing_script = tmp_path / "type_vision.py"
    typing_script.write_text(TYPING_SCRIPT, encoding="utf-8")
    report_script = tmp_path / "report_vision.py"
    report_script.write_text(REPORT_SCRIPT, encoding="utf-8")

    reader = type_until_killed(data_dir, typing_script, tmp_path / "stderr-1.txt")
    (draft,) = reader.fields("DRAFT")
    draft_id, page = draft
    assert page == "1", f"the script did not reach the vision page (page {page})"
    saves = [(int(stored), int(snapshot)) for stored, snapshot in reader.fields("SAVED")]
    for stored, snapshot in saves:
        assert stored == snapshot, (
            f"an autosave stored {stored} words while {snapshot} had been typed when it started"
        )
    counts = [stored for stored, _snapshot in saves]
    assert counts == sorted(counts), f"autosaves went backwards: {counts}"
    last_saved = counts[-1]
    typed = max(int(number) for (number,) in reader.fields("TYPED"))
    assert 0 < last_saved <= typed

    shown = restart_and_report(data_dir, report_script, tmp_path / "stderr-2.txt")
    assert shown["form_shown"], "the restarted app showed the drafts list, not the last draft"
    assert shown["draft_id"] == draft_id
    vision = shown["vision"]
    words = vision.split()
    assert vision == (WORD + " ") * len(words), f"the reopened vision is not as typed: {vision!r}"
    assert last_saved <= len(words) <= typed, (
        f"reopened {len(words)} words; the last autosave printed had {last_saved}, "
        f"{typed} were typed before the kill"
    )
    assert "not closed properly" in shown["status"], (
        f"no notice of the crash in the status bar: {shown['status']!r}"
    )


# Types without ever pausing: the autosave must still run at least every second.
STEADY_SCRIPT = """
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest

window.new_draft()
window.form_view.go_to_page(1)
editor = window.form_view.section_pages[1].rows["vision"].editor.text
editor.setFocus()
state = {"typed": 0}


def type_word():
    QTest.keyClicks(editor, "word ")
    state["typed"] += 1
    print("TYPED", state["typed"], flush=True)


timer = QTimer(window)
timer.timeout.connect(type_word)
print("DRAFT", window.session.draft_id, flush=True)
timer.start(40)
"""
STEADY_WORDS_BEFORE_STOP = 100  # about four seconds of typing without a pause
LOSS_ALLOWED = 1.0  # seconds of typing a power cut may take: DESIGN.md's promise


@dataclass
class SteadyRun:
    """What a run of steady typing left: the app's lines, when each word arrived, how it ended."""

    reader: LineReader
    arrivals: list[tuple[int, float]]  # (words typed, when the line arrived here)
    stopped_at: float
    returncode: int
    report_script: Path

    @property
    def typed(self) -> int:
        """How many words the app typed in all."""
        return max(int(number) for (number,) in self.reader.fields("TYPED"))


def type_steadily(tmp_path: Path, stop_with: int) -> SteadyRun:
    """Type without a pause until enough words are in, then send `stop_with` to the app."""
    typing_script = tmp_path / "type_steadily.py"
    typing_script.write_text(STEADY_SCRIPT, encoding="utf-8")
    report_script = tmp_path / "report_vision.py"
    report_script.write_text(REPORT_SCRIPT, encoding="utf-8")
    stderr_path = tmp_path / "stderr-1.txt"
    with stderr_path.open("wb") as stderr:
        proc = start(tmp_path / "data", typing_script, stderr)
    reader = LineReader(proc.stdout)  # type: ignore[arg-type]
    arrivals: list[tuple[int, float]] = []
    try:
        deadline = time.monotonic() + SAVES_TIMEOUT
        while not arrivals or arrivals[-1][0] < STEADY_WORDS_BEFORE_STOP:
            if reader.eof or time.monotonic() > deadline:
                pytest.fail(
                    f"the app typed {arrivals[-1][0] if arrivals else 0} words, not "
                    f"{STEADY_WORDS_BEFORE_STOP}.\nstdout:\n"
                    + "\n".join(reader.lines[-20:])
                    + f"\nstderr:\n{stderr_text(stderr_path)}"
                )
            line = reader.take(0.25)
            if line and line.startswith("TYPED "):
                arrivals.append((int(line.split()[1]), time.monotonic()))
        stopped_at = time.monotonic()
        proc.send_signal(stop_with)
        reader.drain(EXIT_TIMEOUT)
        assert reader.eof, "the app's stdout did not close after the signal"
        returncode = proc.wait(timeout=EXIT_TIMEOUT)
    finally:
        stop(proc, reader)
    assert returncode in (0, -signal.SIGKILL), (
        f"the app ended with {returncode}:\n{stderr_text(stderr_path)}"
    )
    return SteadyRun(reader, arrivals, stopped_at, returncode, report_script)


def test_steady_typing_without_a_pause_loses_at_most_the_last_second_to_sigkill(
    tmp_path: Path,
) -> None:
    """Before the fix the autosave waited for a pause that never came: all typing was lost."""
    run = type_steadily(tmp_path, signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL
    # Every word this side of the last second before the kill must have been saved.
    must_have = max(
        (n for n, arrived in run.arrivals if arrived <= run.stopped_at - LOSS_ALLOWED), default=0
    )
    assert must_have >= STEADY_WORDS_BEFORE_STOP - 40, "the typing did not keep its pace"
    shown = restart_and_report(tmp_path / "data", run.report_script, tmp_path / "stderr-2.txt")
    words = shown["vision"].split()
    assert must_have <= len(words) <= run.typed, (
        f"reopened {len(words)} words; {must_have} were typed more than {LOSS_ALLOWED:g} s "
        f"before the kill and {run.typed} in all"
    )


def test_sigterm_saves_every_word_and_the_next_start_reports_no_crash(tmp_path: Path) -> None:
    """A system shutting down or a session logging out sends SIGTERM: nothing may be lost."""
    run = type_steadily(tmp_path, signal.SIGTERM)
    assert run.returncode == 0, "the app did not end cleanly after SIGTERM"
    shown = restart_and_report(tmp_path / "data", run.report_script, tmp_path / "stderr-2.txt")
    assert len(shown["vision"].split()) == run.typed, "words typed before SIGTERM were lost"
    assert "not closed properly" not in shown["status"], shown["status"]
