"""The `hrcities` command: every subcommand, its help, its errors and its exit status."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import DATA_DIR_VARIABLE, build_parser, default_data_dir, main
from desktop.store.drafts import DraftsStore
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
