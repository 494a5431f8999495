"""Editors chosen from: the country picker, single choices and the areas-of-focus checklist."""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtCore import QCollator, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.form.editors.base import EditorContext, FieldEditor, register
from i18n.formatting import country_name
from i18n.translate import _, current_language
from schemas.countries import country_codes
from schemas.forms import FieldDef


@cache
def country_names(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, named and sorted by the rules of `language`.

    Kept per language: every country picker of every opened form shares one sorted list.
    """
    collator = QCollator(QLocale(language))
    pairs = [(code, country_name(code, language)) for code in country_codes()]
    return tuple(sorted(pairs, key=lambda pair: collator.sortKey(pair[1])))


@register("country")
class CountryEditor(FieldEditor):
    """A list of countries in the user's language; typing any part of a name narrows it."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMaxVisibleItems(15)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        self.combo.activated.connect(lambda _index: self.edited.emit())
        self.combo.lineEdit().editingFinished.connect(self._on_typed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self._last: Any = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Country names, and their order, follow the language."""
        chosen = self.value()
        self.combo.blockSignals(True)
        self.combo.clear()
        for code, name in country_names(current_language()):
            self.combo.addItem(name, code)
        self.combo.blockSignals(False)
        self.combo.lineEdit().setPlaceholderText(_("Type to search for a country"))
        self.set_value(chosen)

    def _on_typed(self) -> None:
        if self.value() != self._last:
            self.edited.emit()

    def value(self) -> Any:
        """The chosen country's code; typed text that names no country is kept as typed."""
        text = self.combo.currentText().strip()
        if not text:
            return None
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        self._last = self.combo.itemData(index) if index >= 0 else text
        return self._last

    def set_value(self, value: Any) -> None:
        """Show a stored country code."""
        index = self.combo.findData(value) if value else -1
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setCurrentIndex(-1)
            self.combo.setEditText(str(value) if value else "")
        self._last = value

    def focus_widget(self) -> QWidget:
        """The combo box."""
        return self.combo


class _ButtonsEditor(FieldEditor):
    """Shared by radio buttons and check boxes: one button per option, in form order."""

    columns = 1

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(self.exclusive)
        self.buttons: dict[str, QAbstractButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        rows = (len(fdef.options) + self.columns - 1) // self.columns
        for number, option in enumerate(fdef.options):
            button = self.make_button()
            button.setObjectName(f"option_{option.id}")
            self.group.addButton(button)
            self.buttons[option.id] = button
            grid.addWidget(button, number % rows, number // rows)
        self.group.buttonClicked.connect(lambda _button: self.edited.emit())
        self.retranslate_ui()

    exclusive = True

    def make_button(self) -> QAbstractButton:
        """A new button for one option."""
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        """Option labels follow the language."""
        for option in self.fdef.options:
            self.buttons[option.id].setText(_(option.label))

    def focus_widget(self) -> QWidget:
        """The first option."""
        return self.buttons[self.fdef.options[0].id]

    def set_accessible_name(self, name: str) -> None:
        """Each option is named by its own label; the group by the question."""
        self.setAccessibleName(name)


@register("choice")
class ChoiceEditor(_ButtonsEditor):
    """One option among a few, as radio buttons."""

    def make_button(self) -> QAbstractButton:
        """A radio button."""
        return QRadioButton(self)

    def value(self) -> Any:
        """The chosen option's id."""
        return next((key for key, button in self.buttons.items() if button.isChecked()), None)

    def set_value(self, value: Any) -> None:
        """Show a stored choice (none when the value is not an option)."""
        self.group.setExclusive(False)
        for key, button in self.buttons.items():
            button.setChecked(key == value)
        self.group.setExclusive(True)


@register("multi_choice")
class ChecklistEditor(_ButtonsEditor):
    """Any number of options, as a two-column checklist."""

    columns = 2
    exclusive = False

    def make_button(self) -> QAbstractButton:
        """A check box."""
        return QCheckBox(self)

    def value(self) -> Any:
        """The chosen options' ids, in form order."""
        return [key for key, button in self.buttons.items() if button.isChecked()] or None

    def set_value(self, value: Any) -> None:
        """Show stored choices."""
        chosen = set(value) if isinstance(value, list) else set()
        for key, button in self.buttons.items():
            button.setChecked(key in chosen)
