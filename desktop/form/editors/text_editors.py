"""Editors typed into: single-line text, long text with its word counter, numbers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.form.editors.base import EditorContext, FieldEditor, register
from desktop.window import look
from i18n.translate import _, ngettext
from schemas.forms import FieldDef
from schemas.limits import LINE_DEFAULT_MAX, max_characters
from schemas.wordcount import count_words


def _strip_layout(layout: QVBoxLayout) -> QVBoxLayout:
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


@register("text", "email", "phone", "url")
class LineEditor(FieldEditor):
    """One line of text; suggestions (Mayor, President...) offered as the user types."""

    PLACEHOLDERS: ClassVar[Mapping[str, str]] = {
        "email": "name@example.org",
        "phone": "+62 331 487 000",
        "url": "https://",
    }

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.line = QLineEdit(self)
        # A little past the form's limit, so going over it shows as a finding, not lost keys.
        self.line.setMaxLength(max_characters(fdef) or LINE_DEFAULT_MAX)
        self.line.textEdited.connect(lambda _text: self.edited.emit())
        layout = _strip_layout(QVBoxLayout(self))
        layout.addWidget(self.line)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Suggestions and placeholders follow the language."""
        if self.fdef.suggestions:
            completer = QCompleter([_(s) for s in self.fdef.suggestions], self.line)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.line.setCompleter(completer)
            self.line.setPlaceholderText(", ".join(_(s) for s in self.fdef.suggestions) + "…")
        else:
            self.line.setPlaceholderText(self.PLACEHOLDERS.get(self.fdef.type, ""))

    def value(self) -> Any:
        """The text as typed (trailing spaces kept while typing, blank is no answer)."""
        return self.line.text() or None

    def set_value(self, value: Any) -> None:
        """Show a stored answer."""
        self.line.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        """The line edit."""
        return self.line


@register("long_text")
class LongTextEditor(FieldEditor):
    """A text of many words, with the live counter the word limit is checked with."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        if (fdef.max_words or 0) <= 60:
            self.text.setFixedHeight(90)
        else:
            self.text.setMinimumHeight(200)
        self.counter = QLabel(self)
        self.counter.setObjectName("wordCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.text.textChanged.connect(self._update_counter)
        self.text.textChanged.connect(self._on_text_changed)
        self._setting = False
        layout = _strip_layout(QVBoxLayout(self))
        layout.addWidget(self.text)
        layout.addWidget(self.counter)
        self._update_counter()

    def _on_text_changed(self) -> None:
        if self._setting:
            return
        most = max_characters(self.fdef)
        text = self.text.toPlainText()
        if most is not None and len(text) > most:
            # As a line editor does past its length: a pasted book is cut to what the form can
            # ever carry (far past the word limit), so the app and its files stay bounded.
            self.set_value(text[:most])
            self.text.moveCursor(QTextCursor.MoveOperation.End)
        self.edited.emit()

    def word_count(self) -> int:
        """Words in the text, counted exactly as the limit is checked."""
        return count_words(self.text.toPlainText())

    def _update_counter(self) -> None:
        count = self.word_count()
        low, high = self.fdef.min_words, self.fdef.max_words
        if low and high:
            template = ngettext(
                "{count} word (between {minimum} and {maximum})",
                "{count} words (between {minimum} and {maximum})",
                count,
            )
        elif high:
            template = ngettext(
                "{count} word ({maximum} at most)", "{count} words ({maximum} at most)", count
            )
        else:
            template = ngettext("{count} word", "{count} words", count)
        self.counter.setText(template.format(count=count, minimum=low, maximum=high))
        over = bool(high and count > high)
        look.set_tone(self.counter, "wrong" if over else "", bold=over)

    def retranslate_ui(self) -> None:
        """The counter's words follow the language."""
        self._update_counter()

    def value(self) -> Any:
        """The whole text."""
        return self.text.toPlainText() or None

    def set_value(self, value: Any) -> None:
        """Show a stored answer, keeping the cursor where it was if the text is unchanged."""
        text = "" if value is None else str(value)
        if text == self.text.toPlainText():
            return
        self._setting = True
        try:
            self.text.setPlainText(text)
        finally:
            self._setting = False

    def focus_widget(self) -> QWidget:
        """The text area."""
        return self.text


_GROUPING = re.compile(r"[\s.,'\u00a0\u202f\u066c]")


def parse_whole_number(text: str) -> int | str | None:
    """A typed number with the digit grouping of any language, or the text itself if it is not one.

    Keeping unparseable text (rather than dropping it) means nothing typed is lost; validation
    then says it is not a whole number.
    """
    stripped = text.strip()
    if not stripped:
        return None
    digits = _GROUPING.sub("", stripped)
    digits = "".join(str(int(ch)) if ch.isdigit() else ch for ch in digits)
    if re.fullmatch(r"-?\d+", digits):
        return int(digits)
    return stripped


@register("integer")
class WholeNumberEditor(FieldEditor):
    """A whole number, typed with or without digit grouping, in any script's digits."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.line = QLineEdit(self)
        self.line.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.line.textEdited.connect(lambda _text: self.edited.emit())
        layout = _strip_layout(QVBoxLayout(self))
        layout.addWidget(self.line)

    def value(self) -> Any:
        """The number, or the typed text when it is not a whole number."""
        return parse_whole_number(self.line.text())

    def set_value(self, value: Any) -> None:
        """Show a stored answer."""
        if value is None:
            self.line.clear()
        elif self.value() != value:
            self.line.setText(str(value))

    def focus_widget(self) -> QWidget:
        """The line edit."""
        return self.line
