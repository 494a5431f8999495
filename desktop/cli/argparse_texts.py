"""argparse's own words ("usage:", "error:", "the following arguments are required") in the
user's language, through our catalogs.

argparse looks its texts up with the module-level `_` and `ngettext` it imported from gettext,
at the moment it writes them; pointing those two names at our catalogs translates every text
argparse writes. The texts are listed here, exactly as argparse spells them (Python 3.11 to
3.13), so that `make i18n` puts them in the catalogs.
"""

from __future__ import annotations

import argparse

from i18n.translate import N_, _, ngettext


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - like N_
    """Mark a singular/plural pair for extraction."""
    return singular, plural


ARGPARSE_TEXTS = (
    # Translators: argparse's heading of a command's synopsis; keep the space at the end.
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("unexpected option string: %s"),
)
ARGPARSE_PLURALS = (N_plural("expected %s argument", "expected %s arguments"),)


def _translate(message: object) -> object:
    # argparse also passes our own texts (already translated) and None through `_`.
    return _(message) if isinstance(message, str) and message else message


def translate_argparse() -> None:
    """From now on argparse writes its texts in the current language (set it first)."""
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
