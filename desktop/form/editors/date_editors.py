"""Editors for years and dates, each able to show "not answered yet"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from desktop.form.editors.base import EditorContext, FieldEditor, register
from i18n.translate import _
from schemas.forms import FieldDef

EMPTY_MARK = "—"


def _year_box(parent: QWidget, low: int, high: int) -> QSpinBox:
    """A year spin box whose lowest value (one below `low`) stands for "no year yet"."""
    box = QSpinBox(parent)
    box.setRange(low - 1, high)
    box.setSpecialValueText(EMPTY_MARK)
    box.setValue(low - 1)
    box.setGroupSeparatorShown(False)
    # Years are typed and shown in Western digits in every language, as babel writes them too
    # (Qt's default Arabic locale would switch to Arabic-Indic digits and refuse typed 2021).
    box.setLocale(QLocale.c())
    return box


@register("year_range")
class YearRangeEditor(FieldEditor):
    """From one year to another (a mandate)."""

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.low = fdef.min_year or 1900
        high = fdef.max_year or 2100
        self.start = _year_box(self, self.low, high)
        self.end = _year_box(self, self.low, high)
        self.start.setObjectName("start")
        self.end.setObjectName("end")
        self.from_label = QLabel(self)
        self.to_label = QLabel(self)
        self.from_label.setBuddy(self.start)
        self.to_label.setBuddy(self.end)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.from_label, self.start, self.to_label, self.end):
            layout.addWidget(widget)
        layout.addStretch(1)
        for box in (self.start, self.end):
            box.valueChanged.connect(lambda _value: self.edited.emit())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Labels follow the language."""
        # Translators: "From [year] to [year]", the years of a mandate.
        self.from_label.setText(_("From"))
        # Translators: "From [year] to [year]", the years of a mandate.
        self.to_label.setText(_("to"))
        self.start.setAccessibleName(_("Start year"))
        self.end.setAccessibleName(_("End year"))

    def _year(self, box: QSpinBox) -> int | None:
        return None if box.value() < self.low else box.value()

    def value(self) -> Any:
        """{"start": year, "end": year}, each None until chosen."""
        start, end = self._year(self.start), self._year(self.end)
        if start is None and end is None:
            return None
        return {"start": start, "end": end}

    def set_value(self, value: Any) -> None:
        """Show a stored range."""
        value = value if isinstance(value, dict) else {}
        for key, box in (("start", self.start), ("end", self.end)):
            year = value.get(key)
            box.blockSignals(True)
            box.setValue(year if isinstance(year, int) else self.low - 1)
            box.blockSignals(False)

    def focus_widget(self) -> QWidget:
        """The start year."""
        return self.start

    def set_accessible_name(self, name: str) -> None:
        """The boxes keep their own names (start year, end year)."""
        self.setAccessibleName(name)


@register("date")
class DateEditor(FieldEditor):
    """A calendar date, with a button for today."""

    EMPTY = QDate(1900, 1, 1)

    def __init__(self, fdef: FieldDef, context: EditorContext, parent: QWidget | None = None):
        super().__init__(fdef, context, parent)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setMinimumDate(self.EMPTY)
        self.date.setSpecialValueText(EMPTY_MARK)
        self.date.setDate(self.EMPTY)
        self.date.dateChanged.connect(lambda _date: self.edited.emit())
        self.today = QPushButton(self)
        self.today.clicked.connect(self._set_today)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date)
        layout.addWidget(self.today)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Labels, and the way the date is written, follow the language."""
        # Translators: a button that fills in today's date.
        self.today.setText(_("Today"))
        self.date.setLocale(QLocale())
        written = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
        if "yyyy" not in written:  # a signed date keeps its century
            written = written.replace("yy", "yyyy")
        self.date.setDisplayFormat(written)

    def _set_today(self) -> None:
        self.date.setDate(QDate.currentDate())

    def value(self) -> Any:
        """The date as YYYY-MM-DD, None until chosen."""
        chosen = self.date.date()
        return None if chosen == self.EMPTY else chosen.toString("yyyy-MM-dd")

    def set_value(self, value: Any) -> None:
        """Show a stored date."""
        try:
            parsed = dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        self.date.blockSignals(True)
        self.date.setDate(QDate(parsed.year, parsed.month, parsed.day) if parsed else self.EMPTY)
        self.date.blockSignals(False)

    def focus_widget(self) -> QWidget:
        """The date box."""
        return self.date
