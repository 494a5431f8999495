"""The last page: everything still missing or wrong, each a link to its question."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.draft_session import DraftSession
from desktop.window import look
from i18n.formatting import filled
from i18n.translate import _, ngettext
from schemas.validation import Severity

FIELD_ROLE = Qt.ItemDataRole.UserRole


class SummaryPage(QWidget):
    """Lists the findings of the whole draft; activating one goes to its question.

    When nothing is missing or wrong, its Sign button opens the signing screen.
    """

    sign_requested = Signal()

    def __init__(
        self,
        session: DraftSession,
        go_to_field: Callable[[str], None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("summary")
        self.session = session
        self.title = QLabel(self)
        self.title.setObjectName("sectionTitle")
        look.make_title(self.title)
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("findings")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda item: go_to_field(item.data(FIELD_ROLE)))
        self.list.itemClicked.connect(lambda item: go_to_field(item.data(FIELD_ROLE)))
        self.sign_button = QPushButton(self)
        self.sign_button.setObjectName("signButton")
        self.sign_button.clicked.connect(self.sign_requested.emit)
        self.signable = True
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.headline)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        self.title.setText(_("Summary"))
        self.list.setAccessibleName(_("What is missing or wrong"))
        self.sign_button.setText(_("&Sign the form…"))
        self.refresh()

    def entries(self) -> list[tuple[str, str]]:
        """(field id, line shown) for every finding, in form order."""
        form = self.session.form
        lines = []
        for section in form.sections:
            labels = {f.id: _(f.label) for f in section.fields}
            for item in self.session.report.findings:
                if item.field_id not in labels:
                    continue
                kind = _("Wrong") if item.severity is Severity.WRONG else _("Missing")
                line = filled(
                    _("{kind}: {question} ({section}) — {message}"),
                    kind=kind,
                    section=_(section.title),
                    question=labels[item.field_id],
                    message=item.render(_, ngettext),
                )
                lines.append((item.field_id, line))
        return lines

    def refresh(self) -> None:
        """Rebuild the list from the current findings."""
        entries = self.entries()
        self.list.clear()
        for field_id, line in entries:
            item = QListWidgetItem(line)
            item.setData(FIELD_ROLE, field_id)
            self.list.addItem(item)
        self.sign_button.setVisible(self.signable)
        self.sign_button.setEnabled(not entries)
        if entries:
            self.headline.setText(
                ngettext(
                    "{count} thing to finish before signing. Choose one to go to it.",
                    "{count} things to finish before signing. Choose one to go to it.",
                    len(entries),
                ).format(count=len(entries))
            )
        else:
            self.headline.setText(_("Everything is answered: the form is ready for signing."))
