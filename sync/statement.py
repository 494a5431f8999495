"""The statement of commitment as the signer reads it, in a given language, names filled in.

One function makes the text both where it is signed (the window, `hrcities sign`) and where a
signature is checked (`sync.verify`), so the bytes signed and the bytes expected are the same
by construction. It takes the language as an argument instead of using the process language:
the secretariat checks a statement signed in Arabic while its own screen is in French.

The translation of the statement is therefore part of what a form version means: changing the
statement's msgstr in a catalog would make every envelope signed in that language fail its
statement check. A new wording needs a new form version (docs/FORMATS.md, section 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from i18n.formatting import isolate
from i18n.translate import gettext_for
from schemas.forms import FormDefinition
from schemas.validation import is_empty

# What stands for a name not given yet (the statement is shown while the form is being filled).
NOT_GIVEN = "…"


def statement_text(form: FormDefinition, answers: Mapping[str, Any], language: str) -> str:
    """The form's statement in `language`, each placeholder filled with its answer, stripped.

    Inserted answers are isolated the way `language` needs (U+2068/U+2069 around each in a
    right-to-left language), so the text reads right whatever the script of the names. An
    answer not given shows as "…". Raises ValueError for a language the app does not offer.
    A form without a statement gives "".
    """
    gettext = gettext_for(language)
    statement = form.statement()
    if statement is None:
        return ""
    values = {}
    for placeholder, field_id in statement.placeholders.items():
        answer = answers.get(field_id)
        values[placeholder] = (
            isolate(str(answer).strip(), language) if not is_empty(answer) else NOT_GIVEN
        )
    return gettext(statement.text).format(**values)
