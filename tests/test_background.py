"""The one way the window runs work off the UI thread (desktop.background.run_in_background)."""

from __future__ import annotations

import logging
import threading

import pytest

from desktop.background import run_in_background
from tests.leftovers import background_done, wait_for_background

TIMEOUT_S = 5


class DiskGone(OSError):
    """A failure of the kind background work meets."""


def _fail() -> None:
    raise DiskGone("no space left on device")


def test_the_work_runs_off_the_main_thread_and_its_result_reaches_the_main_thread(
    qtbot,
) -> None:
    threads: dict[str, int] = {}
    results: list[int] = []

    def work() -> int:
        threads["work"] = threading.get_ident()
        return 42

    def on_success(result: int) -> None:
        threads["success"] = threading.get_ident()
        results.append(result)

    task = run_in_background(work, on_success=on_success, on_failure=pytest.fail)
    assert task.wait(TIMEOUT_S)
    assert task.finished
    qtbot.waitUntil(lambda: results == [42], timeout=TIMEOUT_S * 1000)
    assert threads["work"] != threading.main_thread().ident
    assert threads["success"] == threading.main_thread().ident
    qtbot.waitUntil(background_done, timeout=TIMEOUT_S * 1000)


def test_a_failure_reaches_its_callback_on_the_main_thread_and_success_is_not_called(
    qtbot,
) -> None:
    failures: list[tuple[BaseException, int]] = []
    successes: list[object] = []
    task = run_in_background(
        _fail,
        on_success=successes.append,
        on_failure=lambda error: failures.append((error, threading.get_ident())),
    )
    assert task.wait(TIMEOUT_S)
    qtbot.waitUntil(lambda: bool(failures), timeout=TIMEOUT_S * 1000)
    (error, thread), *others = failures
    assert others == []
    assert isinstance(error, DiskGone)
    assert str(error) == "no space left on device"
    assert thread == threading.main_thread().ident
    wait_for_background(qtbot)
    assert successes == [], "a failed work has no result"


def test_a_failure_without_a_callback_does_not_stop_the_work_that_follows(qtbot) -> None:
    """It must not stay pending for ever, nor keep the next task's outcome from arriving."""
    first = run_in_background(_fail)
    assert first.wait(TIMEOUT_S)
    results: list[str] = []
    run_in_background(lambda: "next", on_success=results.append)
    qtbot.waitUntil(lambda: results == ["next"], timeout=TIMEOUT_S * 1000)
    wait_for_background(qtbot)


def test_a_failure_without_a_callback_reaches_the_error_hook(
    qtbot, caplog: pytest.LogCaptureFixture
) -> None:
    """The error hook logs every unexpected failure (and tells the person): the log must hold it."""
    caplog.set_level(logging.ERROR)
    task = run_in_background(_fail)
    assert task.wait(TIMEOUT_S)
    wait_for_background(qtbot)

    def names_it(record: logging.LogRecord) -> bool:
        carried = record.exc_info[1] if record.exc_info else None
        return isinstance(carried, DiskGone) or "no space left on device" in record.getMessage()

    assert any(names_it(record) for record in caplog.records), "the failure went nowhere"
