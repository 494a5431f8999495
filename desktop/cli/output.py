"""What `hrcities` prints: results to standard output, problems to standard error.

Every line goes out flushed, so a script reading the output sees each line as it happens and a
pipe that closes early is noticed at once. Values read from files or typed by people go through
`i18n.formatting.printable` before they reach a terminal (`shown`), so a file cannot rewrite the
line a person reads.
"""

from __future__ import annotations

import sys

from i18n.formatting import printable
from i18n.translate import _


def say(text: str = "") -> None:
    """A line of the command's result."""
    print(text, flush=True)


def warn(text: str) -> None:
    """A line about what went wrong or what to know, on standard error."""
    print(text, file=sys.stderr, flush=True)


def error(message: object) -> None:
    """The one way a failure is told: "Error: " and what to do, in the person's language."""
    warn(_("Error: {message}").format(message=message))


def shown(value: object) -> str:
    """A value from a file or a person, safe to print."""
    return printable(value)
