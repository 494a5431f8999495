"""Run with -m "not gui": one test needs Qt without saying so, one reaches beside the project."""

from __future__ import annotations

import contextlib

from tests.qt_imports import PROJECT


def test_stays_away_from_qt() -> None:
    assert PROJECT.is_dir()


def test_reaches_beside_the_project() -> None:
    beside = PROJECT.parent / "a-folder-beside-the-project" / "notes.txt"
    with contextlib.suppress(Exception):  # code that swallows the refusal: the test still fails
        beside.read_text(encoding="utf-8")


def test_imports_qt_unmarked() -> None:
    from PySide6.QtCore import QObject  # noqa: PLC0415 - as a forgotten lazy import would

    assert QObject
