"""Tests for schemas.wordcount: worked examples per language, then properties.

Expected values of the examples are counted by hand from the rules in the
module docstring (the reasoning is in the ids and comments), never taken from
the function under test.
"""

import math
import string
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.wordcount import (
    SOUTHEAST_ASIAN_LETTERS_PER_WORD,
    count_words,
    word_spans,
)

# No example database: the run must not leave a .hypothesis directory behind,
# and no deadline: timing on a loaded CI machine is not what is under test.
hypothesis_settings = settings(database=None, deadline=None)

WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
JOINER_CHARS = "'\u2019\u02bc-\u2010\u2011"
# Halfwidth katakana (semi-)voiced sound marks: letters (Lm) to Unicode, but
# treated as marks attached to the preceding kana.
HALFWIDTH_SOUND_MARKS = "\uff9e\uff9f"

# Characters that exercise every rule, so that generated text often contains
# joiners between letters, marks after letters, ZWJ emoji, kana, Thai, etc.
INTERESTING = (
    "aZé9_ \t\n.,;!?¿¡"
    + JOINER_CHARS
    + "\u0301\u064e\u0651\u093e\u200c\u200d\u0640\ufe0f\u20e3"  # marks, ZWNJ/ZWJ, tatweel
    + "بمی٣"  # Arabic letters and digit
    + "漢字々〇かがカーｶﾞ\u3099"  # Han, kana, halfwidth kana, dakuten
    + "ภาษไทย\u0e48\u0e31๒ລ"  # Thai letters, marks, digit; Lao
    + "한글"  # Hangul
    + "🙂👍🏽❤"  # emoji
    + "\u00ad\u200b\ud800"  # soft hyphen, zero width space, lone surrogate
)
interesting_text = st.text(alphabet=st.sampled_from(INTERESTING))
any_text = st.one_of(st.text(), interesting_text)


def _is_southeast_asian(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("THAI ", "LAO ", "KHMER ", "MYANMAR "))


# --- Worked examples -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "The campaign 10, 100, 1000 Human Rights Cities and Territories by 2030 is growing.",
            14,
            id="english",
        ),
        pytest.param("Don't stop: it's the cities' turn.", 6, id="english-apostrophes"),
        # L'homme | et | la | femme | d’aujourd’hui
        pytest.param("L'homme et la femme d’aujourd’hui", 5, id="french-elisions"),
        pytest.param("Rendez-vous à Saint-Denis, n’est-ce pas ?", 5, id="french-hyphens"),
        # Dónde | está | la | estación | Qué | rápido
        pytest.param("¿Dónde está la estación? ¡Qué rápido!", 6, id="spanish"),
        pytest.param(
            unicodedata.normalize("NFD", "¿Dónde está la estación? ¡Qué rápido!"),
            6,
            id="spanish-decomposed-accents",
        ),
        # Anak-anak | bermain | bola | di | lapangan
        pytest.param("Anak-anak bermain bola di lapangan.", 5, id="indonesian"),
        pytest.param("anak-anak", 1, id="indonesian-reduplication"),
        # Disse-lhe | que | não | mas | o | guarda-chuva | é | dele | em | São | Paulo
        pytest.param(
            "Disse-lhe que não, mas o guarda-chuva é dele em São Paulo.", 11, id="portuguese"
        ),
        pytest.param("मानव अधिकार शहर", 3, id="hindi-vowel-signs"),
        pytest.param("안녕하세요 세계", 2, id="korean"),
        pytest.param("می\u200cخواهم بروم", 2, id="persian-zwnj"),
        # 東 京 で | HRC | の 会 議
        pytest.param("東京でHRCの会議", 7, id="japanese-with-latin"),
        # 私 は コ ー ヒ ー が 好 き で す
        pytest.param("私はコーヒーが好きです。", 11, id="japanese-kana-kanji"),
        # ABC | 漢 | 字 | DEF
        pytest.param("ABC漢字DEF", 4, id="han-breaks-latin"),
        # 15 Han characters, plus 2030, 10, 100, 1000
        pytest.param(
            "人权城市运动：到2030年建成10、100、1000个人权城市。", 19, id="chinese-with-numbers"
        ),
        pytest.param("ｶﾞｲﾄﾞ", 3, id="halfwidth-katakana-voiced-mark-stays-attached"),
        # ส ว ส ด ค ร บ: 7 letters (two ั and one ี are marks) -> ceil(7/5)
        pytest.param("สวัสดีครับ", 2, id="thai-7-letters"),
        # ภาษาไทย: 7 letters -> 2; ง่าย: 3 letters (่ is a mark) -> 1
        pytest.param("ภาษาไทย ง่าย", 3, id="thai-two-runs"),
        # ภาษาไทยง่าย: 10 letters -> exactly 2
        pytest.param("ภาษาไทยง่าย", 2, id="thai-10-letters"),
        # ภาษาไทยง่ายมาก: 13 letters -> 3
        pytest.param("ภาษาไทยง่ายมาก", 3, id="thai-13-letters"),
        # ปี: 1 letter -> 1; Thai digits are a number -> 1
        pytest.param("ปี ๒๕๖๗", 2, id="thai-digits-are-a-number"),
        # abc | ไทย (3 letters -> 1)
        pytest.param("abcไทย", 2, id="thai-breaks-latin"),
        pytest.param("ສະບາຍດີ", 2, id="lao-6-letters"),
        pytest.param("ភាសាខ្មែរ", 1, id="khmer-5-letters-spacing-marks-excluded"),
        pytest.param("မြန်မာ", 1, id="myanmar-3-letters"),
        pytest.param("2030", 1, id="number"),
        pytest.param("10, 100, 1000", 3, id="numbers-with-commas"),
        pytest.param("2020-2030", 1, id="number-range-hyphen-joins"),
        # 3 | 14 | and | 1 | 000: a dot or comma is a separator
        pytest.param("3.14 and 1,000", 5, id="decimal-and-thousands-separators-split"),
        pytest.param("٢٠٣٠ ١٠", 2, id="arabic-indic-digits"),
        pytest.param("", 0, id="empty"),
        pytest.param(" \t\n\u00a0\u3000\u2028 ", 0, id="whitespace-only"),
        pytest.param("!?.,;:…—–«»()[]{}¿¡/\\@#%&*", 0, id="punctuation-only"),
        pytest.param("😀🎉 ❤️ 👍🏽 👨‍👩‍👧 🇫🇷 #️⃣", 0, id="emoji-only-incl-zwj-and-vs16"),
        pytest.param("- -", 0, id="lone-hyphens"),
        pytest.param("' ’ ʼ ‐ ‑ --", 0, id="lone-joiners"),
        pytest.param("'quoted'", 1, id="quotes-around-word"),
        pytest.param("‘quoted’ and “quoted”", 3, id="typographic-quotes"),
        pytest.param("rock'n'roll", 1, id="chained-joiners"),
        pytest.param("a--b", 2, id="double-hyphen-separates"),
        pytest.param("well- known -ish", 3, id="hyphen-beside-space-separates"),
        pytest.param("e\u0301te\u0301", 1, id="combining-marks-inside-word"),
        pytest.param("\u0301\u0301 \u200d", 0, id="marks-alone-are-not-words"),
        pytest.param("word\u200b\u200bword", 2, id="zero-width-space-separates"),
    ],
)
def test_count_words_on_examples_from_every_script(text: str, expected: int) -> None:
    assert count_words(text) == expected


def test_arabic_with_harakat_and_tatweel_counts_space_separated_words() -> None:
    text = "ذَهَبَ الطَّالِبُ إِلَى المَدْرَسَةِ الجَمِيـــلَةِ"
    # Guard the test data itself: it must really contain harakat and tatweel.
    assert any(unicodedata.category(c) == "Mn" for c in text)
    assert "\u0640" in text
    assert count_words(text) == len(text.split()) == 5


def test_chinese_counts_han_characters() -> None:
    text = "我们支持人权城市和领土。"
    assert count_words(text) == sum("\u4e00" <= c <= "\u9fff" for c in text) == 11


def test_southeast_asian_letters_per_word_is_the_documented_five() -> None:
    # docs/FORMATS.md cites the value; changing it changes existing limits.
    assert SOUTHEAST_ASIAN_LETTERS_PER_WORD == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ABC漢字DEF", [(0, 3), (3, 4), (4, 5), (5, 8)], id="han"),
        pytest.param("'quoted'", [(1, 7)], id="quotes-outside"),
        pytest.param("don't  stop-", [(0, 5), (7, 11)], id="joiners"),
        pytest.param("が", [(0, 1)], id="kana"),
        pytest.param("か\u3099x", [(0, 2), (2, 3)], id="dakuten-attached-to-kana"),
        pytest.param("ภาษาไทยง่ายมาก x", [(0, 14), (15, 16)], id="thai-run-is-one-span"),
        pytest.param("abcภาษาไทยภาษาไทยxyz", [(0, 3), (3, 17), (17, 20)], id="thai-in-latin"),
        pytest.param("🙂\ufe0fa\u0301", [(2, 4)], id="mark-after-emoji-is-not-a-word"),
        pytest.param("", [], id="empty"),
    ],
)
def test_word_spans_on_examples_from_every_script(
    text: str, expected: list[tuple[int, int]]
) -> None:
    assert word_spans(text) == expected


# --- Properties --------------------------------------------------------------


@hypothesis_settings
@given(any_text)
def test_count_never_raises_and_never_exceeds_the_length(text: str) -> None:
    count = count_words(text)
    assert isinstance(count, int)
    assert 0 <= count <= len(text)


@hypothesis_settings
@given(any_text, any_text)
def test_two_texts_joined_by_a_space_count_as_their_sum(a: str, b: str) -> None:
    assert count_words(a + " " + b) == count_words(a) + count_words(b)


non_space_text = any_text.map(lambda s: "".join(c for c in s if not c.isspace()))
whitespace_run = st.text(alphabet=st.sampled_from(WHITESPACE), min_size=1, max_size=4)


@hypothesis_settings
@given(
    st.lists(non_space_text, min_size=1, max_size=8),
    st.data(),
)
def test_any_whitespace_between_words_counts_the_same(
    tokens: list[str], data: st.DataObject
) -> None:
    gaps = len(tokens) - 1
    first = data.draw(st.lists(whitespace_run, min_size=gaps, max_size=gaps))
    second = data.draw(st.lists(whitespace_run, min_size=gaps, max_size=gaps))
    lead = data.draw(st.text(alphabet=st.sampled_from(WHITESPACE), max_size=3))
    trail = data.draw(st.text(alphabet=st.sampled_from(WHITESPACE), max_size=3))

    def join(separators: list[str]) -> str:
        return tokens[0] + "".join(
            sep + token for sep, token in zip(separators, tokens[1:], strict=True)
        )

    reference = count_words(" ".join(tokens))
    assert count_words(join(first)) == reference
    assert count_words(join(second)) == reference
    assert count_words(lead + join(first) + trail) == reference


@hypothesis_settings
@given(st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=12), max_size=50))
def test_ascii_words_joined_by_spaces_count_one_each(words: list[str]) -> None:
    assert count_words(" ".join(words)) == len(words)


latin_run = st.text(alphabet=string.ascii_letters + string.digits + "éçñõüßÀÖø", min_size=1)
hyphenated_word = st.builds(
    lambda first, rest: first + "".join(joiner + run for joiner, run in rest),
    latin_run,
    st.lists(st.tuples(st.sampled_from(JOINER_CHARS), latin_run), max_size=3),
)


@hypothesis_settings
@given(st.lists(hyphenated_word, min_size=1, max_size=20))
def test_inner_joiners_keep_one_word_and_split_when_spaced(words: list[str]) -> None:
    text = " ".join(words)
    assert count_words(text) == len(words)
    inner_joiners = sum(word.count(j) for word in words for j in JOINER_CHARS)
    spaced = "".join(" " if c in JOINER_CHARS else c for c in text)
    assert count_words(spaced) == len(words) + inner_joiners


@hypothesis_settings
@given(any_text.map(lambda s: "".join(c for c in s if not _is_southeast_asian(c))))
def test_count_equals_number_of_spans_without_southeast_asian_scripts(text: str) -> None:
    assert count_words(text) == len(word_spans(text))


@hypothesis_settings
@given(any_text)
def test_spans_are_ordered_disjoint_and_cover_every_letter_and_number(text: str) -> None:
    spans = word_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start] not in JOINER_CHARS
        assert text[end - 1] not in JOINER_CHARS
        assert not any(c.isspace() for c in text[start:end])
        previous_end = end
    covered = {i for start, end in spans for i in range(start, end)}
    for i, char in enumerate(text):
        if (
            unicodedata.category(char)[0] in "LN"
            and char not in JOINER_CHARS
            and char not in HALFWIDTH_SOUND_MARKS
        ):
            assert i in covered, (i, char)
    assert len(spans) <= count_words(text)


@hypothesis_settings
@given(any_text)
def test_canonical_decomposition_does_not_change_count(text: str) -> None:
    # Text pasted from macOS or typed with dead keys may arrive decomposed.
    assert count_words(unicodedata.normalize("NFD", text)) == count_words(text)
    assert count_words(unicodedata.normalize("NFC", text)) == count_words(text)


han_and_kana = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3041, max_codepoint=0x3096),
    st.characters(min_codepoint=0x30A1, max_codepoint=0x30FA),
)


@hypothesis_settings
@given(st.text(alphabet=han_and_kana, min_size=1))
def test_each_han_or_kana_character_is_a_word(text: str) -> None:
    assert count_words(text) == len(text)
    assert word_spans(text) == [(i, i + 1) for i in range(len(text))]


thai_consonants = st.sampled_from([chr(c) for c in range(0x0E01, 0x0E2F)])
thai_marks = st.sampled_from("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e48\u0e49\u0e4a\u0e4b")


@hypothesis_settings
@given(st.lists(st.tuples(thai_consonants, st.lists(thai_marks, max_size=2)), min_size=1))
def test_thai_run_counts_ceil_of_letters(letters: list[tuple[str, list[str]]]) -> None:
    bare = "".join(letter for letter, _ in letters)
    marked = "".join(letter + "".join(marks) for letter, marks in letters)
    expected = math.ceil(len(letters) / 5)
    assert count_words(bare) == expected
    assert count_words(marked) == expected
    assert word_spans(marked) == [(0, len(marked))]


ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B) if c != 0x0640)
HARAKAT_AND_TATWEEL = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"
vocalised_arabic_word = st.builds(
    str.__add__,
    st.sampled_from(ARABIC_LETTERS),
    st.text(alphabet=st.sampled_from(ARABIC_LETTERS + HARAKAT_AND_TATWEEL), max_size=10),
)


@hypothesis_settings
@given(st.lists(vocalised_arabic_word, max_size=10))
def test_vocalised_arabic_counts_space_separated_words(words: list[str]) -> None:
    text = " ".join(words)
    assert count_words(text) == len(words) == len(text.split())
