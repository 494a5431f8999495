"""The office key in the window: create it, see its fingerprint and QR code, back it up, restore it,
change its passphrase. Key derivation takes about half a second on purpose (it slows down anyone
guessing passphrases), so it runs off the UI thread with a busy cursor.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.background import run_in_background
from desktop.form.pdf_export import fingerprint_qr_png
from desktop.retranslation import follow_language
from desktop.window import look
from i18n.errors import UserError
from i18n.formatting import filled
from i18n.translate import _
from sync import office_key


def passphrase_field(parent: QWidget) -> QLineEdit:
    """A passphrase input: hidden text, no autocompletion into other fields."""
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setInputMethodHints(
        Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhNoPredictiveText
    )
    return field


class NewPassphrase(QWidget):
    """A new passphrase typed twice, with a live hint of how hard it is to guess."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = passphrase_field(self)
        self.second = passphrase_field(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setMinimumHeight(3 * self.fontMetrics().lineSpacing())  # room for the advice
        self.first_label, self.second_label = QLabel(self), QLabel(self)
        self.first_label.setBuddy(self.first)
        self.second_label.setBuddy(self.second)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.first_label, self.first)
        layout.addRow(self.second_label, self.second)
        layout.addRow(self.hint)
        self.first.textChanged.connect(self._update_hint)
        self.second.textChanged.connect(self._update_hint)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        self.first_label.setText(_("&Passphrase:"))
        self.second_label.setText(_("&Same passphrase again:"))
        self._update_hint()

    def _update_hint(self) -> None:
        text = self.first.text()
        if not text:
            self.hint.setText(
                _("Choose at least four unrelated words that only your office knows.")
            )
            look.set_tone(self.hint, "quiet")
            return
        hint = office_key.passphrase_hint(text)
        message = hint.message
        if hint.acceptable and self.second.text() and self.second.text() != text:
            message = _("The two passphrases differ.")
        self.hint.setText(message)
        look.set_tone(self.hint, "" if self.is_acceptable() else "wrong")

    def is_acceptable(self) -> bool:
        """Strong enough and typed the same twice."""
        text = self.first.text()
        return (
            bool(text)
            and text == self.second.text()
            and office_key.passphrase_hint(text).acceptable
        )

    def passphrase(self) -> str:
        """The passphrase typed."""
        return self.first.text()


def _busy(widget: QWidget, busy: bool) -> None:
    widget.setEnabled(not busy)
    if busy:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    else:
        QGuiApplication.restoreOverrideCursor()


class CreateKeyDialog(QDialog):
    """Make the office key: the office's name and a passphrase."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createKeyDialog")
        self.setMinimumWidth(520)
        self.data_dir = data_dir
        self.created: office_key.KeyFileInfo | None = None
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.office = QLineEdit(self)
        self.office_label = QLabel(self)
        self.office_label.setBuddy(self.office)
        self.new_passphrase = NewPassphrase(self)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        look.set_tone(self.error, "wrong")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)
        self.create_button.clicked.connect(self._create)
        form = QFormLayout()
        form.addRow(self.office_label, self.office)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for field in (self.office, self.new_passphrase.first, self.new_passphrase.second):
            field.textChanged.connect(self._update)
        self.retranslate_ui()
        follow_language(self)
        self._update()

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(_("Create the office key"))
        self.explanation.setText(
            _(
                "The office key signs this office's forms. It is kept on this computer, "
                "locked by a passphrase. Anyone signing needs the passphrase; keep it safe, "
                "and keep a backup of the key on a USB stick."
            )
        )
        self.office_label.setText(_("&Office:"))
        self.office.setPlaceholderText(_("For example: Mayor's office of Jember"))
        self.create_button.setText(_("&Create the key"))
        self.new_passphrase.retranslate_ui()

    def _update(self) -> None:
        self.create_button.setEnabled(
            bool(self.office.text().strip()) and self.new_passphrase.is_acceptable()
        )

    def _create(self) -> None:
        if not self.create_button.isEnabled():
            return
        name, passphrase = self.office.text().strip(), self.new_passphrase.passphrase()
        _busy(self, True)
        run_in_background(
            lambda: office_key.create_key(name, passphrase)[1],
            on_success=self._created,
            on_failure=self._failed,
        )

    def _created(self, data: bytes) -> None:
        _busy(self, False)
        try:
            office_key.save_key_file(self.data_dir, data)
        except UserError as error:
            self._failed(error)
            return
        self.created = office_key.read_key_file(data)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        _busy(self, False)
        self.error.setText(str(error))


class ChangePassphraseDialog(QDialog):
    """The current passphrase, then a new one typed twice."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setMinimumWidth(520)
        self.data_dir = data_dir
        self.current = passphrase_field(self)
        self.current_label = QLabel(self)
        self.current_label.setBuddy(self.current)
        self.new_passphrase = NewPassphrase(self)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        look.set_tone(self.error, "wrong")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._change)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.current_label, self.current)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        follow_language(self)

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(_("Change the passphrase"))
        self.current_label.setText(_("&Current passphrase:"))
        self.new_passphrase.retranslate_ui()

    def _change(self) -> None:
        if not self.new_passphrase.is_acceptable():
            self.error.setText(_("Type a strong new passphrase twice, the same both times."))
            return
        old, new = self.current.text(), self.new_passphrase.passphrase()
        _busy(self, True)

        def work() -> office_key.KeyFileInfo:
            return office_key.change_stored_passphrase(self.data_dir, old, new)

        run_in_background(work, on_success=self._changed, on_failure=self._failed)

    def _changed(self, _info: office_key.KeyFileInfo) -> None:
        _busy(self, False)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        _busy(self, False)
        self.current.clear()
        self.current.setFocus()
        self.error.setText(str(error))


class OfficeKeyDialog(QDialog):
    """The office key: its fingerprint and QR code, and what can be done with it."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officeKeyDialog")
        self.data_dir = data_dir
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.office = QLabel(self)
        look.make_title(self.office)
        self.fingerprint = QLabel(self)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.4)
        self.fingerprint.setFont(font)
        self.fingerprint.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.qr = QLabel(self)
        self.create_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.passwd_button = QPushButton(self)
        self.create_button.clicked.connect(self.create_key)
        self.export_button.clicked.connect(self.export_backup)
        self.import_button.clicked.connect(self.import_backup)
        self.passwd_button.clicked.connect(self.change_passphrase)
        buttons = QHBoxLayout()
        for button in (
            self.create_button,
            self.export_button,
            self.import_button,
            self.passwd_button,
        ):
            buttons.addWidget(button)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.office)
        layout.addWidget(self.status)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(buttons)
        layout.addWidget(self.close_buttons)
        self.retranslate_ui()
        follow_language(self)

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        self.setWindowTitle(_("Office key"))
        self.create_button.setText(_("&Create the key…"))
        self.export_button.setText(_("&Back up…"))
        self.import_button.setText(_("&Import a backup…"))
        self.passwd_button.setText(_("Change the &passphrase…"))
        self.refresh()

    def info(self) -> office_key.KeyFileInfo | None:
        """The key's public part, None when this computer has no office key (or a damaged one)."""
        try:
            return office_key.read_key_file(office_key.load_key_file(self.data_dir))
        except UserError as error:
            self._problem = str(error)
            return None

    def refresh(self) -> None:
        """Show the key as it is now."""
        self._problem = ""
        info = self.info()
        has_key = info is not None
        self.create_button.setVisible(not has_key)
        self.export_button.setEnabled(has_key)
        self.passwd_button.setEnabled(has_key)
        self.fingerprint.setVisible(has_key)
        self.qr.setVisible(has_key)
        if info is None:
            self.office.setText(_("No office key yet"))
            self.status.setText(self._problem)
            return
        self.office.setText(info.office_name)
        self.status.setText(
            _(
                "The secretariat checks this fingerprint, by phone or with the QR code, "
                "before it trusts your office's forms."
            )
        )
        self.fingerprint.setText(info.fingerprint)
        self.fingerprint.setAccessibleName(_("Fingerprint"))
        pixmap = QPixmap()
        pixmap.loadFromData(fingerprint_qr_png(info.kid), "PNG")
        self.qr.setPixmap(pixmap)
        self.qr.setAccessibleName(_("QR code of the fingerprint"))

    def create_key(self) -> None:
        """Open the key creation dialog."""
        if CreateKeyDialog(self.data_dir, self).exec():
            self.refresh()

    def export_backup(self) -> None:
        """Write the encrypted key file where the user chooses."""
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Back up the office key"), "office-key.json", _("Key files (*.json)")
        )
        if path:
            try:
                # The save dialog has asked before replacing a file.
                written = office_key.export_backup(self.data_dir, Path(path), replace=True)
            except UserError as error:
                QMessageBox.warning(self, _("Office key"), str(error))
                return
            QMessageBox.information(
                self,
                _("Office key"),
                filled(
                    _(
                        "The backup was written and read back: {path}. It opens only with the "
                        "passphrase. Keep it away from this computer, on a USB stick in a safe "
                        "place."
                    ),
                    path=written,
                ),
            )

    def import_backup(self) -> None:
        """Restore the key from a backup file (asks before replacing another key)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Restore the office key"), "", _("Key files (*.json)")
        )
        if not path:
            return
        try:
            office_key.import_backup(self.data_dir, Path(path))
        except office_key.KeyExists:
            answer = QMessageBox.question(
                self,
                _("Office key"),
                _(
                    "This computer already has a different office key. Replace it with the "
                    "backup? Forms signed with the current key stay valid."
                ),
            )
            if answer == QMessageBox.StandardButton.Yes:
                try:
                    office_key.import_backup(self.data_dir, Path(path), replace=True)
                except UserError as error:
                    QMessageBox.warning(self, _("Office key"), str(error))
        except UserError as error:
            QMessageBox.warning(self, _("Office key"), str(error))
        self.refresh()

    def change_passphrase(self) -> None:
        """Open the passphrase change dialog."""
        ChangePassphraseDialog(self.data_dir, self).exec()
