"""The `hrcities` command: every subcommand, its help, its errors and its exit status."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import DATA_DIR_VARIABLE, build_parser, default_data_dir, main
from desktop.core.store.drafts import DraftsStore
from desktop.version import __version__
from tests.factories import complete_answers

PDF = b"%PDF-1.7\n%" + bytes(range(256))


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def subcommand_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield (*prefix, name)
                yield from subcommand_paths(child, (*prefix, name))


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    paths = list(subcommand_paths(build_parser()))
    assert ("drafts", "import") in paths
    assert len(paths) >= 7
    for path in paths:
        with pytest.raises(SystemExit) as done:
            main([*path, "--help"])
        assert done.value.code == 0
        assert "usage: hrcities " + " ".join(path) in capsys.readouterr().out


def test_the_installed_command_answers_version_and_help(tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("hrcities")
    env = {**os.environ, DATA_DIR_VARIABLE: str(tmp_path)}
    version = subprocess.run(
        [command, "--version"], capture_output=True, text=True, env=env, check=True
    )
    assert version.stdout.strip() == f"hrcities {__version__}"
    helped = subprocess.run(
        [command, "--help"], capture_output=True, text=True, env=env, check=True
    )
    assert "drafts" in helped.stdout
    assert "--data-dir" in helped.stdout
    listed = subprocess.run(
        [command, "drafts", "list"], capture_output=True, text=True, env=env, check=False
    )
    assert (listed.returncode, listed.stdout.strip()) == (0, "There are no drafts yet.")
    assert (tmp_path / "drafts.sqlite3").exists(), "HRCITIES_DATA_DIR picks the data folder"


def test_the_data_folder_comes_from_the_environment_or_the_platform(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "here"))
    assert default_data_dir() == tmp_path / "here"
    monkeypatch.delenv(DATA_DIR_VARIABLE)
    assert default_data_dir().name == "hrcities"


def test_list_show_export_and_import_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = DraftsStore.open(data)
    answers = complete_answers()
    answers["local_actions"][0]["documents"] = [store.add_attachment_bytes(PDF, "charter.pdf")]
    draft = store.create(answers, language="id")
    store.close()

    assert run(data, "drafts", "list") == 0
    line = capsys.readouterr().out
    assert draft.id in line
    assert "Kabupaten Jember" in line
    assert "100%" in line

    assert run(data, "drafts", "list", "--json") == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["id"], listed["country"], listed["completion"]) == (draft.id, "ID", 1.0)

    assert run(data, "drafts", "show", draft.id) == 0
    shown = capsys.readouterr().out
    assert "== Information (8/8)" in shown
    assert "ready to sign" in shown

    exported = tmp_path / "jember.json"
    assert run(data, "drafts", "export", draft.id, "-o", str(exported)) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["answers"] == answers
    assert document["format"] == "hrcities-draft/1"

    other = tmp_path / "other-computer"
    assert run(other, "drafts", "import", str(exported)) == 0
    assert "Imported as draft" in capsys.readouterr().out
    copy_store = DraftsStore.open(other)
    try:
        (copied,) = copy_store.list()
        imported = copy_store.get(copied.id)
        assert imported.answers == answers
        assert imported.language == "id"
        assert (
            copy_store.attachment_bytes(answers["local_actions"][0]["documents"][0]["sha256"])
            == PDF
        )
    finally:
        copy_store.close()


def test_import_of_bare_answers_prints_the_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "answers.json"
    source.write_text(json.dumps({"lrg_name": "Rosario", "vision": "x " * 701}), encoding="utf-8")
    assert run(tmp_path / "data", "drafts", "import", str(source)) == 0
    out = capsys.readouterr().out
    assert "[wrong] vision: Shorten this text to 700 words; it has 701 now." in out
    assert "[missing] country: This question needs an answer." in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2)"),
        ("[1, 2]", "expected a JSON object"),
        ('{"inhabitants": "many"}', "do not fit the form: inhabitants"),
        ('{"format": "hrcities-draft/9", "answers": {}}', "format hrcities-draft/9"),
        ('{"format": "hrcities-draft/1", "form_version": "1850", "answers": {}}', "1850"),
        (
            json.dumps(
                {
                    "format": "hrcities-draft/1",
                    "answers": {
                        "local_actions": [
                            {
                                "description": "a",
                                "documents": [
                                    {
                                        "sha256": "a" * 64,
                                        "name": "a.pdf",
                                        "media_type": "application/pdf",
                                        "size": 1,
                                    }
                                ],
                            }
                        ]
                    },
                    "files": {"a" * 64: "JVBERg=="},
                }
            ),
            "does not match its fingerprint",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_reason_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")
    data = tmp_path / "data"
    assert run(data, "drafts", "import", str(source)) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.err.startswith("Error: ")
    assert "Traceback" not in captured.err
    store = DraftsStore.open(data)
    try:
        assert store.list() == []
        assert store.db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 0
    finally:
        store.close()


def test_missing_file_and_unknown_draft_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, "drafts", "import", str(tmp_path / "nowhere.json")) == 1
    assert "could not be read" in capsys.readouterr().err
    for action in ("show", "export", "trash", "restore"):
        assert run(tmp_path, "drafts", action, "0000") == 1
        assert "There is no draft with the id 0000." in capsys.readouterr().err


def test_drafts_trash_takes_a_draft_off_the_list_and_restore_brings_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = DraftsStore.open(tmp_path)
    draft = store.create({"lrg_name": "Mexico City"})
    store.close()
    assert run(tmp_path, "drafts", "trash", draft.id) == 0
    assert run(tmp_path, "drafts", "list") == 0
    assert "There are no drafts yet." in capsys.readouterr().out
    assert run(tmp_path, "drafts", "list", "--trash") == 0
    assert "Mexico City" in capsys.readouterr().out
    assert run(tmp_path, "drafts", "restore", draft.id) == 0
    assert run(tmp_path, "drafts", "list") == 0
    assert "Mexico City" in capsys.readouterr().out


def test_an_unusable_data_folder_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert run(blocker / "data", "drafts", "list") == 1
    assert "could not be used" in capsys.readouterr().err


def test_a_deeply_nested_file_is_refused_not_a_crash(tmp_path: Path, capsys) -> None:
    source = tmp_path / "deep.json"
    source.write_text("[" * 100000, encoding="utf-8")
    assert run(tmp_path / "data", "drafts", "import", str(source)) == 1
    assert "Error: " in capsys.readouterr().err


def _draft(data: Path, answers: dict | None = None) -> str:
    store = DraftsStore.open(data)
    try:
        return store.create(answers if answers is not None else complete_answers()).id
    finally:
        store.close()


def test_import_refuses_an_answer_past_what_the_form_holds_naming_question_and_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 50 MB file once made a draft whose name had 52 million characters, and the drafts
    list then froze for 10 s at 2 GB of memory."""
    data = tmp_path / "data"
    source = tmp_path / "huge.json"
    source.write_text(json.dumps({"lrg_name": "x" * 5_000_000}), encoding="utf-8")
    assert run(data, "drafts", "import", str(source)) == 1
    err = capsys.readouterr().err
    assert "Name of the local or regional government" in err
    assert "5000000 characters" in err
    assert "at most 250" in err
    assert run(data, "drafts", "list") == 0
    assert "There are no drafts yet." in capsys.readouterr().out, "nothing was imported"
    nested = tmp_path / "nested.json"
    nested.write_text(
        json.dumps({"local_actions": [{"description": "word " * 10_000}]}), encoding="utf-8"
    )
    assert run(data, "drafts", "import", str(nested)) == 1
    assert "local_actions[0].description" in capsys.readouterr().err


def test_import_refuses_a_file_larger_than_any_draft_before_reading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.core.store.draft_files import MAX_DRAFT_FILE_BYTES  # noqa: PLC0415

    source = tmp_path / "big.json"
    with source.open("wb") as handle:
        handle.truncate(MAX_DRAFT_FILE_BYTES + 1)  # sparse: no time spent writing it
    assert run(tmp_path / "data", "drafts", "import", str(source)) == 1
    err = capsys.readouterr().err
    assert "far more than a draft" in err
    assert "at most 150 MB" in err


def test_import_reads_a_file_notepad_saved_and_refuses_another_encoding_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + json.dumps({"lrg_name": "Lom\u00e9"}).encode())
    assert run(data, "drafts", "import", str(with_bom)) == 0
    capsys.readouterr()
    store = DraftsStore.open(data)
    assert [d.name for d in store.list()] == ["Lom\u00e9"]
    store.close()
    for name, encoded in (
        ("utf16.json", json.dumps({"lrg_name": "Lom\u00e9"}).encode("utf-16")),
        ("latin1.json", '{"lrg_name": "Lom\u00e9"}'.encode("latin-1")),
    ):
        (tmp_path / name).write_bytes(encoded)
        assert run(data, "drafts", "import", str(tmp_path / name)) == 1
        err = capsys.readouterr().err
        assert "not saved as UTF-8" in err, name
        assert "Encoding: UTF-8" in err


def test_export_never_replaces_a_file_unasked_nor_makes_a_mistyped_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    draft_id = _draft(data)
    target = tmp_path / "draft.json"
    target.write_text("someone's notes", encoding="utf-8")
    assert run(data, "drafts", "export", draft_id, "-o", str(target)) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "someone's notes"
    assert run(data, "drafts", "export", draft_id, "-o", str(target), "--force") == 0
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == draft_id
    capsys.readouterr()
    assert run(data, "drafts", "export", draft_id, "-o", str(tmp_path)) == 1
    assert f"{tmp_path} is a folder" in capsys.readouterr().err
    mistyped = tmp_path / "nofolder" / "x.json"
    assert run(data, "drafts", "export", draft_id, "-o", str(mistyped)) == 1
    err = capsys.readouterr().err
    assert f"The folder {tmp_path / 'nofolder'} does not exist" in err
    assert str(data) not in err, "the data folder is not to blame"
    assert not (tmp_path / "nofolder").exists()


def test_a_broken_pipe_ends_the_listing_quietly(tmp_path: Path) -> None:
    """`hrcities drafts list | head -1` printed a BrokenPipeError traceback."""
    data = tmp_path / "data"
    store = DraftsStore.open(data)
    for number in range(1500):  # more than a pipe's buffer holds
        store.create({"lrg_name": f"Municipality number {number}", "country": "SN"})
    store.close()
    command = Path(sys.executable).with_name("hrcities")
    child = subprocess.Popen(
        [command, "--data-dir", str(data), "drafts", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stdout.readline()
    child.stdout.close()  # what `head -1` does after its line
    _out, err = child.communicate(timeout=60)
    assert err.decode() == ""
    assert child.returncode == 0


def test_argparse_speaks_the_users_language(tmp_path: Path) -> None:
    command = Path(sys.executable).with_name("hrcities")
    env = {**os.environ, "LANG": "fr_FR.UTF-8", DATA_DIR_VARIABLE: str(tmp_path)}
    env.pop("LC_ALL", None)
    done = subprocess.run([command, "drafts"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 2
    for english in ("usage:", "error:", "the following arguments are required"):
        assert english not in done.stderr, done.stderr
    assert "utilisation" in done.stderr.lower(), done.stderr
    helped = subprocess.run(
        [command, "--help"], capture_output=True, text=True, env=env, check=True
    )
    assert "show this help message" not in helped.stdout
    assert "options" in helped.stdout.lower()


@pytest.fixture
def signed_draft(tmp_path: Path, qapp) -> tuple[Path, str]:
    """A data folder with one signed draft (with an attachment) signed by the core.

    The PDF is laid out by Qt: the test session's QApplication must exist first (else the PDF
    maker starts a bare QGuiApplication, which later Qt tests cannot use)."""
    from desktop.core.signing import sign_draft  # noqa: PLC0415
    from desktop.form.pdf_export import form_pdf  # noqa: PLC0415
    from sync import office_key  # noqa: PLC0415
    from tests.factories import tiny_png  # noqa: PLC0415
    from tests.keys import floor_key  # noqa: PLC0415

    data = tmp_path / "data"
    key, key_file = floor_key("Mairie de Kaolack", "x" * 20)
    office_key.save_key_file(data, key_file)
    store = DraftsStore.open(data)
    try:
        answers = complete_answers()
        answers["local_actions"][0]["documents"] = [
            store.add_attachment_bytes(PDF, "../charte: locale?.pdf")
        ]
        draft = store.create(answers)
        sign_draft(store, draft.id, key, tiny_png(), make_pdf=form_pdf)
    finally:
        store.close()
    return data, draft.id


def test_a_signed_drafts_files_export_later_and_verify_elsewhere(
    signed_draft: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, draft_id = signed_draft
    assert run(data, "drafts", "show", draft_id) == 0
    shown = capsys.readouterr().out
    assert "This form is signed" in shown
    assert "ready to sign" not in shown
    usb = tmp_path / "usb"
    assert run(data, "drafts", "export-signed", draft_id, str(usb)) == 0
    names = sorted(path.name for path in usb.iterdir())
    assert "charte_ locale_.pdf" in names, names
    assert sum(name.endswith(".envelope.json") for name in names) == 1
    assert sum(name.endswith(".signature.png") for name in names) == 1
    (envelope,) = usb.glob("*.envelope.json")
    capsys.readouterr()
    elsewhere = tmp_path / "another-computer"  # no drafts there: the files alone must do
    assert run(elsewhere, "verify", str(envelope), "--files", str(usb)) == 0
    assert "Everything checked is in order." in capsys.readouterr().out
    assert run(data, "drafts", "export-signed", draft_id, str(usb)) == 1
    assert "already holds" in capsys.readouterr().err
    assert run(data, "drafts", "export-signed", draft_id, str(usb), "--force") == 0


def test_sign_checks_the_out_folder_before_signing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to sign, lock the draft, then fail on the folder and never write the envelope."""
    from sync import office_key  # noqa: PLC0415
    from tests.factories import tiny_png  # noqa: PLC0415
    from tests.keys import floor_key  # noqa: PLC0415

    data = tmp_path / "data"
    _key, key_file = floor_key("Mairie de Kaolack", "x" * 20)
    office_key.save_key_file(data, key_file)
    draft_id = _draft(data)
    picture = tmp_path / "signature.png"
    picture.write_bytes(tiny_png())
    secret = tmp_path / "passphrase.txt"
    secret.write_text("x" * 20, encoding="utf-8")
    mistyped = tmp_path / "nofolder" / "out"
    sign = ["sign", draft_id, "--signature-image", str(picture), "--yes"]
    code = run(data, *sign, "--passphrase-file", str(secret), "--out", str(mistyped))
    assert code == 1
    assert f"The folder {tmp_path / 'nofolder'} does not exist" in capsys.readouterr().err
    store = DraftsStore.open(data)
    try:
        assert store.get(draft_id).status == "draft", "nothing was signed"
    finally:
        store.close()
