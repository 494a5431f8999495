"""The most an answer can hold: the same bounds for the window's editors and for imported files.

The form's own limits (200 characters, 700 words) are findings: a draft may go over them while
someone types, and the summary says so. These are the hard bounds past which an answer is not a
draft at all but a damaged or hostile file: a 50 MB "name" froze the drafts list at 2 GB of
memory. The editors never accept more than these bounds (a line stops taking characters a little
past the form's limit, so going over it shows as a finding rather than as lost keys), and an
import that goes past them is refused, naming the question and the bound.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from schemas.forms import FieldDef, FormDefinition

LINE_TYPES = frozenset({"text", "email", "phone", "url"})
# Characters a line editor takes past the form's limit: enough to see the limit was passed.
LINE_SLACK = 50
LINE_DEFAULT_MAX = 1000  # a line without a limit of its own (an e-mail address, a link)
# Long texts are limited in words; in characters, 25 per word leaves room for any language's
# long words and for spacing, and still bounds what a file can make the app hold.
CHARACTERS_PER_WORD = 25
LONG_TEXT_MIN_MAX = 2000
LONG_TEXT_DEFAULT_MAX = 20000
LINK_MAX = 2000
FILE_NAME_MAX = 255
# A photo or scan of a handwritten signature, refused unread beyond this (window and command line).
SIGNATURE_PICTURE_MAX_BYTES = 50 * 1024 * 1024
# The largest whole number every JSON reader keeps exact (JSON numbers are doubles elsewhere;
# RFC 8785, with which the app signs, refuses larger ones).
MAX_WHOLE_NUMBER = 2**53 - 1


def max_characters(fdef: FieldDef) -> int | None:
    """The most characters an answer to a text question can hold (None: not a text)."""
    if fdef.type in LINE_TYPES:
        return fdef.max_length + LINE_SLACK if fdef.max_length else LINE_DEFAULT_MAX
    if fdef.type == "long_text":
        if fdef.max_words:
            return max(LONG_TEXT_MIN_MAX, CHARACTERS_PER_WORD * fdef.max_words)
        return LONG_TEXT_DEFAULT_MAX
    return None


def max_entries(fdef: FieldDef) -> int | None:
    """The most entries a list answer can hold (None: not a list, or no bound)."""
    if fdef.type in ("repeat", "url_list", "attachments"):
        return fdef.max_items
    if fdef.type == "multi_choice":
        return len(fdef.options)
    return None


@dataclass(frozen=True)
class OverLimit:
    """One answer past its hard bound: which question, which bound, how far."""

    path: str
    fdef: FieldDef
    unit: str  # "characters" or "entries"
    limit: int
    found: int


def over_limits(form: FormDefinition, answers: Any) -> list[OverLimit]:
    """Every answer past what the window could ever hold; empty when all fit."""
    if not isinstance(answers, Mapping):
        return []
    return list(_walk(tuple(form.fields()), answers, ""))


def _walk(
    fields: tuple[FieldDef, ...], answers: Mapping[str, Any], prefix: str
) -> Iterator[OverLimit]:
    for fdef in fields:
        value = answers.get(fdef.id)
        path = prefix + fdef.id
        chars = max_characters(fdef)
        if chars is not None and isinstance(value, str) and len(value) > chars:
            yield OverLimit(path, fdef, "characters", chars, len(value))
        if not isinstance(value, list):
            continue
        entries = max_entries(fdef)
        if entries is not None and len(value) > entries:
            yield OverLimit(path, fdef, "entries", entries, len(value))
            continue  # the entries of a list too long are not worth walking
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if fdef.type == "repeat" and isinstance(item, Mapping):
                yield from _walk(fdef.item_fields, item, item_path + ".")
            elif fdef.type == "url_list" and isinstance(item, str) and len(item) > LINK_MAX:
                yield OverLimit(item_path, fdef, "characters", LINK_MAX, len(item))
            elif fdef.type == "attachments" and isinstance(item, Mapping):
                name = item.get("name")
                if isinstance(name, str) and len(name) > FILE_NAME_MAX:
                    yield OverLimit(item_path, fdef, "characters", FILE_NAME_MAX, len(name))
