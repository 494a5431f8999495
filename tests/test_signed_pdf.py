"""The signed PDF: signing with the office key, and verifying it, cross-checked by pyHanko's own
validator and by poppler's pdfsig (an implementation we do not use for signing)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import re
import subprocess
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from sync.certificate import self_signed_certificate
from sync.jose import fingerprint_groups, public_jwk, thumbprint
from sync.signed_pdf import (
    DEFAULT_BOX,
    FIELD_NAME,
    PdfAlreadySigned,
    PdfNotSignable,
    sign_pdf,
    verify_signed_pdf,
)

OFFICE = "Ville de Saint-Étienne"
CHECKS = ["pdf_signed", "pdf_signature", "pdf_integrity", "pdf_coverage", "pdf_signer"]


@dataclass(frozen=True)
class StandInKey:
    """The parts of sync.office_key.OfficeKey that signing a PDF uses."""

    office_name: str
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def kid(self) -> str:
        return thumbprint(public_jwk(self.private_key.public_key()))


def make_key(office_name: str = OFFICE) -> StandInKey:
    private_key = ec.generate_private_key(ec.SECP256R1())
    return StandInKey(office_name, private_key, self_signed_certificate(private_key, office_name))


def two_page_pdf(padding: int = 0) -> bytes:
    """A plain PDF of two pages with a line of text each, made without Qt."""
    writer = PdfFileWriter()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
            }
        )
    )
    for number in (1, 2):
        content = f"BT /F1 18 Tf 72 720 Td (Statement of commitment, page {number}) Tj ET"
        # A comment in the content stream stands in for the images of a real form.
        data = content.encode("ascii") + (b"\n%" + b"x" * padding if number == 1 else b"")
        resources = generic.DictionaryObject(
            {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): font})}
        )
        stream = writer.add_object(generic.StreamObject(stream_data=data))
        writer.insert_page(PageObject(stream, (0, 0, 595, 842), resources=resources))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def failures(verification) -> set[str]:
    return {check.code for check in verification.checks if not check.ok}


def shown_text(widget) -> list[str]:
    """The lines of text the signature box's appearance stream draws (PDF literal strings)."""
    data = widget["/AP"]["/N"].get_object().data
    strings = re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", data)
    unescape = partial(re.sub, rb"\\([0-7]{1,3})", lambda match: bytes([int(match[1], 8)]))
    return [unescape(string).decode("cp1252") for string in strings]


def signed_ranges(pdf: bytes) -> list[tuple[int, int]]:
    """The /ByteRange of the last signature as (start, end) pairs."""
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[-1]
    numbers = [int(value) for value in signature.byte_range]
    return [(numbers[0], numbers[0] + numbers[1]), (numbers[2], numbers[2] + numbers[3])]


@pytest.fixture(scope="module")
def key() -> StandInKey:
    return make_key()


@pytest.fixture(scope="module")
def signed(key: StandInKey) -> bytes:
    return sign_pdf(two_page_pdf(), key, reason="Statement of commitment", location="Saint-Étienne")


def test_a_signed_pdf_verifies_intact_valid_whole_and_names_its_key(signed: bytes, key: StandInKey):
    result = verify_signed_pdf(signed)
    assert (result.intact, result.valid, result.covers_whole_file) == (True, True, True)
    assert result.signer_kid == key.kid
    assert result.ok
    assert [check.code for check in result.checks] == CHECKS
    assert [check.params["check"] for check in result.checks] == CHECKS
    assert all(check.render() for check in result.checks)


def test_pyhankos_own_validator_trusts_the_office_certificate_for_the_whole_file(
    signed: bytes, key: StandInKey
):
    """pyHanko's validator called directly, with the office certificate as the trust root."""
    root = next(
        load_certs_from_pemder_data(key.certificate.public_bytes(serialization.Encoding.DER))
    )
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[root], allow_fetching=False)
    )
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    assert status.md_algorithm == "sha256"
    assert status.signing_cert.subject.native["common_name"] == OFFICE
    assert signature.field_name == FIELD_NAME
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Name"] == OFFICE
    assert signature.sig_object["/Reason"] == "Statement of commitment"


def test_signature_box_is_on_the_last_page_and_shows_office_and_fingerprint(
    signed: bytes, key: StandInKey
):
    reader = PdfFileReader(io.BytesIO(signed))
    (signature,) = reader.embedded_regular_signatures
    widget = signature.sig_field
    last_page = reader.root["/Pages"]["/Kids"][-1].get_object()
    assert widget["/P"].get_object() == last_page
    assert [float(value) for value in widget["/Rect"]] == list(DEFAULT_BOX)
    lines = shown_text(widget)
    assert OFFICE in lines
    assert " ".join(lines).count(fingerprint_groups(key.kid)[:19]) == 1
    assert " ".join(lines).count(fingerprint_groups(key.kid)[20:]) == 1


def test_the_signature_goes_on_the_chosen_page_and_box(key: StandInKey):
    box = (72.0, 600.0, 300.0, 700.0)
    signed = sign_pdf(two_page_pdf(), key, page=0, box=box, reason="Test")
    reader = PdfFileReader(io.BytesIO(signed))
    widget = reader.embedded_regular_signatures[0].sig_field
    assert widget["/P"].get_object() == reader.root["/Pages"]["/Kids"][0].get_object()
    assert [float(value) for value in widget["/Rect"]] == list(box)
    assert verify_signed_pdf(signed).ok


def test_pdfsig_reports_a_valid_signature(signed: bytes, tmp_path: Path, pdfsig: str):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = subprocess.run(
        [pdfsig, "-no-ocsp", str(path)], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert f"Signer Certificate Common Name: {OFFICE}" in report
    assert "Total document signed" in report
    assert "Signature Type: ETSI.CAdES.detached" in report


def test_pdfsig_reports_an_altered_and_an_extended_file(signed: bytes, tmp_path: Path, pdfsig: str):
    altered_path, extended_path = tmp_path / "altered.pdf", tmp_path / "extended.pdf"
    altered_path.write_bytes(signed.replace(b"page 2)", b"page 3)"))
    extended_path.write_bytes(signed + b"\n% added later\n")
    altered, extended = (
        subprocess.run(
            [pdfsig, "-no-ocsp", str(path)], capture_output=True, text=True, check=True, timeout=30
        ).stdout
        for path in (altered_path, extended_path)
    )
    assert "Signature Validation: Digest Mismatch." in altered
    assert "Signature is Valid" not in altered
    assert "Not total document signed" in extended


def test_one_changed_byte_in_the_content_is_caught(signed: bytes):
    altered = signed.replace(b"page 2)", b"page 3)")
    assert altered != signed
    result = verify_signed_pdf(altered)
    # pyHanko's reading: the CMS signature itself is still sound, the document digest is not.
    assert (result.intact, result.valid) == (False, True)
    assert failures(result) == {"pdf_altered"}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_changed_signed_byte_fails_verification(signed: bytes, data: st.DataObject):
    ranges = signed_ranges(signed)
    start, end = data.draw(st.sampled_from(ranges))
    position = data.draw(st.integers(start, end - 1))
    new_byte = data.draw(st.integers(0, 255).filter(lambda value: value != signed[position]))
    altered = signed[:position] + bytes([new_byte]) + signed[position + 1 :]
    assert not verify_signed_pdf(altered).ok


def test_a_changed_byte_of_the_signature_value_fails(signed: bytes):
    (_, first_end), (second_start, _) = signed_ranges(signed)
    contents = bytes.fromhex(signed[first_end + 1 : second_start - 1].decode("ascii"))
    # The ECDSA signature value is the last non-padding part of the CMS object.
    cms_end = len(contents.rstrip(b"\0"))
    position = first_end + 1 + 2 * (cms_end - 10)
    digit = b"0" if signed[position : position + 1] != b"0" else b"1"
    altered = signed[:position] + digit + signed[position + 1 :]
    result = verify_signed_pdf(altered)
    assert (result.intact, result.valid, result.signer_kid) == (True, False, None)
    assert [(check.code, check.params["check"]) for check in result.failures] == [
        ("pdf_signature_invalid", "pdf_signature"),
        ("not_run", "pdf_signer"),
    ]


@pytest.mark.parametrize(
    "extra",
    [b"\n% a comment added later\n", b"x", os.urandom(4096)],
    ids=["comment", "one-byte", "4k-of-junk"],
)
def test_bytes_appended_after_signing_are_reported(signed: bytes, key: StandInKey, extra: bytes):
    result = verify_signed_pdf(signed + extra)
    assert (result.intact, result.valid, result.covers_whole_file) == (True, True, False)
    assert result.signer_kid == key.kid
    assert failures(result) == {"pdf_partial_coverage"}


def test_an_unsigned_pdf_is_reported_and_nothing_else_is_claimed():
    result = verify_signed_pdf(two_page_pdf())
    assert (result.intact, result.valid, result.covers_whole_file) == (False, False, False)
    assert result.signer_kid is None
    assert [(check.code, check.params["check"]) for check in result.failures] == [
        ("pdf_unsigned", "pdf_signed"),
        *(("not_run", check) for check in CHECKS[1:]),
    ]
    assert "no digital signature" in result.checks[0].render()


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=2000))
def test_verification_never_raises_on_garbage(data: bytes):
    result = verify_signed_pdf(data)
    assert not result.ok
    assert not result.intact


def test_a_truncated_signed_pdf_is_read_as_far_as_it_goes(signed: bytes):
    original_end = signed.index(b"%%EOF") + len(b"%%EOF\n")
    # Cut inside the signing update: what is left is the original, unsigned revision.
    result = verify_signed_pdf(signed[: original_end + 100])
    assert result.checks[0].code == "pdf_unsigned"
    # Cut inside the original: nothing readable is left.
    result = verify_signed_pdf(signed[: original_end - 100])
    assert result.checks[0].code == "pdf_unreadable"
    assert [check.code for check in result.checks[1:]] == ["not_run"] * 4


def test_signing_the_same_field_twice_is_refused(signed: bytes, key: StandInKey):
    with pytest.raises(PdfAlreadySigned) as raised:
        sign_pdf(signed, key, reason="Again")
    assert raised.value.code == "pdf_already_signed"
    assert FIELD_NAME in str(raised.value)


def test_a_pdf_signed_again_after_the_office_is_refused(signed: bytes, key: StandInKey):
    """Each signature is sound for its own revision, and the last covers the file: without this
    rule, content changed in a later revision and signed by anyone would pass."""
    other = make_key("Mairie annexe")
    twice = sign_pdf(signed, other, field_name="SecondSignature", reason="Seen")
    statuses = [
        validate_pdf_signature(
            signature,
            ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False),
        )
        for signature in PdfFileReader(io.BytesIO(twice)).embedded_regular_signatures
    ]
    assert all(status.intact and status.valid for status in statuses), "each one alone is sound"
    result = verify_signed_pdf(twice)
    assert not result.ok
    assert result.signer_kid is None
    assert next(c.code for c in result.failures) == "pdf_signed_again"


def test_a_given_trust_root_must_be_the_signer(signed: bytes, key: StandInKey):
    assert verify_signed_pdf(signed, trust_root=key.certificate).ok
    stranger = verify_signed_pdf(signed, trust_root=make_key("Another office").certificate)
    assert failures(stranger) == {"pdf_unknown_signer"}
    assert (stranger.intact, stranger.valid, stranger.covers_whole_file) == (True, True, True)


def test_a_certificate_naming_another_key_id_is_no_office_signer(key: StandInKey):
    """Anyone can make a certificate; one that claims someone else's key id names no office."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, OFFICE),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, "claimed-" + "A" * 35),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(private_key, hashes.SHA256())
    )
    forged = sign_pdf(two_page_pdf(), StandInKey(OFFICE, private_key, certificate), reason="x")
    result = verify_signed_pdf(forged)
    assert result.signer_kid is None
    assert failures(result) == {"pdf_unknown_signer"}


@pytest.mark.parametrize("office_name", ["مدينة الرباط", "100% Ciudad"])
def test_any_office_name_signs_and_one_the_stamp_font_cannot_show_is_left_out(office_name: str):
    """A name the stamp's standard font cannot show is left out of the box, not garbled."""
    office = make_key(office_name)
    signed = sign_pdf(two_page_pdf(), office, reason="Statement")
    result = verify_signed_pdf(signed)
    assert result.ok
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures
    assert signature.sig_object["/Name"] == office_name
    lines = shown_text(signature.sig_field)
    assert fingerprint_groups(office.kid)[:19] in lines
    assert (office_name in lines) == (office_name.isascii())


def test_inside_an_event_loop_it_refuses_rather_than_misjudging(signed: bytes):
    """pyHanko runs its own event loop; inside a running one the call must fail loudly."""

    async def verify_in_loop() -> None:
        verify_signed_pdf(signed)

    with pytest.raises(RuntimeError, match="worker thread"):
        asyncio.run(verify_in_loop())


def test_what_is_not_a_pdf_is_not_signed(key: StandInKey):
    with pytest.raises(PdfNotSignable) as raised:
        sign_pdf(b"%PDF-1.7\nnot really", key, reason="x")
    assert raised.value.code == "pdf_not_signable"
    assert str(raised.value)


def test_a_page_the_pdf_does_not_have_is_a_programming_error(key: StandInKey):
    with pytest.raises(ValueError, match="page 2 is not in a PDF of 2 pages"):
        sign_pdf(two_page_pdf(), key, page=2, reason="x")


def test_signing_appends_an_update_and_keeps_the_original_bytes(key: StandInKey):
    original = two_page_pdf()
    assert sign_pdf(original, key, reason="x").startswith(original)


def test_a_look_alike_pdf_signed_by_another_key_under_the_same_name_fails(
    signed: bytes, key: StandInKey
):
    """Anyone can make a key named after the office: only the key itself tells them apart."""
    look_alike = sign_pdf(two_page_pdf(), make_key(OFFICE), reason="Statement of commitment")
    assert verify_signed_pdf(look_alike).ok, "alone, it looks like a good office signature"
    result = verify_signed_pdf(look_alike, envelope_kid=key.kid)
    assert not result.ok
    assert [(c.code, c.params["check"]) for c in result.failures] == [
        ("pdf_key_mismatch", "pdf_envelope_key")
    ]
    text = result.failures[0].render()
    assert fingerprint_groups(key.kid) in text
    assert "not signed by the same office" in text
    matching = verify_signed_pdf(signed, envelope_kid=key.kid)
    assert matching.ok
    assert [check.code for check in matching.checks] == [*CHECKS, "pdf_envelope_key"]


def test_the_pdf_key_is_compared_with_the_key_expected(signed: bytes, key: StandInKey):
    for expected in (key.kid, fingerprint_groups(key.kid)):
        result = verify_signed_pdf(signed, expected_kid=expected)
        assert result.ok
        assert result.checks[-1].code == "pdf_expected_key"
    other = make_key("Another office")
    result = verify_signed_pdf(signed, expected_kid=fingerprint_groups(other.kid))
    assert [(c.code, c.params["check"]) for c in result.failures] == [
        ("unexpected_key", "pdf_expected_key")
    ]
    assert fingerprint_groups(key.kid) in result.failures[0].render()


def test_the_key_comparisons_are_not_run_when_the_signature_proves_nothing(key: StandInKey):
    result = verify_signed_pdf(two_page_pdf(), envelope_kid=key.kid, expected_kid=key.kid)
    assert [(c.code, c.params["check"]) for c in result.failures][-2:] == [
        ("not_run", "pdf_envelope_key"),
        ("not_run", "pdf_expected_key"),
    ]
