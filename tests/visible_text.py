"""What a person sees in a window, as text, to look for words left in English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QWidget,
)

from i18n.translate import DOMAIN, LOCALE_DIR

# Names and marks that stay as they are in every language.
UNCHANGED = {"hrcities", "PDF", "—", "…", "*", "https://", "name@example.org", "+62 331 487 000"}


def _menu_texts(menu: QMenu, where: str) -> Iterator[tuple[str, str]]:
    yield where, menu.title()
    for action in menu.actions():
        if action.menu() is not None:
            yield from _menu_texts(action.menu(), f"{where} > submenu")
        elif action.text():
            yield f"{where} > action", action.text()


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text shown by `root` and its visible children."""
    found: list[tuple[str, str]] = [("window title", root.windowTitle())]
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            if action.menu() is not None:
                found.extend(_menu_texts(action.menu(), "menu"))
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = f"{type(widget).__name__}#{widget.objectName()}"
        if widget.toolTip():
            found.append((f"{name} tooltip", widget.toolTip()))
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((name, widget.text()))
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            found.append((f"{name} placeholder", widget.placeholderText()))
        elif isinstance(widget, QGroupBox):
            found.append((name, widget.title()))
        elif isinstance(widget, QComboBox):
            found.append((name, widget.currentText()))
        if isinstance(widget, QListWidget):
            found.extend((name, widget.item(i).text()) for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                header = model.headerData(
                    column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
                )
                if isinstance(header, str):
                    found.append((f"{name} header", header))
    return [(where, text) for where, text in found if text and text.strip()]


@cache
def _english_patterns(code: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Patterns matching each English text whose translation differs from it."""
    with (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        catalog = read_po(handle, locale=code)
    sources: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(s and s != ids[0] for s in strings):
            sources.update(ids)
    patterns = []
    for source in sorted(sources):
        plain = source.replace("&", "")
        if plain in UNCHANGED or len(plain) < 2:
            continue
        parts = re.split(r"\{[a-z_]+\}", plain)
        if not re.search(r"[A-Za-z]{2}", "".join(parts)):
            continue  # only punctuation around the values: it reads the same in any language
        pattern = ".+?".join(re.escape(part) for part in parts)
        patterns.append((re.compile(pattern, re.DOTALL), source))
    return tuple(patterns)


def english_leftovers(texts: list[tuple[str, str]], code: str) -> list[tuple[str, str, str]]:
    """(where, text shown, English source) for every text still in English."""
    leftovers = []
    for where, text in texts:
        plain = text.replace("&", "")
        if plain in UNCHANGED:
            continue
        for pattern, source in _english_patterns(code):
            if pattern.fullmatch(plain):
                leftovers.append((where, text, source))
                break
    return leftovers
