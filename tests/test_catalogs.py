"""The catalogs: complete, well-formed, keeping their placeholders, up to date with the code."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from i18n import translate
from i18n.extract import extract_form
from i18n.languages import LANGUAGE_CODES, cldr_native_name, languages
from i18n.translate import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, _, ngettext, set_language
from schemas.validation import PLURALS, finding

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [code for code in LANGUAGE_CODES if code != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]+)\}")
KEYWORDS = {"_": None, "N_": None, "N_plural": (1, 2), "ngettext": (1, 2)}


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog(code: str) -> Catalog:
    with po_path(code).open("rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


def entries(code: str) -> list[Message]:
    return [message for message in catalog(code) if message.id]


def source_messages() -> set[str]:
    """Every msgid the code and the form definitions use now, extracted as `make i18n` does."""
    found: set[str] = set()
    for package in ("desktop", "sync", "schemas", "i18n"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package,
            method_map=[("*/*.json", "hrcities_form"), ("**.py", "python")],
            options_map={},
            keywords=KEYWORDS,
            comment_tags=(),
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_form_extractor_finds_every_form_text() -> None:
    with (ROOT / "schemas" / "hrc-join" / "2022.json").open("rb") as handle:
        texts = {text for _lineno, _func, text, _comments in extract_form(handle, {}, [], {})}
    assert "Accessibility" in texts
    assert "Others (please specify)" in texts
    assert "Mayor" in texts
    assert any(text.startswith("I, {signer_name}") for text in texts)
    assert "Example {number}" in texts


@pytest.mark.parametrize("code", TRANSLATED)
def test_msgfmt_accepts_the_catalog(code: str) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: install the Debian package gettext (make test does)"
    result = subprocess.run(
        [msgfmt, "--check", "--check-format", "-o", "/dev/null", str(po_path(code))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(code: str) -> None:
    for message in entries(code):
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), message.id


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder(code: str) -> None:
    for message in entries(code):
        if isinstance(message.id, tuple):
            wanted = placeholders(message.id[1])
            forms = message.string
            # Languages may say "one"/"two" in words for those plural forms: the number may
            # go, but nothing else may, and the general forms keep everything.
            for form in forms:
                assert placeholders(form) <= wanted, (message.id, form)
                assert wanted - placeholders(form) <= {"count"}, (message.id, form)
            assert placeholders(forms[-1]) == wanted, (message.id, forms[-1])
        else:
            assert placeholders(message.string) == placeholders(message.id), message.id


@pytest.mark.parametrize("code", TRANSLATED)
def test_mnemonics_stay_one_per_text(code: str) -> None:
    for message in entries(code):
        if isinstance(message.id, str) and re.search(r"&\w", message.id):
            assert len(re.findall(r"&(?!&)", message.string)) == 1, (message.id, message.string)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_source_text_has_a_translation(code: str) -> None:
    """Fails when the code gains a text the catalogs lack: run `make i18n` and translate it."""
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in entries(code)}
    missing = source_messages() - have
    assert not missing, f"{code} lacks: {sorted(missing)[:10]}"


def test_the_source_extraction_sees_the_code() -> None:
    found = source_messages()
    assert "Drafts on this computer" in found
    assert "{count} word" in found
    assert "Shorten this text to {maximum} words; it has {count} now." in found


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_catalog_loads_and_translates(code: str) -> None:
    translate._load.cache_clear()
    set_language(code)
    assert _("Drafts on this computer") != "Drafts on this computer"
    assert _("Drafts on this computer") == catalog(code).get("Drafts on this computer").string


def test_languages_are_named_in_themselves() -> None:
    names = {item.code: item.native_name for item in languages()}
    assert names == {
        "en": "English",
        "fr": "Français",
        "es": "Español",
        "id": "Indonesia",
        "ar": "العربية",
        "pt": "Português",
    }
    assert [item.code for item in languages() if item.right_to_left] == ["ar"]
    for item in languages():
        assert item.native_name == cldr_native_name(item.code), "CLDR names it otherwise"
        assert item.right_to_left == (Locale.parse(item.code).text_direction == "rtl")


@pytest.mark.parametrize("code", TRANSLATED)
def test_findings_with_plural_forms_are_translated(code: str) -> None:
    translate._load.cache_clear()
    set_language(code)
    for code_name, ((singular, plural), count_param) in PLURALS.items():
        params = {"minimum": 100, "maximum": 200, "count": 3} | {count_param: 100}
        shown = finding("motivations", code_name, **params).render(_, ngettext)
        assert shown not in (singular.format(**params), plural.format(**params)), code_name
        assert "100" in shown


def test_no_translated_text_hides_inside_an_f_string() -> None:
    """The extractor cannot see _() inside an f-string: such texts would never be translated."""
    hidden = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("desktop", "sync", "schemas", "i18n")
        for path in (ROOT / package).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"""f["'].*\{[^}]*\b_\(\s*["']""", line)
    ]
    assert hidden == []
