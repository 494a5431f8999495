"""The one walker over the attachment references inside a set of answers.

Signing lists the files the answers name, the store keeps the files the answers name, and
verification checks that the signed list is the files the answers name: all three must mean the
same thing by "the files the answers name", so they all walk the answers here.
"""

from __future__ import annotations

from typing import Any


def attachment_references(value: Any) -> list[dict[str, Any]]:
    """Every object with a text "sha256" anywhere inside `value`, in document order, repeats kept.

    Walked without recursion, so nesting as deep as a hostile file allows cannot overflow the
    stack; a reference's own members are walked too, as any object's are.
    """
    found: list[dict[str, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("sha256"), str):
                found.append(node)
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
