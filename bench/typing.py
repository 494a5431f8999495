"""Benchmark: typing a 700-word vision key by key in the window, with autosave on.

Run as ``python -m bench.typing [--words N] [--pause-every N] [--pause-ms MS]``. In one
process on the offscreen platform it opens the window on a new temporary data folder, starts a new
draft, goes to the vision question and types a 700-word text into it through real key events, one
key per tick of a 1 ms timer, so the event loop runs between keys as it does for a person typing.
Every 10 words it pauses a little longer than the autosave delay (whose timer may fire up to 5 %
late), so the autosave runs.

It prints:

* the longest event-loop stall: a separate 5 ms timer records when it fires; a gap between two
  ticks beyond the 5 ms is a stall (target: none over 50 ms), split by whether a save was running
  on the worker thread meanwhile;
* how long each key press and release takes to process (max, p99);
* how long the form view's refresh after typing takes (it runs once per event-loop pass);
* the autosave latency, from the `saving` signal (the snapshot is taken and the background save
  starts) to the `saved` signal on the UI thread, and the time `DraftsStore.save` itself takes
  on the worker;
* the total time.

It also checks the PySide6 build for a defect found with it: PySide6 6.12.0 on CPython 3.11 (where
None, True and False are not immortal) drops a reference to None on every Qt call that returns
nothing, and one to True or False on every bool signal argument given to a Python slot; the
process aborts ("Fatal Python error: none_dealloc" or "bool_dealloc") once a count reaches zero,
after about a thousand keys in this window. When the defect is there the bench says so, with the
references lost per key, and tops up the counts so the typing can be measured to the end
(``--no-pad`` to see the abort).

At the end it checks that the store holds exactly the typed text. Not a test: it prints figures
and exits 0 (1 if the stored text is not the typed text).

(Run it as a module, as `make bench` does: run as a script, its folder would come first on
sys.path and this file would stand in for the standard library's `typing` module.)
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import math
import os
import platform
import random
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, qVersion
from PySide6.QtTest import QTest

from desktop.app import close_window, make_application, open_window
from desktop.form.autosave import DELAY_MS
from desktop.window.main_window import MainWindow

WORDS = 700
PAUSE_EVERY = 10  # words
PAUSE_MS = DELAY_MS * 105 // 100 + 25  # past the autosave's coarse timer, which may be 5 % late
KEY_MS = 1
TICK_MS = 5
TARGET_STALL_MS = 50.0
SETTLE_TIMEOUT_S = 10.0
VISION_PAGE = 1
SEED = 2030
SINGLETON_PAD = 1 << 40  # references added to None, True, False when the build loses them
VOCABULARY = (
    "human",
    "rights",
    "city",
    "local",
    "government",
    "dignity",
    "housing",
    "water",
    "health",
    "education",
    "women",
    "youth",
    "children",
    "migrants",
    "participation",
    "council",
    "budget",
    "public",
    "services",
    "equality",
    "inclusion",
    "justice",
    "peace",
    "culture",
    "territory",
    "community",
    "citizens",
    "solidarity",
    "accountability",
    "mayor",
    "district",
    "province",
    "villages",
    "neighbourhoods",
    "sustainable",
    "development",
    "promote",
    "protect",
    "fulfil",
    "respect",
    "every",
    "person",
    "access",
    "decent",
    "work",
    "transparency",
    "dialogue",
    "civil",
    "society",
)


def vision_text(count: int, seed: int = SEED) -> str:
    """A text of exactly `count` words, in sentences of 8 to 20 words."""
    rng = random.Random(seed)
    words: list[str] = []
    while len(words) < count:
        length = min(rng.randint(8, 20), count - len(words))
        sentence = [rng.choice(VOCABULARY) for _ in range(length)]
        sentence[0] = sentence[0].capitalize()
        if length > 6:
            sentence[length // 2] += ","
        sentence[-1] += "."
        words.extend(sentence)
    return " ".join(words)


class _Probe(QObject):
    flag = Signal(bool)


def singleton_refs_lost() -> dict[str, float]:
    """References to None and True lost per Qt call (both 0 on a sound PySide6 build).

    None: a call that returns nothing. True: a bool signal argument delivered to a Python slot.
    """
    if sys.version_info >= (3, 12):
        return {"None": 0.0, "True": 0.0}  # immortal: their counts are never used
    probe = _Probe()
    probe.flag.connect(lambda _on: None)
    calls = 1000
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(calls):
        probe.setObjectName("probe")
    none_after = sys.getrefcount(None)
    for _ in range(calls):
        probe.flag.emit(True)
    true_after = sys.getrefcount(True)
    return {"None": (none_before - none_after) / calls, "True": (true_before - true_after) / calls}


def pad_singletons() -> None:
    """Give None, True and False so many references that a leaking build cannot use them up."""
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += SINGLETON_PAD


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` between 0 and 1) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    """Seconds as milliseconds, one decimal."""
    return f"{seconds * 1000:.1f} ms"


def summary(values: Sequence[float]) -> str:
    """p50, p99 and max of durations in seconds."""
    if not values:
        return "none"
    return (
        f"p50 {ms(percentile(values, 0.50))}  p99 {ms(percentile(values, 0.99))}  "
        f"max {ms(max(values))}"
    )


class Typist:
    """Types the text into the vision question and records what the event loop went through."""

    def __init__(self, window: MainWindow, text: str, options: argparse.Namespace) -> None:
        self.window = window
        self.text = text
        self.options = options
        assert window.form_view is not None
        assert window.autosave is not None
        self.editor = window.form_view.section_pages[VISION_PAGE].rows["vision"].editor.text
        self.position = 0
        self.words_done = 0
        self.ticks: list[float] = []
        self.key_times: list[float] = []
        self.refresh_times: list[float] = []
        self.started_saves: deque[float] = deque()
        self.latencies: list[float] = []
        self.worker_saves: list[tuple[float, float]] = []
        self.failures: list[BaseException] = []
        self.first_key = self.last_key = self.settled = 0.0
        self.refs: dict[str, list[int]] = {}  # None, True, False: counts at first, last key
        self._wrap_store_save()
        self._wrap_refresh()
        autosave = window.autosave
        autosave.saving.connect(lambda: self.started_saves.append(time.perf_counter()))
        autosave.saved.connect(self._on_saved)
        autosave.failed.connect(self.failures.append)
        self.tick_timer = QTimer()
        self.tick_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.key_timer = QTimer()
        self.key_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.key_timer.setInterval(KEY_MS)
        self.key_timer.timeout.connect(self._type_key)
        self.done: Callable[[], None] = lambda: None

    def _wrap_store_save(self) -> None:
        store = self.window.store
        save = store.save

        def timed_save(draft_id: str, answers: Any) -> Any:
            started = time.perf_counter()
            try:
                return save(draft_id, answers)
            finally:
                self.worker_saves.append((started, time.perf_counter()))

        store.save = timed_save  # type: ignore[method-assign]

    def _wrap_refresh(self) -> None:
        view = self.window.form_view
        assert view is not None
        refresh = view.refresh

        def timed_refresh() -> None:
            started = time.perf_counter()
            refresh()
            self.refresh_times.append(time.perf_counter() - started)

        view.refresh = timed_refresh  # type: ignore[method-assign]

    def _on_saved(self, _when: str) -> None:
        if self.started_saves:
            self.latencies.append(time.perf_counter() - self.started_saves.popleft())

    def start(self, done: Callable[[], None]) -> None:
        """Start typing; `done` is called once everything typed is saved."""
        self.done = done
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tick_timer.start()
        self.ticks.append(time.perf_counter())
        self.refs = {repr(o): [sys.getrefcount(o)] for o in (None, True, False)}
        self.first_key = time.perf_counter()
        self.key_timer.start()

    def _type_key(self) -> None:
        char = self.text[self.position]
        started = time.perf_counter()
        QTest.keyClicks(self.editor, char)
        self.key_times.append(time.perf_counter() - started)
        self.position += 1
        if self.position == len(self.text):
            self.key_timer.stop()
            self.last_key = time.perf_counter()
            for name, singleton in (("None", None), ("True", True), ("False", False)):
                self.refs[name].append(sys.getrefcount(singleton))
            self._settle(self.last_key + SETTLE_TIMEOUT_S)
        elif char == " ":
            self.words_done += 1
            if self.words_done % self.options.pause_every == 0:
                self.key_timer.stop()
                QTimer.singleShot(self.options.pause_ms, self.key_timer.start)

    def _settle(self, deadline: float) -> None:
        """Wait for the last autosave to finish, then call `done`."""
        autosave = self.window.autosave
        assert autosave is not None
        busy = self.window.session is not None and self.window.session.dirty
        if (busy or self.started_saves) and time.perf_counter() < deadline:
            QTimer.singleShot(10, lambda: self._settle(deadline))
            return
        self.settled = time.perf_counter()
        self.tick_timer.stop()
        self.ticks.append(self.settled)
        self.done()

    def stalls(self) -> tuple[list[float], float, float]:
        """Every stall (gap beyond the tick), and the longest during and outside a worker save."""
        during = outside = 0.0
        stalls: list[float] = []
        for before, after in zip(self.ticks, self.ticks[1:], strict=False):
            stall = max(0.0, after - before - TICK_MS / 1000)
            stalls.append(stall)
            saving = any(s < after and e > before for s, e in self.worker_saves)
            if saving:
                during = max(during, stall)
            else:
                outside = max(outside, stall)
        return stalls, during, outside


def report(typist: Typist, text: str, stored: str) -> int:
    """Print the figures; 0, or 1 when the store does not hold the typed text."""
    options = typist.options
    stalls, during, outside = typist.stalls()
    longest = max(stalls, default=0.0)
    verdict = "met" if longest * 1000 <= TARGET_STALL_MS else "MISSED"
    print(
        f"text: {len(text.split())} words, {len(text)} keys, one key per {KEY_MS} ms timer tick, "
        f"a {options.pause_ms} ms pause every {options.pause_every} words "
        f"(autosave delay {DELAY_MS} ms)"
    )
    print(
        f"event loop: longest stall {ms(longest)} (target: no stall over "
        f"{TARGET_STALL_MS:g} ms: {verdict}); {TICK_MS} ms ticks: {len(typist.ticks)}, "
        f"stall p99 {ms(percentile(stalls, 0.99))}, "
        f"over 16 ms: {sum(s > 0.016 for s in stalls)}, "
        f"over {TARGET_STALL_MS:g} ms: {sum(s * 1000 > TARGET_STALL_MS for s in stalls)}"
    )
    print(
        f"  longest stall while a save ran on the worker {ms(during)}, "
        f"with no save running {ms(outside)}"
    )
    print(
        f"key press+release processing: {summary(typist.key_times)}  "
        f"mean {ms(sum(typist.key_times) / len(typist.key_times))}"
    )
    print(f"form view refresh after typing ({len(typist.refresh_times)}): ", end="")
    print(summary(typist.refresh_times))
    worker = [end - start for start, end in typist.worker_saves]
    print(f"autosaves: {len(typist.latencies)}, failed: {len(typist.failures)}")
    print(f"  latency, saving -> saved on the UI thread: {summary(typist.latencies)}")
    print(f"  DraftsStore.save on the worker thread:     {summary(worker)}")
    typing = typist.last_key - typist.first_key
    print(
        f"total: typing {typing:.1f} s ({len(text) / typing:.0f} keys/s with the pauses), "
        f"everything saved {ms(typist.settled - typist.last_key)} after the last key"
    )
    lost = {name: first - last for name, (first, last) in typist.refs.items()}
    if any(count > 0 for count in lost.values()):
        print(
            "PYSIDE6 DEFECT: references lost while typing, per key: "
            + ", ".join(f"{name} {count / len(text):.1f}" for name, count in lost.items())
        )
    if stored != text:
        print(f"CHECK FAILED: the store holds {len(stored)} characters, not the typed text")
        return 1
    print("check: the store holds exactly the typed text")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Print the machine, type, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=WORDS, help="words typed (default 700)")
    parser.add_argument(
        "--pause-every", type=int, default=PAUSE_EVERY, help="words between pauses (default 10)"
    )
    parser.add_argument(
        "--pause-ms", type=int, default=PAUSE_MS, help=f"pause length (default {PAUSE_MS})"
    )
    parser.add_argument(
        "--no-pad",
        action="store_true",
        help="do not top up None's reference count on a leaking PySide6 build (it then aborts)",
    )
    options = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"date: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")
    app = make_application()
    print(
        f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, Qt {qVersion()}, "
        f"platform plugin {app.platformName()}"
    )
    leak = singleton_refs_lost()
    if any(leak.values()):
        print(
            f"PYSIDE6 DEFECT (PySide6 {PySide6.__version__} on Python "
            f"{platform.python_version()}): references lost per call: None {leak['None']:g} "
            f"(a call returning nothing), True {leak['True']:g} (a bool signal argument); "
            f"they have {sys.getrefcount(None)} and {sys.getrefcount(True)} now, and the "
            "process aborts when either runs out."
        )
        if options.no_pad:
            print("  --no-pad: not topped up; expect 'Fatal Python error: ..._dealloc'")
        else:
            pad_singletons()
            print(f"  each topped up by {SINGLETON_PAD} so the bench can finish; the app is not.")
    text = vision_text(options.words)
    with tempfile.TemporaryDirectory(prefix="hrcities-bench-") as folder:
        window = open_window(Path(folder) / "data")
        window.show()
        window.new_draft()
        assert window.form_view is not None
        assert window.session is not None
        window.form_view.go_to_page(VISION_PAGE)
        typist = Typist(window, text, options)
        draft_id = window.session.draft_id
        seen: dict[str, str] = {}

        def finish() -> None:
            # Before quitting: quitting closes the window, and the draft with it.
            seen["shown"] = typist.editor.toPlainText()
            seen["stored"] = window.store.get(draft_id).answers.get("vision", "")
            app.quit()

        QTimer.singleShot(200, lambda: typist.start(finish))  # once the window is painted
        app.exec()
        close_window(window)
    shown, stored = seen.get("shown", ""), seen.get("stored", "")
    if shown != text:
        print(f"CHECK FAILED: the editor shows {len(shown)} characters, not the typed text")
        return 1
    return report(typist, text, stored)


if __name__ == "__main__":
    sys.exit(main())
