"""The main window: wires the drafts list, the form, autosave, menus and the status bar.

It holds no form logic: the session validates, the store saves, the views render.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from desktop.core.file_names import document_name
from desktop.core.store.drafts import DraftsStore
from desktop.home.home_view import HomeView
from desktop.retranslation import follow_language, retranslate_all
from desktop.version import __version__
from desktop.window import look
from i18n import formatting
from i18n.errors import UserError
from i18n.formatting import filled
from i18n.languages import languages
from i18n.translate import _, current_language, ngettext, set_language
from sync.durable import write_atomically

if TYPE_CHECKING:
    from desktop.core.draft_session import DraftSession
    from desktop.form.autosave import Autosave
    from desktop.form.form_view import FormView

UNDO_SECONDS = 15
# How often the window looks whether the command line (or another window) changed the drafts.
WATCH_MS = 2000
T = TypeVar("T")


class MainWindow(QMainWindow):
    """One window: the drafts list, or the draft being filled."""

    def __init__(
        self,
        store: DraftsStore,
        settings: QSettings,
        switch_language: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self._switch_language = switch_language
        self.setObjectName("mainWindow")
        self.store = store
        self.settings = settings
        self.session: DraftSession | None = None
        self.autosave: Autosave | None = None
        self.form_view: FormView | None = None
        self.stack = QStackedWidget(self)
        self.home = HomeView(store, self.stack)
        self.stack.addWidget(self.home)
        self.setCentralWidget(self.stack)
        self.save_status = QLabel(self)
        self.save_status.setObjectName("saveStatus")
        self.statusBar().addPermanentWidget(self.save_status)
        self.undo_button = QPushButton(self)
        self.undo_button.hide()
        self.undo_button.clicked.connect(self._undo_trash)
        self.statusBar().addPermanentWidget(self.undo_button)
        self._trashed: str | None = None
        self._save_error: str | None = None
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.timeout.connect(self.undo_button.hide)
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_MS)
        self._watch_timer.timeout.connect(self.notice_changes_elsewhere)
        self._watch_timer.start()
        self._make_actions()
        self._connect_home()
        self.retranslate_ui()
        follow_language(self)
        self.home.reload()
        self._update_actions()
        self.resize(1100, 720)
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    # Building ---------------------------------------------------------------------------

    def _action(self, shortcut: QKeySequence | str | None, slot) -> QAction:
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        self.new_action = self._action(QKeySequence.StandardKey.New, self.new_draft)
        self.home_action = self._action("Ctrl+L", self.show_home)
        self.pdf_action = self._action("Ctrl+P", self.export_pdf)
        self.versions_action = self._action("Ctrl+Shift+V", self.show_versions)
        self.sign_action = self._action(None, self.sign_draft)
        self.key_action = self._action(None, self.show_office_key)
        self.summary_action = self._action("Ctrl+Shift+S", self._go_to_summary)
        self.back_action = self._action("Alt+Left", lambda: self._step(-1))
        self.next_action = self._action("Alt+Right", lambda: self._step(1))
        self.quit_action = self._action(QKeySequence.StandardKey.Quit, self.close)
        self.about_action = self._action(None, self.show_about)
        self.file_menu = self.menuBar().addMenu("")
        for action in (
            self.new_action,
            self.home_action,
            self.pdf_action,
            self.versions_action,
            self.sign_action,
            self.key_action,
        ):
            self.file_menu.addAction(action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.go_menu = self.menuBar().addMenu("")
        for action in (self.back_action, self.next_action, self.summary_action):
            self.go_menu.addAction(action)
        self.language_menu = self.menuBar().addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for item in languages():
            # Each language is named in itself, so that anyone can find their own.
            action = QAction(item.native_name, self)
            action.setCheckable(True)
            action.triggered.connect(lambda _on, code=item.code: self.choose_language(code))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[item.code] = action
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.about_action)

    def _connect_home(self) -> None:
        self.home.new_requested.connect(self.new_draft)
        self.home.open_requested.connect(self.open_draft)
        self.home.duplicate_requested.connect(self.duplicate_draft)
        self.home.trash_requested.connect(self.trash_draft)
        self.home.restore_requested.connect(self.restore_draft)
        self.home.empty_trash_requested.connect(self.empty_trash)

    def retranslate_ui(self) -> None:
        """Every text of the window in the current language."""
        self.setWindowTitle(_("Human Rights Cities and Territories — join form"))
        self.file_menu.setTitle(_("&File"))
        self.go_menu.setTitle(_("&Go"))
        self.help_menu.setTitle(_("&Help"))
        # Translators: the menu listing the languages, each written in its own language.
        self.language_menu.setTitle(_("&Language"))
        self.language_actions[current_language()].setChecked(True)
        self.new_action.setText(_("&New draft"))
        self.home_action.setText(_("&Drafts list"))
        self.pdf_action.setText(_("Export &PDF…"))
        self.versions_action.setText(_("&Versions…"))
        self.sign_action.setText(_("Si&gn…"))
        self.key_action.setText(_("Office &key…"))
        self.summary_action.setText(_("&Summary"))
        self.back_action.setText(_("&Back"))
        self.next_action.setText(_("&Next"))
        self.quit_action.setText(_("&Quit"))
        self.about_action.setText(_("&About hrcities"))
        self.undo_button.setText(_("Undo"))
        self.home.retranslate_ui()
        if self.form_view is not None:
            self.form_view.retranslate_ui()
        self._show_saved()

    def _update_actions(self) -> None:
        editing = self.session is not None
        signed = editing and self.form_view is not None and self.form_view.submission is not None
        self.sign_action.setEnabled(editing and not signed)
        for action in (
            self.pdf_action,
            self.versions_action,
            self.summary_action,
            self.back_action,
            self.next_action,
        ):
            action.setEnabled(editing)
        self.home_action.setEnabled(editing)

    def choose_language(self, code: str) -> None:
        """Switch the whole window to another language, keeping everything typed."""
        self.settings.setValue("language", code)
        if self._switch_language is not None:
            self._switch_language(code)  # every registered window follows
        else:
            set_language(code)
            retranslate_all()

    # Drafts ---------------------------------------------------------------------------

    def _report(self, error: UserError) -> None:
        QMessageBox.warning(self, _("Something went wrong"), str(error))

    def _attempt(self, action: Callable[[], T]) -> T | None:
        """Run a store action; a refusal (read-only disk, busy file) is told, not raised."""
        try:
            return action()
        except UserError as error:
            self._report(error)
            return None

    def new_draft(self) -> None:
        """Start a new draft and open it."""
        draft = self._attempt(lambda: self.store.create(language=current_language()))
        if draft is not None:
            self.open_draft(draft.id)

    def open_draft(self, draft_id: str) -> None:
        """Leave the current draft (saved) and show another one."""
        # The form's modules load when a form is first opened, not while the list appears.
        from desktop.core.draft_session import DraftSession  # noqa: PLC0415
        from desktop.form.autosave import Autosave  # noqa: PLC0415
        from desktop.form.editors.base import EditorContext  # noqa: PLC0415
        from desktop.form.form_view import FormView  # noqa: PLC0415

        if not self.close_draft(show_home=False):
            return
        try:
            draft = self.store.open_draft(draft_id)
        except UserError as error:
            self._report(error)
            self.show_home()
            return
        self.session = DraftSession(self.store, draft)
        self.autosave = Autosave(self.session, self)
        self.autosave.changed.connect(self._show_unsaved)
        self.autosave.saving.connect(lambda: self.save_status.setText(_("Saving…")))
        self.autosave.saved.connect(lambda _when: self._saved())
        self.autosave.failed.connect(self._on_save_failed)
        self.form_view = FormView(
            self.session,
            EditorContext(self.store, self),
            self.stack,
            submission=self.store.submission_for(draft_id),
        )
        self.form_view.section_changed.connect(lambda _index: self.autosave.save_soon())
        self.form_view.sign_requested.connect(self.sign_draft)
        self.form_view.correct_requested.connect(self.correct_draft)
        self.form_view.export_signed_pdf_requested.connect(self.export_signed_pdf)
        self.form_view.export_signed_files_requested.connect(self.export_signed_files)
        self.stack.addWidget(self.form_view)
        self.stack.setCurrentWidget(self.form_view)
        self._show_saved()
        self._update_actions()
        self.form_view.navigator.setFocus()

    def close_draft(self, show_home: bool = True, interactive: bool = True) -> bool:
        """Save the open draft and leave it; False when the user chose to stay (save failed).

        Not `interactive` (the system is shutting down), a save that fails asks nothing: the
        answers are written to a rescue file in the data folder instead.
        """
        if self.autosave is not None:
            while True:
                try:
                    self.autosave.stop()
                    break
                except UserError as error:
                    if not interactive:
                        self._rescue_unsaved(error)
                        break
                    choice = self._ask_after_failed_save(error)
                    if choice == "retry":
                        continue
                    if choice == "stay":
                        return False
                    break  # the user chose to leave without saving (after a copy, perhaps)
            self.autosave.deleteLater()
        if self.form_view is not None:
            self.form_view.detach()
            self.stack.removeWidget(self.form_view)
            self.form_view.deleteLater()
        self.session, self.autosave, self.form_view = None, None, None
        if show_home:
            self.show_home()
        self._update_actions()
        return True

    def save_for_shutdown(self) -> None:
        """The session is ending (SIGTERM, logging out): save now, asking nobody anything."""
        if self.autosave is None:
            return
        try:
            self.autosave.flush()
        except UserError as error:
            self._rescue_unsaved(error)

    def _rescue_unsaved(self, error: UserError) -> None:
        """Keep answers that could not be saved in a file `hrcities drafts import` reads."""
        if self.session is None:
            return
        from desktop.core.rescue import rescue_answers  # noqa: PLC0415 - only when a save failed

        rescue_answers(self.store.data_dir, self.session.draft_id, self.session.answers, error)

    def _ask_after_failed_save(self, error: UserError) -> str:
        """The last save failed: try again, save a copy elsewhere, leave anyway, or stay."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Not saved"), str(error), parent=self)
        retry = box.addButton(QMessageBox.StandardButton.Retry)
        copy = box.addButton(_("Save a &copy…"), QMessageBox.ButtonRole.ActionRole)
        leave = box.addButton(_("Close &without saving"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(retry)
        box.exec()
        clicked = box.clickedButton()
        if clicked is retry:
            return "retry"
        if clicked is copy:
            self._save_copy()
            return "stay"
        return "leave" if clicked is leave else "stay"

    def _save_copy(self) -> None:
        """Write the answers in memory to a file the user picks (a draft file hrcities imports)."""
        if self.session is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save a copy"), "draft.json", _("Draft files (*.json)")
        )
        if not path:
            return
        data = json.dumps(self.session.answers, ensure_ascii=False, indent=2).encode("utf-8")
        try:
            write_atomically(Path(path), data)
        except OSError as error:
            self._not_written(
                _("Save a copy"),
                _("The file could not be written ({reason}). Choose another folder."),
                error,
            )

    def show_home(self) -> None:
        """Show the drafts list (the open draft is saved and closed)."""
        if self.session is not None and not self.close_draft(show_home=False):
            return
        self.home.reload()
        self.stack.setCurrentWidget(self.home)
        self.save_status.clear()
        self.home.table.setFocus()

    def duplicate_draft(self, draft_id: str) -> None:
        """Copy a draft and select the copy."""
        copy = self._attempt(lambda: self.store.duplicate(draft_id))
        if copy is not None:
            self.home.reload(select=copy.id)

    def trash_draft(self, draft_id: str) -> None:
        """Move a draft to the trash, with Undo in the status bar for a while."""
        if self._attempt(lambda: self.store.trash(draft_id) or True) is None:
            return
        self._trashed = draft_id
        self.statusBar().showMessage(_("Draft moved to the trash."), UNDO_SECONDS * 1000)
        self.undo_button.show()
        self._undo_timer.start(UNDO_SECONDS * 1000)
        self.home.reload()  # at once, with the Undo: the event's reload comes a moment later

    def _undo_trash(self) -> None:
        if self._trashed:
            self.restore_draft(self._trashed)
            self._trashed = None
        self.undo_button.hide()
        self.statusBar().clearMessage()

    def restore_draft(self, draft_id: str) -> None:
        """Bring a draft back from the trash."""
        if self._attempt(lambda: self.store.restore(draft_id) or True) is not None:
            self.home.reload(select=draft_id)

    def empty_trash(self) -> None:
        """Delete the trashed drafts for good, after saying what goes and what stays."""
        contents = self._attempt(self.store.trash_contents)
        if contents is None:
            return
        kept = (
            ngettext(
                "{count} signed form stays in the trash: it has not reached the secretariat.",
                "{count} signed forms stay in the trash: they have not reached the secretariat.",
                contents.kept_signed,
            ).format(count=contents.kept_signed)
            if contents.kept_signed
            else ""
        )
        if not contents.deleted:
            QMessageBox.information(self, _("Empty the trash"), kept or _("The trash is empty."))
            return
        goes = ngettext(
            "{count} draft will be deleted for good, with its saved versions. This cannot be "
            "undone.",
            "{count} drafts will be deleted for good, with their saved versions. This cannot be "
            "undone.",
            contents.deleted,
        ).format(count=contents.deleted)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Empty the trash"),
            goes + ("\n\n" + kept if kept else ""),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        delete = box.addButton(_("&Delete for good"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is delete:
            self._attempt(self.store.empty_trash)  # the list follows the store's event

    def stop_watching(self) -> None:
        """No more looking at the drafts file (it is about to be closed)."""
        self._watch_timer.stop()
        self.home.stop_following()

    def notice_changes_elsewhere(self) -> None:
        """Show what the command line or another window changed: the list, a draft signed."""
        try:
            if not self.store.changed_elsewhere():
                return
        except UserError:  # the file is busy or gone for a moment: look again next time
            return
        if self.stack.currentWidget() is self.home:
            return  # the list follows the store's CHANGED_ELSEWHERE event
        if self.session is None or self.form_view is None or self.form_view.submission:
            return
        if self.store.submission_for(self.session.draft_id) is None:
            return
        draft_id = self.session.draft_id
        kept = None
        if self.session.dirty:
            # Typed after the signature was made elsewhere: not in the signed form, not lost.
            kept = self._attempt(
                lambda: self.store.create(
                    self.session.answers,
                    form_id=self.session.form.form_id,
                    form_version=self.session.form.version,
                    language=self.session.language,
                )
            )
            self.session.mark_saved(self.session.generation, self.session.saved_at)
        self.open_draft(draft_id)
        if kept is not None:
            self.tell(
                _(
                    "This form was signed meanwhile, on this computer but outside this window. "
                    "What you typed since is kept in a new draft."
                )
            )
        else:
            self.tell(
                _("This form was signed meanwhile, on this computer but outside this window.")
            )

    # Form ------------------------------------------------------------------------------

    def _step(self, delta: int) -> None:
        if self.form_view is not None:
            self.form_view.go_to_page(self.form_view.pages.currentIndex() + delta)

    def _go_to_summary(self) -> None:
        if self.form_view is not None:
            self.form_view.go_to_summary()

    def _saved(self) -> None:
        self._save_error = None
        self._show_saved()

    def _show_unsaved(self) -> None:
        """Between a change and its save the status bar never claims "Saved"."""
        if self._save_error is None:
            look.set_tone(self.save_status, "")
            self.save_status.setText(_("Unsaved changes"))

    def _show_saved(self) -> None:
        if self.session is None:
            return
        if self._save_error is not None and self.session.dirty:
            self._on_save_failed(self._save_error)
            return
        if self.session.dirty:
            self._show_unsaved()
            return
        look.set_tone(self.save_status, "")
        self.save_status.setText(
            filled(_("Saved {when}"), when=formatting.moment(self.session.saved_at))
        )

    def _on_save_failed(self, error: object) -> None:
        self._save_error = error
        look.set_tone(self.save_status, "wrong", bold=True)
        if isinstance(error, UserError):  # already says what happened and what to do
            self.save_status.setText(str(error))
            return
        self.save_status.setText(
            filled(
                _("Not saved: {reason}. Your text is kept here and saving is tried again."),
                reason=error,
            )
        )

    def export_pdf(self) -> None:
        """Write the filled form to a PDF the user names."""
        if self.session is None:
            return
        name = document_name(self.session.form, self.session.answers, ".pdf", _("join-form"))
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export PDF"), name, _("PDF documents (*.pdf)")
        )
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> None:
        """Write the open draft as a PDF to `path`, saying so or saying why not."""
        if self.session is None:
            return
        from desktop.form.pdf_export import write_form_pdf  # noqa: PLC0415 - loaded on first use

        try:
            write_form_pdf(self.session.form, self.session.answers, path)
        except OSError as error:
            self._pdf_not_written(error)
            return
        self.statusBar().showMessage(filled(_("PDF written to {path}"), path=path), 8000)

    def _pdf_not_written(self, error: OSError) -> None:
        self._not_written(
            _("Export PDF"),
            _("The PDF could not be written ({reason}). Choose another folder."),
            error,
        )

    def _not_written(self, title: str, template: str, error: OSError) -> None:
        """Say a file was not written and why, in words (the system's reason, not a code)."""
        QMessageBox.warning(self, title, filled(template, reason=error.strerror or error))

    def show_versions(self) -> None:
        """Show the draft's saved versions; restore one if the user chooses it."""
        if self.session is None or self.autosave is None:
            return
        self.autosave.flush()
        from desktop.form.versions_dialog import VersionsDialog  # noqa: PLC0415 - loaded on first use

        dialog = VersionsDialog(self.store, self.session.draft_id, self.session.form, self)
        if dialog.exec() and dialog.chosen_revision is not None:
            self.store.restore_revision(self.session.draft_id, dialog.chosen_revision)
            self.session.reload(self.store.get(self.session.draft_id))
            if self.form_view is not None:
                self.form_view.reload_answers()
            self._show_saved()

    def sign_draft(self) -> None:
        """Open the signing screen for the open draft; on success show it signed."""
        if self.session is None or self.autosave is None:
            return
        from desktop.signing.signing_dialog import SigningDialog  # noqa: PLC0415 - loaded on first use

        self.autosave.flush()
        if not self.session.report.can_sign:
            self.form_view.go_to_summary()
            return
        draft_id = self.session.draft_id
        SigningDialog(self.session, self.store.data_dir, self).exec()
        # The store says whether it is signed, whatever way the dialog was closed.
        if self.store.submission_for(draft_id) is not None:
            self.open_draft(draft_id)
            self.tell(_("The form is signed. It can no longer be changed."))

    def correct_draft(self) -> None:
        """Make a new draft correcting the signed one, and open it."""
        if self.session is None:
            return
        try:
            correction = self.store.correct(self.session.draft_id)
        except UserError as error:
            self._report(error)
            return
        self.open_draft(correction.id)
        self.tell(_("This draft corrects the signed form. Sign it again when it is ready."))

    def export_signed_pdf(self) -> None:
        """Save the signed PDF of the open draft where the user chooses."""
        submission = self.store.submission_for(self.session.draft_id) if self.session else None
        if submission is None or submission.signed_pdf is None:
            return
        from desktop.form.pdf_export import write_file  # noqa: PLC0415

        name = document_name(self.session.form, self.session.answers, ".pdf", _("join-form"))
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the signed PDF"), name, _("PDF documents (*.pdf)")
        )
        if not path:
            return
        try:
            write_file(Path(path), self.store.attachment_bytes(submission.signed_pdf))
        except OSError as error:
            self._pdf_not_written(error)
            return
        self.statusBar().showMessage(filled(_("PDF written to {path}"), path=path), 8000)

    def export_signed_files(self, folder: Path | None = None) -> None:
        """Write the signed draft's files into a folder the user picks (made if need be)."""
        if self.session is None:
            return
        from desktop.core.signed_export import ExportRefused, export_signed, plan  # noqa: PLC0415

        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, _("Export the signed files"))
            if not chosen:
                return
            folder = Path(chosen)
        draft_id = self.session.draft_id
        try:
            _submission, files = plan(self.store, draft_id)
            clashes = [f.name for f in files if (folder / f.name).exists()]
            replace = False
            if clashes:
                answer = QMessageBox.question(
                    self,
                    _("Export the signed files"),
                    filled(
                        _("{folder} already holds {names}. Replace them?"),
                        folder=folder,
                        names=", ".join(clashes[:3]) + (" …" * (len(clashes) > 3)),
                    ),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
                replace = True
            written = export_signed(self.store, draft_id, folder, replace=replace)
        except (UserError, ExportRefused) as error:
            self._report(error)
            return
        self.statusBar().showMessage(
            ngettext(
                "{count} file written to {folder}.",
                "{count} files written to {folder}.",
                len(written),
            ).format(count=len(written), folder=folder),
            8000,
        )

    def show_office_key(self) -> None:
        """The office key: fingerprint, QR code, backup, restore, passphrase."""
        from desktop.signing.key_dialogs import OfficeKeyDialog  # noqa: PLC0415 - loaded on first use

        OfficeKeyDialog(self.store.data_dir, self).exec()

    def show_about(self) -> None:
        """The version and what the app is for."""
        QMessageBox.about(
            self,
            _("About hrcities"),
            _(
                "hrcities {version}\n\nFill in, sign and send the form to join the campaign "
                '"10, 100, 1000 Human Rights Cities and Territories by 2030".'
            ).format(version=__version__),
        )

    def tell(self, message: str) -> None:
        """Show a notice in the status bar for a while."""
        self.statusBar().showMessage(message, 20000)

    # Closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Save everything, remember the window's place, then close (unless a save failed and the
        user chose to stay)."""
        if not self.close_draft(show_home=False):
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        event.accept()

    def focus_target(self) -> QWidget:
        """Where the keyboard starts: the form's navigator or the drafts table."""
        return self.form_view.navigator if self.form_view is not None else self.home.table


def restore_focus(window: MainWindow) -> None:
    """Put the keyboard focus where a person would start."""
    window.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
