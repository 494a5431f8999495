"""Benchmark: start-up time of the app with 200 drafts, beside a bare PySide6 window.

Run as ``python -m bench.startup [--runs N] [--drafts N]``. It fills a new temporary data folder
with 200 drafts (the whole join form answered, under different names and countries, some left
half done) and then measures, in separate processes on the offscreen platform, the wall time from
just before the process is spawned to a line it prints once its main window is shown:

* a bare PySide6 script: QApplication, a QMainWindow shown, the line printed from a zero-time
  timer after `show()`, quit;
* `hrcities --data-dir DIR` running script S (HRCITIES_TEST_SCRIPT), no draft opened last: the
  window shows the drafts list (the script, run by the app from a zero-time timer after
  `show()`, checks the list holds every draft, prints the line and quits);
* the same, with one draft opened last time: the app goes straight to that draft's form.

The three are run in turn, N times each (5 by default) after one warm-up round, and the median
and minimum are printed with the ratio to the bare window. Target: the app with its drafts list
under 2.5 times the bare window. Not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import qVersion

from desktop.app import TEST_SCRIPT_VARIABLE
from desktop.core.store.drafts import DraftsStore

REPO = Path(__file__).resolve().parent.parent
HRCITIES = Path(sys.executable).with_name("hrcities")
RUNS = 5
DRAFTS = 200
TARGET_RATIO = 2.5
RUN_TIMEOUT = 60.0
MARKER = "SHOWN"
COUNTRIES = ("ID", "FR", "BR", "KE", "ES", "KR", "MX", "ZA", "DE", "AR", "IN", "MA", "CO", "PH")
PLACES = ("Kabupaten Jember", "Ville de Grenoble", "Prefeitura de Recife", "Kisumu County")

BARE_SCRIPT = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 720)
window.show()


def shown():
    print("{MARKER}", flush=True)
    app.quit()


QTimer.singleShot(0, shown)
app.exec()
"""

# Run by the app (HRCITIES_TEST_SCRIPT) from a zero-time timer after the window is shown.
APP_SCRIPT = f"""
view = window.stack.currentWidget().objectName()
print("{MARKER}", view, window.home.proxy.rowCount(), flush=True)
app.quit()
"""


@dataclass
class Case:
    """One way of starting a window, and its timings in seconds."""

    label: str
    command: list[str]
    expect_view: str | None = None  # the widget the app must show ("homeView", "formView")
    timings: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """The median time."""
        return statistics.median(self.timings)

    @property
    def best(self) -> float:
        """The shortest time."""
        return min(self.timings)


def draft_answers(number: int) -> dict[str, Any]:
    """Answers of the `number`th draft: the whole form under its own name, some half done."""
    factories = importlib.import_module("tests.factories")
    answers = factories.complete_answers()
    answers["lrg_name"] = f"{PLACES[number % len(PLACES)]} {number}"
    answers["country"] = COUNTRIES[number % len(COUNTRIES)]
    answers["inhabitants"] = 10_000 + 7_919 * number
    if number % 3 == 1:  # a third stopped after the first sections
        for key in ("motivations", "local_actions", "signer_name", "signer_position"):
            answers.pop(key, None)
    if number % 5 == 2:
        answers["vision"] = factories.words(40 + number, "hak")
    return answers


def fill(data_dir: Path, count: int) -> list[str]:
    """A data folder with `count` drafts, none opened yet; their ids."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    store = DraftsStore.open(data_dir)
    try:
        ids = [store.create(draft_answers(number)).id for number in range(count)]
        if store.last_opened() is not None:
            raise SystemExit("bench bug: a fresh data folder has a draft opened last")
    finally:
        store.close()
    return ids


def code_version() -> str:
    """The commit measured, and whether the checkout has changes beside it."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (" with uncommitted changes" if changes else "")


def open_last(data_dir: Path, draft_id: str) -> None:
    """Remember `draft_id` as the draft opened last, as the window does when it opens it."""
    store = DraftsStore.open(data_dir)
    try:
        store.open_draft(draft_id)
    finally:
        store.close()


def child_environment(folder: Path, cold: bool) -> dict[str, str]:
    """The children's environment: offscreen, and bytecode cached in `folder` unless `cold`.

    An installed app has its modules' bytecode cached; a checkout run with
    PYTHONDONTWRITEBYTECODE=1 compiles every module of the project at each start. Unless `cold`,
    bytecode goes to a cache in the temporary folder (written by the warm-up round), so the
    checkout is left as it is and every window starts like an installed one.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if not cold:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def time_once(case: Case, folder: Path, env: dict[str, str], drafts: int) -> float:
    """Start the case's process; seconds from just before the spawn to its marker line."""
    stderr_path = folder / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(
            case.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            text=True,
        )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - started
        proc.stdout.read()
        code = proc.wait(timeout=RUN_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    words = line.split()
    problem = ""
    if words[:1] != [MARKER] or code != 0:
        problem = f"no {MARKER} line (got {line!r}, exit status {code})"
    elif case.expect_view is not None and words[1:2] != [case.expect_view]:
        problem = f"it showed {words[1:2]}, not {case.expect_view}"
    elif case.expect_view == "homeView" and words[2:3] != [str(drafts)]:
        problem = f"its list held {words[2:3]} drafts, not {drafts}"
    if problem:
        error = stderr_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"bench bug: {case.label}: {problem}\nstderr:\n{error}")
    return elapsed


def milliseconds(seconds: float) -> str:
    """A time in ms, right-aligned."""
    return f"{seconds * 1000:7.0f} ms"


def report(cases: list[Case], runs: int) -> None:
    """Print each case's figures and its ratio to the bare window."""
    bare = cases[0]
    print(f"runs: {runs} of each, in turn, after one warm-up round (not counted)")
    width = max(len(case.label) for case in cases)
    for case in cases:
        line = f"{case.label:<{width}}  median {milliseconds(case.median)}"
        line += f"  min {milliseconds(case.best)}"
        if case is not bare:
            line += (
                f"  ratio to bare: median {case.median / bare.median:.2f}x, "
                f"min {case.best / bare.best:.2f}x"
            )
        print(line)
    listed = cases[1]
    ratio = listed.median / bare.median
    verdict = "met" if ratio < TARGET_RATIO else "MISSED"
    print(
        f"target: drafts list shown in under {TARGET_RATIO:g}x the bare window "
        f"(median): {ratio:.2f}x, {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the machine, make the drafts, time the cases, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs of each (default 5)")
    parser.add_argument("--drafts", type=int, default=DRAFTS, help="drafts listed (default 200)")
    parser.add_argument(
        "--cold-bytecode",
        action="store_true",
        help="keep the environment's bytecode setting (PYTHONDONTWRITEBYTECODE) for the children",
    )
    options = parser.parse_args(argv)
    if not HRCITIES.exists():
        raise SystemExit(f"{HRCITIES} not found: install the project (make bench does)")
    print(f"date: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")
    print(
        f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"Qt {qVersion()}, platform plugin offscreen"
    )
    print(f"code: {code_version()}")
    with tempfile.TemporaryDirectory(prefix="hrcities-bench-") as name:
        folder = Path(name)
        data_dir = folder / "data"
        started = time.perf_counter()
        ids = fill(data_dir, options.drafts)
        print(f"drafts: {len(ids)} made in {time.perf_counter() - started:.1f} s in {data_dir}")
        bare_script, app_script = folder / "bare.py", folder / "shown.py"
        bare_script.write_text(BARE_SCRIPT, encoding="utf-8")
        app_script.write_text(APP_SCRIPT, encoding="utf-8")
        # A copy of the folder where one draft was opened last: the app goes straight to it.
        reopen_dir = folder / "data-reopen"
        shutil.copytree(data_dir, reopen_dir)
        open_last(reopen_dir, ids[len(ids) // 2])
        app = [str(HRCITIES), "--data-dir"]
        cases = [
            Case("bare PySide6 window", [sys.executable, str(bare_script)]),
            Case(f"hrcities, list of {len(ids)} drafts", [*app, str(data_dir)], "homeView"),
            Case("hrcities, last draft reopened", [*app, str(reopen_dir)], "formView"),
        ]
        env = child_environment(folder, options.cold_bytecode)
        env[TEST_SCRIPT_VARIABLE] = str(app_script)  # the bare window ignores it
        if options.cold_bytecode:
            setting = os.environ.get("PYTHONDONTWRITEBYTECODE") or "unset"
            print(f"bytecode: as in this environment (PYTHONDONTWRITEBYTECODE={setting})")
        else:
            print("bytecode: cached in the temporary folder by the warm-up round, as installed")
        for round_number in range(options.runs + 1):
            for case in cases:
                elapsed = time_once(case, folder, env, len(ids))
                if round_number:  # round 0 warms the disk cache and Python's bytecode
                    case.timings.append(elapsed)
        report(cases, options.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
