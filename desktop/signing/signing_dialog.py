"""The signing screen: the mayor's office reads the statement, signs by hand, and unlocks the key.

Unlocking takes about half a second (on purpose) and runs off the UI thread. A wrong passphrase
changes nothing and leaves the screen as it was, drawn signature included, to try again.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.background import run_in_background
from desktop.core.draft_session import DraftSession
from desktop.core.signing import relevant_answers, sign_draft
from desktop.core.store.drafts import Submission
from desktop.form.pdf_export import form_pdf
from desktop.retranslation import follow_language
from desktop.signing.key_dialogs import CreateKeyDialog, passphrase_field
from desktop.signing.signature_pad import SignatureEditor
from desktop.window import look
from i18n.errors import UserError
from i18n.formatting import filled, printable
from i18n.translate import _, current_language
from sync import office_key
from sync.statement import statement_text


class SigningDialog(QDialog):
    """Sign one draft. `submission` is set once signed."""

    def __init__(self, session: DraftSession, data_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signingDialog")
        self.session = session
        self.data_dir = data_dir
        self.submission: Submission | None = None
        self._busy = False
        # The PDF-signing library takes a moment to load: it loads while the signer draws.
        run_in_background(lambda: importlib.import_module("sync.signed_pdf"))
        self.heading = QLabel(self)
        look.make_title(self.heading)
        self.statement = QLabel(self)
        self.statement.setWordWrap(True)
        self.statement.setTextFormat(Qt.TextFormat.PlainText)
        self.statement.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        look.make_panel(self.statement)
        scroller = QScrollArea(self)
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.statement)
        scroller.setMinimumHeight(140)
        self.signature = SignatureEditor(self)
        self.office = QLabel(self)
        self.office.setWordWrap(True)
        self.passphrase = passphrase_field(self)
        self.passphrase_label = QLabel(self)
        self.passphrase_label.setBuddy(self.passphrase)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        look.set_tone(self.error, "wrong")
        self.create_key_button = QPushButton(self)
        self.create_key_button.clicked.connect(self._create_key)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.sign_button.clicked.connect(self.sign)
        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroller, 1)
        layout.addWidget(self.signature)
        layout.addWidget(self.office)
        layout.addWidget(self.create_key_button)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.signature.pad.changed.connect(self._update)
        self.passphrase.textChanged.connect(self._update)
        self.resize(760, 720)
        self.retranslate_ui()
        follow_language(self)

    def retranslate_ui(self) -> None:
        """Texts in the current language (the statement too: it is signed as shown)."""
        self.setWindowTitle(_("Sign the form"))
        self.heading.setText(_(self.session.form.section("statement").title))
        answers = relevant_answers(self.session.form, self.session.answers)
        self.statement.setText(statement_text(self.session.form, answers, current_language()))
        self.passphrase_label.setText(_("Office key &passphrase:"))
        self.sign_button.setText(_("&Sign"))
        self.create_key_button.setText(_("&Create the office key…"))
        self.signature.retranslate_ui()
        self._show_key()

    def _key_info(self) -> office_key.KeyFileInfo | None:
        try:
            return office_key.read_key_file(office_key.load_key_file(self.data_dir))
        except UserError as error:
            self.office.setText(str(error))
            return None

    def _show_key(self) -> None:
        info = self._key_info()
        self.create_key_button.setVisible(info is None)
        if info is not None:
            self.office.setText(
                filled(
                    _("Signed with the key of {office}, fingerprint {fingerprint}."),
                    office=printable(info.office_name),
                    fingerprint=info.fingerprint,
                )
            )
        self._update()

    def _update(self) -> None:
        ready = (
            not self.signature.pad.is_empty()
            and bool(self.passphrase.text())
            and not self.create_key_button.isVisible()
        )
        self.sign_button.setEnabled(ready)

    def _create_key(self) -> None:
        if CreateKeyDialog(self.data_dir, self).exec():
            self._show_key()

    def sign(self) -> None:
        """Unlock the key (in the background), then sign and record the submission."""
        if not self.sign_button.isEnabled():
            return
        self.error.clear()
        passphrase = self.passphrase.text()
        self._set_busy(True)
        run_in_background(
            lambda: office_key.unlock_stored(self.data_dir, passphrase),
            on_success=self._unlocked,
            on_failure=self._failed,
        )

    def _unlocked(self, key: office_key.OfficeKey) -> None:
        try:
            self.session.save_now()
            self.submission = sign_draft(
                self.session.store,
                self.session.draft_id,
                key,
                self.signature.pad.to_png(),
                make_pdf=form_pdf,
            )
        except Exception as error:  # any failure leaves the screen usable and says why
            self._failed(error)
            return
        self._set_busy(False)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(error, UserError):
            self.error.setText(str(error))
        else:
            self.error.setText(
                filled(
                    _("Nothing was signed: {reason}. Check the disk, then try again."), reason=error
                )
            )

    def reject(self) -> None:
        """Cancel, unless the signature is being made: then it finishes first (a second)."""
        if not self._busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """The window's close button waits like Cancel does while the form is being signed."""
        if self._busy:
            event.ignore()
        else:
            super().closeEvent(event)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.signature, self.passphrase, self.buttons):
            widget.setEnabled(not busy)
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()
