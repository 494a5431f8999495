"""The drafts list as a Qt table model: one row per draft, sortable by its raw values."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.core.store.drafts import STATUS_LABELS, DraftSummary
from i18n import formatting
from i18n.translate import N_, _

SORT_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class DraftsModel(QAbstractTableModel):
    """Drafts as rows; shown text is formatted for the language, sorting uses raw values."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        N_("Local or regional government"),
        N_("Country"),
        N_("Status"),
        N_("Completion"),
        N_("Last change"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.drafts: list[DraftSummary] = []
        # Formatting a date or a percentage the language's way is costly and a view asks for
        # the same cell many times (painting, sizing columns): each cell is formatted once.
        self._shown: dict[tuple[int, int], str] = {}

    def set_drafts(self, drafts: list[DraftSummary]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.drafts = list(drafts)
        self._shown = {}
        self.endResetModel()

    def retranslate(self) -> None:
        """Headers and country names follow the language."""
        self.set_drafts(self.drafts)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        """One row per draft."""
        return 0 if parent.isValid() else len(self.drafts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        """The fixed columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        """Column titles in the current language."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, raw sort values and the draft id."""
        if not index.isValid():
            return None
        draft = self.drafts[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return draft.id
        if role == SORT_ROLE:
            return self._sort_value(draft, column)
        if role == Qt.ItemDataRole.DisplayRole:
            key = (index.row(), column)
            if key not in self._shown:
                self._shown[key] = self._display(draft, column)
            return self._shown[key]
        return None

    @staticmethod
    def _sort_value(draft: DraftSummary, column: int) -> Any:
        if column == 0:
            return draft.name.casefold()
        if column == 1:
            return formatting.country_name(draft.country).casefold()
        if column == 2:
            return draft.status
        if column == 3:
            return draft.completion
        return draft.updated_at

    @staticmethod
    def _display(draft: DraftSummary, column: int) -> str:
        if column == 0:
            return draft.name or _("(no name yet)")
        if column == 1:
            return formatting.country_name(draft.country) if draft.country else ""
        if column == 2:
            return _(STATUS_LABELS.get(draft.status, draft.status))
        if column == 3:
            return formatting.percent(draft.completion)
        return formatting.moment(draft.updated_at)

    def draft_at(self, row: int) -> DraftSummary:
        """The draft of a row."""
        return self.drafts[row]
