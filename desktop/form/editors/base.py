"""What every field editor offers the form view, and the registry that picks one per type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from desktop.core.store.drafts import DraftsStore
from schemas.forms import FieldDef


@dataclass
class EditorContext:
    """What editors may need beyond their field: the store (attachments) and a dialog parent."""

    store: DraftsStore
    dialog_parent: QWidget | None = None


class FieldEditor(QWidget):
    """An input for one question. Emits `edited` when the user changes the value."""

    edited = Signal()

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.fdef = fdef
        self.context = context

    def value(self) -> Any:
        """The answer as the user has given it so far (None when nothing)."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show an answer without emitting `edited`."""
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The widget that takes the focus when the form goes to this question."""
        return self

    def set_accessible_name(self, name: str) -> None:
        """Name the inputs for screen readers (the question's label)."""
        self.focus_widget().setAccessibleName(name)

    def retranslate_ui(self) -> None:
        """Set the editor's own texts (placeholders, buttons) in the current language."""

    def show_item_findings(self, findings: list[Any]) -> bool:
        """Show findings that belong inside the editor (items of a list); False if it has none."""
        return False


EDITORS: dict[str, Callable[[FieldDef, EditorContext, QWidget | None], FieldEditor]] = {}


def register(*types: str) -> Callable[[type[FieldEditor]], type[FieldEditor]]:
    """Class decorator: the editor to use for these field types."""

    def decorate(cls: type[FieldEditor]) -> type[FieldEditor]:
        for field_type in types:
            EDITORS[field_type] = cls
        return cls

    return decorate


def make_editor(
    fdef: FieldDef, context: EditorContext, parent: QWidget | None = None
) -> FieldEditor:
    """The editor for a field, by its type."""
    return EDITORS[fdef.type](fdef, context, parent)
