"""Create or update each language's catalog from the template `make i18n` extracted.

Babel's own update keeps existing translations, drops obsolete ones and (with fuzzy matching off)
never guesses a translation from a similar text: a new text arrives untranslated, and the catalog
tests fail until someone translates it.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from i18n.languages import LANGUAGE_CODES
from i18n.translate import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE


def is_translated(string: str | tuple[str, ...]) -> bool:
    """Whether a catalog entry has its translation (every plural form, for plural entries)."""
    return all(string) if isinstance(string, tuple) else bool(string)


def main() -> None:
    """Bring every catalog in line with the template."""
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as handle:
        template = read_po(handle)
    for code in LANGUAGE_CODES:
        if code == SOURCE_LANGUAGE:
            continue
        path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code, domain=DOMAIN)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=code, domain=DOMAIN, project="hrcities")
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=True)
        catalog.obsolete.clear()
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, sort_by_file=True, ignore_obsolete=True)
        untranslated = sum(1 for m in catalog if m.id and not is_translated(m.string))
        print(f"{code}: {len(catalog)} texts, {untranslated} untranslated")


if __name__ == "__main__":
    main()
