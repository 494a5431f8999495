"""The store's events as a Qt signal, delivered in the GUI thread whatever thread saved."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Signal

from desktop.core.store.events import StoreChange, StoreEvents


class StoreBridge(QObject):
    """Re-emits each `StoreChange` as `changed(event, draft_id or "")`.

    Create it in the GUI thread (with a parent there): a signal emitted from the autosave
    worker then reaches the GUI thread's slots queued. It unsubscribes when closed or destroyed.
    """

    changed = Signal(str, str)

    def __init__(self, events: StoreEvents, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = events.subscribe(self._heard)
        # A plain function, not a method: it must still run while the object goes away.
        self.destroyed.connect(self._unsubscribe)

    def close(self) -> None:
        """Hear no more store events."""
        self._unsubscribe()

    def _heard(self, change: StoreChange) -> None:
        with contextlib.suppress(RuntimeError):  # the Qt object is gone: nobody listens
            self.changed.emit(str(change.event), change.draft_id or "")
