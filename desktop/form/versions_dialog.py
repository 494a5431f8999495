"""Versions: the draft's autosaved states, to look at and go back to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.form_document import form_html
from desktop.core.store.drafts import DraftsStore
from desktop.retranslation import follow_language
from i18n import formatting
from i18n.translate import _
from schemas.forms import FormDefinition

REVISION_ROLE = Qt.ItemDataRole.UserRole


class VersionsDialog(QDialog):
    """Lists the kept versions of a draft; `chosen_revision` is set when the user restores one."""

    def __init__(
        self,
        store: DraftsStore,
        draft_id: str,
        form: FormDefinition,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("versionsDialog")
        self.store = store
        self.form = form
        self.chosen_revision: int | None = None
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setMinimumWidth(220)
        self.preview = QTextBrowser(self)
        self.restore_button = QPushButton(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._restore)
        self.list.currentItemChanged.connect(lambda item, _old: self._show(item))
        for revision in store.revisions(draft_id):
            item = QListWidgetItem(formatting.moment_to_the_second(revision.saved_at))
            item.setData(REVISION_ROLE, revision.id)
            self.list.addItem(item)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.resize(900, 600)
        self.retranslate_ui()
        follow_language(self)
        if self.list.count():
            self.list.setCurrentRow(0)

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(_("Versions of this draft"))
        self.explanation.setText(
            _(
                "Every autosave is kept (the last 50). Choose one to read it; restoring it "
                "keeps today's text as a version too, so you can come back to it."
            )
        )
        self.restore_button.setText(_("&Restore this version"))
        self.list.setAccessibleName(_("Saved versions"))

    def _show(self, item: QListWidgetItem | None) -> None:
        self.restore_button.setEnabled(item is not None)
        if item is None:
            self.preview.clear()
            return
        answers = self.store.revision_answers(item.data(REVISION_ROLE))
        self.preview.setHtml(form_html(self.form, answers, item.text()))

    def _restore(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen_revision = item.data(REVISION_ROLE)
            self.accept()
