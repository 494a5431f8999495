"""`hrcities verify` (desktop/cli/verify.py): what it prints, what it creates, what it blames.

Envelopes are real and properly signed (tests/envelopes.py), hostile ones included, and the
command runs as people run it: `desktop.cli.main` with the output captured, and once as a real
process, so that the bytes a terminal would receive are the ones checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main
from sync.certificate import self_signed_certificate
from sync.jose import b64url_encode, fingerprint_groups
from sync.signed_pdf import sign_pdf
from tests.envelopes import (
    FILES,
    KEY,
    OTHER_KEY,
    raw_envelope,
    sign_anything,
    signed,
    signed_payload,
    standard_header,
)
from tests.test_signed_pdf import StandInKey as PdfKey
from tests.test_signed_pdf import two_page_pdf

FAKE = "Everything checked is in order."


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "verify", *args])


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder holding the attached files and the signature picture, under other names."""
    folder = tmp_path / "usb"
    folder.mkdir()
    for number, data in enumerate(FILES.values()):
        (folder / f"file-{number}.bin").write_bytes(data)
    return folder


def envelope_file(tmp_path: Path, data: bytes, name: str = "form.envelope.json") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_good_envelope_with_its_files_is_in_order(tmp_path: Path, files: Path, capsys) -> None:
    path = envelope_file(tmp_path, signed()[1])
    assert run(tmp_path / "data", str(path), "--files", str(files)) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == FAKE
    assert "[FAILED]" not in out
    assert "[not checked]" not in out


def test_without_files_and_without_drafts_nothing_is_created_and_files_are_not_checked(
    tmp_path: Path, capsys
) -> None:
    data_dir = tmp_path / "data"
    path = envelope_file(tmp_path, signed()[1])
    assert run(data_dir, str(path)) == 1
    out = capsys.readouterr().out
    assert not data_dir.exists(), "no data folder, no drafts database made"
    assert "[not checked] not_run: The attached files were not checked" in out
    assert "[FAILED]" not in out
    assert "some checks could not be made" in out.splitlines()[-1]
    assert FAKE not in out


def test_checks_left_after_a_failure_are_not_checked_not_failed(
    tmp_path: Path, files: Path, capsys
) -> None:
    envelope = json.loads(signed()[1])
    envelope["payload"] = b64url_encode(b'{"changed": true}')
    path = envelope_file(tmp_path, json.dumps(envelope).encode())
    assert run(tmp_path / "data", str(path), "--files", str(files)) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "[FAILED]" in line] == [
        next(line for line in lines if "bad_signature" in line)
    ]
    assert sum("[not checked]" in line for line in lines) == 10
    assert lines[-1] == "Verification FAILED."


def test_control_characters_from_a_header_cannot_fake_a_verdict(tmp_path: Path) -> None:
    """58 bytes in a header member's name used to rewrite the terminal line after them."""
    trap = f"\x1b[2K\r\x1b[32m{FAKE}\x1b[0m\n"
    header = {**standard_header(), trap: 1}
    path = envelope_file(tmp_path, raw_envelope(header, signed()[0]))
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.cli.main",
            "--data-dir",
            str(tmp_path / "d"),
            "verify",
            path,
        ],
        capture_output=True,
        env={**os.environ, "LANG": "en_US.UTF-8"},
        check=False,
    )
    assert shown.returncode == 1
    out = shown.stdout.decode("utf-8")
    assert "\x1b" not in out
    assert "\r" not in out
    assert "\\x1b[2K\\x0d\\x1b[32mEverything checked" in out
    assert not any(line.startswith(FAKE) for line in out.splitlines())
    assert out.splitlines()[-1] == "Verification FAILED."


def test_control_characters_in_a_signed_file_name_are_shown_escaped(
    tmp_path: Path, files: Path, capsys
) -> None:
    """Signed by a key, even the expected one, a name is still only text from a file."""
    payload = signed_payload()
    trick = f"report.pdf\r{FAKE}\u202e"
    payload["attachments"][0]["name"] = trick
    payload["answers"]["local_actions"][0]["documents"][0]["name"] = trick
    path = envelope_file(tmp_path, sign_anything(payload))
    assert run(tmp_path / "data", str(path), "--files", str(files)) == 0
    out = capsys.readouterr().out
    assert "report.pdf\\x0dEverything checked is in order.\\u202e" in out
    assert "\r" not in out
    assert "\u202e" not in out


def test_the_expected_key_by_id_or_fingerprint(tmp_path: Path, files: Path, capsys) -> None:
    path = envelope_file(tmp_path, signed()[1])
    base = [str(path), "--files", str(files), "--expect-key"]
    assert run(tmp_path / "data", *base, KEY.kid) == 0
    assert run(tmp_path / "data", *base, fingerprint_groups(KEY.kid)) == 0
    assert "[passed] expected_key" in capsys.readouterr().out
    assert run(tmp_path / "data", *base, fingerprint_groups(OTHER_KEY.kid)) == 1
    out = capsys.readouterr().out
    assert "[FAILED] unexpected_key" in out
    assert fingerprint_groups(OTHER_KEY.kid) in out
    assert run(tmp_path / "data", *base, "the mayor's key") == 1
    err = capsys.readouterr().err
    assert "neither an office key id nor a fingerprint" in err


def test_a_missing_folder_of_files_is_named(tmp_path: Path, capsys) -> None:
    path = envelope_file(tmp_path, signed()[1])
    missing = tmp_path / "missingdir"
    assert run(tmp_path / "data", str(path), "--files", str(missing)) == 1
    err = capsys.readouterr().err
    assert str(missing) in err
    assert "--files" in err
    assert not (tmp_path / "data").exists()


def test_a_missing_file_is_named(tmp_path: Path, capsys) -> None:
    assert run(tmp_path / "data", str(tmp_path / "nowhere.json")) == 1
    assert "nowhere.json could not be read" in capsys.readouterr().err


def test_verify_describes_itself_in_its_help(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    out = capsys.readouterr().out
    assert "Check a signed form (an envelope file) or a signed PDF" in out
    assert "--expect-key" in out
    assert "--envelope" in out


def test_a_look_alike_pdf_is_caught_against_its_envelope(
    tmp_path: Path, files: Path, capsys
) -> None:
    office = PdfKey(KEY.office_name, KEY.private_key, self_signed_certificate(KEY.private_key, "x"))
    forger = PdfKey(
        KEY.office_name,
        OTHER_KEY.private_key,
        self_signed_certificate(OTHER_KEY.private_key, KEY.office_name),
    )
    envelope = envelope_file(tmp_path, signed()[1])
    genuine = envelope_file(tmp_path, sign_pdf(two_page_pdf(), office, reason="x"), "real.pdf")
    look_alike = envelope_file(tmp_path, sign_pdf(two_page_pdf(), forger, reason="x"), "fake.pdf")
    with_envelope = ["--envelope", str(envelope), "--files", str(files)]
    assert run(tmp_path / "data", str(genuine), *with_envelope) == 0
    assert "[passed] pdf_envelope_key" in capsys.readouterr().out
    assert run(tmp_path / "data", str(look_alike)) == 0, "alone, it looks like a good signature"
    capsys.readouterr()
    assert run(tmp_path / "data", str(look_alike), *with_envelope) == 1
    out = capsys.readouterr().out
    assert "[FAILED] pdf_key_mismatch" in out
    assert out.splitlines()[-1] == "Verification FAILED."
    assert run(tmp_path / "data", str(envelope), "--envelope", str(envelope)) == 1
    assert "--envelope goes with a signed PDF" in capsys.readouterr().err
