"""The translation layer as far as the foundation uses it: lookup, errors, locale formatting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from i18n import formatting, translate
from i18n.errors import UserError
from i18n.formatting import isolate
from i18n.languages import system_language
from i18n.translate import N_, _, current_language, set_language


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A French catalog in a temporary locale folder, and English restored afterwards."""
    catalog = Catalog(locale="fr", domain=translate.DOMAIN)
    catalog.add("Draft", "Brouillon")
    catalog.add("There is no draft with the id {id}.", "Aucun brouillon n'a l'identifiant {id}.")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / f"{translate.DOMAIN}.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(translate, "LOCALE_DIR", tmp_path)
    translate._load.cache_clear()
    yield tmp_path
    set_language("en")
    translate._load.cache_clear()


def test_a_po_catalog_is_used_without_a_compile_step(catalog_dir: Path) -> None:
    assert _("Draft") == "Draft"
    set_language("fr")
    assert current_language() == "fr"
    assert _("Draft") == "Brouillon"
    assert _("Not in the catalog") == "Not in the catalog"


def test_a_user_error_shows_in_the_language_chosen_after_it_was_raised(catalog_dir: Path) -> None:
    error = UserError(N_("There is no draft with the id {id}."), id="42")
    assert str(error) == "There is no draft with the id 42."
    set_language("fr")
    assert str(error) == "Aucun brouillon n'a l'identifiant 42."


def test_a_language_without_catalog_falls_back_to_the_source_texts() -> None:
    set_language("xx")
    try:
        assert _("Draft") == "Draft"
    finally:
        set_language("en")


def test_numbers_dates_and_percentages_follow_the_language(catalog_dir: Path) -> None:
    assert formatting.number(2536729) == "2,536,729"
    assert formatting.percent(0.75) == "75%"
    assert formatting.day("2026-11-23") == "November 23, 2026"
    set_language("fr")
    assert formatting.number(2536729) == "2\u202f536\u202f729"
    assert formatting.day(dt.date(2026, 11, 23)) == "23 novembre 2026"
    assert formatting.moment("2026-11-23T09:00:00+00:00")


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LANG": "ar_MA.UTF-8"}, "ar"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "pt_BR:en", "LANG": "de_DE.UTF-8"}, "pt"),
        ({"LC_ALL": "es_EC.UTF-8", "LANG": "fr_FR.UTF-8"}, "es"),
    ],
)
def test_the_first_language_is_the_system_one_when_supported(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setattr("locale.getlocale", lambda *_args: (None, None))
    assert system_language() == expected


def test_inserted_values_are_isolated_only_in_right_to_left_languages() -> None:
    assert isolate("Jember") == "Jember"
    set_language("ar")
    try:
        assert isolate("Jember") == "\u2068Jember\u2069"
    finally:
        set_language("en")


def test_isolation_follows_the_language_asked_for() -> None:
    assert isolate("Jember", "ar") == "\u2068Jember\u2069"
    set_language("ar")
    try:
        assert isolate("Jember", "fr") == "Jember"
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Kaolack", "Kaolack"),
        ("Saint-Étienne, مدينة الرباط", "Saint-Étienne, مدينة الرباط"),
        ("\x1b[2K\rEverything checked", "\\x1b[2K\\x0dEverything checked"),
        ("one\ntwo", "one\\x0atwo"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("line\u2028break", "line\\u2028break"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
        ("zero\u200dwidth joiner", "zero\u200dwidth joiner"),
        (42, "42"),
    ],
)
def test_printable_escapes_what_could_disguise_a_text_and_keeps_every_script(
    value: object, shown: str
) -> None:
    assert formatting.printable(value) == shown


def test_printable_keeps_line_breaks_only_when_asked() -> None:
    assert formatting.printable("one\ntwo\x07", multiline=True) == "one\ntwo\\x07"


def test_filled_isolates_every_value_in_right_to_left_languages_only() -> None:
    from i18n.formatting import (  # noqa: PLC0415
        FIRST_STRONG_ISOLATE,
        POP_DIRECTIONAL_ISOLATE,
        filled,
    )
    from i18n.translate import set_language  # noqa: PLC0415

    template = "{office} / {path}"
    assert filled(template, office="Bandung", path="/media/usb") == "Bandung / /media/usb"
    set_language("ar")
    try:
        text = filled(template, office="Bandung", path=3)
    finally:
        set_language("en")
    isolated = f"{FIRST_STRONG_ISOLATE}Bandung{POP_DIRECTIONAL_ISOLATE}"
    assert text == f"{isolated} / {FIRST_STRONG_ISOLATE}3{POP_DIRECTIONAL_ISOLATE}"
