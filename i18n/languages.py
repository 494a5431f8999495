"""The languages the app speaks, each named in its own language (never translated) by CLDR."""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

# English first (the source), then in the order the campaign's members asked for them.
LANGUAGE_CODES = ("en", "fr", "es", "id", "ar", "pt")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    """One supported language."""

    code: str
    native_name: str
    right_to_left: bool


# Each language in its own name, as CLDR writes it (tests/test_catalogs.py checks they agree);
# kept here because loading six languages' CLDR data costs the app's start a tenth of a second.
NATIVE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "id": "Indonesia",
    "ar": "العربية",
    "pt": "Português",
}
RIGHT_TO_LEFT = frozenset({"ar"})


@cache
def languages() -> tuple[Language, ...]:
    """Every supported language, named in itself ("Français", "العربية", "Indonesia")."""
    return tuple(
        Language(code, NATIVE_NAMES[code], code in RIGHT_TO_LEFT) for code in LANGUAGE_CODES
    )


def cldr_native_name(code: str) -> str:
    """How CLDR names a language in itself (what NATIVE_NAMES must agree with)."""
    cldr = Locale.parse(code)
    name = cldr.get_display_name(cldr) or code
    return name[:1].upper() + name[1:]


def language(code: str) -> Language:
    """The supported language with this code (KeyError if it is not one)."""
    for item in languages():
        if item.code == code:
            return item
    raise KeyError(code)


def supported(code: str | None) -> str | None:
    """The supported language for a locale name such as "pt_BR.UTF-8" or "fr-CA", if any."""
    if not code:
        return None
    try:
        parsed = Locale.parse(code.split(".")[0].replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    return parsed.language if parsed.language in LANGUAGE_CODES else None


def system_language() -> str:
    """The computer's language when the app speaks it, else English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        for part in os.environ.get(variable, "").split(":"):
            found = supported(part)
            if found:
                return found
    found = supported(locale.getlocale()[0])
    return found or DEFAULT_LANGUAGE
