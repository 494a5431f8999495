"""Checking a signed PDF: every signature sound, the last covering the whole file, the key.

pyHanko judges each signature offline (nothing fetched); this module turns its verdict into
checks with stable codes like the envelope's (`sync.verify`), and says which office key signed,
so that the caller can compare it with the envelope's key and the key it expects. Kept apart
from signing (`sync.signed_pdf`): the secretariat checks PDFs it never signs.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from i18n.translate import N_
from sync.certificate import kid_named_in, kid_of
from sync.jose import fingerprint_groups, is_key
from sync.payload import shown
from sync.verify import Check, CheckedReport
from sync.verify_texts import FAILED as ENVELOPE_FAILED
from sync.verify_texts import PASSED as ENVELOPE_PASSED

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

# A file with junk appended after its last revision is still read, up to this many candidate
# ends of file counted from the back; more than that is not a copy anyone made by accident.
MAX_TRAILING_REVISION_ENDS = 8
END_OF_FILE = b"%%EOF"


@dataclass(frozen=True)
class PdfVerification(CheckedReport):
    """What `verify_signed_pdf` found, as flags for code and as checks for people.

    `intact`: no signed byte changed; `valid`: every signature was made with the key of its
    certificate; `covers_whole_file`: the last signature covers every byte of the file;
    `signer_kid`: the office key id of the last signature's certificate (None when that is not
    a consistent office key certificate, or a signature is not valid). The `checks` say the
    same in words, each with its own stable code.
    """

    intact: bool
    valid: bool
    covers_whole_file: bool
    signer_kid: str | None
    checks: tuple[Check, ...]


def verify_signed_pdf(
    pdf: bytes,
    trust_root: x509.Certificate | None = None,
    *,
    envelope_kid: str | None = None,
    expected_kid: str | None = None,
) -> PdfVerification:
    """Check every signature of a PDF and whether the last one covers the whole file.

    With `trust_root`, each signer's certificate must be that certificate (or chain to it).
    Without, each signature's own embedded certificate is taken as its trust root: the result
    then says which office key signed (`signer_kid`, read from the certificate's subject
    serialNumber and required to be the thumbprint of the certificate's own key), and the
    caller compares it with the key it knows for that office. Never raises on any input bytes
    (it does raise RuntimeError when called in a running asyncio event loop: use a thread).

    Checks, in order, as in sync/verify.py (a passed check's code is its name, a failed one's
    its failure code, one that could not run "not_run"; `params["check"]` is always the name):
    pdf_signed (pdf_unreadable, pdf_unsigned); then, each needing pdf_signed only,
    pdf_signature (pdf_signature_invalid), pdf_integrity (pdf_altered) and pdf_coverage
    (pdf_partial_coverage); then pdf_signer (pdf_unknown_signer), which needs pdf_signature.

    With `envelope_kid` (the key that signed the envelope of the same submission), the check
    pdf_envelope_key (pdf_key_mismatch) follows: a look-alike PDF made by another key under the
    same office name fails it. With `expected_kid` (a key id or fingerprint, `sync.jose.is_key`),
    the check pdf_expected_key (unexpected_key) follows. Both need pdf_signer.
    """
    require_no_running_loop()
    order = (
        *CHECKS,
        *(("pdf_envelope_key",) if envelope_kid is not None else ()),
        *(("pdf_expected_key",) if expected_kid is not None else ()),
    )

    def _stopped(*done: Check) -> PdfVerification:
        return _stopped_at(order, *done)

    document = _read(pdf)
    if document is None:
        return _stopped(_failed("pdf_signed", "pdf_unreadable"))
    reader, complete = document
    try:
        embedded = reader.embedded_regular_signatures
    except Exception:
        # Any failure to parse a signature dictionary or its CMS object: it proves nothing.
        return _stopped(_passed("pdf_signed"), _failed("pdf_signature", "pdf_signature_invalid"))
    if not embedded:
        return _stopped(_failed("pdf_signed", "pdf_unsigned"))

    if len(embedded) > 1:
        # The app signs once. A later signature over a changed revision would otherwise pass:
        # each signature is sound for its own revision, and the last one covers the file.
        return _stopped(
            _passed("pdf_signed"),
            _failed("pdf_coverage", "pdf_signed_again", FAILED["pdf_signed_again"]),
        )
    results = [_validate(signature, trust_root) for signature in embedded]
    last = results[-1]
    intact = all(result.intact for result in results)
    valid = all(result.valid for result in results)
    covers_whole_file = complete and last.coverage is SignatureCoverageLevel.ENTIRE_FILE
    known = all(result.trusted and result.kid is not None for result in results)
    # A key id is only worth showing for a signature that key made.
    signer_kid = last.kid if valid else None
    if not valid:
        # pyHanko judges the certificate only for a sound signature: nothing to say about it.
        signer = Check("not_run", False, NOT_RUN, {"check": "pdf_signer"})
    elif known and signer_kid is not None:
        signer = _passed("pdf_signer", fingerprint=fingerprint_groups(signer_kid))
    else:
        reason = "unexpected_signer" if trust_root is not None else "not_an_office_certificate"
        signer = _failed("pdf_signer", "pdf_unknown_signer", FAILED[reason])
    checks = (
        _passed("pdf_signed"),
        _passed("pdf_signature") if valid else _failed("pdf_signature", "pdf_signature_invalid"),
        _passed("pdf_integrity") if intact else _failed("pdf_integrity", "pdf_altered"),
        _passed("pdf_coverage")
        if covers_whole_file
        else _failed("pdf_coverage", "pdf_partial_coverage"),
        signer,
        *_key_checks(signer, signer_kid, envelope_kid, expected_kid),
    )
    return PdfVerification(
        intact=intact,
        valid=valid,
        covers_whole_file=covers_whole_file,
        signer_kid=signer_kid,
        checks=checks,
    )


def _key_checks(
    signer: Check, signer_kid: str | None, envelope_kid: str | None, expected_kid: str | None
) -> list[Check]:
    """The PDF's key compared with the envelope's and with the one expected, when given."""
    checks = []
    known = signer.ok and signer_kid is not None
    if envelope_kid is not None:
        if not known:
            checks.append(Check("not_run", False, NOT_RUN, {"check": "pdf_envelope_key"}))
        elif signer_kid == envelope_kid:
            checks.append(_passed("pdf_envelope_key", fingerprint=fingerprint_groups(signer_kid)))
        else:
            checks.append(
                Check(
                    "pdf_key_mismatch",
                    False,
                    FAILED["pdf_key_mismatch"],
                    {
                        "check": "pdf_envelope_key",
                        "fingerprint": fingerprint_groups(signer_kid),
                        "envelope": fingerprint_groups(envelope_kid),
                    },
                )
            )
    if expected_kid is not None:
        if not known:
            checks.append(Check("not_run", False, NOT_RUN, {"check": "pdf_expected_key"}))
        elif is_key(signer_kid, expected_kid):
            fingerprint = fingerprint_groups(signer_kid)
            checks.append(
                Check(
                    "pdf_expected_key",
                    True,
                    ENVELOPE_PASSED["expected_key"],
                    {"check": "pdf_expected_key", "fingerprint": fingerprint},
                )
            )
        else:
            checks.append(
                Check(
                    "unexpected_key",
                    False,
                    ENVELOPE_FAILED["unexpected_key"],
                    {
                        "check": "pdf_expected_key",
                        "fingerprint": fingerprint_groups(signer_kid),
                        "expected": shown(expected_kid),
                    },
                )
            )
    return checks


@dataclass(frozen=True)
class _SignatureResult:
    """One embedded signature as pyHanko judged it; all False when it could not be judged."""

    intact: bool = False
    valid: bool = False
    trusted: bool = False
    coverage: SignatureCoverageLevel | None = None
    kid: str | None = None


def _validate(
    signature: EmbeddedPdfSignature, trust_root: x509.Certificate | None
) -> _SignatureResult:
    """pyHanko's verdict on one signature, offline, against the given or the embedded root."""
    try:
        embedded_cert = signature.signer_cert
        root = asn1_certificate(trust_root) if trust_root is not None else embedded_cert
        context = ValidationContext(trust_roots=[root], allow_fetching=False)
        status = validate_pdf_signature(signature, context)
        kid = _office_kid(x509.load_der_x509_certificate(embedded_cert.dump()))
    except Exception:  # pyHanko raises many kinds on hostile input; none of them is a pass
        return _SignatureResult()
    return _SignatureResult(
        intact=bool(status.intact),
        valid=bool(status.valid),
        # Whether the certificate chains to the root, apart from the document's integrity.
        trusted=status.validation_path is not None and status.trust_problem_indic is None,
        coverage=status.coverage,
        kid=kid,
    )


def _read(pdf: bytes) -> tuple[PdfFileReader, bool] | None:
    """A reader over the PDF and whether it spans every byte; None if it is no readable PDF.

    A PDF is read from its end. When bytes were appended after the last revision (junk, or a
    copy tool's trailer), the file is read again as it was before them, from earlier ends of
    file, so the signature can still be checked; the caller then reports partial coverage.
    """
    try:
        return PdfFileReader(io.BytesIO(pdf)), True
    except Exception:  # unreadable as a whole: try the earlier ends below
        pass
    for end in _revision_ends(pdf):
        try:
            return PdfFileReader(io.BytesIO(pdf[:end])), False
        except Exception:  # try the next earlier end
            continue
    return None


def _revision_ends(pdf: bytes) -> Iterator[int]:
    """Offsets just past the last few `%%EOF` markers (and their end of line), last first."""
    position = len(pdf)
    for _attempt in range(MAX_TRAILING_REVISION_ENDS):
        position = pdf.rfind(END_OF_FILE, 0, position)
        if position < 0:
            return
        end = position + len(END_OF_FILE)
        if pdf[end : end + 2] == b"\r\n":
            end += 2
        elif pdf[end : end + 1] in (b"\n", b"\r"):
            end += 1
        yield end


def _office_kid(certificate: x509.Certificate) -> str | None:
    """The office key id of a certificate whose subject names its own key; else None.

    A certificate made by anyone can name any key id in its subject; only one whose serialNumber
    names the RFC 7638 thumbprint of its own P-256 key identifies an office key.
    """
    kid = kid_of(certificate)
    return kid if kid is not None and kid_named_in(certificate) == kid else None


def asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """The certificate in the form pyHanko works with (asn1crypto)."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return next(load_certs_from_pemder_data(der))


def require_no_running_loop() -> None:
    """Refuse to run inside an asyncio event loop, where pyHanko's synchronous API cannot.

    pyHanko's sign_pdf and validate_pdf_signature call asyncio.run; inside a running loop that
    fails, and a verification would then look like a bad signature instead of a misuse.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError("signing or checking a PDF blocks: call it from a worker thread")


def _passed(check: str, **params: Any) -> Check:
    return Check(check, True, PASSED[check], {"check": check, **params})


def _failed(check: str, code: str, message: str | None = None) -> Check:
    return Check(code, False, message or FAILED[code], {"check": check})


def _stopped_at(order: tuple[str, ...], *done: Check) -> PdfVerification:
    """The result when the checks after the last of `done` cannot run: each reported, failed."""
    ran = {check.params["check"] for check in done}
    not_run = tuple(
        Check("not_run", False, NOT_RUN, {"check": check}) for check in order if check not in ran
    )
    return PdfVerification(
        intact=False, valid=False, covers_whole_file=False, signer_kid=None, checks=done + not_run
    )


CHECKS = ("pdf_signed", "pdf_signature", "pdf_integrity", "pdf_coverage", "pdf_signer")


PASSED: dict[str, str] = {
    "pdf_signed": N_("The PDF carries a digital signature."),
    "pdf_signature": N_("The signature was made with the key of its certificate."),
    "pdf_integrity": N_("Nothing the signature covers has changed since signing."),
    "pdf_coverage": N_("The signature covers the whole file."),
    "pdf_signer": N_("The PDF is signed with the office key {fingerprint}."),
    "pdf_envelope_key": N_(
        "The PDF is signed with the same office key as the signed form ({fingerprint})."
    ),
}

NOT_RUN = N_("This was not checked, because an earlier check of the PDF failed.")

FAILED: dict[str, str] = {
    "pdf_unreadable": N_(
        "The file is not a PDF that can be read, or it is damaged, so no signature could be "
        "checked. Ask the sender for the signed PDF again."
    ),
    "pdf_unsigned": N_(
        "The PDF carries no digital signature. Ask the office for the PDF it signed with its key."
    ),
    "pdf_signature_invalid": N_(
        "The signature does not match the key of its certificate, or cannot be read, so it "
        "proves nothing. Ask the office for the signed PDF again."
    ),
    "pdf_altered": N_(
        "The PDF was changed after it was signed: its content no longer matches the signature. "
        "Do not rely on this copy; ask the office for the signed PDF again."
    ),
    "pdf_signed_again": N_(
        "The PDF was signed again after the office signed it, possibly over changed content. "
        "Use the copy exactly as the office signed it."
    ),
    "pdf_partial_coverage": N_(
        "Something was added to the PDF after it was signed, and the signature does not cover "
        "it. Use the copy exactly as the office signed it."
    ),
    "unexpected_signer": N_(
        "The PDF was not signed with the expected office key. "
        "Check the key's fingerprint with the office before relying on this copy."
    ),
    "pdf_key_mismatch": N_(
        "The PDF is signed with the office key {fingerprint}, but the signed form with the key "
        "{envelope}: they were not signed by the same office, whatever name the PDF shows. Do "
        "not rely on this PDF; ask the office for the PDF it signed with its key."
    ),
    "not_an_office_certificate": N_(
        "The signer's certificate is not the certificate of an office key, so the PDF does not "
        "show which office signed it. Ask the office for the PDF it signed with its key."
    ),
}
