"""Answer validation: one function, used by the desktop while typing and by the secretariat.

Every finding carries a stable code (for scripts, tests and the secretariat's reports), the path
of the answer it concerns and a message id that is translated when shown, not when found: this
layer imports no catalog, the caller passes its gettext functions to `Finding.render`. Findings
come in two severities: MISSING is "not finished yet" (fine in a draft, shown gently) and WRONG is
an answer that cannot stand as given. Both block signing; only WRONG is an error while drafting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from schemas.attachments import is_attachment_ref
from schemas.countries import is_country_code
from schemas.forms import FieldDef, FormDefinition
from schemas.limits import MAX_WHOLE_NUMBER, max_characters
from schemas.wordcount import count_words


def N_(message: str) -> str:  # noqa: N802 - the name gettext extractors look for
    """Mark a message for extraction; it is translated by whoever renders the finding."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - like N_
    """Mark a singular/plural pair, so the catalogs hold it as one entry with plural forms."""
    return singular, plural


class Severity(StrEnum):
    """How a finding weighs: MISSING may stay in a draft, WRONG should be corrected."""

    MISSING = "missing"
    WRONG = "wrong"


@dataclass(frozen=True)
class Finding:
    """One thing to tell the user about one answer."""

    path: str
    code: str
    severity: Severity
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count_param: str | None = None

    @property
    def field_id(self) -> str:
        """The top-level field the finding belongs to (the part of `path` before any index)."""
        return re.split(r"[\[.]", self.path, maxsplit=1)[0]

    def render(
        self,
        gettext: Callable[[str], str],
        ngettext: Callable[[str, str, int], str],
    ) -> str:
        """The message in the caller's language, its `{named}` values filled in."""
        if self.plural is not None and self.count_param is not None:
            text = ngettext(self.message, self.plural, int(self.params[self.count_param]))
        else:
            text = gettext(self.message)
        return text.format(**self.params)


@dataclass(frozen=True)
class Completion:
    """How many of the questions a section requires (as things stand) are answered well."""

    done: int
    total: int

    @property
    def fraction(self) -> float:
        """Share answered, 1.0 for a section that requires nothing."""
        return 1.0 if self.total == 0 else self.done / self.total


@dataclass(frozen=True)
class ValidationReport:
    """All findings for one set of answers, with completion per section and overall."""

    findings: tuple[Finding, ...]
    sections: Mapping[str, Completion]

    @property
    def overall(self) -> Completion:
        """Completion of the whole form."""
        return Completion(
            done=sum(c.done for c in self.sections.values()),
            total=sum(c.total for c in self.sections.values()),
        )

    @property
    def missing(self) -> tuple[Finding, ...]:
        """What is not finished yet."""
        return tuple(f for f in self.findings if f.severity is Severity.MISSING)

    @property
    def wrong(self) -> tuple[Finding, ...]:
        """What cannot stand as given."""
        return tuple(f for f in self.findings if f.severity is Severity.WRONG)

    @property
    def can_sign(self) -> bool:
        """Signing needs nothing missing and nothing wrong."""
        return not self.findings

    def for_field(self, field_id: str) -> tuple[Finding, ...]:
        """Findings on one top-level field, its items included."""
        return tuple(f for f in self.findings if f.field_id == field_id)


# Codes are stable: scripts, the secretariat's reports and the tests rely on them.
MESSAGES: Mapping[str, str] = {
    "required": N_("This question needs an answer."),
    "too_few_selected": N_("Choose at least {minimum}."),
    "incomplete_range": N_("Give both the start year and the end year."),
    "too_many_words": N_("Shorten this text to {maximum} words; it has {count} now."),
    "too_long": N_("Shorten this text to {maximum} characters; it has {count} now."),
    "not_an_email": N_("This is not an e-mail address: write it as name@example.org."),
    "not_a_url": N_("This is not a web link: write it in full, starting with https://."),
    "not_a_phone": N_(
        "This is not a phone number: use digits and spaces, with an optional + at the start."
    ),
    "not_a_whole_number": N_("Write a whole number, using digits only."),
    "below_minimum": N_("Write a number of at least {minimum}."),
    "too_large": N_("Write a number of at most {maximum}."),
    "unknown_country": N_("Choose a country from the list."),
    "unknown_option": N_("Choose from the options in the list."),
    "not_a_year": N_("Write a year between {min_year} and {max_year}."),
    "end_before_start": N_("The end year is before the start year: check both years."),
    "not_a_date": N_("Write a date as year-month-day, for example 2030-12-10."),
    "too_many_items": N_("Keep at most {maximum}: remove {extra}."),
    "unsupported_file_type": N_("Attach only files of these types: {types}."),
    "bad_attachment": N_("This attachment is damaged: remove it and attach the file again."),
    "unknown_field": N_("This form has no such question: the answer will not be sent."),
    "wrong_type": N_("This answer is not in the form this question expects: enter it again."),
    "not_an_object": N_("The answers are not a set of named answers: check the file."),
}

# Messages whose wording depends on a number: (singular, plural) and the parameter that decides.
PLURALS: Mapping[str, tuple[tuple[str, str], str]] = {
    "too_few_words": (
        N_plural(
            "Write at least {minimum} word; there are {count} so far.",
            "Write at least {minimum} words; there are {count} so far.",
        ),
        "minimum",
    ),
}

MISSING_CODES = frozenset({"required", "too_few_selected", "incomplete_range", "too_few_words"})

FILE_TYPE_NAMES: Mapping[str, str] = {
    "application/pdf": "PDF",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-/]*$")
_MIN_PHONE_DIGITS = 4


def finding(path: str, code: str, **params: Any) -> Finding:
    """Build a finding from its code, with the message, plural and severity the code implies."""
    severity = Severity.MISSING if code in MISSING_CODES else Severity.WRONG
    if code in PLURALS:
        (singular, plural), count_param = PLURALS[code]
        return Finding(path, code, severity, singular, params, plural, count_param)
    return Finding(path, code, severity, MESSAGES[code], params)


def is_empty(value: Any) -> bool:
    """Whether an answer counts as not given: nothing, blank text, no choice, empty range."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(is_empty(item) for item in value)
    if isinstance(value, dict):
        return all(is_empty(item) for item in value.values())
    return False


def is_relevant(fdef: FieldDef, answers: Mapping[str, Any]) -> bool:
    """Whether a question is asked, given the other answers ("Others" asks for its text)."""
    if fdef.relevant_if is None:
        return True
    value = answers.get(fdef.relevant_if.field)
    if isinstance(value, list):
        return fdef.relevant_if.has in value
    return value == fdef.relevant_if.has


def is_url(text: str) -> bool:
    """An absolute http(s) link to a named host."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and ("." in host or host == "localhost")


def _check_text(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield finding(path, "wrong_type")
        return
    if fdef.max_length is not None and len(value) > fdef.max_length:
        yield finding(path, "too_long", maximum=fdef.max_length, count=len(value))


def _check_long_text(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield finding(path, "wrong_type")
        return
    most = max_characters(fdef)
    if most is not None and len(value) > most:  # a paste of a whole book, a damaged file
        yield finding(path, "too_long", maximum=most, count=len(value))
        return
    words = count_words(value)
    if fdef.max_words is not None and words > fdef.max_words:
        yield finding(path, "too_many_words", maximum=fdef.max_words, count=words)
    if fdef.min_words is not None and words < fdef.min_words:
        yield finding(path, "too_few_words", minimum=fdef.min_words, count=words)


def _check_email(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        yield finding(path, "not_an_email")


def _check_phone(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    text = value.strip() if isinstance(value, str) else ""
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE.match(text) or digits < _MIN_PHONE_DIGITS:
        yield finding(path, "not_a_phone")


def _check_url(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str) or not is_url(value):
        yield finding(path, "not_a_url")


def _check_integer(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if isinstance(value, bool) or not isinstance(value, int):
        yield finding(path, "not_a_whole_number")
    elif fdef.minimum is not None and value < fdef.minimum:
        yield finding(path, "below_minimum", minimum=fdef.minimum)
    elif abs(value) > MAX_WHOLE_NUMBER:  # past it, every other JSON reader rounds the number
        yield finding(path, "too_large", maximum=MAX_WHOLE_NUMBER)


def _check_country(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not is_country_code(value):
        yield finding(path, "unknown_country")


def _check_choice(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if value not in fdef.option_ids():
        yield finding(path, "unknown_option")


def _check_multi_choice(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        yield finding(path, "wrong_type")
        return
    if any(v not in fdef.option_ids() for v in value):
        yield finding(path, "unknown_option")
    if fdef.min_selected is not None and len(set(value)) < fdef.min_selected:
        yield finding(path, "too_few_selected", minimum=fdef.min_selected)


def _check_year_range(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, dict) or set(value) - {"start", "end"}:
        yield finding(path, "wrong_type")
        return
    low, high = fdef.min_year or 1, fdef.max_year or 9999
    years: dict[str, int] = {}
    for end in ("start", "end"):
        year = value.get(end)
        if year is None:
            continue
        if isinstance(year, bool) or not isinstance(year, int):
            yield finding(f"{path}.{end}", "wrong_type")
        elif not low <= year <= high:
            yield finding(f"{path}.{end}", "not_a_year", min_year=low, max_year=high)
        else:
            years[end] = year
    if value.get("start") is None or value.get("end") is None:
        yield finding(path, "incomplete_range")
    elif len(years) == 2 and years["end"] < years["start"]:
        yield finding(path, "end_before_start")


def _check_date(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, str):
        yield finding(path, "wrong_type")
        return
    try:
        valid = len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        valid = False
    if not valid:
        yield finding(path, "not_a_date")


def _check_list_size(fdef: FieldDef, path: str, value: list[Any]) -> Iterator[Finding]:
    if fdef.max_items is not None and len(value) > fdef.max_items:
        yield finding(
            path, "too_many_items", maximum=fdef.max_items, extra=len(value) - fdef.max_items
        )


def _check_url_list(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, list):
        yield finding(path, "wrong_type")
        return
    yield from _check_list_size(fdef, path, value)
    for index, item in enumerate(value):
        if not isinstance(item, str) or not is_url(item):
            yield finding(f"{path}[{index}]", "not_a_url")


def _check_attachments(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, list):
        yield finding(path, "wrong_type")
        return
    yield from _check_list_size(fdef, path, value)
    types = ", ".join(FILE_TYPE_NAMES.get(t, t) for t in fdef.accept)
    for index, item in enumerate(value):
        if not is_attachment_ref(item):
            yield finding(f"{path}[{index}]", "bad_attachment")
        elif item["media_type"] not in fdef.accept:
            yield finding(f"{path}[{index}]", "unsupported_file_type", types=types)


def _check_repeat(fdef: FieldDef, path: str, value: Any) -> Iterator[Finding]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        yield finding(path, "wrong_type")
        return
    yield from _check_list_size(fdef, path, value)
    for index, item in enumerate(value):
        if not is_empty(item):
            yield from _check_answers(fdef.item_fields, item, f"{path}[{index}].")


CHECKS: Mapping[str, Callable[[FieldDef, str, Any], Iterator[Finding]]] = {
    "text": _check_text,
    "long_text": _check_long_text,
    "email": _check_email,
    "phone": _check_phone,
    "url": _check_url,
    "integer": _check_integer,
    "country": _check_country,
    "choice": _check_choice,
    "multi_choice": _check_multi_choice,
    "year_range": _check_year_range,
    "date": _check_date,
    "repeat": _check_repeat,
    "url_list": _check_url_list,
    "attachments": _check_attachments,
}


def check_field(
    fdef: FieldDef, value: Any, answers: Mapping[str, Any], prefix: str = ""
) -> list[Finding]:
    """Findings for one answer, in the context of the others (for relevance)."""
    path = prefix + fdef.id
    if not is_relevant(fdef, answers):
        return []
    if is_empty(value):
        return [finding(path, "required")] if fdef.required else []
    return list(CHECKS[fdef.type](fdef, path, value))


def _check_answers(
    fields: tuple[FieldDef, ...], answers: Mapping[str, Any], prefix: str = ""
) -> Iterator[Finding]:
    known = {fdef.id for fdef in fields}
    for fdef in fields:
        yield from check_field(fdef, answers.get(fdef.id), answers, prefix)
    for key in answers:
        if key not in known:
            yield finding(prefix + str(key), "unknown_field")


def validate(form: FormDefinition, answers: Any) -> ValidationReport:
    """Check a whole set of answers against a form; never raises on any JSON value."""
    if not isinstance(answers, dict):
        return ValidationReport(
            findings=(finding("", "not_an_object"),),
            sections={s.id: Completion(0, _required_count(s.fields, {})) for s in form.sections},
        )
    findings = tuple(_check_answers(tuple(form.fields()), answers))
    flagged = {f.field_id for f in findings}
    sections = {}
    for section in form.sections:
        asked = [f for f in section.fields if f.required and is_relevant(f, answers)]
        sections[section.id] = Completion(
            done=sum(1 for f in asked if f.id not in flagged), total=len(asked)
        )
    return ValidationReport(findings=findings, sections=sections)


def _required_count(fields: tuple[FieldDef, ...], answers: Mapping[str, Any]) -> int:
    return sum(1 for f in fields if f.required and is_relevant(f, answers))
