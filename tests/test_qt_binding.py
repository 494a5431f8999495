"""The Qt binding itself: a release that loses references crashes the app mid-typing.

PySide6 6.12.0 under Python 3.11 lost a reference to None on every call returning nothing, and to
True on every bool delivered to a slot; after about a thousand keystrokes the count ran out and
the process aborted. pyproject.toml excludes that release; this test catches any like it.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

pytestmark = pytest.mark.gui
CALLS = 2000


class _Emitter(QObject):
    fired = Signal(bool)


def test_calls_and_signals_keep_the_reference_counts_of_none_and_true(qapp) -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(lambda value: received.append(int(value)))
    target = QObject()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        target.setObjectName("x")
        emitter.fired.emit(True)
    assert received == [1] * CALLS
    # A few references may come and go with interpreter internals; thousands may not.
    assert abs(sys.getrefcount(None) - none_before) < CALLS // 10
    assert abs(sys.getrefcount(True) - true_before) < CALLS // 10
