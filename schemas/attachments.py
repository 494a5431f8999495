"""The one walker over the attachment references inside a set of answers.

Signing lists the files the answers name, the store keeps the files the answers name, and
verification checks that the signed list is the files the answers name: all three must mean the
same thing by "the files the answers name", so they all walk the answers here.
"""

from __future__ import annotations

import re
from typing import Any

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_attachment_ref(item: Any) -> bool:
    """Whether `item` is a well-formed attachment reference (hash, name, type, size): the one
    rule of what a reference is, for validation, the store, signing and verification alike."""
    return (
        isinstance(item, dict)
        and set(item) == {"sha256", "name", "media_type", "size"}
        and isinstance(item["sha256"], str)
        and bool(_SHA256.match(item["sha256"]))
        and isinstance(item["name"], str)
        and bool(item["name"].strip())
        and isinstance(item["media_type"], str)
        and isinstance(item["size"], int)
        and not isinstance(item["size"], bool)
        and item["size"] >= 0
    )


def attachment_references(value: Any) -> list[dict[str, Any]]:
    """Every attachment reference anywhere inside `value`, in document order, repeats kept.

    Only well-formed references count (`is_attachment_ref`): an object that merely has a
    "sha256" is not one, so what the store keeps, what signing lists and what verification
    checks are the same files. Walked without recursion, so nesting as deep as a hostile file
    allows cannot overflow the stack.
    """
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if is_attachment_ref(node):
                found.append(node)
                continue
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def attachment_refs(value: Any) -> list[dict[str, Any]]:
    """Every attachment reference inside a set of answers, once per file (by SHA-256), in order.

    The first reference to a file gives its name; each is a copy, safe to change.
    """
    found: dict[str, dict[str, Any]] = {}
    for reference in attachment_references(value):
        found.setdefault(reference["sha256"], dict(reference))
    return list(found.values())
