"""Verification checks what a signature means (sync.verify, sync.consistency), and never raises.

Every envelope here is properly signed: with `build_payload` and `sign_envelope` where the app
itself would make it, and with `sign_anything` (the JWS machinery, the payload's own checks
bypassed) where only a faulty or hostile program could, so that each failure is the one the
test names and not a broken signature.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n.formatting import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE
from schemas.forms import FORMS_DIR, FormDefinitionError, FormRegistry, default_registry
from sync.canonical_json import canonical_json
from sync.envelope import MAX_ENVELOPE_BYTES, P256_ORDER, sign_envelope, sign_jws
from sync.jose import b64url_decode, b64url_encode, fingerprint_groups
from sync.payload import build_payload
from sync.statement import statement_text
from sync.verify import VerificationReport, verify_envelope
from tests.envelopes import (
    AFTER_PAYLOAD,
    ALL_CHECKS,
    CHECKS_OF_NOTHING,
    DOCUMENTS,
    FILES,
    KEY,
    OTHER_KEY,
    members,
    payload_fields,
    raw_signature,
    sign_anything,
    signed,
    signed_payload,
    standard_header,
    verify,
    with_members,
)
from tests.factories import complete_answers

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def form():
    return default_registry().get("hrc-join", "2022")


def failed(report: VerificationReport) -> list[tuple[str, str]]:
    """(check, code) of each failure that is not a check left not run."""
    return [(c.params["check"], c.code) for c in report.failures if c.code != "not_run"]


def app_signed(**changes: Any) -> bytes:
    """An envelope as the app would sign it: through build_payload's checks."""
    return sign_envelope(build_payload(**payload_fields(**changes)), KEY)


def test_the_complete_submission_passes_every_check_and_each_says_so() -> None:
    report = verify(signed()[1])
    assert report.ok, failed(report)
    assert [check.code for check in report.checks] == ALL_CHECKS
    texts = {check.code: check.render() for check in report.checks}
    assert "2026-11-23" in texts["dates"]
    assert "first submission" in texts["corrects"]
    assert "Hendy Siswanto" in texts["signer"]
    assert "Bupati Jember" in texts["signer"]
    assert "in French" in texts["statement"], "the language named in the reader's language"
    assert report.signer_kid == KEY.kid


# 1. The statement.


def test_a_changed_statement_is_refused() -> None:
    statement = payload_fields()["statement"].replace("soussigné(e)", "soussigné(e) NE")
    report = verify(app_signed(statement=statement))
    assert failed(report) == [("statement", "statement_mismatch")]
    assert "in French" in report.failures[0].render()


def test_a_statement_in_another_language_than_it_says_is_refused() -> None:
    english = statement_text(form(), payload_fields()["answers"], "en")
    report = verify(app_signed(statement=english))  # statement_language stays "fr"
    assert failed(report) == [("statement", "statement_mismatch")]


def test_an_arabic_statement_must_carry_its_isolates() -> None:
    arabic = statement_text(form(), payload_fields()["answers"], "ar")
    assert f"{FIRST_STRONG_ISOLATE}Hendy Siswanto{POP_DIRECTIONAL_ISOLATE}" in arabic
    assert verify(app_signed(statement_language="ar")).ok
    bare = arabic.replace(FIRST_STRONG_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, "")
    report = verify(app_signed(statement_language="ar", statement=bare))
    assert failed(report) == [("statement", "statement_mismatch")]


def test_a_statement_naming_other_people_than_the_answers_is_refused() -> None:
    answers = complete_answers() | {"signer_name": "Somebody Else"}
    other = statement_text(form(), answers, "fr")
    report = verify(app_signed(statement=other))
    assert failed(report) == [("statement", "statement_mismatch")]


@pytest.mark.parametrize(
    ("field", "value"),
    [("statement_language", "de"), ("language", "xx"), ("statement_language", "FR")],
)
def test_a_language_the_app_does_not_offer_is_refused(field: str, value: str) -> None:
    with pytest.raises(ValueError, match="unknown_language"):
        build_payload(**payload_fields(**{field: value, "statement": "Ich, …"}))
    report = verify(sign_anything(signed_payload(**{field: value})))
    assert report.failures[0].code == "unknown_language"
    assert report.failures[0].params["field"] == field
    assert value in report.failures[0].render()
    assert [c.code for c in report.failures[1:]] == ["not_run"] * AFTER_PAYLOAD


# 2. The signer, through the form's roles.


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("signer_name", "Somebody Else", "signer's name as Somebody Else"),
        ("signer_position", "Camat", "signer's position as Camat"),
    ],
)
def test_a_signer_other_than_the_answers_is_refused(field: str, value: str, words: str) -> None:
    report = verify(app_signed(**{field: value}))
    assert failed(report) == [("signer", "signer_mismatch")]
    assert report.failures[0].params["field"] == field
    text = report.failures[0].render()
    assert words in text
    assert complete_answers()[field] in text


def test_a_date_other_than_the_answers_is_refused() -> None:
    report = verify(app_signed(signed_on="2026-11-20"))
    assert failed(report) == [("signer", "signed_on_mismatch")]
    assert "2026-11-20" in report.failures[0].render()
    assert "2026-11-23" in report.failures[0].render()


def test_the_roles_decide_which_answers_are_the_signer(tmp_path: Path) -> None:
    """A form whose roles name other fields is checked through those fields."""
    data = json.loads((FORMS_DIR / "hrc-join" / "2022.json").read_text(encoding="utf-8"))
    data["roles"]["signer_name"] = "head_name"
    data["roles"]["signer_position"] = "head_title"
    (tmp_path / "hrc-join").mkdir()
    (tmp_path / "hrc-join" / "2022.json").write_text(json.dumps(data), encoding="utf-8")
    report = verify(signed()[1], registry=FormRegistry((tmp_path,)))
    assert failed(report) == [("signer", "signer_mismatch")]
    assert report.failures[0].params == {
        "check": "signer",
        "field": "signer_position",
        "signed": "Bupati Jember",
        "answer": "Bupati",
    }


# 3. The date of the statement and the moment of signing.


@pytest.mark.parametrize(
    ("signed_on", "signed_at"),
    [
        ("2026-11-23", "2026-11-23T10:15:00+00:00"),
        ("2026-11-20", "2026-11-23T10:15:00+00:00"),
        ("2026-11-24", "2026-11-23T22:30:00+00:00"),  # 06:30 the next day in Jakarta
        ("2026-11-24", "2026-11-23T12:30:00-10:00"),  # Honolulu's evening is Kiribati's day after
        ("2026-11-24", "2026-11-24T00:00:01+14:00"),
    ],
)
def test_a_statement_dated_by_the_signers_own_calendar_is_accepted(
    signed_on: str, signed_at: str
) -> None:
    answers = payload_fields()["answers"] | {"statement_date": signed_on}
    report = verify(app_signed(answers=answers, signed_on=signed_on, signed_at=signed_at))
    assert report.ok, failed(report)


@pytest.mark.parametrize(
    ("signed_on", "signed_at"),
    [
        ("2026-11-24", "2026-11-23T09:59:59+00:00"),  # not yet the 24th anywhere on Earth
        ("2026-11-25", "2026-11-23T23:59:59+00:00"),
        ("2027-01-01", "2026-11-23T10:15:00+00:00"),
        ("2026-11-25", "2026-11-24T23:59:59+14:00"),
    ],
)
def test_a_statement_dated_after_it_was_signed_is_refused(signed_on: str, signed_at: str) -> None:
    fields = payload_fields(signed_on=signed_on, signed_at=signed_at)
    fields["answers"]["statement_date"] = signed_on
    with pytest.raises(ValueError, match="signed_on_after_signed_at"):
        build_payload(**fields)
    report = verify(sign_anything(signed_payload(**{k: fields[k] for k in fields})))
    assert failed(report) == [("dates", "signed_on_after_signed_at")]
    text = report.failures[0].render()
    assert signed_on in text
    assert signed_at in text


# 4. What the submission corrects, and its attachment list.


def test_a_submission_correcting_itself_is_refused() -> None:
    itself = payload_fields()["submission_id"]
    with pytest.raises(ValueError, match="corrects_itself"):
        build_payload(**payload_fields(corrects=itself))
    report = verify(sign_anything(signed_payload(corrects=itself)))
    assert failed(report) == [("corrects", "corrects_itself")]
    assert itself in report.failures[0].render()


EXTRA = {"sha256": "ab" * 32, "name": "not named.pdf", "media_type": "application/pdf", "size": 3}


@pytest.mark.parametrize(
    ("attachments", "expected"),
    [
        ([*DOCUMENTS, EXTRA], [("attachment_not_named", "not named.pdf")]),
        (DOCUMENTS[:1], [("attachment_not_listed", "foto-kegiatan.jpg")]),
        (
            [DOCUMENTS[0], DOCUMENTS[1], {**DOCUMENTS[1], "size": DOCUMENTS[1]["size"] + 1}],
            [("attachment_listed_twice", "foto-kegiatan.jpg")],
        ),
        (
            [DOCUMENTS[0], {**DOCUMENTS[1], "size": 1}, DOCUMENTS[1]],
            [
                ("attachment_listed_twice", "foto-kegiatan.jpg"),
                ("attachment_mismatch", "foto-kegiatan.jpg"),
            ],
        ),
        (
            [DOCUMENTS[0], DOCUMENTS[1], DOCUMENTS[1]],
            [("attachment_listed_twice", "foto-kegiatan.jpg")],
        ),
        (
            [DOCUMENTS[0], {**DOCUMENTS[1], "name": "other.jpg"}],
            [("attachment_mismatch", "other.jpg")],
        ),
        (
            [DOCUMENTS[0], {**DOCUMENTS[1], "media_type": "image/png"}],
            [("attachment_mismatch", "foto-kegiatan.jpg")],
        ),
    ],
    ids=["extra", "missing", "two sizes", "wrong size first", "twice", "renamed", "retyped"],
)
def test_an_attachment_list_that_disagrees_with_the_answers_is_refused(
    attachments: list[dict[str, Any]], expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValueError, match=expected[0][0]):
        build_payload(**payload_fields(attachments=attachments))
    report = verify(sign_anything(signed_payload(attachments=attachments)))
    listed = [c for c in report.failures if c.params["check"] == "attachment_list"]
    assert [(c.code, c.params["name"]) for c in listed] == expected
    assert all(
        name in check.render() for check, (_code, name) in zip(listed, expected, strict=True)
    )


def test_one_file_attached_twice_under_two_names_is_listed_once() -> None:
    answers = payload_fields()["answers"]
    answers["local_actions"][1]["documents"] = [{**DOCUMENTS[0], "name": "perda (copy).pdf"}]
    assert verify(app_signed(answers=answers)).ok
    both = [*DOCUMENTS, {**DOCUMENTS[0], "name": "perda (copy).pdf"}]
    report = verify(sign_anything(signed_payload(answers=answers, attachments=both)))
    assert ("attachment_list", "attachment_listed_twice") in failed(report)


def test_answers_naming_one_file_with_two_sizes_are_refused() -> None:
    answers = payload_fields()["answers"]
    answers["local_actions"][1]["documents"] = [{**DOCUMENTS[0], "size": 1}]
    with pytest.raises(ValueError, match="attachment_mismatch"):
        build_payload(**payload_fields(answers=answers))


def test_answers_to_questions_not_asked_are_refused() -> None:
    answers = payload_fields()["answers"] | {"lrg_type_other": "a hidden message"}
    report = verify(app_signed(answers=answers))
    assert failed(report) == [("answers", "answers_not_asked")]
    assert "lrg_type_other" in report.failures[0].render()


def test_without_files_the_attachments_are_not_checked_and_say_why() -> None:
    report = verify(signed()[1], files=None)
    assert [(c.params["check"], c.code) for c in report.failures] == [
        ("attachment", "not_run"),
        ("signature_image", "not_run"),
    ]
    assert all("no folder of files was given" in c.render() for c in report.failures)
    assert not report.ok


# 5. Bounds: nothing from a file can name a path, a huge file name or a huge read.


def test_a_300_character_form_id_is_a_malformed_payload_not_an_error() -> None:
    report = verify(sign_anything(signed_payload(form_id="a" * 300)))
    assert report.failures[0].code == "bad_payload"
    assert report.failures[0].params["field"] == "form_id"
    with pytest.raises(FormDefinitionError):
        FormRegistry().get("a" * 300, "2022")
    with pytest.raises(FormDefinitionError):
        FormRegistry().get("hrc-join", "9" * 300)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("form_version", "2" * 300),
        ("kid", "k" * 300),
        ("submission_id", "0" * 100_000),
        ("sealed_for", "s" * 300),
        ("corrects", "c" * 300),
        ("signed_at", "2026-11-23T10:15:00" + "0" * 300 + "+00:00"),
        ("form_id", "hrc-join\n"),
    ],
)
def test_huge_or_odd_ids_are_malformed_payloads(field: str, value: str) -> None:
    report = verify(sign_anything(signed_payload(**{field: value})))
    assert report.failures[0].code == "bad_payload"
    assert report.failures[0].params["field"] == field
    assert len(report.failures[0].render()) < 400


def test_a_huge_key_id_in_the_header_is_a_bad_header() -> None:
    header = {**standard_header(), "kid": "k" * 300}
    protected = b64url_encode(json.dumps(header).encode())
    payload = b64url_encode(signed()[0])
    signature = raw_signature(KEY.private_key, f"{protected}.{payload}".encode())
    envelope = json.dumps(
        {"protected": protected, "payload": payload, "signature": b64url_encode(signature)}
    ).encode()
    report = verify(envelope)
    assert (report.failures[0].code, report.failures[0].params["problem"]) == ("bad_header", "kid")


def test_an_envelope_over_the_size_limit_is_refused_before_it_is_read() -> None:
    envelope = signed()[1]
    at_the_limit = envelope + b" " * (MAX_ENVELOPE_BYTES - len(envelope))
    assert verify(at_the_limit).ok
    report = verify(at_the_limit + b" ")
    assert report.checks[0].code == "envelope_too_large"
    assert report.checks[0].params["size"] == MAX_ENVELOPE_BYTES + 1
    assert "too large" in report.checks[0].render()
    assert len(report.checks) == CHECKS_OF_NOTHING
    nested = verify(b"[" * (MAX_ENVELOPE_BYTES + 1))
    assert nested.checks[0].code == "envelope_too_large"


# 7. One envelope per signed content.


def _twin(envelope: bytes) -> bytes:
    """The same envelope with s replaced by n - s: a valid signature in its second form."""
    signature = b64url_decode(members(envelope)["signature"])
    s = int.from_bytes(signature[32:], "big")
    twin = signature[:32] + (P256_ORDER - s).to_bytes(32, "big")
    return with_members(envelope, signature=b64url_encode(twin))


def test_the_app_signs_with_low_s_and_the_high_s_twin_is_refused() -> None:
    payload, envelope = signed()
    for _attempt in range(40):
        again = sign_envelope(payload, KEY)
        assert int.from_bytes(b64url_decode(members(again)["signature"])[32:], "big") <= (
            P256_ORDER // 2
        )
    report = verify(_twin(envelope))
    assert [c.code for c in report.checks[:4]] == [
        "structure",
        "header",
        "key_id",
        "non_canonical_signature",
    ]
    assert report.envelope is None
    assert "second form" in report.checks[3].render()


@pytest.mark.parametrize(
    "spelling",
    [
        lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False).encode(),
        lambda value: canonical_json(value) + b"\n",
        lambda value: b" " + canonical_json(value),
        lambda value: (
            json.dumps(dict(reversed(value.items())), separators=(",", ":"))
            .encode()
            .replace(b"\\u2019", "’".encode())
        ),
        lambda value: json.dumps(value, sort_keys=True, separators=(",", ":")).encode(),
        lambda value: canonical_json(value).replace(b":2536729,", b":2.536729e6,"),
    ],
    ids=["spaces", "newline", "leading space", "keys reordered", "escaped non-ASCII", "exponent"],
)
def test_a_payload_not_in_canonical_json_is_refused_though_properly_signed(spelling) -> None:
    value = json.loads(signed()[0])
    data = spelling(value)
    assert data != signed()[0]
    report = verify(sign_jws(data, KEY))
    assert report.checks[3].code == "signature", "the signature itself is fine"
    assert report.checks[4].code == "non_canonical_payload"
    assert "not written the way the app writes it" in report.checks[4].render()


# 6. The key expected.


@pytest.mark.parametrize(
    "expected",
    [KEY.kid, fingerprint_groups(KEY.kid), "  " + fingerprint_groups(KEY.kid).replace(" ", "  ")],
    ids=["key id", "fingerprint", "fingerprint, loosely spaced"],
)
def test_the_expected_key_is_recognised_by_its_id_or_its_fingerprint(expected: str) -> None:
    report = verify(signed()[1], expected_kid=expected)
    assert report.ok, failed(report)
    check = report.checks[3]
    assert (check.code, check.ok) == ("expected_key", True)
    assert fingerprint_groups(KEY.kid) in check.render()


@pytest.mark.parametrize(
    "expected",
    [OTHER_KEY.kid, fingerprint_groups(OTHER_KEY.kid), KEY.kid.lower(), "not a key", ""],
)
def test_another_key_than_expected_is_said_plainly(expected: str) -> None:
    report = verify(signed()[1], expected_kid=expected)
    assert failed(report) == [("expected_key", "unexpected_key")]
    text = report.failures[0].render()
    assert fingerprint_groups(KEY.kid) in text
    assert "not with the key expected" in text


def test_the_expected_key_is_the_key_that_signed_not_the_id_it_claims() -> None:
    header = {**standard_header(OTHER_KEY), "kid": KEY.kid}  # OTHER_KEY's key, KEY's id
    protected = b64url_encode(canonical_json(header))
    body = b64url_encode(signed()[0])
    signature = raw_signature(OTHER_KEY.private_key, f"{protected}.{body}".encode())
    envelope = canonical_json(
        {"payload": body, "protected": protected, "signature": b64url_encode(signature)}
    )
    report = verify(envelope, expected_kid=KEY.kid)
    assert ("key_id", "key_id_mismatch") in failed(report)
    assert ("expected_key", "unexpected_key") in failed(report)


# 5 (continued). Hostile input never makes verification raise.

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=16,
)
FIELD_NAMES = [*sorted(json.loads(signed()[0])), "extra"]


def _assert_a_sound_report(report: VerificationReport) -> None:
    assert isinstance(report, VerificationReport)
    assert report.checks
    assert "verification_error" not in [check.code for check in report.checks]
    for check in report.checks:
        assert isinstance(check.render(), str)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELD_NAMES), JSON, min_size=1, max_size=4))
def test_signed_payloads_with_hostile_fields_never_raise(changes: dict[str, Any]) -> None:
    payload = signed_payload(**changes)
    _assert_a_sound_report(verify(sign_anything(payload)))


@FUZZ
@given(answers=st.dictionaries(st.sampled_from([*complete_answers(), "x"]), JSON, max_size=6))
def test_signed_payloads_with_hostile_answers_never_raise(answers: dict[str, Any]) -> None:
    payload = signed_payload(answers={**complete_answers(), **answers})
    _assert_a_sound_report(verify(sign_anything(payload), expected_kid=KEY.kid))


@FUZZ
@given(value=JSON)
def test_any_signed_json_value_never_raises(value: Any) -> None:
    _assert_a_sound_report(verify(sign_anything(value)))


@FUZZ
@given(data=st.binary(max_size=600))
def test_any_signed_bytes_never_raise(data: bytes) -> None:
    report = verify(sign_jws(data, KEY))
    _assert_a_sound_report(report)
    assert not report.ok


@FUZZ
@given(data=st.binary(max_size=2000), expected=st.none() | st.text(max_size=50))
def test_any_bytes_never_raise(data: bytes, expected: str | None) -> None:
    report = verify_envelope(data, FILES.get, expected_kid=expected)
    _assert_a_sound_report(report)
    assert not report.ok
