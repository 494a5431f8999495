"""Unicode-aware word counting for form word limits and the live counter.

The campaign's join form is filled in many languages, and a limit such as
"700 words max" must mean the same effort in all of them. ``str.split()`` does
not: it counts a lone dash or quote as a word, splits nothing in Chinese,
Japanese or Thai, and cannot see combining marks. These rules are the single
definition of a "word" that the form validation, the live counter and
docs/FORMATS.md share; change them here and only here.

Rules
=====

Every character of the text falls into exactly one class. Classification
looks only at the character itself, using ``unicodedata.category`` of the
running Python and the code point ranges in the constants below; rules are
applied in this order:

1. **Joiner**: apostrophes U+0027 ``'``, U+2019 ``’``, U+02BC ``ʼ`` and
   hyphens U+002D ``-``, U+2010 ``‐``, U+2011 ``‑`` (:data:`JOINERS`).
   U+02BC is a letter (Lm) to Unicode but is a joiner here.
2. **Extender**: every combining mark (categories Mn, Mc, Me), U+200C ZERO
   WIDTH NON-JOINER, U+200D ZERO WIDTH JOINER, and the halfwidth katakana
   (semi-)voiced sound marks U+FF9E/U+FF9F, which are spacing forms of the
   combining marks U+3099/U+309A (:data:`EXTENDERS`).
3. **Ideograph or kana**: a letter or number (categories L*, N*) inside
   :data:`IDEOGRAPH_KANA_RANGES` (Han ideographs with all extensions and
   compatibility blocks, the ideographic iteration/closing/number marks,
   Hiragana, Katakana, Katakana Phonetic Extensions, halfwidth Katakana and
   the Kana supplement blocks). The prolonged sound mark U+30FC ``ー`` (Lm)
   is included, so "コーヒー" is 4 words.
4. **Southeast Asian letter**: a letter (category L*) inside
   :data:`SOUTHEAST_ASIAN_RANGES` (Thai, Lao, Myanmar with its extensions,
   Khmer with Khmer Symbols). Digits of these scripts are category N and fall
   to rule 5.
5. **Word character**: any other letter or number (categories L*, N*). This
   includes U+0640 ARABIC TATWEEL (Lm) and Hangul, which is written with
   spaces and therefore counted like Latin.
6. **Separator**: everything else: spaces and other whitespace, punctuation,
   symbols, emoji, controls, format characters (including U+00AD SOFT HYPHEN
   and U+200B ZERO WIDTH SPACE), private use, unassigned code points and lone
   surrogates.

Words are then read from left to right:

* **Ordinary word**: a word character followed by the longest possible run
  of word characters, extenders, and joiners that are *immediately* followed
  by a word character. So "l'homme", "don't", "d’aujourd’hui", "anak-anak",
  "Saint-Denis", "2020-2030" and "می‌خواهم" (with ZWNJ) are one word each,
  while "- -", a trailing "s'" apostrophe, or the quotes around "'quoted'"
  are separators. Each ordinary word counts as 1.
* **Ideograph or kana word**: one ideograph or kana character followed by any
  extenders (e.g. a combining dakuten or an ideographic variation selector).
  Each counts as 1, the usual convention for Chinese and Japanese and that of
  common word processors. They interrupt ordinary words: "ABC漢字DEF" is
  1 + 2 + 1 = 4 words. A joiner next to them is a separator.
* **Southeast Asian run**: a Southeast Asian letter followed by the longest
  run of Southeast Asian letters and extenders. These scripts put no spaces
  between words and real segmentation needs a dictionary (ICU), so a run
  counts as ``ceil(letters / SOUTHEAST_ASIAN_LETTERS_PER_WORD)`` words, where
  ``letters`` excludes the extenders (vowel signs and tone marks written as
  combining marks). Joiners do not join runs, and runs interrupt ordinary
  words.
* An extender that does not follow a character of a word (for example at the
  start of the text, after a space, or after an emoji) is a separator. This
  deliberately departs from a naive "marks are word characters" rule so that
  emoji sequences such as "❤️" (U+2764 U+FE0F) and "👨‍👩‍👧" (joined by ZWJ)
  count as 0 words, like other symbols.

Consequences relied upon by the tests: whitespace (indeed any separator
character) between two pieces of text makes their counts add up; no word is
empty, so ``count_words(text) <= len(text)``; every letter and number except
U+02BC, U+FF9E and U+FF9F lies inside a word. A dot or comma inside a number
separates ("3.14" and "1,000" are 2 words each). The tests also check, on
generated text, that NFC and NFD forms of a text count the same, which
matters for text pasted from systems that decompose accents.

Scope and limits: Other scripts written without spaces (Tai Tham, New Tai
Lue, Tai Viet, Yi, Bopomofo used alone...) are counted like Latin, i.e. a
whole unspaced run is one word. Results follow the Unicode database of the
running Python (Unicode 14.0 in Python 3.11), so characters assigned later
are separators until Python is upgraded.

Performance
===========

The live counter runs on every keystroke, so the work is done in C in two
linear passes, with Python code running once per call (and once per word only
in :func:`word_spans`):

1. One ``str.translate`` call maps the text to a string of one-letter class
   codes with the same length and offsets, through a per-code-point cache
   that is filled lazily: ``unicodedata`` is consulted once per distinct
   code point, not once per character.
2. One regular expression, built only from possessive quantifiers and hence
   free of backtracking, finds the words in that class string. It cuts a
   Southeast Asian run into chunks of at most
   :data:`SOUTHEAST_ASIAN_LETTERS_PER_WORD` letters, so that the number of
   matches *is* the word count; :func:`word_spans` glues the chunks of a run
   back together.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "EXTENDERS",
    "IDEOGRAPH_KANA_RANGES",
    "JOINERS",
    "SOUTHEAST_ASIAN_LETTERS_PER_WORD",
    "SOUTHEAST_ASIAN_RANGES",
    "count_words",
    "word_spans",
]

SOUTHEAST_ASIAN_LETTERS_PER_WORD = 5
"""Letters per counted word in Thai, Lao, Khmer and Myanmar runs.

An approximation of the average word length in letters (vowel signs and tone
marks written as combining marks excluded), chosen so that a limit expressed
in words asks roughly the same amount of text as in spaced languages. Shared
with docs/FORMATS.md; changing it changes what existing limits mean.
"""

JOINERS: frozenset[str] = frozenset("'\u2019\u02bc-\u2010\u2011")
"""Apostrophes and hyphens that join two word characters into one word."""

EXTENDERS: frozenset[str] = frozenset("\u200c\u200d\uff9e\uff9f")
"""Non-mark characters that continue a word (marks M* always do)."""

IDEOGRAPH_KANA_RANGES: tuple[tuple[int, int], ...] = (
    (0x3005, 0x3007),  # 々 iteration mark, 〆 closing mark, 〇 number zero
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3038, 0x303B),  # Hangzhou numerals 10-30, vertical iteration mark
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana (incl. ー prolonged sound mark)
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFF66, 0xFF9F),  # Halfwidth Katakana
    (0x1AFF0, 0x1AFFF),  # Kana Extended-B
    (0x1B000, 0x1B16F),  # Kana Supplement, Kana Extended-A, Small Kana Extension
    (0x20000, 0x2A6DF),  # CJK Unified Ideographs Extension B
    (0x2A700, 0x2EE5F),  # CJK Unified Ideographs Extensions C, D, E, F, I
    (0x2F800, 0x2FA1F),  # CJK Compatibility Ideographs Supplement
    (0x30000, 0x323AF),  # CJK Unified Ideographs Extensions G, H
)
"""Inclusive code point ranges whose letters and numbers are one word each."""

SOUTHEAST_ASIAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer Symbols
    (0xA9E0, 0xA9FF),  # Myanmar Extended-B
    (0xAA60, 0xAA7F),  # Myanmar Extended-A
)
"""Inclusive code point ranges whose letters are counted by the run rule."""

# One-character class codes of the intermediate class string.
_WORD = "w"
_EXTENDER = "e"
_JOINER = "j"
_IDEOGRAPH = "h"
_SOUTHEAST_ASIAN = "t"
_SEPARATOR = " "

# Possessive quantifiers (*+, {m,n}+) never give back what they consumed, so
# the scan is linear; the only retry is a joiner not followed by a word
# character, one character long. The Southeast Asian alternative matches a
# chunk of up to SOUTHEAST_ASIAN_LETTERS_PER_WORD letters (with the extenders
# among and after them), so a run of n letters yields ceil(n / divisor)
# matches and counting words is counting matches. The divisor is read once,
# here, at import.
_TOKEN = re.compile(
    f"{_WORD}[{_WORD}{_EXTENDER}]*+(?:{_JOINER}{_WORD}[{_WORD}{_EXTENDER}]*+)*+"
    f"|{_IDEOGRAPH}{_EXTENDER}*+"
    f"|{_SOUTHEAST_ASIAN}(?:{_EXTENDER}*+{_SOUTHEAST_ASIAN})"
    f"{{0,{SOUTHEAST_ASIAN_LETTERS_PER_WORD - 1}}}+{_EXTENDER}*+"
)

# Bounds the class cache so that adversarial input (every code point once)
# cannot grow memory without limit; beyond it classification still works,
# just without memoisation.
_CACHE_LIMIT = 1 << 16


def _in_ranges(code_point: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code_point <= high for low, high in ranges)


def _classify(code_point: int) -> str:
    """Apply rules 1-6 of the module docstring to one code point."""
    char = chr(code_point)
    if char in JOINERS:
        return _JOINER
    if char in EXTENDERS:
        return _EXTENDER
    major = unicodedata.category(char)[0]
    if major == "M":
        return _EXTENDER
    if major not in "LN":
        return _SEPARATOR
    if _in_ranges(code_point, IDEOGRAPH_KANA_RANGES):
        return _IDEOGRAPH
    if major == "L" and _in_ranges(code_point, SOUTHEAST_ASIAN_RANGES):
        return _SOUTHEAST_ASIAN
    return _WORD


class _ClassTable(dict[int, str]):
    """``str.translate`` table that classifies code points on first sight.

    Building a complete table up front would cost a ``unicodedata`` call per
    assigned code point at import time; filling it lazily keeps import free
    and makes repeated characters (the common case while typing) a C-level
    dict hit.
    """

    def __missing__(self, code_point: int) -> str:
        char_class = _classify(code_point)
        if len(self) < _CACHE_LIMIT:
            self[code_point] = char_class
        return char_class


_CLASS_TABLE = _ClassTable()


def _classes(text: str) -> str:
    """Map each character to its class code, keeping offsets unchanged."""
    return text.translate(_CLASS_TABLE)


def count_words(text: str) -> int:
    """Count words as defined in the module docstring.

    This is the number that word limits (e.g. "700 words max") are checked
    against and that the live counter shows, so both always agree.
    """
    return len(_TOKEN.findall(_classes(text)))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets (``text[start:end]``) of counted words.

    Meant for highlighting what the counter counted, e.g. the words beyond a
    limit. Each ideograph or kana character is its own span. A Southeast
    Asian run is returned as a single span even though it may count as
    several words, because there is no honest place to cut it; therefore
    ``len(word_spans(text)) == count_words(text)`` holds only for text
    without runs longer than :data:`SOUTHEAST_ASIAN_LETTERS_PER_WORD` letters.
    """
    classes = _classes(text)
    if _SOUTHEAST_ASIAN not in classes:
        return [match.span() for match in _TOKEN.finditer(classes)]
    spans: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(classes):
        start, end = match.span()
        if (
            spans
            and spans[-1][1] == start
            and classes[start] == _SOUTHEAST_ASIAN
            and classes[spans[-1][0]] == _SOUTHEAST_ASIAN
        ):
            # Two adjacent Southeast Asian chunks are one run: a run is
            # maximal, so a chunk boundary can only fall inside it.
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans
