"""What happened in the drafts store, for whoever wants to know (the drafts list, later sync).

Qt-free: the store announces a `StoreChange` after its transaction has committed, in the thread
that made the change; a GUI bridges it to its own thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class StoreEvent(StrEnum):
    """Kinds of change; later issues add QUEUED, SENT, RECEIPT and REVIEW."""

    CREATED = "created"
    SAVED = "saved"
    TRASHED = "trashed"
    RESTORED = "restored"
    SIGNED = "signed"
    CHANGED_ELSEWHERE = "changed_elsewhere"


@dataclass(frozen=True)
class StoreChange:
    """One change: what happened, and to which draft (None: several, or unknown)."""

    event: StoreEvent
    draft_id: str | None


Subscriber = Callable[[StoreChange], None]


class StoreEvents:
    """Subscribers to the store's changes. Thread-safe; a failing subscriber is logged and
    stops neither the others nor the store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback` with every change; returns the function that unsubscribes."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def announce(self, change: StoreChange) -> None:
        """Tell every subscriber, outside the lock (a subscriber may subscribe or leave)."""
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(change)
            except Exception:
                log.exception("A store subscriber failed on %s", change)
