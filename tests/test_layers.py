"""The layers hold: the contracts `make test` runs can fail, and the command works without Qt."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("desktop", "sync", "schemas", "i18n")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# Run in a child Python: PySide6 cannot be imported there, as on a server without Qt.
WITHOUT_QT = """
import sys

class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"Qt is blocked in this test: {name}")
        return None

sys.meta_path.insert(0, NoQt())
from desktop.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _copy_of_the_project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    copy.mkdir()
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        ("desktop/core/draft_session.py", "import PySide6.QtCore", "No Qt in the Qt-free parts"),
        ("desktop/cli/drafts.py", "from desktop.window import look", "No Qt in the Qt-free"),
        ("desktop/core/signing.py", "import desktop.form.autosave", "desktop core uses neither"),
        ("sync/verify.py", "import desktop.core.signing", "Layers"),
    ],
)
def test_a_planted_import_breaks_its_contract(
    tmp_path: Path, module: str, planted: str, contract: str
) -> None:
    copy = _copy_of_the_project(tmp_path)
    kept = _lint_imports(copy)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    broken = _lint_imports(copy)
    assert broken.returncode != 0, broken.stdout
    assert "BROKEN" in broken.stdout
    assert contract in broken.stdout.replace("\n", " ")


def _without_qt(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_QT, "--data-dir", str(tmp_path / "data"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "en_US.UTF-8"},
        check=False,
    )


def test_the_command_line_works_with_qt_unimportable(tmp_path: Path) -> None:
    helped = _without_qt(tmp_path, "--help")
    assert helped.returncode == 0, helped.stderr
    assert "drafts" in helped.stdout
    listed = _without_qt(tmp_path, "drafts", "list")
    assert (listed.returncode, listed.stdout.strip()) == (0, "There are no drafts yet."), (
        listed.stderr
    )
    envelope = tmp_path / "envelope.json"
    envelope.write_text(json.dumps({"not": "an envelope"}), encoding="utf-8")
    verified = _without_qt(tmp_path, "verify", str(envelope))
    assert verified.returncode == 1, verified.stderr
    assert "not_an_envelope" in verified.stdout
    assert "Qt is blocked" not in verified.stdout + verified.stderr
    examples = ROOT / "docs" / "examples"
    good = _without_qt(
        tmp_path, "verify", str(examples / "envelope.json"), "--files", str(examples)
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Everything checked is in order." in good.stdout


def test_the_block_does_block_qt(tmp_path: Path) -> None:
    """Without this, the test above could pass because Qt was never asked for."""
    opened = _without_qt(tmp_path)  # no command: the window, which needs Qt
    assert opened.returncode != 0
    assert "Qt is blocked in this test" in opened.stderr
