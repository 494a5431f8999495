"""The envelope (sync.envelope) and its verification (sync.verify).

Tampering anywhere must be caught with the code that names what was tampered with, and an
independent JOSE library (joserfc) must agree with us both ways. Crafted envelopes (other
algorithms, extra headers...) are signed here with `cryptography` directly, so each rejection
is for the crafted property and not for a broken signature; a control test shows that the same
helper with the normal header makes an envelope that verifies.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import ECKey

from schemas.forms import FORMS_DIR, FormDefinitionError, FormRegistry, default_registry
from sync.envelope import (
    P256_ORDER,
    SUBMISSION_FORMAT,
    EnvelopeError,
    parse_envelope,
    sign_envelope,
)
from sync.jose import b64url_decode, b64url_encode
from sync.payload import build_payload
from tests.envelopes import (
    AFTER_PAYLOAD,
    ALL_CHECKS,
    CHECKS_OF_NOTHING,
    FILES,
    KEY,
    OTHER_KEY,
    PHOTO_JPEG,
    REPORT_PDF,
    SIGNATURE_PNG,
    MislabelledKey,
    StandInKey,
    codes,
    members,
    payload_fields,
    raw_envelope,
    sha256,
    sign_anything,
    signed,
    signed_payload,
    standard_header,
    verify,
    with_members,
)
from tests.factories import words

HYPOTHESIS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def flip(data: bytes, position: int, value: int) -> bytes:
    """`data` with the byte at `position` replaced by a different one (`value` in 1..255)."""
    changed = bytearray(data)
    changed[position] = (changed[position] + value) % 256
    return bytes(changed)


def position_and_change(size: int) -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(0, size - 1), st.integers(1, 255))


# The round trip and the formats.


def test_a_signed_submission_verifies_with_every_check_passed(tmp_path: Path) -> None:
    payload, envelope = signed()
    path = tmp_path / "submission.envelope.json"
    path.write_bytes(envelope)

    report = verify(path.read_bytes())

    assert report.ok, [check.render() for check in report.failures]
    assert [check.code for check in report.checks] == ALL_CHECKS
    assert all(check.ok for check in report.checks)
    assert report.failures == ()
    assert report.envelope is not None
    assert report.envelope.payload_bytes == payload
    assert report.envelope.payload == json.loads(payload)
    names = [check.params["name"] for check in report.checks if check.code == "attachment"]
    assert names == ["Laporan HAM 2025.pdf", "foto-kegiatan.jpg"]
    for check in report.checks:
        text = check.render()
        assert text
        assert "{" not in text
    assert KEY.kid[:4] in report.checks[2].render()


def test_the_payload_is_canonical_utf8_json_with_every_field() -> None:
    payload, _envelope = signed()
    parsed = json.loads(payload)
    canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert payload == canonical.encode("utf-8")
    assert "Je soussigné(e), Hendy Siswanto".encode() in payload
    assert parsed["format"] == SUBMISSION_FORMAT
    assert parsed["corrects"] is None
    assert parsed["sealed_for"] is None
    assert set(parsed) == {
        "format",
        "submission_id",
        "form_id",
        "form_version",
        "language",
        "statement_language",
        "answers",
        "statement",
        "signer_name",
        "signer_position",
        "signed_on",
        "signed_at",
        "attachments",
        "signature_image",
        "office_name",
        "kid",
        "corrects",
        "sealed_for",
    }


def test_the_envelope_is_a_flattened_jws_with_the_agreed_header() -> None:
    payload, envelope = signed()
    document = members(envelope)
    assert set(document) == {"protected", "payload", "signature"}
    assert not envelope.endswith(b"\n")
    assert json.loads(b64url_decode(document["protected"])) == standard_header()
    assert b64url_decode(document["payload"]) == payload
    assert len(b64url_decode(document["signature"])) == 64
    parsed = parse_envelope(envelope)
    assert parsed.payload_bytes == payload
    assert parsed.protected_b64 == document["protected"]
    assert parsed.payload_b64 == document["payload"]


def test_corrects_and_sealed_for_are_carried() -> None:
    corrected = str(uuid.UUID("11111111-2222-4333-8444-555555555555"))
    payload = build_payload(**payload_fields(corrects=corrected, sealed_for=OTHER_KEY.kid))
    report = verify(sign_envelope(payload, KEY))
    assert report.ok, codes(report)
    assert report.envelope is not None
    assert report.envelope.payload["corrects"] == corrected
    assert report.envelope.payload["sealed_for"] == OTHER_KEY.kid
    assert corrected in report.checks[6].render()


# Independent check: joserfc, a JOSE library this project does not sign with.


def test_joserfc_verifies_our_envelope_and_returns_the_exact_payload() -> None:
    payload, envelope = signed()
    document = members(envelope)
    header = json.loads(b64url_decode(document["protected"]))
    public_key = ECKey.import_key(header["jwk"])

    result = jws.deserialize_json(document, public_key, algorithms=["ES256"])

    assert result.payload == payload
    assert result.headers()["kid"] == KEY.kid
    assert public_key.thumbprint() == KEY.kid


def test_an_envelope_signed_by_joserfc_verifies_here_in_its_low_s_form_only() -> None:
    """joserfc does not normalise s: of its signatures, the low-S half verifies here and the
    high-S half is refused as the second form of a valid signature."""
    payload, _envelope = signed()
    pem = KEY.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    seen = set()
    for _attempt in range(64):
        document = jws.serialize_json(
            {"protected": standard_header()}, payload, ECKey.import_key(pem), algorithms=["ES256"]
        )
        s = int.from_bytes(b64url_decode(document["signature"])[32:], "big")
        report = verify(json.dumps(document).encode("ascii"))
        if s <= P256_ORDER // 2:
            assert report.ok, codes(report)
            assert report.envelope is not None
            assert report.envelope.payload_bytes == payload
            seen.add("low")
        else:
            assert codes(report)[0] == "non_canonical_signature"
            seen.add("high")
        if seen == {"low", "high"}:
            break
    assert seen == {"low", "high"}


# Tampering, byte by byte.


@HYPOTHESIS
@given(st.data())
def test_any_change_to_the_payload_breaks_the_signature(data: st.DataObject) -> None:
    payload, envelope = signed()
    position, change = data.draw(position_and_change(len(payload)))
    tampered = with_members(envelope, payload=b64url_encode(flip(payload, position, change)))

    report = verify(tampered)

    assert codes(report)[0] == "bad_signature"
    assert set(codes(report)[1:]) == {"not_run"}
    assert [check.ok for check in report.checks[:3]] == [True, True, True]
    assert report.envelope is None


@HYPOTHESIS
@given(st.data())
def test_any_change_to_the_signature_breaks_it(data: st.DataObject) -> None:
    _payload, envelope = signed()
    signature = b64url_decode(members(envelope)["signature"])
    position, change = data.draw(position_and_change(len(signature)))
    tampered = with_members(envelope, signature=b64url_encode(flip(signature, position, change)))

    report = verify(tampered)

    assert codes(report)[0] == "bad_signature"
    assert set(codes(report)[1:]) == {"not_run"}


@HYPOTHESIS
@given(st.data())
def test_any_change_to_the_protected_header_is_caught(data: st.DataObject) -> None:
    """A changed header fails on its signature when it still reads as a valid header; when the
    change breaks it, the header check fails first (bad_header; unsupported_algorithm for a
    changed "alg"; key_id_mismatch for a changed "kid", with bad_signature after it)."""
    _payload, envelope = signed()
    header = b64url_decode(members(envelope)["protected"])
    position, change = data.draw(position_and_change(len(header)))
    tampered = with_members(envelope, protected=b64url_encode(flip(header, position, change)))

    report = verify(tampered)

    assert not report.ok
    first = codes(report)[0]
    assert first in {"bad_signature", "bad_header", "unsupported_algorithm", "key_id_mismatch"}
    if report.checks[1].ok:
        assert "bad_signature" in codes(report)
    else:
        assert first in {"bad_header", "unsupported_algorithm"}


@HYPOTHESIS
@given(st.data())
def test_any_change_to_an_attachment_is_caught(data: st.DataObject) -> None:
    _payload, envelope = signed()
    original = data.draw(st.sampled_from([REPORT_PDF, PHOTO_JPEG]))
    position, change = data.draw(position_and_change(len(original)))
    files = {**FILES, sha256(original): flip(original, position, change)}

    report = verify(envelope, files)

    assert codes(report) == ["attachment_altered"]
    name = "Laporan HAM 2025.pdf" if original == REPORT_PDF else "foto-kegiatan.jpg"
    assert report.failures[0].params["name"] == name
    assert name in report.failures[0].render()


@HYPOTHESIS
@given(st.data())
def test_any_change_to_the_signature_image_is_caught(data: st.DataObject) -> None:
    _payload, envelope = signed()
    position, change = data.draw(position_and_change(len(SIGNATURE_PNG)))
    files = {**FILES, sha256(SIGNATURE_PNG): flip(SIGNATURE_PNG, position, change)}

    report = verify(envelope, files)

    assert codes(report) == ["signature_image_altered"]


@HYPOTHESIS
@given(st.data())
def test_no_single_byte_change_of_the_file_verifies_and_none_raises(data: st.DataObject) -> None:
    _payload, envelope = signed()
    position, change = data.draw(position_and_change(len(envelope)))
    report = verify(flip(envelope, position, change))
    assert not report.ok
    assert report.failures


@HYPOTHESIS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_verify_and_never_raise(data: bytes) -> None:
    report = verify(data)
    assert not report.ok
    assert report.checks[0].code == "not_an_envelope"
    assert len(report.checks) == CHECKS_OF_NOTHING


# Missing files, unknown forms, wrong answers.


def test_a_missing_attachment_is_reported_by_name() -> None:
    _payload, envelope = signed()
    files = {sha: data for sha, data in FILES.items() if data != PHOTO_JPEG}
    report = verify(envelope, files)
    assert codes(report) == ["attachment_missing"]
    assert report.failures[0].params["name"] == "foto-kegiatan.jpg"
    assert "foto-kegiatan.jpg" in report.failures[0].render()


def test_a_missing_signature_image_is_reported() -> None:
    _payload, envelope = signed()
    files = {sha: data for sha, data in FILES.items() if data != SIGNATURE_PNG}
    assert codes(verify(envelope, files)) == ["signature_image_missing"]


def test_a_form_without_attachments_says_so() -> None:
    fields = payload_fields(attachments=[])
    del fields["answers"]["local_actions"][0]["documents"]
    fields = payload_fields(attachments=[], answers=fields["answers"])
    report = verify(sign_envelope(build_payload(**fields), KEY))
    assert report.ok, codes(report)
    assert [check.code for check in report.checks].count("attachment") == 1
    assert "no attached files" in report.checks[8].render()


def test_an_unknown_form_version_is_reported_and_the_answers_not_checked() -> None:
    payload = build_payload(**payload_fields(form_version="1999"))
    report = verify(sign_envelope(payload, KEY))
    assert codes(report) == ["unknown_form", "not_run", "not_run", "not_run"]
    assert [c.params["check"] for c in report.failures[1:]] == ["answers", "signer", "statement"]
    assert "1999" in report.failures[0].render()


def test_a_form_id_cannot_reach_outside_the_registry() -> None:
    assert (FORMS_DIR / "hrc-join/../hrc-join" / "2022.json").is_file()
    with pytest.raises(ValueError, match="bad_payload"):
        build_payload(**payload_fields(form_id="hrc-join/../hrc-join"))
    envelope = sign_anything(signed_payload(form_id="hrc-join/../hrc-join"))
    report = verify(envelope, registry=FormRegistry((FORMS_DIR,)))
    assert codes(report) == ["bad_payload"] + ["not_run"] * AFTER_PAYLOAD
    assert report.failures[0].params == {"check": "payload", "field": "form_id"}
    registry = FormRegistry((FORMS_DIR,))
    with pytest.raises(FormDefinitionError):
        registry.get("hrc-join/../hrc-join", "2022")


def test_wrong_answers_are_reported_with_their_findings() -> None:
    fields = payload_fields()
    fields["answers"]["vision"] = words(701)
    report = verify(sign_envelope(build_payload(**fields), KEY), registry=default_registry())
    assert codes(report) == ["answers_invalid"]
    failure = report.failures[0]
    assert failure.params["codes"] == ("too_many_words",)
    assert failure.params["paths"] == ("vision",)
    assert "vision: too_many_words" in failure.render()


# Keys and headers this format does not accept.


def test_a_key_whose_id_is_not_its_thumbprint_is_refused() -> None:
    liar = MislabelledKey(KEY.office_name, KEY.private_key, claimed_kid=OTHER_KEY.kid)
    payload = build_payload(**payload_fields(key=liar))
    report = verify(sign_envelope(payload, liar))
    assert codes(report) == ["key_id_mismatch"]
    assert report.failures[0].params["check"] == "key_id"


def test_a_payload_naming_another_key_is_refused() -> None:
    payload = build_payload(**payload_fields(kid=OTHER_KEY.kid))
    report = verify(raw_envelope(standard_header(), payload))
    assert codes(report) == ["key_id_mismatch"] + ["not_run"] * AFTER_PAYLOAD
    assert report.failures[0].params["check"] == "payload"


def test_the_test_signer_makes_envelopes_that_verify() -> None:
    """The control for every crafted envelope below."""
    payload, _envelope = signed()
    assert verify(raw_envelope(standard_header(), payload)).ok


def _private_d(key: StandInKey) -> str:
    return b64url_encode(key.private_key.private_numbers().private_value.to_bytes(32, "big"))


P384 = ec.generate_private_key(ec.SECP384R1())


def _p384_jwk() -> dict[str, str]:
    numbers = P384.public_key().public_numbers()
    return {
        "kty": "EC",
        "crv": "P-384",
        "x": b64url_encode(numbers.x.to_bytes(48, "big")),
        "y": b64url_encode(numbers.y.to_bytes(48, "big")),
    }


CRAFTED = {
    "alg none": (
        {**standard_header(), "alg": "none"},
        {"signature": lambda _input: b""},
        "unsupported_algorithm",
    ),
    "alg HS256": ({**standard_header(), "alg": "HS256"}, {}, "unsupported_algorithm"),
    "ES384 on P-384": (
        {**standard_header(), "alg": "ES384", "jwk": _p384_jwk()},
        {"private_key": P384, "hash_algorithm": hashes.SHA384()},
        "unsupported_algorithm",
    ),
    "ES256 on a P-384 key": (
        {**standard_header(), "jwk": _p384_jwk()},
        {"private_key": P384},
        "unsupported_algorithm",
    ),
    "jwk with the private d": (
        {**standard_header(), "jwk": {**KEY.public_jwk, "d": _private_d(KEY)}},
        {},
        "bad_header",
    ),
    "crit": ({**standard_header(), "crit": ["exp"], "exp": 1}, {}, "bad_header"),
    "unencoded payload": ({**standard_header(), "b64": False, "crit": ["b64"]}, {}, "bad_header"),
    "a second key url": ({**standard_header(), "jku": "https://example.org/k"}, {}, "bad_header"),
    "wrong typ": ({**standard_header(), "typ": "JWT"}, {}, "bad_header"),
    "no kid": ({k: v for k, v in standard_header().items() if k != "kid"}, {}, "bad_header"),
    "no alg": ({k: v for k, v in standard_header().items() if k != "alg"}, {}, "bad_header"),
    "jwk with extra members": (
        {**standard_header(), "jwk": {**KEY.public_jwk, "use": "sig"}},
        {},
        "bad_header",
    ),
    "jwk off the curve": (
        {**standard_header(), "jwk": {**KEY.public_jwk, "y": KEY.public_jwk["x"]}},
        {},
        "bad_header",
    ),
}


@pytest.mark.parametrize("case", CRAFTED)
def test_crafted_headers_are_refused(case: str) -> None:
    header, options, code = CRAFTED[case]
    payload, _envelope = signed()
    report = verify(raw_envelope(header, payload, **options))
    assert codes(report)[0] == code
    assert report.checks[1].code == code
    assert set(codes(report)[1:]) == {"not_run"}


@pytest.mark.parametrize(
    "unprotected",
    [
        {"alg": "none", "kid": "someone-else"},
        {"alg": "ES256", "kid": KEY.kid},
        {},
    ],
)
def test_an_unprotected_header_is_refused_whatever_it_says(unprotected: dict[str, str]) -> None:
    _payload, envelope = signed()
    report = verify(with_members(envelope, header=unprotected))
    assert report.checks[0].ok
    assert codes(report)[0] == "bad_header"
    assert report.checks[1].params["check"] == "header"


def _der(private_key: ec.EllipticCurvePrivateKey) -> Callable[[bytes], bytes]:
    return lambda signing_input: private_key.sign(signing_input, ec.ECDSA(hashes.SHA256()))


def _raw_then(edit: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def sign(signing_input: bytes) -> bytes:
        r, s = decode_dss_signature(KEY.private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return edit(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    return sign


@pytest.mark.parametrize(
    "make_signature",
    [
        _der(KEY.private_key),
        _raw_then(lambda raw: raw[:63]),
        _raw_then(lambda raw: raw + b"\x00"),
        _raw_then(lambda raw: b"\x00" + raw),
        _raw_then(lambda _raw: b""),
        _raw_then(lambda _raw: bytes(64)),
    ],
    ids=["DER", "63 bytes", "65 bytes", "65 bytes led by zero", "empty", "zeros"],
)
def test_signatures_of_the_wrong_form_do_not_match(
    make_signature: Callable[[bytes], bytes],
) -> None:
    payload, _envelope = signed()
    report = verify(raw_envelope(standard_header(), payload, signature=make_signature))
    assert codes(report)[0] == "bad_signature"


def test_only_canonical_base64url_is_read() -> None:
    """The signature's own text is not signed: a second spelling of it must not verify."""
    _payload, envelope = signed()
    text = members(envelope)["signature"]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    # 64 bytes take 86 characters; the last one carries 4 unused bits.
    twin = text[:-1] + alphabet[alphabet.index(text[-1]) ^ 1]
    with pytest.raises(ValueError, match="canonical"):
        b64url_decode(twin)  # the same bytes as `text` to a lenient decoder; refused here
    for spelling in (twin, text + "==", text.replace("-", "+").replace("_", "/") + "+/"):
        report = verify(with_members(envelope, signature=spelling))
        assert codes(report)[:1] == ["not_an_envelope"], spelling


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"[]",
        b'"text"',
        b"\xff\xfe{}",
        b"[" * 100_000,
        b'{"protected":"","payload":"","signature":"","signatures":[]}',
        b'{"protected":1,"payload":"","signature":""}',
    ],
    ids=["empty", "array", "string", "not UTF-8", "deep", "extra member", "not text"],
)
def test_files_that_are_not_envelopes_fail_every_check_as_not_an_envelope(data: bytes) -> None:
    report = verify(data)
    assert [check.code for check in report.checks[:2]] == ["not_an_envelope", "not_run"]
    assert len(report.failures) == CHECKS_OF_NOTHING
    with pytest.raises(EnvelopeError) as raised:
        parse_envelope(data)
    assert raised.value.code == "not_an_envelope"
    assert str(raised.value)


def test_a_member_named_twice_is_not_an_envelope() -> None:
    _payload, envelope = signed()
    document = members(envelope)
    doubled = (
        f'{{"protected":"{document["protected"]}","payload":"{document["payload"]}",'
        f'"payload":"{b64url_encode(b"{}")}","signature":"{document["signature"]}"}}'
    )
    assert codes(verify(doubled.encode("ascii")))[0] == "not_an_envelope"


# Payloads this format does not accept (properly signed, so only the content is at fault).


def _signed_raw_payload(fields: dict[str, Any]) -> bytes:
    return sign_anything(fields)


def test_an_unknown_format_is_reported() -> None:
    fields = {**json.loads(signed()[0]), "format": "hrcities-submission/2"}
    report = verify(_signed_raw_payload(fields))
    assert codes(report) == ["unknown_format"] + ["not_run"] * AFTER_PAYLOAD
    assert "hrcities-submission/2" in report.failures[0].render()


DELETE = object()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("statement", DELETE),
        ("extra", "a meaning nobody checks"),
        ("submission_id", "not-a-uuid"),
        ("signed_at", "2026-11-23T10:15:00"),
        ("signed_on", "23/11/2026"),
        ("attachments", [{"sha256": "ab", "name": "x", "media_type": "a/b", "size": 1}]),
        ("signature_image", {"sha256": "0" * 64, "media_type": "image/gif", "size": 1}),
        ("corrects", "not-a-uuid"),
        ("answers", []),
        ("signer_name", " "),
    ],
)
def test_payloads_of_the_wrong_shape_are_reported(field: str, value: Any) -> None:
    fields = json.loads(signed()[0])
    if value is DELETE:
        del fields[field]
    else:
        fields[field] = value
    report = verify(_signed_raw_payload(fields))
    assert codes(report) == ["bad_payload"] + ["not_run"] * AFTER_PAYLOAD
    assert report.failures[0].params == {"check": "payload", "field": field}
    assert field in report.failures[0].render()


@pytest.mark.parametrize(
    "change",
    [
        {"submission_id": "not-a-uuid"},
        {"attachments": []},
        {"signature_image": {"sha256": "0" * 64, "media_type": "image/png", "size": -1}},
        {"signed_at": "yesterday"},
    ],
)
def test_the_app_never_builds_a_payload_verification_would_refuse(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"bad_payload|attachment_not_listed"):
        build_payload(**payload_fields(**change))


def test_a_payload_with_a_member_twice_is_reported() -> None:
    payload = signed()[0]
    doubled = payload[:-1] + b',"kid":"' + OTHER_KEY.kid.encode("ascii") + b'"}'
    report = verify(raw_envelope(standard_header(), doubled))
    assert codes(report)[0] == "bad_payload"


def test_signing_refuses_a_payload_for_another_key() -> None:
    payload = build_payload(**payload_fields(kid=OTHER_KEY.kid))
    with pytest.raises(ValueError, match="another key"):
        sign_envelope(payload, KEY)
    with pytest.raises(ValueError, match="bad_payload"):
        sign_envelope(b'{"format":"' + SUBMISSION_FORMAT.encode() + b'"}', KEY)
