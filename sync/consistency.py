"""Whether a well-formed payload agrees with itself and with its form: what a signature *means*.

A valid signature says "the office signed these bytes"; these checks say whether those bytes are
a submission the app would have made: the statement is the form's own text in its language with
the signer's names, the signer and the date are those of the answers (through the form's roles),
the date is not after the signature, a correction does not correct itself, and the attachment
list is exactly the files the answers name. Signing runs the form-free ones before it signs
(`sync.payload.build_payload`) and verification runs them all (`sync.verify`).

Each function takes a payload that `sync.payload.decode_payload` accepted and returns problems:
a stable code and raw values (the caller makes them printable); an empty list means agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from i18n.formatting import LanguageName
from schemas.attachments import attachment_references
from schemas.forms import FormDefinition
from schemas.validation import is_empty, is_relevant
from sync.statement import statement_text

# The time zone furthest ahead of UTC (Kiribati's Line Islands). A statement dated by the
# signer's own calendar cannot be dated later than the day it already was there when signing.
EARLIEST_ZONE = dt.timezone(dt.timedelta(hours=14))


@dataclass(frozen=True)
class Problem:
    """One disagreement: a stable code and the values that show it (raw, from the file)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def relevant_answers(form: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a signature covers: those to questions that are asked, and not blank."""
    return {
        fdef.id: answers[fdef.id]
        for fdef in form.fields()
        if fdef.id in answers and is_relevant(fdef, answers) and not is_empty(answers[fdef.id])
    }


def date_problems(payload: Mapping[str, Any]) -> list[Problem]:
    """`signed_on` must be a day that had begun somewhere on Earth at `signed_at`.

    The signer dates the statement by their own calendar while `signed_at` is a moment (the app
    writes it in UTC): at 07:00 in Jakarta it is still yesterday in UTC. Comparing with the date
    at UTC+14:00, the furthest-ahead time zone, accepts every honest local date and refuses any
    date that had not yet begun anywhere, whatever offset `signed_at` is written with.
    """
    signed_on = dt.date.fromisoformat(payload["signed_on"])
    latest = dt.datetime.fromisoformat(payload["signed_at"]).astimezone(EARLIEST_ZONE).date()
    if signed_on > latest:
        return [
            Problem(
                "signed_on_after_signed_at",
                {"signed_on": payload["signed_on"], "signed_at": payload["signed_at"]},
            )
        ]
    return []


def corrects_problems(payload: Mapping[str, Any]) -> list[Problem]:
    """A correction names another submission: one correcting itself would replace nothing."""
    if payload["corrects"] is not None and payload["corrects"] == payload["submission_id"]:
        return [Problem("corrects_itself", {"submission_id": payload["submission_id"]})]
    return []


def attachment_list_problems(payload: Mapping[str, Any]) -> list[Problem]:
    """The list is exactly the files the answers name: once each, with their name, type, size.

    The same file may be attached twice under two names (the list then gives one of them), but
    a file has one size and one type: the answers and the list must agree on both.
    """
    problems: list[Problem] = []
    listed: dict[str, dict[str, Any]] = {}
    for item in payload["attachments"]:
        if item["sha256"] in listed:
            problems.append(Problem("attachment_listed_twice", _file(item)))
        else:
            listed[item["sha256"]] = item
    named: dict[str, list[dict[str, Any]]] = {}
    for reference in attachment_references(payload["answers"]):
        named.setdefault(reference["sha256"], []).append(reference)
    for sha256, item in listed.items():
        references = named.get(sha256)
        if references is None:
            problems.append(Problem("attachment_not_named", _file(item)))
        elif any(
            reference.get("size") != item["size"]
            or reference.get("media_type") != item["media_type"]
            for reference in references
        ) or all(reference.get("name") != item["name"] for reference in references):
            problems.append(Problem("attachment_mismatch", _file(item)))
    for sha256, references in named.items():
        if sha256 not in listed:
            problems.append(Problem("attachment_not_listed", _file(references[0])))
    return problems


def _file(reference: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": reference.get("name"), "sha256": reference.get("sha256")}


def signer_problems(form: FormDefinition, payload: Mapping[str, Any]) -> list[Problem]:
    """The signer's name and position and the date are the answers of the form's roles."""
    answers = payload["answers"]
    problems = []
    for name in ("signer_name", "signer_position"):
        answer = form.answer_for(name, answers)
        if payload[name] != answer:
            values = {"field": name, "signed": payload[name], "answer": answer}
            problems.append(Problem("signer_mismatch", values))
    answer = form.answer_for("statement_date", answers)
    if payload["signed_on"] != answer:
        problems.append(
            Problem("signed_on_mismatch", {"signed": payload["signed_on"], "answer": answer})
        )
    return problems


def statement_problems(form: FormDefinition, payload: Mapping[str, Any]) -> list[Problem]:
    """The statement is the form's text in `statement_language`, filled from the answers."""
    expected = statement_text(form, payload["answers"], payload["statement_language"])
    if payload["statement"] != expected:
        language = payload["statement_language"]
        return [Problem("statement_mismatch", {"language": LanguageName(language)})]
    return []


def unasked_answer_problems(form: FormDefinition, payload: Mapping[str, Any]) -> list[Problem]:
    """The signed answers are only those to questions asked, and none blank (as signing keeps)."""
    answers = payload["answers"]
    kept = relevant_answers(form, answers)
    extra = [name for name in answers if name not in kept]
    return [Problem("answers_not_asked", {"fields": tuple(extra)})] if extra else []


# The checks that need only the payload (run before signing too), and those that need its form.
PAYLOAD_CHECKS: Mapping[str, Callable[[Mapping[str, Any]], list[Problem]]] = {
    "dates": date_problems,
    "corrects": corrects_problems,
    "attachment_list": attachment_list_problems,
}
FORM_CHECKS: Mapping[str, Callable[[FormDefinition, Mapping[str, Any]], list[Problem]]] = {
    "signer": signer_problems,
    "statement": statement_problems,
}


def payload_problems(payload: Mapping[str, Any]) -> list[Problem]:
    """Every problem the form-free checks find."""
    return [problem for check in PAYLOAD_CHECKS.values() for problem in check(payload)]
