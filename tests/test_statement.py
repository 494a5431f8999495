"""The statement of commitment (sync.statement): made in a given language, not the process's.

Signing and verification both make the text here, so the tests check what both rely on: the
language is the one asked for whatever the window is in, names are isolated by that language's
direction, and the translations a signed statement depends on do not change under a form version.
"""

from __future__ import annotations

import hashlib

import pytest

from i18n.formatting import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from i18n.languages import LANGUAGE_CODES
from i18n.translate import _, current_language, gettext_for, set_language
from schemas.forms import FormDefinition
from sync.statement import statement_text
from tests.factories import complete_answers

# SHA-256 of the statement's translation (placeholders unfilled) of hrc-join 2022 per language.
# Envelopes signed in a language carry this text: changing it would make them all fail their
# statement check, so a new wording needs a new form version (docs/FORMATS.md, section 1).
PINNED_2022 = {
    "en": "5bc8187ff5bb649b285f387e7411e8404960e2ca30563cad474e94c41eeaa827",
    "fr": "1852c18c2c406b8b804f99cfcb4ce7a9ff993fb4e3e3de0ce1f19a1feab28cb5",
    "es": "44b9a7a8cade89f4206240acc0cb791d433eb644469c1a021ae9ccf1d4cac003",
    "id": "4dd2cfca2cf3f90ca026191aa9a3c10a69bf7384f25528db01fa286e86f35421",
    "ar": "6f215e55efc0555d26f3bb9cb92dce74a0db1bf7c330fb8bb895e4e57e01bdd9",
    "pt": "ee43a00e20bf2461134dde4c94903404c3189f9ca098dee07b2e852beaed29d7",
}


def test_the_statement_is_made_in_the_language_asked_not_the_process_one(
    form: FormDefinition,
) -> None:
    answers = complete_answers()
    set_language("fr")
    english = statement_text(form, answers, "en")
    assert current_language() == "fr", "making a statement never switches the language"
    assert english.startswith("I, Hendy Siswanto, Bupati Jember, as a representative")
    assert "city/territory of Jember" in english
    set_language("en")
    assert statement_text(form, answers, "fr").startswith("Je soussigné(e), Hendy Siswanto")
    assert _(form.statement().text).startswith("I, {signer_name}")


def test_names_are_isolated_by_the_statements_language_only(form: FormDefinition) -> None:
    answers = complete_answers()
    arabic = statement_text(form, answers, "ar")
    isolated = f"{FIRST_STRONG_ISOLATE}Hendy Siswanto{POP_DIRECTIONAL_ISOLATE}"
    assert isolated in arabic
    assert arabic.count(FIRST_STRONG_ISOLATE) == 4, "name, position and the territory twice"
    set_language("ar")
    french = statement_text(form, answers, "fr")
    assert FIRST_STRONG_ISOLATE not in french, "a French statement has no marks, window in Arabic"


def test_answers_are_stripped_and_a_missing_one_shows_as_an_ellipsis(
    form: FormDefinition,
) -> None:
    answers = complete_answers() | {"signer_name": "  Hendy Siswanto \n", "territory_name": " "}
    text = statement_text(form, answers, "en")
    assert text.startswith("I, Hendy Siswanto, Bupati")
    assert "city/territory of …," in text


@pytest.mark.parametrize("language", ["xx", "", "../../../etc/passwd", "EN", "fr_FR"])
def test_only_a_language_the_app_offers_is_accepted(form: FormDefinition, language: str) -> None:
    with pytest.raises(ValueError, match="not a language the app offers"):
        statement_text(form, complete_answers(), language)
    with pytest.raises(ValueError, match="not a language the app offers"):
        gettext_for(language)


def test_the_statement_translations_of_a_form_version_stay_as_signed(
    form: FormDefinition,
) -> None:
    assert form.form_id == "hrc-join"
    assert form.version == "2022"
    assert set(PINNED_2022) == set(LANGUAGE_CODES), "a new language pins its statement here"
    for language, digest in PINNED_2022.items():
        text = gettext_for(language)(form.statement().text)
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest, language
