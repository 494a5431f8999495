"""A babel extractor for form definitions, so that adding a field puts its texts in the catalogs.

Registered as the `hrcities_form` extractor (pyproject.toml) and used for `schemas/**.json` by
`i18n/babel.cfg`. It reads the JSON itself (this layer imports nothing of ours), yielding every
text a person sees: titles, labels, help, options, item labels, suggestions and the statement,
each with a translator comment saying where it appears.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

Message = tuple[int, str | None, str, list[str]]

TEXT_KEYS = ("title", "label", "help", "item_label")
COMMENTS = {
    "title": "Title of a form or of one of its sections.",
    "label": "A question (or a choice) of the join form.",
    "help": "Explanation under a question of the join form.",
    "item_label": "Title of one repeated card; {number} is 1, 2 or 3.",
}


def _texts(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key in TEXT_KEYS:
            if isinstance(node.get(key), str):
                yield node[key], f"{COMMENTS[key]} ({where})"
        for suggestion in node.get("suggestions", ()):
            yield suggestion, f"A suggested title of the head of government ({where})."
        statement = node.get("statement")
        if isinstance(statement, Mapping) and isinstance(statement.get("text"), str):
            yield (
                statement["text"],
                "The statement of commitment the head of government signs: formal wording. "
                "Keep the {placeholders}; they are replaced by the names.",
            )
        for key in ("sections", "fields", "options", "item_fields"):
            for child in node.get(key, ()):
                child_id = child.get("id", "") if isinstance(child, Mapping) else ""
                yield from _texts(child, f"{where}/{child_id}" if child_id else where)


def extract_form(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: list[str],
    options: Mapping[str, Any],
) -> Iterator[Message]:
    """Babel extractor entry point: messages of one form definition file."""
    form = json.load(fileobj)
    where = f"{form.get('form_id', 'form')} {form.get('version', '')}".strip()
    for text, comment in _texts(form, where):
        yield 0, None, text, [comment]
