"""Editors holding several things: web links, attached documents, and repeated example cards."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.file_names import safe_name
from desktop.form.editors.base import EditorContext, FieldEditor, register
from i18n.errors import UserError
from i18n.formatting import filled, number
from i18n.translate import _
from schemas.forms import FieldDef
from schemas.validation import FILE_TYPE_NAMES, Finding, is_empty

EXTENSIONS = {
    "application/pdf": "*.pdf",
    "application/vnd.oasis.opendocument.text": "*.odt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "*.docx",
    "image/jpeg": "*.jpg *.jpeg",
    "image/png": "*.png",
}


@register("url_list")
class LinkListEditor(FieldEditor):
    """Web links, one per line."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(64)
        self.text.textChanged.connect(self._on_changed)
        self._setting = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        self.retranslate_ui()

    def _on_changed(self) -> None:
        if not self._setting:
            self.edited.emit()

    def retranslate_ui(self) -> None:
        """The hint follows the language."""
        self.text.setPlaceholderText(_("One link per line, starting with https://"))

    def value(self) -> Any:
        """The non-empty lines."""
        return [
            line.strip() for line in self.text.toPlainText().splitlines() if line.strip()
        ] or None

    def set_value(self, value: Any) -> None:
        """Show stored links."""
        text = "\n".join(str(v) for v in value) if isinstance(value, list) else ""
        if self.value() == (value or None):
            return
        self._setting = True
        self.text.setPlainText(text)
        self._setting = False

    def focus_widget(self) -> QWidget:
        """The text area."""
        return self.text


@register("attachments")
class AttachmentsEditor(FieldEditor):
    """Documents attached to an answer: add, open and remove."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.refs: list[dict[str, Any]] = []
        self.list = QListWidget(self)
        self.list.setFixedHeight(70)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.add_button = QPushButton(self)
        self.open_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.add_button.clicked.connect(self._choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Buttons follow the language."""
        self.add_button.setText(_("Attach a document…"))
        self.open_button.setText(_("Open"))
        self.remove_button.setText(_("Remove"))
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for ref in self.refs:
            size_kb = number(max(1, round(ref.get("size", 0) / 1024)))
            item = QListWidgetItem(filled(_("{name} ({size} KB)"), name=ref["name"], size=size_kb))
            self.list.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_selection = self.list.currentRow() >= 0
        self.open_button.setEnabled(has_selection)
        self.remove_button.setEnabled(has_selection)
        full = self.fdef.max_items is not None and len(self.refs) >= self.fdef.max_items
        self.add_button.setEnabled(not full)

    def _choose_files(self) -> None:
        patterns = " ".join(EXTENSIONS[t] for t in self.fdef.accept if t in EXTENSIONS)
        kinds = ", ".join(FILE_TYPE_NAMES.get(t, t) for t in self.fdef.accept)
        paths, _filter = QFileDialog.getOpenFileNames(
            self.context.dialog_parent or self,
            _("Attach documents"),
            "",
            filled(_("Documents ({kinds})"), kinds=kinds) + f" ({patterns})",
        )
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Store the files and list them; a refused file says why and changes nothing."""
        added = False
        for path in paths:
            try:
                self.refs.append(self.context.store.add_attachment(path))
                added = True
            except UserError as error:
                QMessageBox.warning(
                    self.context.dialog_parent or self, _("Document not attached"), str(error)
                )
        if added:
            self._fill()
            self.list.setCurrentRow(len(self.refs) - 1)
            self.edited.emit()

    def open_selected(self) -> None:
        """Open the selected document with the program the computer uses for its type."""
        row = self.list.currentRow()
        if row < 0:
            return
        ref = self.refs[row]
        folder = Path(tempfile.gettempdir()) / "hrcities-open" / ref["sha256"][:16]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / safe_name(str(ref.get("name", "")), "document")
        try:
            target.write_bytes(self.context.store.attachment_bytes(ref["sha256"]))
        except (UserError, OSError) as error:
            QMessageBox.warning(self.context.dialog_parent or self, _("Cannot open"), str(error))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def remove_selected(self) -> None:
        """Take the selected document off this answer (the draft's history still has it)."""
        row = self.list.currentRow()
        if row < 0:
            return
        del self.refs[row]
        self._fill()
        self.edited.emit()

    def value(self) -> Any:
        """The references of the attached documents."""
        return [dict(ref) for ref in self.refs] or None

    def set_value(self, value: Any) -> None:
        """Show stored attachments."""
        self.refs = (
            [dict(v) for v in value if isinstance(v, dict)] if isinstance(value, list) else []
        )
        self._fill()

    def focus_widget(self) -> QWidget:
        """The list of documents."""
        return self.list


class ItemCard(QGroupBox):
    """One item of a repeated group (one example of a local action)."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(parent)
        from desktop.form.field_row import FieldRow  # noqa: PLC0415 - rows contain editors, and cards rows

        self.rows = {sub.id: FieldRow(sub, context, self) for sub in fdef.item_fields}
        self.remove_button = QPushButton(self)
        layout = QVBoxLayout(self)
        for row in self.rows.values():
            layout.addWidget(row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)

    def value(self) -> dict[str, Any]:
        """The item's answers, unanswered ones left out."""
        values = {key: row.editor.value() for key, row in self.rows.items()}
        return {key: value for key, value in values.items() if not is_empty(value)}


@register("repeat")
class RepeatEditor(FieldEditor):
    """Up to `max_items` cards of the same questions, added and removed by the user."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.cards: list[ItemCard] = []
        self.cards_layout = QVBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.add_card_by_user)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.cards_layout)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Titles and buttons follow the language."""
        self.add_button.setText(_("Add an example"))
        for number_, card in enumerate(self.cards, start=1):
            card.setTitle(filled(_(self.fdef.item_label), number=number_))
            card.remove_button.setText(_("Remove this example"))
            for row in card.rows.values():
                row.retranslate_ui()
        full = self.fdef.max_items is not None and len(self.cards) >= self.fdef.max_items
        self.add_button.setEnabled(not full)

    def _add_card(self) -> ItemCard:
        card = ItemCard(self.fdef, self.context, self)
        for row in card.rows.values():
            row.editor.edited.connect(self.edited.emit)
        card.remove_button.clicked.connect(lambda: self._remove_card(card))
        self.cards.append(card)
        self.cards_layout.addWidget(card)
        return card

    def add_card_by_user(self) -> None:
        """Add an empty card and put the cursor in it."""
        card = self._add_card()
        self.retranslate_ui()
        first = next(iter(card.rows.values()))
        first.editor.focus_widget().setFocus()

    def _remove_card(self, card: ItemCard) -> None:
        if card.value():
            answer = QMessageBox.question(
                self.context.dialog_parent or self,
                _("Remove this example"),
                _(
                    "This example has text or attachments. Remove it? (An earlier version "
                    "stays under File > Versions.)"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.cards.remove(card)
        card.setParent(None)
        card.deleteLater()
        self.retranslate_ui()
        self.edited.emit()
        self.add_button.setFocus()

    def value(self) -> Any:
        """One object per card, in order (empty cards included, so numbering stays stable)."""
        return [card.value() for card in self.cards] or None

    def set_value(self, value: Any) -> None:
        """Show stored items, one card each."""
        items = [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
        while len(self.cards) > len(items):
            card = self.cards.pop()
            card.setParent(None)
            card.deleteLater()
        while len(self.cards) < len(items):
            self._add_card()
        for card, item in zip(self.cards, items, strict=True):
            for key, row in card.rows.items():
                row.editor.set_value(item.get(key))
        self.retranslate_ui()

    def focus_widget(self) -> QWidget:
        """The first question of the first card, or the add button."""
        if self.cards:
            return next(iter(self.cards[0].rows.values())).editor.focus_widget()
        return self.add_button

    def set_accessible_name(self, name: str) -> None:
        """Cards name their own questions."""
        self.setAccessibleName(name)
        self.add_button.setAccessibleName(_("Add an example"))

    def show_item_findings(self, findings: list[Finding]) -> bool:
        """Route each finding to the question of the card it concerns."""
        by_row: dict[tuple[int, str], list[Finding]] = {}
        for item in findings:
            match = re.match(rf"{re.escape(self.fdef.id)}\[(\d+)\]\.(\w+)", item.path)
            if match:
                by_row.setdefault((int(match.group(1)), match.group(2)), []).append(item)
        for index, card in enumerate(self.cards):
            for key, row in card.rows.items():
                row.show_findings(by_row.get((index, key), []))
        return True

    def rows(self) -> list[Any]:
        """Every question row inside the cards (for focus tracking)."""
        return [row for card in self.cards for row in card.rows.values()]
