"""The app's one canonical JSON, and the strict reader for every signed or checksummed file.

Canonical JSON is RFC 8785 (JCS), written by the `rfc8785` package: UTF-8, keys sorted by their
UTF-16 code units, no insignificant whitespace, non-ASCII written as itself, numbers as
ECMAScript writes them. Files that are signed or checksummed (the envelope and its header, the
office key file, later parcels and receipts) must be in this form byte for byte, so that one
content has one spelling and no byte of the file is free to change unnoticed.

The reader refuses what JSON parsers disagree on (a member named twice), what is not JSON
(NaN, Infinity), invalid UTF-8 and nesting deeper than any real file needs.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

# Deeper JSON than any real form needs is refused before anything walks it recursively.
MAX_JSON_DEPTH = 32


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 bytes of `value`: how this app writes every JSON it signs or checks.

    Raises ValueError for what has no canonical form: NaN or infinities, integers past 2**53
    (JSON numbers are doubles to every other reader), text holding a lone surrogate.
    """
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as error:  # a ValueError already; named for callers
        raise ValueError(str(error)) from error


def is_canonical(data: bytes, value: Any) -> bool:
    """Whether `data` (which parsed to `value`) is exactly the canonical JSON of `value`."""
    try:
        return canonical_json(value) == data
    except (ValueError, RecursionError):
        return False


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Refuse a JSON object naming a member twice: parsers disagree on which one counts."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"member {key!r} twice")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth_within(value: Any, limit: int) -> bool:
    """Whether nested lists and objects stay within `limit` levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            if depth > limit:
                return False
            stack.extend((child, depth + 1) for child in node)
    return True


def strict_json(data: bytes) -> Any:
    """Parse UTF-8 JSON strictly: no duplicate members, no NaN/Infinity, bounded nesting.

    Raises ValueError (for invalid UTF-8 and numbers too long to read, too) instead of guessing
    what a sender meant.
    """
    try:
        value = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
        )
    except RecursionError as error:
        raise ValueError("nested too deeply") from error
    if not _depth_within(value, MAX_JSON_DEPTH):
        raise ValueError("nested too deeply")
    return value
