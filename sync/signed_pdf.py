"""The signed PDF copy of a submission: a PAdES signature with the office key, and its check.

The PDF is signed with the same P-256 key as the envelope, through the office's self-signed
certificate (sync/certificate.py), so a PDF reader shows the office name and the signature while
the key id in the certificate ties it to the fingerprint people compare. Signing is PAdES baseline
B-B: no timestamp server and no certificate status lookups, because these offices are mostly
offline and the certificate carries no authority anyway; nothing here touches the network.

Signing appends an incremental update, so the signature of the last revision covers the whole
file: any byte changed or added afterwards shows up in `verify_signed_pdf`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.generic import encode_pdfdocencoding
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from i18n.errors import UserError
from i18n.translate import N_, _
from sync.certificate import kid_named_in, kid_of
from sync.jose import fingerprint_groups
from sync.verify import Check

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

    from sync.office_key import OfficeKey

FIELD_NAME = "OfficeSignature"
# Lower right of the page, in PDF points (1/72 inch), inside the margins of both A4 and US Letter.
DEFAULT_BOX: tuple[float, float, float, float] = (260.0, 40.0, 560.0, 135.0)
STAMP_FONT_ENCODING = "cp1252"
# A file with junk appended after its last revision is still read, up to this many candidate
# ends of file counted from the back; more than that is not a copy anyone made by accident.
MAX_TRAILING_REVISION_ENDS = 8
END_OF_FILE = b"%%EOF"


class PdfNotSignable(UserError):
    """The bytes to sign are not a PDF pyHanko can extend with a signature."""

    code = "pdf_not_signable"


class PdfAlreadySigned(UserError):
    """The PDF already holds a signature in the field meant for this one."""

    code = "pdf_already_signed"


@dataclass(frozen=True)
class PdfVerification:
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

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed or could not run, in order."""
        return tuple(check for check in self.checks if not check.ok)


def sign_pdf(
    pdf: bytes,
    key: OfficeKey,
    *,
    page: int = -1,
    box: tuple[float, float, float, float] = DEFAULT_BOX,
    field_name: str = FIELD_NAME,
    reason: str,
    location: str | None = None,
) -> bytes:
    """The PDF with the office's signature appended as an incremental update (PAdES B-B).

    A new visible signature field named `field_name` goes on page `page` (negative counts from
    the back) at `box` (left, bottom, right, top in PDF points), showing the office name and
    the key fingerprint. If the PDF already has an empty signature field of that name, the
    signature fills it where it is. A field of that name that is already signed is refused
    (`PdfAlreadySigned`): sign the unsigned original instead, or pass another field name to
    add a second signature. Raises `PdfNotSignable` for bytes that are not a readable PDF and
    ValueError for a page the PDF does not have. Blocks: not for an asyncio event loop's thread.
    """
    _require_no_running_loop()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        page_count = int(writer.root["/Pages"]["/Count"])
        taken = any(fields.enumerate_sig_fields(writer, filled_status=True, with_name=field_name))
    except (PdfError, KeyError, TypeError, ValueError) as error:
        raise PdfNotSignable(_NOT_SIGNABLE) from error
    if taken:
        raise PdfAlreadySigned(_ALREADY_SIGNED, field=field_name)
    if not -page_count <= page < page_count:
        raise ValueError(f"page {page} is not in a PDF of {page_count} pages")

    signing_cert = _asn1_certificate(key.certificate)
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=load_private_key_from_pemder_data(
            key.private_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            passphrase=None,
        ),
        cert_registry=SimpleCertificateStore.from_certs([signing_cert]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=key.office_name,
        # No validation context: pyHanko would check (and could fetch) certificate status first.
        validation_context=None,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer,
        # The text goes in as a parameter, so a "%" in an office name is just a character.
        stamp_style=TextStampStyle(stamp_text="%(stamp)s", border_width=1),
        new_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box),
    )
    try:
        output = pdf_signer.sign_pdf(
            writer, appearance_text_params={"stamp": _stamp_text(key.office_name, key.kid)}
        )
    except (PdfError, SigningError) as error:
        raise PdfNotSignable(_NOT_SIGNABLE) from error
    return output.getvalue()


def verify_signed_pdf(pdf: bytes, trust_root: x509.Certificate | None = None) -> PdfVerification:
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
    (pdf_partial_coverage); last pdf_signer (pdf_unknown_signer), which needs pdf_signature.
    """
    _require_no_running_loop()
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
    )
    return PdfVerification(
        intact=intact,
        valid=valid,
        covers_whole_file=covers_whole_file,
        signer_kid=signer_kid,
        checks=checks,
    )


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
        root = _asn1_certificate(trust_root) if trust_root is not None else embedded_cert
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


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """The certificate in the form pyHanko works with (asn1crypto)."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return next(load_certs_from_pemder_data(der))


def _stamp_text(office_name: str, kid: str) -> str:
    """The lines in the visible signature box: who signed, the fingerprint, when (UTC).

    The box uses a standard PDF font, which covers Western European scripts only: a label whose
    translation it cannot show is shown in English, and an office name it cannot show is left
    out (the certificate and the signature's /Name still carry it, and the page itself shows it).
    """
    groups = fingerprint_groups(kid).split(" ")
    half = len(groups) // 2
    name = " ".join(office_name.split())
    lines = [_printable_label(_STAMP_SIGNED_BY)]
    if name and _printable(name):
        lines.append(name)
    lines.append(_printable_label(_STAMP_FINGERPRINT))
    lines.append(" ".join(groups[:half]))
    lines.append(" ".join(groups[half:]))
    lines.append(dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return "\n".join(lines)


def _printable_label(msgid: str) -> str:
    """The label in the current language if the stamp's font can show it, else in English."""
    translated = _(msgid)
    return translated if _printable(translated) else msgid


def _printable(text: str) -> bool:
    """Whether the stamp's standard font shows `text` as written.

    pyHanko writes stamp text in PDFDocEncoding while the standard font reads WinAnsi (cp1252):
    a character is shown right only where both encodings give it the same byte.
    """
    try:
        return encode_pdfdocencoding(text) == text.encode(STAMP_FONT_ENCODING)
    except UnicodeEncodeError:
        return False


def _require_no_running_loop() -> None:
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


def _stopped(*done: Check) -> PdfVerification:
    """The result when the checks after the last of `done` cannot run: each reported, failed."""
    ran = {check.params["check"] for check in done}
    not_run = tuple(
        Check("not_run", False, NOT_RUN, {"check": check}) for check in CHECKS if check not in ran
    )
    return PdfVerification(
        intact=False, valid=False, covers_whole_file=False, signer_kid=None, checks=done + not_run
    )


CHECKS = ("pdf_signed", "pdf_signature", "pdf_integrity", "pdf_coverage", "pdf_signer")

# Translators: first line of the visible signature box on a signed PDF, above the office name.
_STAMP_SIGNED_BY = N_("Digitally signed by")
# Translators: in the visible signature box on a signed PDF, above the key fingerprint.
_STAMP_FINGERPRINT = N_("Office key fingerprint")

_NOT_SIGNABLE = N_(
    "The document could not be read as a PDF, so it was not signed. "
    "Make the PDF again from the signed form, then sign it again."
)
_ALREADY_SIGNED = N_(
    "This PDF is already signed (signature field {field}). Sign the original, unsigned PDF instead."
)

PASSED: dict[str, str] = {
    "pdf_signed": N_("The PDF carries a digital signature."),
    "pdf_signature": N_("The signature was made with the key of its certificate."),
    "pdf_integrity": N_("Nothing the signature covers has changed since signing."),
    "pdf_coverage": N_("The signature covers the whole file."),
    "pdf_signer": N_("The PDF is signed with the office key {fingerprint}."),
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
    "not_an_office_certificate": N_(
        "The signer's certificate is not the certificate of an office key, so the PDF does not "
        "show which office signed it. Ask the office for the PDF it signed with its key."
    ),
}
