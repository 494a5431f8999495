"""One registry of everything that shows our texts, so a language change reaches every window.

Each top-level window and dialog registers its `retranslate_ui` once, when it is made; switching
the language calls them all. The registry holds weak references (as Frescobaldi's `app` module
does for its translateUI listeners): registering never keeps a closed window alive, and a window
Qt has already deleted is skipped. Inside a window, `retranslate_ui` still reaches its own parts;
what no longer needs a hand-written call is a second window (a dialog left open, later the
secretariat desk beside the drafts list).
"""

from __future__ import annotations

import logging
import weakref
from typing import Protocol

import shiboken6

_log = logging.getLogger(__name__)


class Retranslatable(Protocol):
    """A widget that can set its texts again in the current language."""

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""


_followers: list[weakref.WeakMethod] = []


def follow_language(widget: Retranslatable) -> None:
    """Call `widget.retranslate_ui()` at every language change, for as long as it exists."""
    _followers.append(weakref.WeakMethod(widget.retranslate_ui))


def retranslate_all() -> int:
    """Set the texts of every registered window in the current language; how many were.

    A window whose retranslation fails is logged and the others still follow: one broken text
    must not leave the rest of the app in the old language."""
    live = []
    for reference in _followers:
        method = reference()
        if method is None or not shiboken6.isValid(method.__self__):
            continue
        live.append(reference)
    _followers[:] = live
    done = 0
    for reference in list(live):
        method = reference()
        if method is None:
            continue
        try:
            method()
            done += 1
        except Exception:
            _log.exception("A window could not change its language")
    return done
