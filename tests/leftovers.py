"""What a gui test may not leave behind: open windows, running timers, threads, background work.

Whatever a test leaves running goes on in the next tests: a timer fires into another test's
window, a background save lands after its store was closed, a busy cursor stays. Such leaks pass
unseen one test at a time and fail somewhere else later, so conftest.py checks after every gui
test with `left_behind` and fails the test that left something, naming it.

`QTimer.singleShot(ms, callable)` makes no QTimer object that Qt would list, so its calls are
recorded here (`SingleShots`) while the real Qt function still does the work.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

HERE = Path(__file__).resolve()
OUR_MODULES = ("desktop.", "tests.")


@dataclasses.dataclass
class Shot:
    """One `QTimer.singleShot` call with a callable: where it was made, whether it has fired."""

    where: str
    what: str
    msec: int
    context: QObject | None
    fired: bool = False

    def pending(self) -> bool:
        """Still to fire: Qt drops it when its context object is destroyed."""
        return not self.fired and (self.context is None or shiboken6.isValid(self.context))


class SingleShots:
    """Records `QTimer.singleShot(ms, [context,] callable)`; the Qt function still does the work."""

    shots: ClassVar[list[Shot]] = []  # one record for the whole session
    _original: ClassVar[Callable[..., Any] | None] = None

    @classmethod
    def install(cls) -> None:
        """Record from now on (once per session)."""
        if cls._original is not None:
            return
        cls._original = QTimer.singleShot
        QTimer.singleShot = staticmethod(cls._single_shot)  # type: ignore[method-assign]

    @classmethod
    def _single_shot(cls, *args: Any) -> None:
        original = cls._original
        assert original is not None
        functor = args[-1] if len(args) >= 2 else None  # (msec, [context,] functor)
        if not callable(functor) or isinstance(functor, bytes | bytearray | memoryview | str):
            original(*args)  # a slot named by its signature: Qt's own bookkeeping
            return
        context = next((a for a in args[1:-1] if isinstance(a, QObject)), None)
        owner = getattr(functor, "__self__", None)
        if context is None and isinstance(owner, QObject):
            # PySide takes a QObject's bound method as its own context; the wrapper must too.
            context = owner
        shot = Shot(_call_site(), _name(functor), int(args[0]), context)
        cls.shots.append(shot)

        def fire(*fired_args: Any) -> Any:
            shot.fired = True
            return functor(*fired_args)

        if context is None:
            original(args[0], fire)
        else:
            original(args[0], context, fire)


def _call_site() -> str:
    for frame in reversed(traceback.extract_stack()[:-1]):
        if Path(frame.filename).resolve() != HERE:
            return f"{frame.filename}:{frame.lineno}"
    return "?"


def _name(thing: object) -> str:
    return getattr(thing, "__qualname__", None) or repr(thing)


@dataclasses.dataclass(frozen=True)
class Before:
    """What existed when the test started: only what it added is its own."""

    threads: frozenset[int]
    shots: int
    widgets: frozenset[int]


def before_test() -> Before:
    """Take note of what runs before the test starts."""
    SingleShots.install()
    return Before(
        threads=frozenset(t.ident for t in threading.enumerate() if t.ident is not None),
        shots=len(SingleShots.shots),
        widgets=frozenset(id(w) for w in QApplication.topLevelWidgets()),
    )


def describe(widget: QWidget) -> str:
    """A window as a person looking for it would name it."""
    name = f" #{widget.objectName()}" if widget.objectName() else ""
    title = f" titled {widget.windowTitle()!r}" if widget.windowTitle() else ""
    return f"{type(widget).__name__}{name}{title}"


def _owner(timer: QTimer) -> str:
    parent = timer.parent()
    if isinstance(parent, QWidget):
        return describe(parent)
    return type(parent).__name__ if parent is not None else "nobody"


def _running_timers(roots: list[QObject]) -> list[QTimer]:
    found: dict[int, QTimer] = {}
    for root in roots:
        for timer in root.findChildren(QTimer):
            if timer.isActive():
                found[id(timer)] = timer
    return list(found.values())


def _background_tasks() -> list[str]:
    """Background work (desktop.background) whose outcome has not reached the main thread."""
    background = sys.modules.get("desktop.background")
    running = getattr(background, "_RUNNING", ())
    return sorted(_name(getattr(task, "_work", task)) for task in running)


def background_done() -> bool:
    """No background work running, and every outcome delivered to the main thread."""
    return QThreadPool.globalInstance().activeThreadCount() == 0 and not _background_tasks()


def wait_for_background(qtbot, timeout_ms: int = 10_000) -> None:
    """Wait until the background work the test started has finished and been delivered."""
    qtbot.waitUntil(background_done, timeout=timeout_ms)


def left_behind(before: Before) -> list[str]:
    """Everything still open or running that the test started; empty when it tidied up."""
    app = QApplication.instance()
    problems: list[str] = []
    if isinstance(app, QApplication):
        # What is already queued (the outcome of work that has finished) is delivered first, in
        # order, as the app's event loop would; then windows closed with deleteLater() (pytest-qt
        # does it) go, their timers with them. Only what still runs after that is left behind.
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if any(_ours(w) for w in QApplication.topLevelWidgets() if id(w) not in before.widgets):
            gc.collect()  # a closed window kept only by a reference cycle is garbage, not a leak
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                problems.append(f"a window still open: {describe(widget)}")
            elif _ours(widget) and id(widget) not in before.widgets:
                problems.append(f"a window closed but never deleted: {describe(widget)}")
        roots: list[QObject] = [app, *QApplication.topLevelWidgets()]
        problems.extend(
            f"a running QTimer ({timer.interval()} ms) owned by {_owner(timer)}"
            for timer in _running_timers(roots)
        )
        if QGuiApplication.overrideCursor() is not None:
            problems.append("an override cursor still set (a busy cursor never restored)")
    problems.extend(
        f"a QTimer.singleShot({shot.msec} ms, {shot.what}) not fired yet, made at {shot.where}"
        for shot in SingleShots.shots[before.shots :]
        if shot.pending()
    )
    problems.extend(
        f"a Python thread still running: {thread.name!r}"
        for thread in threading.enumerate()
        if thread.is_alive() and thread.ident not in before.threads and not _foreign(thread)
    )
    active = QThreadPool.globalInstance().activeThreadCount()
    if active:
        problems.append(f"{active} task(s) still running on Qt's global thread pool")
    problems.extend(
        f"a background task whose outcome is not delivered yet: {work}"
        for work in _background_tasks()
    )
    return problems


def _foreign(thread: threading.Thread) -> bool:
    """A thread Python did not start (Qt's pool threads, once they ran Python code): Python lists
    it as alive forever; Qt's pool is checked on its own."""
    return isinstance(thread, threading._DummyThread)  # how Python marks such threads


def _ours(widget: QWidget) -> bool:
    return type(widget).__module__.startswith(OUR_MODULES)


def tidy_up() -> None:
    """After a failure: close what was left so that the next tests start clean."""
    QThreadPool.globalInstance().waitForDone(10_000)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for _ in range(3):
        QApplication.processEvents()  # deliver the outcomes of finished background work
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    for timer in _running_timers([app, *QApplication.topLevelWidgets()]):
        timer.stop()
    while QGuiApplication.overrideCursor() is not None:
        QGuiApplication.restoreOverrideCursor()
    for shot in SingleShots.shots:
        shot.fired = True  # reported once, in the test that made it
