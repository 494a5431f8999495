"""Time to switch the whole open form between two languages (target: under 200 ms).

Opens the window offscreen on a full draft, shows a section, then switches French <-> Arabic
(the costliest pair: the layout direction flips too) and back, timing each switch from the menu
action until the window has repainted. Prints the median and the worst of the switches.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QApplication

from desktop.app import close_window, make_application, open_window
from tests.factories import complete_answers

SWITCHES = 20
TARGET_MS = 200


def main() -> None:
    """Switch back and forth and print the figures."""
    app = make_application()
    with tempfile.TemporaryDirectory() as folder:
        window = open_window(Path(folder))
        window.resize(1366, 768)
        window.show()
        draft = window.store.create(complete_answers())
        window.open_draft(draft.id)
        window.form_view.go_to_page(2)
        app.processEvents()
        timings = []
        for number in range(SWITCHES):
            code = "ar" if number % 2 == 0 else "fr"
            start = time.perf_counter()
            window.language_actions[code].trigger()
            window.repaint()
            QApplication.processEvents()
            timings.append((time.perf_counter() - start) * 1000)
        window.close()
        close_window(window)
    median, worst = statistics.median(timings), max(timings)
    verdict = "met" if worst < TARGET_MS else "NOT met"
    print(f"date: {dt.date.today()}  machine: {platform.platform()}, {os.cpu_count()} cores")
    print(f"python {platform.python_version()}, PySide6 {pyside_version}")
    print(
        f"language switch (fr <-> ar, whole open form, {SWITCHES} switches): "
        f"median {median:.0f} ms  worst {worst:.0f} ms  (target < {TARGET_MS} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
