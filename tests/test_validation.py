"""Validation: what blocks signing, what is merely unfinished, and completion as numbers."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n.translate import _, ngettext
from schemas.forms import FormDefinition
from schemas.validation import (
    MESSAGES,
    PLURALS,
    Severity,
    ValidationReport,
    finding,
    is_relevant,
    validate,
)
from schemas.wordcount import count_words
from tests.factories import complete_answers, words


def codes(report: ValidationReport) -> dict[str, str]:
    return {f.path: f.code for f in report.findings}


def with_answer(path: str, value: Any) -> dict[str, Any]:
    """Complete answers with one answer replaced (a dotted path reaches inside items)."""
    answers = copy.deepcopy(complete_answers())
    target = answers
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    if value is None:
        target.pop(last, None)
    else:
        target[last] = value
    return answers


def test_complete_answers_can_be_signed(form: FormDefinition) -> None:
    report = validate(form, complete_answers())
    assert report.findings == ()
    assert report.can_sign
    assert report.overall.fraction == 1.0
    assert all(c.done == c.total for c in report.sections.values())


def test_empty_answers_are_unfinished_not_wrong(form: FormDefinition) -> None:
    report = validate(form, {})
    assert report.wrong == ()
    assert {f.code for f in report.missing} == {"required"}
    required = [f.id for f in form.fields() if f.required and f.relevant_if is None]
    assert sorted(f.path for f in report.missing) == sorted(required)
    assert report.overall.done == 0
    assert report.overall.total == len(required)
    assert not report.can_sign


@pytest.mark.parametrize(
    ("path", "value", "code", "severity"),
    [
        ("vision", words(701), "too_many_words", Severity.WRONG),
        ("motivations", words(99), "too_few_words", Severity.MISSING),
        ("motivations", words(201), "too_many_words", Severity.WRONG),
        ("focal_point_email", "ham@jember", "not_an_email", Severity.WRONG),
        ("focal_point_email", "two words@x.org", "not_an_email", Severity.WRONG),
        ("focal_point_phone", "call me", "not_a_phone", Severity.WRONG),
        ("inhabitants", -12, "below_minimum", Severity.WRONG),
        ("inhabitants", 0, "below_minimum", Severity.WRONG),
        ("inhabitants", 12.5, "not_a_whole_number", Severity.WRONG),
        ("inhabitants", 2**53, "too_large", Severity.WRONG),
        ("inhabitants", True, "not_a_whole_number", Severity.WRONG),
        ("mandate", {"start": 2026, "end": 2021}, "end_before_start", Severity.WRONG),
        ("mandate", {"start": 2021}, "incomplete_range", Severity.MISSING),
        ("country", "XX", "unknown_country", Severity.WRONG),
        ("country", "EU", "unknown_country", Severity.WRONG),
        ("lrg_type", "village", "unknown_option", Severity.WRONG),
        ("areas_of_focus", [], "required", Severity.MISSING),
        ("areas_of_focus", ["housing", "parks"], "unknown_option", Severity.WRONG),
        ("areas_of_focus_other", "  ", "required", Severity.MISSING),
        ("statement_date", "23/11/2026", "not_a_date", Severity.WRONG),
        ("statement_date", "2026-02-30", "not_a_date", Severity.WRONG),
        ("lrg_name", "x" * 201, "too_long", Severity.WRONG),
        ("nickname", "Kota", "unknown_field", Severity.WRONG),
    ],
)
def test_one_bad_answer_gives_one_finding(
    form: FormDefinition, path: str, value: Any, code: str, severity: Severity
) -> None:
    report = validate(form, with_answer(path, value))
    assert [(f.path, f.code, f.severity) for f in report.findings] == [(path, code, severity)]
    assert not report.can_sign


@pytest.mark.parametrize(
    ("path", "value", "found_at", "code"),
    [
        (
            "local_actions.0.description",
            words(51),
            "local_actions[0].description",
            "too_many_words",
        ),
        ("local_actions.1.links", ["jember.go.id"], "local_actions[1].links[0]", "not_a_url"),
        ("local_actions.1.links", ["ftp://x.org/a"], "local_actions[1].links[0]", "not_a_url"),
        ("local_actions.0.description", None, "local_actions[0].description", "required"),
        (
            "local_actions.1.documents",
            [
                {
                    "sha256": "0" * 64,
                    "name": "a.exe",
                    "media_type": "application/x-msdownload",
                    "size": 3,
                }
            ],
            "local_actions[1].documents[0]",
            "unsupported_file_type",
        ),
        (
            "local_actions.1.documents",
            [{"sha256": "nothex", "name": "a.pdf", "media_type": "application/pdf", "size": 3}],
            "local_actions[1].documents[0]",
            "bad_attachment",
        ),
    ],
)
def test_findings_inside_examples_name_the_item(
    form: FormDefinition, path: str, value: Any, found_at: str, code: str
) -> None:
    report = validate(form, with_answer(path, value))
    assert codes(report) == {found_at: code}
    assert report.findings[0].field_id == "local_actions"


def test_limits_are_inclusive(form: FormDefinition) -> None:
    answers = with_answer("motivations", words(200))
    answers["vision"] = words(700)
    answers["local_actions"][0]["description"] = words(50)
    assert validate(form, answers).can_sign
    assert validate(form, with_answer("motivations", words(100))).can_sign


def test_a_fourth_example_is_too_many(form: FormDefinition) -> None:
    answers = complete_answers()
    answers["local_actions"] = [{"description": words(10)}] * 4
    assert codes(validate(form, answers)) == {"local_actions": "too_many_items"}


def test_an_empty_example_card_is_not_a_finding(form: FormDefinition) -> None:
    answers = complete_answers()
    answers["local_actions"].append({"description": " ", "links": [], "documents": []})
    assert validate(form, answers).can_sign


def test_others_asks_for_its_text_only_when_chosen(form: FormDefinition) -> None:
    field = form.field("areas_of_focus_other")
    assert is_relevant(field, {"areas_of_focus": ["others"]})
    assert not is_relevant(field, {"areas_of_focus": ["housing"]})
    answers = complete_answers()
    answers["areas_of_focus"] = ["housing"]
    del answers["areas_of_focus_other"]
    report = validate(form, answers)
    assert report.can_sign
    answers["areas_of_focus"] = ["housing", "others"]
    assert codes(validate(form, answers)) == {"areas_of_focus_other": "required"}


def test_other_type_of_government_asks_which(form: FormDefinition) -> None:
    answers = with_answer("lrg_type", "other")
    assert codes(validate(form, answers)) == {"lrg_type_other": "required"}
    answers["lrg_type_other"] = "Commune"
    assert validate(form, answers).can_sign


def test_completion_counts_required_questions_per_section(form: FormDefinition) -> None:
    answers = {"country": "ID", "lrg_name": "Jember", "inhabitants": -1, "vision": "Dignity"}
    report = validate(form, answers)
    information = report.sections["information"]
    assert (information.done, information.total) == (2, 8)
    assert report.sections["vision"].fraction == 1.0
    assert report.sections["local_actions"].total == 0
    assert report.sections["local_actions"].fraction == 1.0
    answers["areas_of_focus"] = ["others"]
    assert validate(form, answers).sections["areas_of_focus"].total == 2
    overall = report.overall
    assert overall.done == sum(c.done for c in report.sections.values())


def test_the_word_count_in_a_finding_is_the_counter_the_user_sees(form: FormDefinition) -> None:
    text = "Hak asasi manusia anak-anak " * 60
    report = validate(form, with_answer("motivations", text))
    (item,) = report.findings
    assert item.params["count"] == count_words(text)


def test_findings_render_through_the_given_translation_functions() -> None:
    item = finding("vision", "too_many_words", maximum=700, count=701)
    assert item.render(_, ngettext) == "Shorten this text to 700 words; it has 701 now."
    assert (
        item.render(lambda s: "» " + s, ngettext)
        == "» Shorten this text to 700 words; it has 701 now."
    )
    few = finding("motivations", "too_few_words", minimum=1, count=0)
    assert few.render(_, ngettext) == "Write at least 1 word; there are 0 so far."
    assert (
        finding("m", "too_few_words", minimum=100, count=3)
        .render(_, ngettext)
        .startswith("Write at least 100 words")
    )


def test_every_message_fills_in_with_the_values_its_finding_carries() -> None:
    examples = {
        "too_few_selected": {"minimum": 1},
        "too_many_words": {"maximum": 700, "count": 701},
        "too_long": {"maximum": 200, "count": 201},
        "below_minimum": {"minimum": 1},
        "too_large": {"maximum": 2**53 - 1},
        "not_a_year": {"min_year": 1900, "max_year": 2100},
        "too_many_items": {"maximum": 3, "extra": 1},
        "unsupported_file_type": {"types": "PDF"},
        "too_few_words": {"minimum": 100, "count": 3},
    }
    for code in [*MESSAGES, *PLURALS]:
        params = examples.get(code, {})
        text = finding("x", code, **params).render(_, ngettext)
        assert "{" not in text
        assert all(str(v) in text for v in params.values())


def test_answers_that_are_not_an_object_are_one_finding(form: FormDefinition) -> None:
    for value in (None, [], "answers", 3):
        report = validate(form, value)
        assert [f.code for f in report.findings] == ["not_an_object"]
        assert report.overall.done == 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
KNOWN_CODES = set(MESSAGES) | set(PLURALS)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_validation_never_raises_on_any_json_answers(form: FormDefinition, data) -> None:
    field_ids = [f.id for f in form.fields()]
    answers = data.draw(
        st.dictionaries(st.sampled_from(field_ids) | st.text(max_size=6), JSON_VALUES, max_size=8)
    )
    report = validate(form, answers)
    assert {f.code for f in report.findings} <= KNOWN_CODES
    for item in report.findings:
        assert item.render(_, ngettext)
        expected = (
            Severity.MISSING
            if item.code in {"required", "too_few_selected", "incomplete_range", "too_few_words"}
            else Severity.WRONG
        )
        assert item.severity is expected
    for completion in report.sections.values():
        assert 0 <= completion.done <= completion.total
    assert report.can_sign == (not report.findings)


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_any_unicode_text_in_a_long_answer_validates_by_its_word_count(
    form: FormDefinition, text: str
) -> None:
    report = validate(form, with_answer("vision", text))
    count = count_words(text)
    found = codes(report).get("vision")
    if not text.strip():
        assert found == "required"
    elif count > 700:
        assert found == "too_many_words"
    else:
        assert found is None


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_any_unicode_text_in_an_email_field_never_raises(form: FormDefinition, text: str) -> None:
    report = validate(form, with_answer("focal_point_email", text))
    assert set(codes(report).values()) <= {"not_an_email"}
    if "@" not in text:
        assert report.findings or not text.strip()
