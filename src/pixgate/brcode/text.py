"""Text folding: BR Code text fields must be printable ASCII, so accents are stripped."""

from __future__ import annotations

import unicodedata


def fold_ascii(text: str) -> str:
    """Strip accents without dropping letters ("São Paulo" -> "Sao Paulo", "Nº" -> "No").

    NFKD (a superset of NFD) also maps compatibility characters such as the ordinal
    indicators, ligatures and the no-break space to their plain ASCII spelling.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_printable_ascii(text: str) -> bool:
    """True for characters 0x20-0x7E only, the BR Code 'ans' character set."""
    return text.isascii() and text.isprintable()


def first_bad_char(text: str) -> str:
    """The first character that is not printable ASCII, for error messages."""
    for ch in text:
        if not (" " <= ch <= "~"):
            return ch
    return ""


def describe(ch: str) -> str:
    """Human name of a character ("U+00CD LATIN CAPITAL LETTER I WITH ACUTE")."""
    if not ch:
        return "?"
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"
