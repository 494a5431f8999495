"""Typing any text into a widget as key events, as a keyboard (or an input method) would.

QTest.keyClicks only knows ASCII; the people using this app type "é", "ñ", Arabic and more.
ASCII goes through QTest (with its real key codes); any other character is sent as a key event
carrying the text, which is what a keyboard layout or input method delivers.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` into `widget`, one key press and release per character."""
    for char in text:
        if char.isascii():
            QTest.keyClick(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
