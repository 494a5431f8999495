"""One question on screen: its label, help, editor and the findings about its answer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.form.editors import choice_editors, date_editors, list_editors, text_editors  # noqa: F401
from desktop.form.editors.base import EditorContext, make_editor
from desktop.window import look
from i18n.translate import _, ngettext
from schemas.forms import FieldDef
from schemas.validation import Finding, Severity


class FieldRow(QWidget):
    """A question with its editor. Findings show once the user has left the question."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.fdef = fdef
        self.setObjectName(f"row_{fdef.id}")
        self.label = QLabel(self)
        self.label.setObjectName("questionLabel")
        look.make_bold(self.label)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.help = QLabel(self)
        self.help.setObjectName("questionHelp")
        look.set_tone(self.help, "quiet")
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.PlainText)
        self.editor = make_editor(fdef, context, self)
        self.label.setBuddy(self.editor.focus_widget())
        self.message = QLabel(self)
        self.message.setObjectName("finding")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        self.touched = False
        self._findings: list[Finding] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        for widget in (self.label, self.help, self.editor, self.message):
            layout.addWidget(widget)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        label = _(self.fdef.label)
        self.label.setText(label + (" *" if self.fdef.required else ""))
        self.help.setText(_(self.fdef.help) if self.fdef.help else "")
        self.help.setVisible(bool(self.fdef.help))
        self.editor.set_accessible_name(label)
        self.editor.retranslate_ui()
        self._render()

    def show_findings(self, findings: list[Finding]) -> None:
        """Keep the findings about this answer; show them if the user has left the question."""
        own = [f for f in findings if "[" not in f.path[len(self.fdef.id) :]]
        inner = [f for f in findings if f not in own]
        self.editor.show_item_findings(inner)
        self._findings = own
        self._render()

    def mark_touched(self) -> None:
        """The user has been in this question and left it: from now on, say what is wrong."""
        if not self.touched:
            self.touched = True
            self._render()

    def _render(self) -> None:
        visible = self._findings if self.touched else []
        self.message.setText("\n".join(f.render(_, ngettext) for f in visible))
        self.message.setVisible(bool(visible))
        wrong = any(f.severity is Severity.WRONG for f in visible)
        look.set_tone(self.message, "wrong" if wrong else "missing")
        self.editor.focus_widget().setAccessibleDescription(self.message.text())
