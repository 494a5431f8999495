"""The gettext functions every user-visible string goes through.

Catalogs are the `.po` files under `i18n/locale/<lang>/LC_MESSAGES/hrcities.po`, read with babel
and compiled in memory, so running or testing never needs a separate compile step. Modules import
`_`, `N_` and `ngettext` from here explicitly; `_` looks up the active catalog at call time, so a
text produced after `set_language` is in the new language (nothing is translated at import time).
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

DOMAIN = "hrcities"
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"

_active: _gettext.NullTranslations = _gettext.NullTranslations()
_active_language = SOURCE_LANGUAGE


@cache
def _load(language: str) -> _gettext.NullTranslations:
    """Compile the language's catalog once; a missing catalog falls back to the source texts."""
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - only when a catalog is read
    from babel.messages.pofile import read_po  # noqa: PLC0415

    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not po_path.exists():
        return _gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    """Make `language` the one `_` and `ngettext` answer in, for the whole process."""
    global _active, _active_language  # noqa: PLW0603 - one process-wide language, by design
    _active = _load(language)
    _active_language = language


def current_language() -> str:
    """The language code set last (the source language until a language is chosen)."""
    return _active_language


def gettext_for(language: str) -> Callable[[str], str]:
    """The translating function of one language, whatever language the process is in.

    For texts that must be made in a given language, not the user's: the statement a signer
    signed is checked in the language it was signed in. Only the languages the app offers are
    accepted (ValueError otherwise), so a code read from a file can never name a path or grow
    the catalog cache.
    """
    from i18n.languages import LANGUAGE_CODES  # noqa: PLC0415 - languages loads babel

    if language not in LANGUAGE_CODES:
        raise ValueError(f"not a language the app offers: {language!r}")
    return _load(language).gettext


def _(message: str) -> str:
    """Translate `message` into the active language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a text whose wording depends on a number, by the language's plural rules."""
    return _active.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention every extractor knows
    """Mark a text for extraction where it is defined before any language is known."""
    return message
