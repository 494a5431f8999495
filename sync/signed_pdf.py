"""The signed PDF copy of a submission: a PAdES signature with the office key.

The PDF is signed with the same P-256 key as the envelope, through the office's self-signed
certificate (sync/certificate.py), so a PDF reader shows the office name and the signature while
the key id in the certificate ties it to the fingerprint people compare. Signing is PAdES baseline
B-B: no timestamp server and no certificate status lookups, because these offices are mostly
offline and the certificate carries no authority anyway; nothing here touches the network.

Signing appends an incremental update, so the signature of the last revision covers the whole
file: any byte changed or added afterwards shows up in `verify_signed_pdf`
(`sync.signed_pdf_check`, importable from here too).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils.generic import encode_pdfdocencoding
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from i18n.errors import UserError
from i18n.translate import N_, _
from sync.jose import fingerprint_groups
from sync.signed_pdf_check import (
    PdfVerification,
    asn1_certificate,
    require_no_running_loop,
    verify_signed_pdf,
)

if TYPE_CHECKING:
    from sync.office_key import OfficeKey

__all__ = [
    "DEFAULT_BOX",
    "FIELD_NAME",
    "PdfAlreadySigned",
    "PdfNotSignable",
    "PdfVerification",
    "sign_pdf",
    "verify_signed_pdf",
]

FIELD_NAME = "OfficeSignature"
# Lower right of the page, in PDF points (1/72 inch), inside the margins of both A4 and US Letter.
DEFAULT_BOX: tuple[float, float, float, float] = (260.0, 40.0, 560.0, 135.0)
STAMP_FONT_ENCODING = "cp1252"


class PdfNotSignable(UserError):
    """The bytes to sign are not a PDF pyHanko can extend with a signature."""

    code = "pdf_not_signable"


class PdfAlreadySigned(UserError):
    """The PDF already holds a signature in the field meant for this one."""

    code = "pdf_already_signed"


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
    require_no_running_loop()
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

    signing_cert = asn1_certificate(key.certificate)
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
