"""Acceptance: autosave survives being killed at any moment.

A child process autosaves a growing draft in a loop (tests/crash_child.py) and is killed with
SIGKILL at random moments, 100 times. After each kill the database passes PRAGMA integrity_check
and holds the last save that had returned (or the one after it, which may have committed before
its acknowledgement was printed).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.store.database import DATABASE_NAME
from desktop.core.store.drafts import DraftsStore

pytestmark = pytest.mark.skipif(
    os.name != "posix" or not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL"
)

CHILD = Path(__file__).with_name("crash_child.py")
ROUNDS = 100
SEED = int(os.environ.get("CRASH_SEED", "20300101"))
MAX_DELAY = 0.060  # seconds between the first acknowledged save of a round and the kill
FIRST_ACK_TIMEOUT = 30.0
EXIT_TIMEOUT = 10.0
LRG_NAME = "Ville de Crash-sur-Mer"


class AckReader:
    """Reads the child's acknowledged iteration numbers from its stdout pipe, without blocking."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        self._fd = proc.stdout.fileno()
        self._pending = b""
        self.eof = False
        self.acks: list[int] = []

    def read(self, timeout: float) -> None:
        """Take in whatever arrives within `timeout` seconds (complete lines only)."""
        if self.eof:
            return
        ready, _, _ = select.select([self._fd], [], [], max(timeout, 0.0))
        if not ready:
            return
        chunk = os.read(self._fd, 65536)
        if not chunk:
            self.eof = True
            return
        self._pending += chunk
        *lines, self._pending = self._pending.split(b"\n")
        self.acks.extend(int(line) for line in lines)

    def read_until(self, deadline: float) -> None:
        """Read until `deadline` (a time.monotonic value) or the end of the pipe."""
        while not self.eof and (left := deadline - time.monotonic()) > 0:
            self.read(left)

    def read_to_end(self, timeout: float) -> None:
        """Read everything left after the child died (its pipe then ends)."""
        self.read_until(time.monotonic() + timeout)
        assert self.eof, "the child's stdout did not close after it was killed"
        # A line cut short by the kill is no acknowledgement: the child flushes whole lines.
        assert self._pending == b"", f"partial acknowledgement line {self._pending!r}"


def stored_state(path: Path, draft_id: str) -> tuple[str, list[str], list[str]]:
    """integrity_check, the draft's vision words and the newest revision's, read with sqlite3."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        row = conn.execute("SELECT answers FROM drafts WHERE id = ?", [draft_id]).fetchone()
        newest = conn.execute(
            "SELECT answers FROM revisions WHERE draft_id = ? ORDER BY id DESC LIMIT 1",
            [draft_id],
        ).fetchone()
    assert row is not None, "the draft is gone"
    assert newest is not None, "the draft has no revision"
    answers, revision = json.loads(row[0]), json.loads(newest[0])
    assert answers["lrg_name"] == LRG_NAME
    assert revision == answers, "the newest revision and the draft were not saved together"
    return "\n".join(integrity), answers["vision"].split(), revision["vision"].split()


def run_round(data_dir: Path, draft_id: str, delay: float, stderr_path: Path) -> list[int]:
    """Start the child, kill it `delay` seconds after its first acknowledged save; its acks."""
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(data_dir), draft_id],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    try:
        reader = AckReader(proc)
        started = time.monotonic()
        while not reader.acks and not reader.eof:
            left = started + FIRST_ACK_TIMEOUT - time.monotonic()
            assert left > 0, "the child acknowledged no save in time"
            reader.read(left)
        assert reader.acks, f"the child exited with {proc.wait()} before saving"
        reader.read_until(time.monotonic() + delay)
        proc.send_signal(signal.SIGKILL)
        reader.read_to_end(EXIT_TIMEOUT)
        returncode = proc.wait(timeout=EXIT_TIMEOUT)
        assert returncode == -signal.SIGKILL, f"the child ended with {returncode}, not by the kill"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=EXIT_TIMEOUT)
        assert proc.stdout is not None
        proc.stdout.close()
    return reader.acks


@pytest.mark.slow
def test_autosave_survives_sigkill_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir)
    draft_id = store.create({"lrg_name": LRG_NAME}).id
    store.close()
    path = data_dir / DATABASE_NAME
    stderr_path = tmp_path / "child-stderr.txt"

    stored = 0  # the iteration the file holds; the child resumes from it
    acknowledged_total = 0
    plus_one = 0
    for round_number in range(1, ROUNDS + 1):
        delay = rng.uniform(0.0, MAX_DELAY)
        where = f"seed {SEED}, round {round_number}, delay {delay * 1000:.1f} ms"
        try:
            acks = run_round(data_dir, draft_id, delay, stderr_path)
        except AssertionError as error:
            raise AssertionError(
                f"{where}: {error}; child stderr: {stderr_path.read_text()}"
            ) from error
        assert acks == list(range(stored + 1, stored + 1 + len(acks))), (
            f"{where}: acknowledgements {acks[:3]}...{acks[-3:]} do not follow {stored}"
        )
        last_ack = acks[-1]

        integrity, words, revision_words = stored_state(path, draft_id)
        assert integrity == "ok", f"{where}: integrity_check says {integrity}"
        assert words == [f"w{n}" for n in range(1, len(words) + 1)], f"{where}: torn vision"
        assert len(words) in {last_ack, last_ack + 1}, (
            f"{where}: stored iteration {len(words)}, last acknowledged save {last_ack}"
        )
        assert revision_words == words
        plus_one += len(words) == last_ack + 1
        acknowledged_total += len(acks)
        stored = len(words)

    # The rounds did real work: at least one acknowledged save each, all of them kept.
    assert acknowledged_total >= ROUNDS
    assert stored >= acknowledged_total
    print(f"seed {SEED}: {acknowledged_total} acknowledged saves, {plus_one} rounds one ahead")
