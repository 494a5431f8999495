"""Dates, numbers and percentages written the way the chosen language writes them (babel/CLDR)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from i18n.translate import current_language


def moment(value: dt.datetime | str) -> str:
    """A stored moment (ISO text or datetime) in local time, short form, e.g. 23/11/2026 18:02."""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(when.astimezone(), format="short", locale=current_language())


def day(value: dt.date | str) -> str:
    """A calendar date in the language's long form, e.g. 23 November 2026."""
    when = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(when, format="long", locale=current_language())


def number(value: int | float) -> str:
    """A number with the language's digit grouping, e.g. 1,250,000 or 1 250 000."""
    return format_decimal(value, locale=current_language())


def percent(fraction: float) -> str:
    """A share as a whole percentage, e.g. 75 %."""
    return format_percent(fraction, format="#,##0%", locale=current_language())
