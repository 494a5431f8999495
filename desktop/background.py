"""The one way the window runs work off the UI thread.

`run_in_background(work, on_success, on_failure)` runs `work()` on Qt's thread pool and calls one
of the callbacks on the main thread with its result or its exception; a failure with no
`on_failure` goes to the error hook (a dialog and the log), never silently nowhere. Workers never
touch widgets; callbacks may. Keep the returned `Task` if you need to wait for it (`wait()`), for
instance before closing the window.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives in the main thread; its signals carry results back there (queued connections)."""

    succeeded = Signal(object)
    failed = Signal(object)


_RUNNING: set[Task] = set()


def _unexpected(error: BaseException) -> None:
    from desktop.error_hook import report_unexpected  # noqa: PLC0415 - loaded on first failure

    report_unexpected(error, "a background task")


class Task(QRunnable):
    """One piece of background work and where its outcome goes."""

    def __init__(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._work = work
        self._relay = _Relay()
        self._done = threading.Event()
        if on_success is not None:
            self._relay.succeeded.connect(on_success)
        # A failure nobody asked about still reaches the person (the error hook's dialog).
        self._relay.failed.connect(on_failure if on_failure is not None else _unexpected)
        # Connected last, so it runs after the callbacks: until then the task must stay alive.
        self._relay.succeeded.connect(self._release)
        self._relay.failed.connect(self._release)

    def _release(self, _outcome: object) -> None:
        _RUNNING.discard(self)

    def run(self) -> None:
        """Runs in a worker thread: the work, then its outcome sent to the main thread."""
        try:
            result = self._work()
        except Exception as error:  # every failure goes to on_failure, none is lost
            self._done.set()
            self._deliver(self._relay.failed, error)
            return
        self._done.set()
        self._deliver(self._relay.succeeded, result)

    def _deliver(self, signal: Signal, outcome: object) -> None:
        # At application exit the relay may already be gone; the work itself is done.
        with contextlib.suppress(RuntimeError):
            signal.emit(outcome)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has finished (not the callbacks); True if it did in time."""
        return self._done.wait(timeout)

    @property
    def finished(self) -> bool:
        """Whether the work has finished."""
        return self._done.is_set()


def run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Start `work` on a worker thread; outcomes are delivered on the main thread."""
    task = Task(work, on_success, on_failure)
    _RUNNING.add(task)
    (pool or QThreadPool.globalInstance()).start(task)
    return task
