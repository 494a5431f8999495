"""The form being filled: a section navigator with completion, the pages, Back and Next."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop.core.draft_session import DraftSession
from desktop.core.store.drafts import Submission
from desktop.form.editors.base import EditorContext
from desktop.form.field_row import FieldRow
from desktop.form.section_page import SectionPage
from desktop.form.summary_page import SummaryPage
from desktop.window import look
from i18n import formatting
from i18n.formatting import isolate, printable
from i18n.languages import languages
from i18n.translate import _, current_language
from sync.jose import fingerprint_groups


class FormView(QWidget):
    """Shows one draft session. Emits `section_changed` so the autosave can save."""

    section_changed = Signal(int)
    sign_requested = Signal()
    correct_requested = Signal()
    export_signed_pdf_requested = Signal()
    export_signed_files_requested = Signal()

    def __init__(
        self,
        session: DraftSession,
        context: EditorContext,
        parent: QWidget | None = None,
        submission: Submission | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("formView")
        self.session = session
        self.submission = submission
        self.navigator = QListWidget(self)
        self.navigator.setObjectName("sectionNavigator")
        self.navigator.setMinimumWidth(240)
        self.navigator.setWordWrap(True)
        self.navigator.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = QStackedWidget(self)
        self.section_pages: list[SectionPage] = []
        for section in session.form.sections:
            page = SectionPage(section, session, context, self.pages)
            self.section_pages.append(page)
            self.pages.addWidget(page)
            self.navigator.addItem(QListWidgetItem())
        self.summary = SummaryPage(session, self.go_to_field, self.pages)
        self.summary.signable = submission is None
        self.summary.sign_requested.connect(self.sign_requested.emit)
        self.pages.addWidget(self.summary)
        self.navigator.addItem(QListWidgetItem())
        self.navigator.currentRowChanged.connect(self.go_to_page)

        header = self._make_answers_language(session)

        buttons = self._make_steps()
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.banner = self._make_banner() if submission is not None else None
        if self.banner is not None:
            right_layout.addWidget(self.banner)
        right_layout.addLayout(header)
        right_layout.addWidget(self.pages, 1)
        right_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.navigator)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        self._refresh_pending = False
        session.on_change(self._schedule_refresh)
        QApplication.instance().focusChanged.connect(self._on_focus_changed)
        self.retranslate_ui()
        self.navigator.setCurrentRow(0)

    def _make_steps(self) -> QHBoxLayout:
        """Back and Next under the pages."""
        self.back_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.back_button.clicked.connect(lambda: self.go_to_page(self.pages.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.pages.currentIndex() + 1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        return buttons

    def _make_banner(self) -> QWidget:
        """What a signed draft says above its (read-only) pages."""
        banner = QWidget(self)
        banner.setObjectName("signedBanner")
        self.banner_text = QLabel(banner)
        self.banner_text.setWordWrap(True)
        look.make_panel(self.banner_text)
        self.correct_button = QPushButton(banner)
        self.export_pdf_button = QPushButton(banner)
        self.export_files_button = QPushButton(banner)
        self.correct_button.clicked.connect(self.correct_requested.emit)
        self.export_pdf_button.clicked.connect(self.export_signed_pdf_requested.emit)
        self.export_files_button.clicked.connect(self.export_signed_files_requested.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_pdf_button)
        buttons.addWidget(self.export_files_button)
        buttons.addWidget(self.correct_button)
        layout = QVBoxLayout(banner)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner_text)
        layout.addLayout(buttons)
        for page in self.section_pages:
            for row in page.rows.values():
                row.setEnabled(False)
        # Answers of a signed form cannot change, but must stay as readable as when typed:
        # the disabled (greyed) colours are replaced by the usual ones.
        palette = self.palette()
        for role in (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
        ):
            palette.setColor(
                QPalette.ColorGroup.Disabled,
                role,
                palette.color(QPalette.ColorGroup.Active, role),
            )
        for page in self.section_pages:
            page.setPalette(palette)
        return banner

    def _make_answers_language(self, session: DraftSession) -> QHBoxLayout:
        """The choice of the language the answers are written in (not the window's)."""
        self.answers_language_label = QLabel(self)
        self.answers_language = QComboBox(self)
        self.answers_language.setObjectName("answersLanguage")
        for item in languages():
            self.answers_language.addItem(item.native_name, item.code)
        self.answers_language_label.setBuddy(self.answers_language)
        chosen = self.answers_language.findData(session.language or current_language())
        self.answers_language.setCurrentIndex(max(chosen, 0))
        self.answers_language.setEnabled(self.submission is None)
        self.answers_language.activated.connect(
            lambda _index: session.set_language(self.answers_language.currentData())
        )
        header = QHBoxLayout()
        header.addStretch(1)
        header.addWidget(self.answers_language_label)
        header.addWidget(self.answers_language)
        return header

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        # The same words as the Go menu; the arrows are icons, which Qt mirrors right to left.
        self.back_button.setText(_("&Back"))
        self.next_button.setText(_("&Next"))
        style = self.style()
        self.back_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.next_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        # "Next" carries its arrow after the word, whichever way the language is written.
        ahead = QApplication.layoutDirection()
        self.next_button.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if ahead == Qt.LayoutDirection.LeftToRight
            else Qt.LayoutDirection.LeftToRight
        )
        self.navigator.setAccessibleName(_("Sections"))
        if self.submission is not None:
            submission = self.submission
            self.banner_text.setText(
                _(
                    "Signed by {name} ({position}) on {when}, with the office key of {office} "
                    "(fingerprint {fingerprint}). A signed form is never changed: to change "
                    "something, correct it, which makes a new draft."
                ).format(
                    # Names come from a signed file that may have been imported: escaped.
                    name=isolate(printable(submission.signer_name)),
                    position=isolate(printable(submission.signer_position)),
                    when=formatting.moment(submission.signed_at),
                    office=isolate(printable(submission.office_name)),
                    fingerprint=isolate(fingerprint_groups(submission.kid)),
                )
            )
            self.correct_button.setText(_("C&orrect this form"))
            self.export_pdf_button.setText(_("E&xport the signed PDF…"))
            self.export_files_button.setText(_("Export the signed &files…"))
            self.export_files_button.setToolTip(
                _(
                    "The envelope, the signed PDF, the signature and the attached documents, "
                    "into a folder: what another computer needs to check the signature."
                )
            )
        # Translators: before the list of languages; the answers' language, not the window's.
        self.answers_language_label.setText(_("Answers written in:"))
        for page in self.section_pages:
            page.retranslate_ui()
        self.summary.retranslate_ui()
        self.refresh()

    def _schedule_refresh(self) -> None:
        # Typing fires a change per key: refresh the other widgets once per event-loop pass.
        if not self._refresh_pending:
            self._refresh_pending = True
            QTimer.singleShot(0, self.refresh)

    def refresh(self) -> None:
        """Bring relevance, findings and completion on screen up to date."""
        self._refresh_pending = False
        current = self.pages.currentWidget()
        if isinstance(current, SectionPage):
            current.refresh()
            if self.submission is not None:
                for row in current.rows.values():
                    row.setEnabled(False)
            elif current.section.statement is not None:
                self.session.statement_shown(current_language())
        elif current is self.summary:
            self.summary.refresh()
        self._refresh_navigator()

    def _refresh_navigator(self) -> None:
        report = self.session.report
        for index, section in enumerate(self.session.form.sections):
            completion = report.sections[section.id]
            if completion.total == 0:
                text = _("{number}. {title} (optional)")
            elif completion.done == completion.total:
                text = _("✓ {number}. {title} ({done}/{total})")
            else:
                text = _("{number}. {title} ({done}/{total})")
            text = text.format(
                number=index + 1,
                title=_(section.title),
                done=completion.done,
                total=completion.total,
            )
            self.navigator.item(index).setText(text)
        self.navigator.item(len(self.section_pages)).setText(_("Summary"))

    def go_to_page(self, index: int) -> None:
        """Show a section (or the summary, after the last section)."""
        if not 0 <= index < self.pages.count() or index == self.pages.currentIndex():
            self._update_buttons()
            return
        previous = self.pages.currentWidget()
        if isinstance(previous, SectionPage):
            for row in previous.all_rows():
                row.mark_touched()
        self.pages.setCurrentIndex(index)
        page = self.pages.currentWidget()
        if isinstance(page, SectionPage):
            self.session.prefill(page.section)
            page.reload_answers()
        self.navigator.blockSignals(True)
        self.navigator.setCurrentRow(index)
        self.navigator.blockSignals(False)
        self.refresh()
        self._update_buttons()
        self.section_changed.emit(index)

    def _update_buttons(self) -> None:
        index = self.pages.currentIndex()
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.pages.count() - 1)

    def go_to_field(self, field_id: str) -> None:
        """Show the section of a question and put the cursor in it."""
        for index, page in enumerate(self.section_pages):
            row = page.rows.get(field_id)
            if row is not None:
                self.go_to_page(index)
                page.ensureWidgetVisible(row)
                row.editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def go_to_summary(self) -> None:
        """Show the summary page."""
        self.go_to_page(self.pages.count() - 1)

    def reload_answers(self) -> None:
        """Show the session's answers again on every page."""
        for page in self.section_pages:
            page.reload_answers()
        self.refresh()

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """A question the focus leaves has been visited: its findings may show from now on."""
        widget = old
        while widget is not None and widget is not self:
            if isinstance(widget, FieldRow) and (new is None or not widget.isAncestorOf(new)):
                widget.mark_touched()
            widget = widget.parentWidget()

    def detach(self) -> None:
        """Stop following the application's focus: the view is about to go away."""
        QApplication.instance().focusChanged.disconnect(self._on_focus_changed)
