"""How well a passphrase protects the office key: scored by zxcvbn, explained in words.

The key file can be copied and attacked offline, so the screens and the command line hold
people to an acceptable passphrase before a key is made or re-locked; the key file format itself
only refuses an empty one (`require_passphrase`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from i18n.formatting import isolate
from i18n.translate import N_, _
from sync.office_key.errors import WeakPassphrase

MIN_PASSPHRASE_LENGTH = 12
ACCEPTABLE_SCORE = 3
# zxcvbn refuses longer inputs; anything past 72 characters only adds strength anyway.
ZXCVBN_MAX_LENGTH = 72


@dataclass(frozen=True)
class PassphraseHint:
    """How well a passphrase would protect the key, and what to do about it (translated)."""

    score: int
    acceptable: bool
    message: str


def require_passphrase(passphrase: str) -> None:
    """Raise WeakPassphrase for an empty passphrase, which cannot protect anything."""
    if not passphrase:
        raise WeakPassphrase(
            N_(
                "An empty passphrase cannot protect the office key. Choose a passphrase of at "
                "least {minimum} characters, for example four or five unrelated words."
            ),
            minimum=MIN_PASSPHRASE_LENGTH,
        )


_HINT_TOO_SHORT = N_(
    "Too short: use at least {minimum} characters. Four or five unrelated words are easy to "
    "remember and hard to guess."
)
_HINT_GUESSABLE = N_(
    "Easy to guess: add more words that have nothing to do with each other, the office or the "
    "town, and avoid well-known phrases."
)
_HINT_STRONG = N_(
    "Strong enough. Write it down and keep it in a safe place: without it nobody can unlock the "
    "office key, not even the secretariat."
)


def passphrase_hint(passphrase: str, *, context: Sequence[str] = ()) -> PassphraseHint:
    """How well `passphrase` would resist guessing, scored by zxcvbn (0 to 4).

    `context`: words a guesser would try first (the office's name, the town), scored as weak.
    """
    from zxcvbn import zxcvbn  # noqa: PLC0415 - its dictionaries load in 30 ms; not at startup

    score = int(zxcvbn(passphrase[:ZXCVBN_MAX_LENGTH], user_inputs=list(context))["score"])
    long_enough = len(passphrase) >= MIN_PASSPHRASE_LENGTH
    if not long_enough:
        message = _HINT_TOO_SHORT
    elif score < ACCEPTABLE_SCORE:
        message = _HINT_GUESSABLE
    else:
        message = _HINT_STRONG
    return PassphraseHint(
        score=score,
        acceptable=long_enough and score >= ACCEPTABLE_SCORE,
        message=_(message).format(minimum=isolate(MIN_PASSPHRASE_LENGTH)),
    )


def require_acceptable_passphrase(passphrase: str, *, context: Sequence[str] = ()) -> None:
    """Raise WeakPassphrase, saying what to do, unless `passphrase_hint` finds it acceptable."""
    if passphrase_hint(passphrase, context=context).acceptable:
        return
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(_HINT_TOO_SHORT, minimum=MIN_PASSPHRASE_LENGTH)
    raise WeakPassphrase(_HINT_GUESSABLE)
