"""docs/examples/ (made by `make examples`) stays true: each file verifies as FORMATS.md says."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from joserfc import jws
from joserfc.jwk import ECKey

from sync import office_key
from sync.jose import thumbprint
from sync.signed_pdf import verify_signed_pdf
from sync.verify import verify_envelope

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def test_the_example_envelope_verifies_with_its_files() -> None:
    files = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in EXAMPLES.iterdir()}
    report = verify_envelope(
        (EXAMPLES / "envelope.json").read_bytes(),
        lambda sha: files[sha].read_bytes() if sha in files else None,
    )
    assert report.ok, [c.code for c in report.failures]


def test_the_example_envelope_verifies_with_a_standard_jose_library() -> None:
    jwk = json.loads((EXAMPLES / "office-key.jwk.json").read_text(encoding="utf-8"))
    envelope = json.loads((EXAMPLES / "envelope.json").read_bytes())
    verified = jws.deserialize_json(envelope, ECKey.import_key(jwk), algorithms=["ES256"])
    payload = json.loads(verified.payload)
    assert payload["kid"] == thumbprint(jwk)
    assert payload["format"] == "hrcities-submission/1"


def test_the_example_signed_pdf_verifies_and_names_the_office_key() -> None:
    jwk = json.loads((EXAMPLES / "office-key.jwk.json").read_text(encoding="utf-8"))
    result = verify_signed_pdf((EXAMPLES / "signed.pdf").read_bytes())
    assert (result.intact, result.valid, result.covers_whole_file) == (True, True, True)
    assert result.signer_kid == thumbprint(jwk)


def test_the_example_key_file_unlocks_with_its_published_passphrase() -> None:
    passphrase = (EXAMPLES / "passphrase.txt").read_text(encoding="utf-8").splitlines()[0]
    key = office_key.unlock((EXAMPLES / "office-key.example.json").read_bytes(), passphrase)
    assert key.public_jwk == json.loads((EXAMPLES / "office-key.jwk.json").read_text("utf-8"))
