"""The store's events, on a real SQLite file: each change announces itself after its commit."""

from __future__ import annotations

import hashlib
import logging
import threading

import pytest

from desktop.core.store.drafts import DraftLocked, DraftsStore
from desktop.core.store.events import StoreChange, StoreEvent, StoreEvents
from tests.factories import complete_answers, recorded_submission


@pytest.fixture
def heard(store: DraftsStore) -> list[StoreChange]:
    changes: list[StoreChange] = []
    store.events.subscribe(changes.append)
    return changes


def _sign(store: DraftsStore, draft_id: str) -> None:
    png = b"\x89PNG\r\n\x1a\nsignature"
    submission = recorded_submission(
        draft_id, hashlib.sha256(png).hexdigest(), envelope=b'{"payload": "signed bytes"}'
    )
    store.record_signature(submission, png, None)


def test_each_operation_announces_its_event(store: DraftsStore, heard: list) -> None:
    draft = store.create()
    assert heard == [StoreChange(StoreEvent.CREATED, draft.id)]
    store.save(draft.id, complete_answers())
    store.trash(draft.id)
    store.restore(draft.id)
    assert heard[1:] == [
        StoreChange(StoreEvent.SAVED, draft.id),
        StoreChange(StoreEvent.TRASHED, draft.id),
        StoreChange(StoreEvent.RESTORED, draft.id),
    ]
    store.save(draft.id, {}, new_revision=True)
    earlier = next(
        revision
        for revision in store.revisions(draft.id)
        if store.revision_answers(revision.id) == complete_answers()
    )
    heard.clear()
    store.restore_revision(draft.id, earlier.id)
    assert heard == [StoreChange(StoreEvent.SAVED, draft.id)]
    heard.clear()
    copy = store.duplicate(draft.id)
    assert heard == [StoreChange(StoreEvent.CREATED, copy.id)]
    heard.clear()
    store.trash(copy.id)
    store.empty_trash()
    assert heard == [
        StoreChange(StoreEvent.TRASHED, copy.id),
        StoreChange(StoreEvent.TRASHED, None),
    ]
    heard.clear()
    _sign(store, draft.id)
    assert heard == [StoreChange(StoreEvent.SIGNED, draft.id)]
    heard.clear()
    correction = store.correct(draft.id)
    assert heard == [StoreChange(StoreEvent.CREATED, correction.id)]


def test_a_change_by_another_process_is_announced(store: DraftsStore, heard: list) -> None:
    other = DraftsStore.open(store.data_dir)
    try:
        assert not store.changed_elsewhere()
        draft = other.create()
    finally:
        other.close()
    assert store.changed_elsewhere()
    assert heard == [StoreChange(StoreEvent.CHANGED_ELSEWHERE, None)]
    assert draft.id


def test_nothing_is_announced_for_no_change_or_a_refused_save(
    store: DraftsStore, heard: list
) -> None:
    draft = store.create(complete_answers())
    heard.clear()
    store.save(draft.id, complete_answers())
    assert heard == [], "the same answers change nothing"
    _sign(store, draft.id)
    heard.clear()
    with pytest.raises(DraftLocked):
        store.save(draft.id, {**complete_answers(), "lrg_name": "Other"})
    assert heard == []


def test_a_failing_subscriber_stops_neither_another_nor_the_save(
    store: DraftsStore, heard: list, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(change: StoreChange) -> None:
        raise RuntimeError("subscriber bug")

    events = StoreEvents()
    late: list[StoreChange] = []
    events.subscribe(broken)
    events.subscribe(late.append)
    store.events = events
    draft = store.create()
    with caplog.at_level(logging.ERROR):
        result = store.save(draft.id, complete_answers())
    assert result.changed
    assert store.get(draft.id).answers == complete_answers()
    assert late[-1] == StoreChange(StoreEvent.SAVED, draft.id)
    assert "subscriber bug" in caplog.text


def test_unsubscribe(store: DraftsStore) -> None:
    changes: list[StoreChange] = []
    unsubscribe = store.events.subscribe(changes.append)
    store.create()
    unsubscribe()
    store.create()
    unsubscribe()  # twice is harmless
    assert len(changes) == 1


def test_a_change_in_a_worker_thread_reaches_the_subscriber(
    store: DraftsStore, heard: list
) -> None:
    draft = store.create()
    heard.clear()
    worker = threading.Thread(target=store.save, args=(draft.id, complete_answers()))
    worker.start()
    worker.join(10)
    assert heard == [StoreChange(StoreEvent.SAVED, draft.id)]
