"""The signing commands: `hrcities keys ...`, `hrcities sign` and `hrcities verify`.

`hrcities sign` lays the form's PDF out with Qt in this process; those tests ask for `qapp`, so
that a full QApplication exists before the command would start a bare QGuiApplication of its own
(which the widget tests after it could not use).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from desktop.cli.main import main
from desktop.core.signing import verify_submission
from desktop.core.store.drafts import DraftsStore
from sync import office_key
from tests.factories import OFFICE_PASSPHRASE, complete_answers, scanned_signature_png, tiny_png

PASSPHRASE = OFFICE_PASSPHRASE
PNG_1PX = tiny_png()
SCAN = scanned_signature_png()


def test_the_command_line_signs_and_verifies(
    office, qapp, pdfsig: str, tmp_path: Path, capsys
) -> None:
    data_dir, _key = office
    store = DraftsStore.open(data_dir)
    draft = store.create(complete_answers())
    store.close()
    signature = tmp_path / "signature.png"
    signature.write_bytes(SCAN)
    secret = tmp_path / "passphrase.txt"
    secret.write_text("wrong words entirely here\n", encoding="utf-8")
    base = ["--data-dir", str(data_dir)]
    sign = [*base, "sign", draft.id, "--signature-image", str(signature), "--yes"]
    assert main([*sign, "--passphrase-file", str(secret)]) == 1
    assert "passphrase" in capsys.readouterr().err.lower()
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert office_key.read_key_file(office_key.load_key_file(data_dir)).kdf == office_key.FLOOR_KDF
    assert main([*sign, "--passphrase-file", str(secret), "--out", str(out)]) == 0
    assert "Signed." in capsys.readouterr().out
    stored = office_key.read_key_file(office_key.load_key_file(data_dir))
    assert stored.kdf == office_key.DEFAULT_KDF, "hrcities sign re-wraps a weaker key file"
    (envelope,) = out.glob("*.envelope.json")
    (pdf,) = out.glob("*.pdf")
    assert main([*base, "verify", str(envelope)]) == 0
    assert "Everything checked is in order." in capsys.readouterr().out
    assert main([*base, "verify", str(pdf)]) == 0
    capsys.readouterr()
    altered = bytearray(envelope.read_bytes())
    altered[len(altered) // 2] ^= 0x01
    envelope.write_bytes(bytes(altered))
    assert main([*base, "verify", str(envelope)]) == 1
    assert "FAILED" in capsys.readouterr().out
    shown = subprocess.run([pdfsig, str(pdf)], capture_output=True, text=True, check=False)
    assert "Signature Validation: Signature is Valid" in shown.stdout, shown.stdout


def test_keys_create_refuses_a_guessable_passphrase_and_show_needs_a_key(
    tmp_path: Path, capsys
) -> None:
    data_dir = tmp_path / "data"
    secret = tmp_path / "passphrase.txt"
    secret.write_text("password\n", encoding="utf-8")
    base = ["--data-dir", str(data_dir)]
    assert (
        main([*base, "keys", "create", "--office", "Grigny", "--passphrase-file", str(secret)]) == 1
    )
    assert "too easy to guess" in capsys.readouterr().err
    assert not office_key.key_path(data_dir).exists()
    assert main([*base, "keys", "show"]) == 1
    capsys.readouterr()


def test_keys_create_show_export_passwd_and_import_round_trip(tmp_path: Path, capsys) -> None:
    data_dir = tmp_path / "data"
    secret, new_secret = tmp_path / "secret.txt", tmp_path / "new-secret.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    new_secret.write_text("pohon kelapa di pantai selatan\n", encoding="utf-8")
    base = ["--data-dir", str(data_dir), "keys"]
    assert (
        main(
            [*base, "create", "--office", "Kantor Bupati Jember", "--passphrase-file", str(secret)]
        )
        == 0
    )
    created = capsys.readouterr().out
    kid = office_key.read_key_file(office_key.load_key_file(data_dir)).kid
    assert office_key.read_key_file(office_key.load_key_file(data_dir)).fingerprint in created
    assert main([*base, "create", "--office", "Other", "--passphrase-file", str(secret)]) == 1
    assert "another office key" in capsys.readouterr().err, "no key is replaced silently"
    assert main([*base, "show", "--qr"]) == 0
    assert kid in capsys.readouterr().out
    backup = tmp_path / "usb" / "office-key.json"
    backup.parent.mkdir()
    assert main([*base, "export", str(backup)]) == 0
    assert (
        main(
            [
                *base,
                "passwd",
                "--passphrase-file",
                str(secret),
                "--new-passphrase-file",
                str(new_secret),
            ]
        )
        == 0
    )
    changed = office_key.load_key_file(data_dir)
    office_key.unlock(changed, "pohon kelapa di pantai selatan")
    assert office_key.read_key_file(changed).kdf == office_key.DEFAULT_KDF
    other = tmp_path / "other-computer"
    assert main(["--data-dir", str(other), "keys", "import", str(backup)]) == 0
    assert office_key.read_key_file(office_key.load_key_file(other)).kid == kid
    backup.write_bytes(b"{not a key}")
    assert main(["--data-dir", str(tmp_path / "third"), "keys", "import", str(backup)]) == 1
    assert "not a usable office key backup" in capsys.readouterr().err


def test_signing_on_the_command_line_shows_the_statement_and_asks(
    office, qapp, tmp_path: Path, capsys, monkeypatch
) -> None:
    data_dir, _key = office
    store = DraftsStore.open(data_dir)
    draft = store.create(complete_answers())
    store.close()
    signature = tmp_path / "signature.png"
    signature.write_bytes(SCAN)
    secret = tmp_path / "passphrase.txt"
    secret.write_bytes(b"\xef\xbb\xbf" + PASSPHRASE.encode() + b"\r\n")  # as Notepad writes it
    sign = ["--data-dir", str(data_dir), "sign", draft.id, "--signature-image", str(signature)]
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main([*sign, "--passphrase-file", str(secret), "--language", "fr"]) == 1
    shown = capsys.readouterr()
    assert "Je soussigné(e), Hendy Siswanto" in shown.out
    assert DraftsStore.open(data_dir).get(draft.id).status == "draft"
    monkeypatch.setattr("builtins.input", lambda prompt: "oui")
    assert main([*sign, "--passphrase-file", str(secret), "--language", "fr"]) == 0
    store = DraftsStore.open(data_dir)
    try:
        payload = verify_submission(store, store.submission_for(draft.id).envelope).envelope.payload
        assert payload["statement_language"] == "fr"
        assert payload["statement"].startswith("Je soussigné(e), Hendy Siswanto")
    finally:
        store.close()


def test_an_office_name_from_a_key_file_is_shown_escaped(tmp_path: Path, capsys) -> None:
    """A backup from someone else's USB stick names its office as it likes."""
    from tests.keys import floor_key  # noqa: PLC0415

    _key, data = floor_key(
        "Mairie\x1b[2K\rEverything checked is in order.", "violet anchor drizzle pumpkin"
    )
    office_key.save_key_file(tmp_path / "data", data)
    assert main(["--data-dir", str(tmp_path / "data"), "keys", "show"]) == 0
    out = capsys.readouterr().out
    assert "Office: Mairie\\x1b[2K\\x0dEverything checked is in order." in out
    assert "\x1b" not in out
