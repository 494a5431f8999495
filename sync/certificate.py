"""A self-signed X.509 certificate on the office key, for signing PDFs (PAdES).

The certificate carries no authority: it lets PDF readers and validators use the same P-256 key
as the envelope, so one fingerprint (the JWK thumbprint, also in the certificate's subject)
identifies the office everywhere.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sync.jose import b64url_decode, b64url_encode, public_jwk, thumbprint

VALID_YEARS = 20


def self_signed_certificate(
    private_key: ec.EllipticCurvePrivateKey,
    office_name: str,
    now: dt.datetime | None = None,
) -> x509.Certificate:
    """A certificate naming the office and its key id, signed by the key itself."""
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    kid = thumbprint(public_jwk(private_key.public_key()))
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, office_name[:64] or kid),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "hrcities office key"),
            # serialNumber is a PrintableString: no "_" as in base64url, so the key id in hex.
            x509.NameAttribute(NameOID.SERIAL_NUMBER, b64url_decode(kid).hex()),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(moment - dt.timedelta(days=1))
        .not_valid_after(moment + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False
        )
        .sign(private_key, hashes.SHA256())
    )


def kid_of(certificate: x509.Certificate) -> str | None:
    """The office key id of a certificate: the thumbprint of its public key (P-256 only)."""
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        return None
    try:
        return thumbprint(public_jwk(public_key))
    except ValueError:
        return None


def kid_named_in(certificate: x509.Certificate) -> str | None:
    """The key id the certificate's subject names (serialNumber, in hex), as base64url.

    Anyone can name any key id in a certificate they make: trust it only when it equals
    `kid_of(certificate)`.
    """
    named = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    if len(named) != 1:
        return None
    try:
        return b64url_encode(bytes.fromhex(str(named[0].value)))
    except ValueError:
        return None
