"""One section of the form as a scrolling page of question rows, generated from the definition."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.core.draft_session import DraftSession
from desktop.form.editors.base import EditorContext
from desktop.form.field_row import FieldRow
from desktop.window import look
from i18n.translate import _, current_language
from schemas.forms import Section
from sync.statement import statement_text


class SectionPage(QScrollArea):
    """The questions of one section; rows follow the session's answers and findings."""

    def __init__(
        self,
        section: Section,
        session: DraftSession,
        context: EditorContext,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.section = section
        self.session = session
        self.setObjectName(f"section_{section.id}")
        self.setWidgetResizable(True)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.title = QLabel(body)
        self.title.setObjectName("sectionTitle")
        look.make_title(self.title)
        self.note = QLabel(body)
        self.note.setObjectName("sectionNote")
        look.set_tone(self.note, "quiet")
        self.note.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        self.statement: QLabel | None = None
        if section.statement is not None:
            self.statement = QLabel(body)
            self.statement.setObjectName("statementPreview")
            look.make_panel(self.statement)
            self.statement.setWordWrap(True)
            self.statement.setTextFormat(Qt.TextFormat.PlainText)
            self.statement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.statement)
        self.rows: dict[str, FieldRow] = {}
        for fdef in section.fields:
            row = FieldRow(fdef, context, body)
            row.editor.set_value(session.answer(fdef.id))
            row.editor.edited.connect(lambda row=row: self._on_edited(row))
            self.rows[fdef.id] = row
            layout.addWidget(row)
        layout.addStretch(1)
        self.setWidget(body)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        self.title.setText(_(self.section.title))
        self.note.setText(_("Questions marked * must be answered before the form can be signed."))
        for row in self.rows.values():
            row.retranslate_ui()

    def _on_edited(self, row: FieldRow) -> None:
        self.session.set_answer(row.fdef.id, row.editor.value())

    def reload_answers(self) -> None:
        """Show the session's answers again (after restoring an earlier version)."""
        for field_id, row in self.rows.items():
            row.editor.set_value(self.session.answer(field_id))
        self.refresh()

    def refresh(self) -> None:
        """Enable the questions that are asked and show what is missing or wrong."""
        if self.statement is not None:
            self.statement.setText(
                statement_text(self.session.form, self.session.answers, current_language())
            )
        report = self.session.report
        for field_id, row in self.rows.items():
            row.setEnabled(self.session.is_relevant(row.fdef))
            row.show_findings(list(report.for_field(field_id)))

    def all_rows(self) -> list[FieldRow]:
        """Every question row of the page, including those inside repeated cards."""
        rows: list[FieldRow] = []
        for row in self.rows.values():
            rows.append(row)
            inner = getattr(row.editor, "rows", None)
            if callable(inner):
                rows.extend(inner())
        return rows
