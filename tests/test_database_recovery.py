"""Acceptance: a damaged drafts file is kept aside and the newest whole backup takes its place.

Also the neighbours of that promise: what the user is told, what happens with no backup or with a
damaged backup, how often backups are taken and how many are kept, and that reopening a healthy
database changes nothing. Every test works on real SQLite files in a temporary folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from desktop.core.store import database
from desktop.core.store.database import (
    BACKUP_INTERVAL,
    BACKUPS_KEPT,
    DATABASE_NAME,
    OpenReport,
    backup_folder,
    backup_time,
    connect,
    iso,
    list_backups,
    open_database,
    take_backup,
    transaction,
)
from desktop.core.store.drafts import DraftsStore
from desktop.core.store.schema_migrations import (
    MIGRATIONS,
    MIGRATIONS_TABLE,
    applied,
    apply_migrations,
)

T0 = dt.datetime(2030, 3, 4, 8, 30, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
SEED = 4242

JEMBER = {"country": "ID", "lrg_name": "Kabupaten Jember", "vision": "Hak asasi untuk semua"}
GRANADA = {"country": "ES", "lrg_name": "Granada", "lrg_type": "city_municipality"}


class Clock:
    """A clock the test sets by hand, for the store's `clock` parameter."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def corrupt(path: Path, rng: random.Random) -> bytes:
    """Write random bytes over the first 4 KiB and a stretch in the middle; the new content."""
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096, "the file is too small to damage in two places"
    data[:4096] = rng.randbytes(4096)
    middle = len(data) // 2
    data[middle : middle + 512] = rng.randbytes(512)
    path.write_bytes(bytes(data))
    return bytes(data)


def integrity(path: Path) -> str:
    """PRAGMA integrity_check of a file, read with plain sqlite3."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def all_answers(store: DraftsStore) -> dict[str, dict[str, Any]]:
    """Every draft of the store (trash included) by id, with its answers."""
    listed = store.list() + store.list(trashed=True)
    return {summary.id: store.get(summary.id).answers for summary in listed}


def side_file(path: Path, suffix: str) -> Path:
    """`path` with `-wal` / `-shm` appended, as SQLite names them."""
    return path.with_name(path.name + suffix)


def test_garbage_over_the_file_is_kept_aside_and_the_backup_restored(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    clock = Clock(T0)
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=clock)
    jember = store.create(JEMBER)
    granada = store.create(GRANADA)
    store.save(jember.id, {**JEMBER, "vision": "Saved before the backup"})
    store.trash(granada.id)
    backup = take_backup(store.db, data_dir, T0 + HOUR)
    before_backup = all_answers(store)
    clock.now = T0 + 2 * HOUR
    store.save(jember.id, {**JEMBER, "vision": "Typed after the backup"})
    store.create({"lrg_name": "Created after the backup"})
    store.close()
    path = data_dir / DATABASE_NAME
    assert not side_file(path, "-wal").exists(), "the store did not close cleanly"
    garbage = corrupt(path, rng)

    clock.now = T0 + 3 * HOUR
    reopened = DraftsStore.open(data_dir, clock=clock)
    try:
        report = reopened.open_report
        assert report.recovered
        assert report.restored_from == backup
        assert report.reason
        damaged = report.damaged_file
        assert damaged is not None
        assert damaged.parent == data_dir
        assert damaged != path
        assert damaged.read_bytes() == garbage
        message = report.message()
        assert message
        assert str(damaged) in message

        assert all_answers(reopened) == before_backup
        assert reopened.get(jember.id).answers["vision"] == "Saved before the backup"
        assert [d.id for d in reopened.list(trashed=True)] == [granada.id]
        # The restored store is in use at once: a save goes to the restored file.
        reopened.save(jember.id, {**JEMBER, "vision": "Typed again after the recovery"})
    finally:
        reopened.close()

    assert integrity(path) == "ok"
    assert backup in list_backups(data_dir), "the backup restored from is still kept"
    third = DraftsStore.open(data_dir, clock=clock)
    try:
        assert not third.open_report.recovered
        assert third.get(jember.id).answers["vision"] == "Typed again after the recovery"
    finally:
        third.close()
    assert damaged.read_bytes() == garbage, "the damaged file was touched after it was kept"


def wal_frames(wal_bytes: bytes) -> dict[int, bytes]:
    """The pages a WAL file holds, by number, the newest frame of each (32-byte header first)."""
    page_size = int.from_bytes(wal_bytes[8:12], "big")
    frame_size = 24 + page_size
    return {
        int.from_bytes(wal_bytes[offset : offset + 4], "big"): wal_bytes[
            offset + 24 : offset + frame_size
        ]
        for offset in range(32, len(wal_bytes) - frame_size + 1, frame_size)
    }


def test_the_wal_of_a_damaged_file_is_not_replayed_onto_the_backup(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    data_dir = tmp_path / "data"
    path = data_dir / DATABASE_NAME
    wal, shm = side_file(path, "-wal"), side_file(path, "-shm")
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    jember = store.create(JEMBER)
    for number in range(20):
        store.create({**GRANADA, "lrg_name": f"Barrio {number}"})
    backup = take_backup(store.db, data_dir, T0 + HOUR)
    before_backup = all_answers(store)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file now holds all of that
    store.save(jember.id, {**JEMBER, "vision": "Only in the WAL"})
    store.create({"lrg_name": "Only in the WAL too"})
    # What a power cut would leave: the file as it is now, the newest commits only in the WAL.
    main_bytes, wal_bytes, shm_bytes = path.read_bytes(), wal.read_bytes(), shm.read_bytes()
    store.close()
    frames = wal_frames(wal_bytes)
    assert frames, "the changes after the backup are not in the WAL"
    # Garbage over every page the WAL does not hold, so the WAL cannot mask the damage.
    data = bytearray(main_bytes)
    page_size = int.from_bytes(data[16:18], "big")
    pages = len(data) // page_size
    damaged_pages = [page for page in range(1, pages + 1) if page not in frames]
    assert len(damaged_pages) > 3
    for page in damaged_pages:
        data[(page - 1) * page_size : page * page_size] = rng.randbytes(page_size)
    path.write_bytes(bytes(data))
    wal.write_bytes(wal_bytes)
    shm.write_bytes(shm_bytes)

    reopened = DraftsStore.open(data_dir, clock=Clock(T0 + 2 * HOUR))
    try:
        report = reopened.open_report
        assert report.restored_from == backup
        damaged = report.damaged_file
        assert damaged is not None
        assert all_answers(reopened) == before_backup
    finally:
        reopened.close()
    assert integrity(path) == "ok"
    # The commits in the WAL are not lost to a technician either: the WAL is kept beside the
    # damaged file, both exactly as they were on disk (the check never opened them for writing).
    kept_wal = side_file(damaged, "-wal")
    assert kept_wal.read_bytes() == wal_bytes
    assert damaged.read_bytes() == bytes(data)


def test_without_a_backup_the_store_opens_empty_and_keeps_the_damaged_file(
    tmp_path: Path,
) -> None:
    rng = random.Random(SEED + 2)
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    for number in range(20):
        store.create({**JEMBER, "lrg_name": f"Desa {number}"})
    store.close()
    garbage = corrupt(data_dir / DATABASE_NAME, rng)

    reopened = DraftsStore.open(data_dir, clock=Clock(T0 + HOUR))
    try:
        report = reopened.open_report
        assert report.recovered
        assert report.restored_from is None
        assert report.damaged_file is not None
        assert report.damaged_file.read_bytes() == garbage
        assert str(report.damaged_file) in report.message()
        assert reopened.list() == []
        assert reopened.list(trashed=True) == []
        draft = reopened.create(GRANADA)
        reopened.save(draft.id, {**GRANADA, "vision": "A fresh start"})
    finally:
        reopened.close()

    again = DraftsStore.open(data_dir, clock=Clock(T0 + 2 * HOUR))
    try:
        assert not again.open_report.recovered
        assert all_answers(again) == {draft.id: {**GRANADA, "vision": "A fresh start"}}
    finally:
        again.close()
    assert report.damaged_file.read_bytes() == garbage


def test_a_damaged_newest_backup_is_skipped_for_an_older_whole_one(tmp_path: Path) -> None:
    rng = random.Random(SEED + 3)
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    jember = store.create(JEMBER)
    for number in range(10):  # enough pages for `corrupt` to damage in two places
        store.create({**GRANADA, "lrg_name": f"Barrio {number}"})
    older = take_backup(store.db, data_dir, T0 + HOUR)
    in_older = all_answers(store)
    store.save(jember.id, {**JEMBER, "vision": "Only in the newer backup"})
    newer = take_backup(store.db, data_dir, T0 + 2 * HOUR)
    store.close()
    assert list_backups(data_dir) == [newer, older]
    damaged_backup = corrupt(newer, rng)
    corrupt(data_dir / DATABASE_NAME, rng)

    reopened = DraftsStore.open(data_dir, clock=Clock(T0 + 3 * HOUR))
    try:
        assert reopened.open_report.restored_from == older
        assert all_answers(reopened) == in_older
    finally:
        reopened.close()
    assert newer.read_bytes() == damaged_backup, "the damaged backup was changed"


def test_when_every_backup_is_damaged_the_store_opens_empty(tmp_path: Path) -> None:
    rng = random.Random(SEED + 4)
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    for number in range(10):
        store.create({**JEMBER, "lrg_name": f"Desa {number}"})
    backups = [take_backup(store.db, data_dir, T0 + hours * HOUR) for hours in (1, 2)]
    store.close()
    for backup in backups:
        corrupt(backup, rng)
    corrupt(data_dir / DATABASE_NAME, rng)

    reopened = DraftsStore.open(data_dir, clock=Clock(T0 + 3 * HOUR))
    try:
        assert reopened.open_report.recovered
        assert reopened.open_report.restored_from is None
        assert reopened.list() == []
    finally:
        reopened.close()


def test_backup_if_due_takes_at_most_one_an_hour_and_keeps_the_newest(tmp_path: Path) -> None:
    clock = Clock(T0)
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=clock)
    try:
        draft = store.create({"lrg_name": "Hour 0"})
        first = store.backup_if_due()
        assert first is not None
        assert backup_time(first) == T0
        clock.now = T0 + BACKUP_INTERVAL - dt.timedelta(seconds=1)
        assert store.backup_if_due() is None
        clock.now = T0 + BACKUP_INTERVAL
        second = store.backup_if_due()
        assert second is not None
        assert list_backups(data_dir) == [second, first]

        last_hour = 2 + BACKUPS_KEPT + 1
        for hour in range(2, last_hour + 1):
            clock.now = T0 + hour * HOUR
            store.save(draft.id, {"lrg_name": f"Hour {hour}"})
            assert store.backup_if_due() is not None
            clock.now += dt.timedelta(minutes=30)
            assert store.backup_if_due() is None
    finally:
        store.close()

    backups = list_backups(data_dir)
    assert len(backups) == BACKUPS_KEPT
    expected = [T0 + hour * HOUR for hour in range(last_hour, last_hour - BACKUPS_KEPT, -1)]
    assert [backup_time(b) for b in backups] == expected
    assert sorted(backup_folder(data_dir).iterdir()) == sorted(backups), "left-over files"
    for backup, moment in zip(backups, expected, strict=True):
        assert integrity(backup) == "ok"
        with contextlib.closing(sqlite3.connect(backup)) as conn:
            (answers,) = conn.execute("SELECT answers FROM drafts").fetchone()
        hour = (moment - T0) // HOUR
        assert json.loads(answers) == {"lrg_name": f"Hour {hour}"}


def test_take_backup_keeps_at_most_backups_kept(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    db, _report = open_database(data_dir, T0)
    try:
        taken = [
            take_backup(db, data_dir, T0 + minutes * dt.timedelta(minutes=1))
            for minutes in range(BACKUPS_KEPT + 3)
        ]
    finally:
        db.close()
    assert list_backups(data_dir) == taken[::-1][:BACKUPS_KEPT]


def test_a_healthy_open_reports_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    for _ in range(2):
        store = DraftsStore.open(data_dir, clock=Clock(T0))
        try:
            report = store.open_report
            assert not report.recovered
            assert report.damaged_file is None
            assert report.restored_from is None
            assert report.message() == ""
            store.create(JEMBER)
        finally:
            store.close()
    assert [p.name for p in data_dir.iterdir() if "damaged" in p.name] == []
    assert OpenReport().message() == ""


def test_recovery_messages_name_the_damaged_file(tmp_path: Path) -> None:
    damaged = tmp_path / "data" / "drafts.sqlite3.damaged-20300304T083000000000Z"
    backup = tmp_path / "data" / "backups" / "drafts-20300304T073000000000Z.sqlite3"
    restored = OpenReport(damaged_file=damaged, restored_from=backup, reason="malformed")
    lost = OpenReport(damaged_file=damaged, reason="malformed")
    assert restored.recovered
    assert lost.recovered
    assert str(damaged) in restored.message()
    assert str(damaged) in lost.message()
    assert str(backup_time(backup).year) in restored.message()
    assert restored.message() != lost.message()


def test_reopening_a_healthy_database_runs_no_migration(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    path = data_dir / DATABASE_NAME
    data_dir.mkdir()
    fresh = connect(path)
    try:
        assert apply_migrations(fresh, iso(T0)) == [name for name, _step in MIGRATIONS]
        assert apply_migrations(fresh, iso(T0 + HOUR)) == []
    finally:
        fresh.close()

    store = DraftsStore.open(data_dir, clock=Clock(T0 + 2 * HOUR))
    try:
        draft = store.create(JEMBER)
    finally:
        store.close()
    db, report = open_database(data_dir, T0 + 3 * HOUR)
    try:
        assert not report.recovered
        assert apply_migrations(db, iso(T0 + 4 * HOUR)) == []
        assert applied(db) == [name for name, _step in MIGRATIONS]
        rows = db.execute(f"SELECT name, applied_at FROM {MIGRATIONS_TABLE}").fetchall()
        assert [tuple(row) for row in rows] == [(name, iso(T0)) for name, _step in MIGRATIONS]
        assert [name for name, _step in MIGRATIONS][:2] == [
            "0001_initial",
            "0002_statement_language",
        ]
        (answers,) = db.execute("SELECT answers FROM drafts WHERE id = ?", [draft.id]).fetchone()
        assert json.loads(answers) == JEMBER
    finally:
        db.close()


def test_a_locked_healthy_database_is_not_mistaken_for_a_damaged_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "LOCK_WAIT_SECONDS", 0.2)
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    draft = store.create(JEMBER)
    take_backup(store.db, data_dir, T0)
    store.create(GRANADA)
    store.close()
    path = data_dir / DATABASE_NAME
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        holder.execute("PRAGMA journal_mode = DELETE")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            open_database(data_dir, T0 + HOUR)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list(data_dir.glob("*.damaged-*")), "a locked file was moved aside"
    reopened = DraftsStore.open(data_dir, clock=Clock(T0 + HOUR))
    try:
        assert not reopened.open_report.recovered
        assert len(reopened.list()) == 2
        assert reopened.get(draft.id).answers == JEMBER
    finally:
        reopened.close()


def test_an_emptied_file_with_backups_is_recovered(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    draft = store.create(JEMBER)
    backup = take_backup(store.db, data_dir, T0)
    store.close()
    (data_dir / DATABASE_NAME).write_bytes(b"")
    reopened = DraftsStore.open(data_dir, clock=Clock(T0 + HOUR))
    try:
        assert reopened.open_report.restored_from == backup
        assert reopened.get(draft.id).answers == JEMBER
    finally:
        reopened.close()


def test_checking_a_backup_does_not_change_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    store.create(JEMBER)
    backup = take_backup(store.db, data_dir, T0)
    store.close()
    before = backup.read_bytes()
    corrupt(data_dir / DATABASE_NAME, random.Random(SEED + 9))
    DraftsStore.open(data_dir, clock=Clock(T0 + HOUR)).close()
    assert backup.read_bytes() == before


def test_a_backup_stamped_in_the_future_does_not_stop_new_backups(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    try:
        take_backup(store.db, data_dir, T0 + 24 * HOUR)
        assert store.backup_if_due() is not None
    finally:
        store.close()


def test_a_database_of_an_older_app_gets_the_newer_migrations_and_keeps_its_drafts(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    older = connect(data_dir / DATABASE_NAME)
    try:
        older.execute(f"CREATE TABLE {MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, applied_at TEXT)")
        with transaction(older):
            MIGRATIONS[0][1](Database(older, execute_plugins=False))
            older.execute(f"INSERT INTO {MIGRATIONS_TABLE} VALUES ('0001_initial', ?)", [iso(T0)])
            older.execute(
                "INSERT INTO drafts (id, form_id, form_version, answers, created_at, updated_at) "
                "VALUES ('old', 'hrc-join', '2022', ?, ?, ?)",
                [json.dumps(JEMBER), iso(T0), iso(T0)],
            )
    finally:
        older.close()
    store = DraftsStore.open(data_dir, clock=Clock(T0 + HOUR))
    try:
        assert applied(store.db) == [name for name, _step in MIGRATIONS]
        assert store.get("old").answers == JEMBER
        store.record_statement_language("old", "ar")
        assert store.get("old").statement_language == "ar"
    finally:
        store.close()


def test_a_clock_set_years_back_neither_stops_backups_nor_restores_an_old_one(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    store = DraftsStore.open(data_dir, clock=Clock(T0))
    try:
        draft = store.create(JEMBER)
        for hours in range(BACKUPS_KEPT):
            take_backup(store.db, data_dir, T0 + hours * HOUR)
        wrong = T0.replace(year=2009)  # the CMOS battery died
        store.save(draft.id, {**JEMBER, "vision": "Written after the clock went wrong"})
        newest = take_backup(store.db, data_dir, wrong)
        assert list_backups(data_dir)[0] == newest, "the newest backup is the last one taken"
        assert len(list_backups(data_dir)) == BACKUPS_KEPT
    finally:
        store.close()
    corrupt(data_dir / DATABASE_NAME, random.Random(SEED + 11))
    reopened = DraftsStore.open(data_dir, clock=Clock(wrong))
    try:
        assert reopened.open_report.restored_from == newest
        assert reopened.get(draft.id).answers["vision"] == "Written after the clock went wrong"
    finally:
        reopened.close()


OPEN_AT_ONCE = """
import sys, time
from pathlib import Path
from desktop.core.store.drafts import DraftsStore
start = float(sys.argv[2])
while time.time() < start:
    pass
store = DraftsStore.open(Path(sys.argv[1]))
store.create({"lrg_name": "opened at once"})
store.close()
"""


def test_processes_opening_a_new_data_folder_at_the_same_moment_all_succeed(
    tmp_path: Path,
) -> None:
    """The window and a command started beside it both create the schema: before the fix the
    second got "table drafts already exists" or "database is locked" as a raw traceback."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    import time  # noqa: PLC0415

    rounds, together = 6, 3
    for number in range(rounds):
        folder = tmp_path / f"new-{number}"
        start = time.time() + 0.8  # every process is started and waiting by then
        children = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AT_ONCE, str(folder), str(start)],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _child in range(together)
        ]
        errors = [child.communicate(timeout=60)[1] for child in children]
        assert [child.returncode for child in children] == [0] * together, errors
        store = DraftsStore.open(folder)
        try:
            assert len(store.list()) == together
        finally:
            store.close()


def test_a_drafts_file_held_too_long_by_another_process_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "LOCK_WAIT_SECONDS", 0.2)
    holder = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        with pytest.raises(database.DatabaseBusy) as at_open:
            database.open_database(tmp_path)  # the schema cannot be made meanwhile
        holder.execute("ROLLBACK")
        store = DraftsStore.open(tmp_path)
        draft = store.create({"lrg_name": "Kaolack"})
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(database.DatabaseBusy) as at_write:
                store.create({"lrg_name": "Kaolack"})
            with pytest.raises(database.DatabaseBusy):
                store.save(draft.id, {"lrg_name": "Kaolack 2"})
            assert store.get(draft.id).answers == {"lrg_name": "Kaolack"}, "reading still works"
        finally:
            store.close()
    finally:
        holder.close()
    for caught in (at_open, at_write):
        message = str(caught.value)
        assert "another hrcities window or command" in message
        assert str(tmp_path / DATABASE_NAME) in message
        assert "Nothing was changed" in message
