"""EMV TLV: 2-digit ID, 2-digit length (in characters), value; no nesting markers."""

from __future__ import annotations

from .errors import Violation
from .model import label

# "00".."99" -> int; a dict lookup rejects "8R", " 8", "٠٨" (Unicode digits) in one step.
TWO_DIGITS: dict[str, int] = {f"{i:02d}": i for i in range(100)}


def parse(text: str, field: str = "tlv") -> tuple[list[tuple[str, str]], Violation | None]:
    """Split text into (id, value) pairs; stop at the first structural error and return it.

    `field` labels a violation: "tlv" for the whole code, or the ID of the enclosing template.
    The loop is the decoder's hot path: lookups raise KeyError, and only then is the
    slower diagnosing scan run.
    """
    items: list[tuple[str, str]] = []
    append = items.append
    two = TWO_DIGITS
    n = len(text)
    i = 0
    try:
        while i < n:
            tag = text[i : i + 2]
            j = i + 4 + two[text[i + 2 : i + 4]]
            if j > n or tag not in two:
                raise KeyError(tag)
            append((tag, text[i + 4 : j]))
            i = j
    except KeyError:
        return items, _diagnose(text, i, field)
    return items, None


def _diagnose(text: str, i: int, field: str) -> Violation:
    """Describe the structural error found at position i."""
    head = text[i : i + 4]
    size = TWO_DIGITS.get(head[2:4])
    if size is None or head[:2] not in TWO_DIGITS:
        return Violation(
            _where(field),
            "tlv_header",
            head,
            f"at position {i}: expected a 2-digit ID and a 2-digit length, found {head!r}",
        )
    return Violation(
        _where(field),
        "tlv_truncated",
        text[i : i + 24],
        f"at position {i}: ID {head[:2]} declares length {size} "
        f"but only {len(text) - i - 4} characters follow",
    )


def _where(field: str) -> str:
    return label(field) if field in TWO_DIGITS else field


def tlv(tag: str, value: str) -> str:
    """Serialise one data object; the caller guarantees len(value) <= 99."""
    return f"{tag}{len(value):02d}{value}"
