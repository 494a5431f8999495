"""Benchmark: autosave latency and database size of the drafts store, on a full join form.

Run as ``python -m bench.store [--saves N] [--dir FOLDER]``. It fills every question of the join
form (hrc-join 2022) validly, with a 700-word vision, then saves it N times (1,000 by default),
each time with one more character typed into the vision, and prints the p50 and p99 latency of
`DraftsStore.save` (a committed, fsynced transaction) and the size of the database file and its
WAL afterwards. The database lives in a new temporary folder (inside FOLDER if given, to measure
a particular disk), removed at the end. Not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop.core.store.database import DATABASE_NAME
from desktop.core.store.drafts import REVISIONS_KEPT, DraftsStore

SAVES = 1000
WARM_UP = 10
TARGET_P99_MS = 5.0
VISION_WORDS = 700
TYPED = "ekonomi"  # the letters typed, one per save, onto one word after another


def words(count: int, stem: str) -> str:
    """A text of exactly `count` distinct words."""
    return " ".join(f"{stem}{number}" for number in range(count))


def full_answers() -> dict[str, Any]:
    """Every question of hrc-join 2022 answered validly, long texts at realistic lengths."""
    return {
        "country": "ID",
        "lrg_name": "Kabupaten Wonosobo",
        "lrg_type": "district",
        "inhabitants": 926_209,
        "head_name": "Afif Nurhidayat",
        "head_title": "Bupati",
        "mandate": {"start": 2021, "end": 2026},
        "focal_point_name": "Dewi Kartika Sari",
        "focal_point_email": "ham@wonosobokab.go.id",
        "focal_point_phone": "+62 286 321 345",
        "vision": words(VISION_WORDS, "hak"),
        "areas_of_focus": ["housing", "women", "youth_children", "others"],
        "areas_of_focus_other": "Hak masyarakat adat atas tanah",
        "motivations": words(150, "motivasi"),
        "local_actions": [
            {
                "description": words(50, f"aksi{item}x"),
                "links": [
                    f"https://wonosobokab.go.id/ham/aksi-{item}",
                    f"https://jdih.wonosobokab.go.id/perda/{2020 + item}",
                ],
            }
            for item in range(1, 4)
        ],
        "signer_name": "Afif Nurhidayat",
        "signer_position": "Bupati Wonosobo",
        "territory_name": "Kabupaten Wonosobo",
        "statement_date": "2030-12-10",
    }


def typed(base: list[str], keystroke: int) -> str:
    """The vision after `keystroke` characters typed: one more letter each time, word by word."""
    done, letters = divmod(keystroke, len(TYPED))
    text = list(base)
    for index in range(done):
        text[index % len(text)] = base[index % len(base)] + TYPED
    index = done % len(text)
    text[index] = base[index] + TYPED[: letters + 1]
    return " ".join(text)


def file_size(path: Path) -> int:
    """Size of a file in bytes, 0 when it is not there."""
    return path.stat().st_size if path.exists() else 0


def run(folder: Path, saves: int) -> None:
    """Do the saves in `folder` and print the figures."""
    store = DraftsStore.open(folder / "data")
    try:
        answers = full_answers()
        draft = store.create(answers)
        form = store.form_for(draft)
        base = answers["vision"].split()
        timings: list[float] = []
        for keystroke in range(WARM_UP + saves):
            answers["vision"] = typed(base, keystroke)
            started = time.perf_counter()
            result = store.save(draft.id, answers)
            elapsed = time.perf_counter() - started
            if not (result.changed and result.report.can_sign):
                findings = [f.code + " " + f.path for f in result.report.findings]
                raise SystemExit(f"bench bug: save {keystroke} not a full valid form: {findings}")
            if keystroke >= WARM_UP:
                timings.append(elapsed)
        path = folder / "data" / DATABASE_NAME
        main_size = file_size(path)
        wal_size = file_size(path.with_name(path.name + "-wal"))
    finally:
        store.close()
    closed_size = file_size(path)

    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    p50, p99 = cuts[49] * 1000, cuts[98] * 1000
    verdict = "met" if p99 < TARGET_P99_MS else "MISSED"
    print(
        f"form: {form.form_id} {form.version}, every question answered "
        f"({VISION_WORDS}-word vision), {REVISIONS_KEPT} revisions kept per draft"
    )
    print(f"saves timed: {len(timings)} (after {WARM_UP} warm-up saves)")
    print(
        f"autosave p50 {p50:.2f} ms  p99 {p99:.2f} ms  (target p99 < {TARGET_P99_MS:g} ms: "
        f"{verdict})"
    )
    print(
        f"autosave mean {statistics.fmean(timings) * 1000:.2f} ms  max {max(timings) * 1000:.2f} ms"
    )
    print(
        f"database size: {(main_size + wal_size) / 1024:.0f} KiB "
        f"(main file {main_size / 1024:.0f} KiB + WAL {wal_size / 1024:.0f} KiB); "
        f"{closed_size / 1024:.0f} KiB after close"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the machine, then the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=SAVES, help="timed saves (default 1000)")
    parser.add_argument("--dir", type=Path, default=None, help="where to make the temp folder")
    options = parser.parse_args(argv)
    print(f"date: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")
    print(
        f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    with tempfile.TemporaryDirectory(prefix="hrcities-bench-", dir=options.dir) as folder:
        print(f"folder: {folder}")
        run(Path(folder), options.saves)
    return 0


if __name__ == "__main__":
    sys.exit(main())
