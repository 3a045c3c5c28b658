"""Vietnamese text helpers: one stored form (NFC) and one compared form (folded)."""

import functools
import re
import unicodedata
from html import escape

_SPACES = re.compile(r"\s+")
# NUL (PostgreSQL refuses it in text) and the format characters, Unicode category Cf (of Unicode 14, the
# data of Python 3.11): zero-width spaces and joiners, the bidirectional overrides (U+202E shows text
# backwards), the BOM, the soft hyphen. They are invisible, so a name can pass for another one.
# Vietnamese needs none of them: its combining marks are Mn. tests/test_bad_input.py checks this list.
_INVISIBLE = re.compile(
    "[\x00\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def nfc(value: str) -> str:
    """The form we store: composed Unicode, as most editors write it, without NUL or invisible characters."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", value or ""))


@functools.lru_cache(maxsize=8192)
def fold(value: str) -> str:
    """The form we compare and search on (remembered: a model's articles are folded again for every copy).

    Lower case, no diacritics, "đ" as "d", runs of white space as one space, so that
    "Quy chế làm việc", "quy che lam viec", "uỷ" and "ủy" (two spellings in use) all meet.
    """
    decomposed = unicodedata.normalize("NFD", (value or "").lower())
    return _SPACES.sub(" ", _without_marks(decomposed).replace("đ", "d")).strip()


_COMMON_MARKS = re.compile("[\u0300-\u036f]")  # the Combining Diacritical Marks block: all of category Mn


def _without_marks(text: str) -> str:
    """The text without combining marks (category Mn): Vietnamese uses the common ones only, so
    the rare others are looked for among the distinct characters left, not character by character."""
    text = _COMMON_MARKS.sub("", text)
    if any(unicodedata.category(ch) == "Mn" for ch in set(text) if not ch.isascii()):
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text


# A word of one or two letters is mostly a syllable of its own ("về", "uỷ", "do"): search finds it where a
# word starts (at the start of the text, or after a space or one of these marks), not inside longer words,
# where "ve" or "uy" would be everywhere. regulations/search.py asks the database the same question.
WORD_BREAKS = ' (“"/-'
_LETTER = re.compile(r"[^\W_]")
_THREE_LETTERS = re.compile(r"[^\W_]{3}")


def search_words(query: str) -> list[str]:
    """The words a search looks for, folded: those with a letter or a digit (a lone "-" or "§" says nothing)."""
    return [word for word in fold(query).split() if _LETTER.search(word)]


def is_short(word: str) -> bool:
    """No run of three letters or digits: too short to be found inside longer words."""
    return not _THREE_LETTERS.search(word)


def has_word(part: str, word: str) -> bool:
    """Whether `part`, a piece of a folded text between two spaces, has the search word as search finds it
    in the text: a long word anywhere, a short one at the start or after one of WORD_BREAKS. A search
    word has no space, so a text has it if and only if one of its pieces does."""
    if not is_short(word):
        return word in part
    return part.startswith(word) or any(mark + word in part for mark in WORD_BREAKS)


class _FoldedChars(dict):
    """str.translate's table from a character to its folded one, filled as characters are met.

    Every Vietnamese letter folds to one letter; anything else is kept as it is, lower-cased, so that
    positions in the folded text stay the positions in the original. Only the alphabets and marks up to
    U+2100 (Latin, Vietnamese, punctuation) are remembered, so that the table stays small.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = fold(ch) if not ch.isspace() else " "
        folded = folded if len(folded) == 1 else ch.lower()[:1] or ch
        if code < 0x2100:
            self[code] = folded
        return folded


_FOLDED_CHARS = _FoldedChars()


def find_folded(text: str, query: str) -> list[tuple[int, int]]:
    """Spans of `text` where the words of `query` occur, compared without diacritics.

    A short word counts only where a word starts (WORD_BREAKS), as search matches it.
    """
    folded = text.translate(_FOLDED_CHARS)
    spans = []
    for word in search_words(query):
        short = is_short(word)
        start = folded.find(word)
        while start != -1:
            if short and start > 0 and folded[start - 1] not in WORD_BREAKS:
                start = folded.find(word, start + 1)
                continue
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or folded[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: str, width: int = 220) -> str:
    """An HTML-escaped excerpt of `text` around the first match, each match in <mark>."""
    spans = find_folded(text, query)
    start = max(0, spans[0][0] - width // 3) if spans else 0
    end = min(len(text), start + width)
    parts, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    return ("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else "")
