"""Dates, numbers and percentages written the way the chosen language writes them (babel/CLDR)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from i18n.translate import current_language

FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


@cache
def _cldr(language: str) -> Locale:
    """The CLDR data of a language, parsed once (formatting runs for every cell of a list)."""
    return Locale.parse(language)


def cldr() -> Locale:
    """The CLDR data of the current language."""
    return _cldr(current_language())


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in `language` (the current one by default), by CLDR: the one way the
    app names a country, in lists, pickers, documents and on the command line. The code itself
    when CLDR has no name for it (or the language is unknown)."""
    try:
        names = _cldr(language or current_language()).territories
    except (ValueError, TypeError):
        return code
    return names.get(code, code)


def isolate(value: object, language: str | None = None) -> str:
    """A value inserted into a sentence, isolated so its own direction does not disturb it.

    Only right-to-left languages need it: there, a Latin name or a number inside Arabic text
    would otherwise reorder the words around it. Elsewhere the text stays free of invisible marks.
    `language` is the language of the sentence (the current language when None): a statement
    made in Arabic is isolated the Arabic way whatever language the window is in.
    """
    text = str(value)
    if _cldr(language or current_language()).text_direction == "rtl":
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
    return text


def filled(template: str, **values: object) -> str:
    """`template` (already translated) with each value isolated: the one way a sentence of ours
    takes inserted values, in messages and in widget texts alike, so that a Latin name, a path or
    a number inside an Arabic sentence never reorders the words around it."""
    return template.format(**{key: isolate(value) for key, value in values.items()})


def moment(value: dt.datetime | str) -> str:
    """A stored moment (ISO text or datetime) in local time, short form, e.g. 23/11/2026 18:02."""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(when.astimezone(), format="short", locale=cldr())


def moment_to_the_second(value: dt.datetime | str) -> str:
    """A stored moment with seconds, e.g. 23 Nov 2026, 18:02:41 (autosaves a minute apart)."""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(when.astimezone(), format="medium", locale=cldr())


def day(value: dt.date | str) -> str:
    """A calendar date in the language's long form, e.g. 23 November 2026."""
    when = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(when, format="long", locale=cldr())


def number(value: int | float) -> str:
    """A number with the language's digit grouping, e.g. 1,250,000 or 1 250 000."""
    return format_decimal(value, locale=cldr())


def percent(fraction: float) -> str:
    """A share as a whole percentage, e.g. 75 %."""
    return format_percent(fraction, format="#,##0%", locale=cldr())


# Bidirectional embeddings, overrides and isolates: inside a value read from a file they can make
# a terminal or a label show text in another order than it is (a fake "passed" read backwards).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters, line and paragraph separators (category Zl, Zp), and lone surrogates (Cs:
# JSON can spell one as an escape; no terminal or label can show it, and UTF-8 cannot hold it).
_ESCAPED_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(value: object, *, multiline: bool = False) -> str:
    """A value read from a file (an envelope, a draft, a request) made safe to show.

    Control characters (an escape sequence can rewrite a terminal line: 58 bytes in a header
    could print a fake "Everything checked is in order"), bidirectional controls and line or
    paragraph separators are written as visible escapes such as ``\\x1b`` or ``\\u202e``;
    line breaks stay with `multiline`. Letters, spaces of every kind and joiners are kept, so
    names in every script read as typed. Every text shown from a file goes through here, on
    the command line and in the window, before any `isolate`.
    """
    text = str(value)
    out = []
    for char in text:
        if (multiline and char == "\n") or (
            char not in _BIDI_CONTROLS and unicodedata.category(char) not in _ESCAPED_CATEGORIES
        ):
            out.append(char)
        else:
            out.append(_escape(char))
    return "".join(out)


class LanguageName:
    """A language named in the language of the reader, when shown ("espagnol" to a French
    reader), for sentences such as "the form's statement in Spanish"."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __str__(self) -> str:
        try:
            return Locale.parse(self.code).get_display_name(cldr()) or self.code
        except (ValueError, TypeError):
            return self.code

    def __repr__(self) -> str:
        return f"LanguageName({self.code!r})"
