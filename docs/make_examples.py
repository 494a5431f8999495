"""Remake docs/examples/: a signed envelope, its office public key (JWK) and a signed PDF.

Made by the code itself (`make examples`), so the examples in docs/FORMATS.md are always what the
app produces. The key is made for the examples and thrown away; its passphrase is not a secret.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.core.signing import sign_draft  # noqa: E402
from desktop.core.store.drafts import DraftsStore  # noqa: E402
from desktop.form.pdf_export import ensure_gui, form_pdf  # noqa: E402
from desktop.signing.signature_pad import encode_png, render_strokes  # noqa: E402
from sync import office_key  # noqa: E402
from tests.factories import complete_answers  # noqa: E402

OUT = ROOT / "docs" / "examples"
PASSPHRASE = "example passphrase, not a secret: made for docs/examples only"


def drawn_signature() -> bytes:
    """A signature as the signature pad renders strokes drawn with the mouse."""
    ensure_gui()
    loops = [
        (20 + 45 * i + dx, 60 + dy) for i in range(5) for dx, dy in ((0, 30), (15, -25), (30, 30))
    ]
    underline = [(15, 110), (120, 106), (250, 104)]
    return encode_png(render_strokes([loops, underline]))


def main() -> None:
    """Make a key, a complete draft, sign it, and write the files."""
    ensure_gui()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        key, key_file = office_key.create_key("Kantor Bupati Jember (example)", PASSPHRASE)
        office_key.save_key_file(data_dir, key_file)
        store = DraftsStore.open(data_dir)
        try:
            draft = store.create(complete_answers(), language="id")
            signature = drawn_signature()
            submission = sign_draft(store, draft.id, key, signature, make_pdf=form_pdf)
            (OUT / "envelope.json").write_bytes(submission.envelope)
            (OUT / "signed.pdf").write_bytes(store.attachment_bytes(submission.signed_pdf))
            (OUT / "signature.png").write_bytes(signature)
        finally:
            store.close()
        (OUT / "office-key.jwk.json").write_text(
            json.dumps(key.public_jwk, indent=2) + "\n", encoding="utf-8"
        )
        (OUT / "office-key.example.json").write_bytes(key_file)
        (OUT / "passphrase.txt").write_text(PASSPHRASE + "\n", encoding="utf-8")
    print(f"examples written to {OUT}")


if __name__ == "__main__":
    main()
