"""Errors meant for people: a message id and its values, translated when shown.

Raising code states what went wrong and what to do in an English msgid marked with `N_`; the text
is looked up in the active catalog only when the error is displayed, so an error raised before a
language switch still shows in the language chosen since.
"""

from __future__ import annotations

from typing import Any

from i18n.formatting import filled
from i18n.translate import _


class UserError(Exception):
    """A failure a person can act on. `str(error)` is the translated, filled-in message."""

    code = "error"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return filled(_(self.message), **self.params)


class Translated:
    """A text of ours used as an error's value (a question's label): translated when shown.

    Values are filled in when the error is displayed, perhaps after a language switch; a label
    translated when the error was raised would then stay in the old language.
    """

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return _(self.message)
