"""Names of the files the app writes for a person: what Windows, macOS and Linux all take.

Every name that comes from an answer or an imported file (a government's name, an attachment's
name) passes through `safe_name`, whatever writes it: the signed files' export, a document opened
from a draft, the PDF's suggested name in a save dialog.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from schemas.forms import FormDefinition

# Characters no file system of our users takes in a name (Windows is the strictest).
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)
MAX_NAME = 100


def safe_name(name: str, fallback: str) -> str:
    """A file name from a name typed or imported by someone: no folders, nothing Windows
    refuses, no hidden file, not too long; `fallback` when nothing is left of it."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _FORBIDDEN.sub("_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if stem.casefold() in _RESERVED:
        stem = f"_{stem}"
    suffix = suffix[:10]
    stem = stem[: MAX_NAME - len(suffix) - 1]
    cleaned = f"{stem}.{suffix}" if suffix else stem
    return cleaned if stem else fallback


def document_name(
    form: FormDefinition, answers: Mapping[str, Any], suffix: str, fallback: str
) -> str:
    """The name to suggest for a document of this draft: the government's name (read through the
    form's `lrg_name` role, whatever the field is called) made safe, else `fallback`."""
    name = answers.get(form.role("lrg_name"))
    # A slash in a government's name is part of the name, not a folder.
    stem = name.strip().replace("/", "-").replace("\\", "-") if isinstance(name, str) else ""
    return safe_name(f"{stem}{suffix}", f"{fallback}{suffix}") if stem else f"{fallback}{suffix}"
