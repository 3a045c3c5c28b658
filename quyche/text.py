"""Vietnamese text helpers: one stored form (NFC) and one compared form (folded)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """The form we store: composed Unicode, as most editors write it."""
    return unicodedata.normalize("NFC", value or "")


def fold(value: str) -> str:
    """The form we compare and search on.

    Lower case, no diacritics, "đ" as "d", runs of white space as one space, so that
    "Quy chế làm việc", "quy che lam viec", "uỷ" and "ủy" (two spellings in use) all meet.
    """
    decomposed = unicodedata.normalize("NFD", (value or "").lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.replace("đ", "d")).strip()
