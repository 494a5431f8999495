"""Home: the drafts on this computer, searchable and sortable, with the trash one click away."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.store.database import utc_now
from desktop.core.store.drafts import STATUS_LABELS, DraftsStore
from desktop.home.drafts_model import ID_ROLE, SORT_ROLE, DraftsModel
from desktop.home.store_bridge import StoreBridge
from desktop.window import look
from i18n import formatting
from i18n.translate import _


class HomeView(QWidget):
    """Lists drafts; asks the main window to open, create, duplicate or delete them."""

    open_requested = Signal(str)
    new_requested = Signal()
    duplicate_requested = Signal(str)
    trash_requested = Signal(str)
    restore_requested = Signal(str)
    empty_trash_requested = Signal()

    def __init__(self, store: DraftsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeView")
        self.store = store
        self._follow_store()
        self.model = DraftsModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.title = QLabel(self)
        self.title.setObjectName("sectionTitle")
        look.make_title(self.title)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_trash = QCheckBox(self)
        self.show_trash.toggled.connect(lambda _on: self.reload())

        self.table = self._make_table()
        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        self.new_button = QPushButton(self)
        self.open_button = QPushButton(self)
        self.duplicate_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.restore_button = QPushButton(self)
        self.empty_trash_button = QPushButton(self)
        self.new_button.clicked.connect(self.new_requested.emit)
        self.open_button.clicked.connect(self._open_current)
        self.duplicate_button.clicked.connect(lambda: self._emit_current(self.duplicate_requested))
        self.delete_button.clicked.connect(lambda: self._emit_current(self.trash_requested))
        self.restore_button.clicked.connect(lambda: self._emit_current(self.restore_requested))
        self.empty_trash_button.clicked.connect(self.empty_trash_requested.emit)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_trash)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.open_button,
            self.duplicate_button,
            self.delete_button,
            self.restore_button,
            self.empty_trash_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def _follow_store(self) -> None:
        """The list follows the store: any change, from any thread or (polled) another process,
        reloads it once the events of the moment have arrived (ten saves, one reload)."""
        self._reload_soon = QTimer(self)
        self._reload_soon.setSingleShot(True)
        self._reload_soon.setInterval(0)
        self._reload_soon.timeout.connect(self._reload_followed)
        self.bridge = StoreBridge(self.store.events, self)
        self._following = True
        self._stale = False
        self.bridge.changed.connect(lambda _event, _draft_id: self._store_changed())

    def _store_changed(self) -> None:
        if self._following:
            self._reload_soon.start()

    def _reload_followed(self) -> None:
        if not self._following or self.store.closed:  # a crash test closes the store itself
            return
        if not self.isVisible():
            # Hidden behind an open form, whose autosave changes the store every second of
            # typing: reload once, when the list is shown again, not on every save.
            self._stale = True
            return
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Catch up with what changed while the list was hidden."""
        super().showEvent(event)
        if self._stale:
            self._stale = False
            if self._following and not self.store.closed:
                self.reload()

    def stop_following(self) -> None:
        """No more reloading on the store's events (it is about to be closed)."""
        self._following = False
        self._reload_soon.stop()
        self.bridge.close()

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("draftsTable")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.activated.connect(lambda _index: self._open_current())
        return table

    def retranslate_ui(self) -> None:
        """Texts in the current language."""
        self.title.setText(_("Drafts on this computer"))
        self.search.setPlaceholderText(_("Search by name, country or status"))
        self.search.setAccessibleName(_("Search drafts"))
        self.show_trash.setText(_("Show the trash"))
        self.table.setAccessibleName(_("Drafts"))
        self.new_button.setText(_("&New draft"))
        self.open_button.setText(_("&Open"))
        self.duplicate_button.setText(_("D&uplicate"))
        self.delete_button.setText(_("&Delete"))
        self.restore_button.setText(_("&Restore"))
        self.empty_trash_button.setText(_("&Empty the trash"))
        self.model.retranslate()
        self._size_columns()
        self._update_buttons()

    def _size_columns(self) -> None:
        """Fit the columns to what they can hold, from the font, without formatting every cell.

        Sizing to contents would format all rows' dates and percentages the language's way at
        start; a date or a percentage has one width per language, so one sample of each does.
        """
        metrics = self.table.fontMetrics()
        samples = {
            1: {formatting.country_name(d.country) for d in self.model.drafts if d.country},
            2: {_(label) for label in STATUS_LABELS.values()},
            3: {formatting.percent(1.0)},
            4: {formatting.moment(utc_now().replace(month=12, day=28, hour=23, minute=58))},
        }
        header = self.table.horizontalHeader()
        padding = 3 * metrics.horizontalAdvance("M")
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal, 0))
            widest = max(metrics.horizontalAdvance(text) for text in {*texts, title})
            header.resizeSection(column, widest + padding)

    @property
    def trash_mode(self) -> bool:
        """Whether the trash is shown instead of the drafts."""
        return self.show_trash.isChecked()

    def reload(self, select: str | None = None) -> None:
        """Read the list again from the store, keeping (or moving) the selection."""
        select = select or self.current_id()
        self.model.set_drafts(self.store.list(trashed=self.trash_mode))
        self._size_columns()
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(ID_ROLE) == select:
                self.table.selectRow(row)
                break
        else:
            if self.proxy.rowCount():
                self.table.selectRow(0)
        self._update_buttons()

    def current_id(self) -> str | None:
        """The id of the selected draft."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(ID_ROLE) if rows else None

    def _emit_current(self, signal: Signal) -> None:
        draft_id = self.current_id()
        if draft_id:
            signal.emit(draft_id)

    def _open_current(self) -> None:
        if not self.trash_mode:
            self._emit_current(self.open_requested)

    def _update_buttons(self) -> None:
        selected = self.current_id() is not None
        trash = self.trash_mode
        self.new_button.setVisible(not trash)
        self.open_button.setVisible(not trash)
        self.duplicate_button.setVisible(not trash)
        self.delete_button.setVisible(not trash)
        self.restore_button.setVisible(trash)
        self.empty_trash_button.setVisible(trash)
        for button in (self.open_button, self.duplicate_button, self.delete_button):
            button.setEnabled(selected)
        self.restore_button.setEnabled(selected)
        self.empty_trash_button.setEnabled(self.model.rowCount() > 0)
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        if trash:
            self.empty_label.setText(_("The trash is empty."))
        else:
            self.empty_label.setText(
                _("There are no drafts yet. Choose “New draft” to start filling in the join form.")
            )
