"""The drafts list as a Qt table model: one row per draft, sortable by its raw values."""

from __future__ import annotations

from typing import Any, ClassVar

from babel import Locale
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.store.drafts import STATUS_LABELS, DraftSummary
from i18n import formatting
from i18n.translate import N_, _, current_language

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
        self._countries: dict[str, str] = {}

    def set_drafts(self, drafts: list[DraftSummary]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.drafts = list(drafts)
        self._countries = dict(Locale.parse(current_language()).territories)
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
            return (
                draft.name.casefold(),
                self._countries.get(draft.country, draft.country).casefold(),
                draft.status,
                draft.completion,
                draft.updated_at,
            )[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                draft.name or _("(no name yet)"),
                self._countries.get(draft.country, draft.country),
                _(STATUS_LABELS.get(draft.status, draft.status)),
                formatting.percent(draft.completion),
                formatting.moment(draft.updated_at),
            )[column]
        return None

    def draft_at(self, row: int) -> DraftSummary:
        """The draft of a row."""
        return self.drafts[row]
