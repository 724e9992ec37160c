"""EMV TLV: 2-digit ID, 2-digit length (in characters), value; no nesting markers."""

from __future__ import annotations

from .errors import Violation

# "00".."99" -> int; a dict lookup rejects "8R", " 8", "٠٨" (Unicode digits) in one step.
TWO_DIGITS: dict[str, int] = {f"{i:02d}": i for i in range(100)}


def parse(text: str, field: str = "tlv") -> tuple[list[tuple[str, str]], Violation | None]:
    """Split text into (id, value) pairs; stop at the first structural error and return it.

    `field` labels a violation: "tlv" for the whole code, or the ID of the enclosing template.
    """
    items: list[tuple[str, str]] = []
    two = TWO_DIGITS
    n = len(text)
    i = 0
    while i < n:
        head = text[i : i + 4]
        size = two.get(head[2:4])
        if size is None or head[:2] not in two:
            return items, Violation(
                _where(field),
                "tlv_header",
                head,
                f"at position {i}: expected a 2-digit ID and a 2-digit length, found {head!r}",
            )
        j = i + 4 + size
        if j > n:
            return items, Violation(
                _where(field),
                "tlv_truncated",
                text[i : i + 24],
                f"at position {i}: ID {head[:2]} declares length {size} "
                f"but only {n - i - 4} characters follow",
            )
        items.append((head[:2], text[i + 4 : j]))
        i = j
    return items, None


def _where(field: str) -> str:
    if field in TWO_DIGITS:
        from .model import label  # only on the error path

        return label(field)
    return field


def tlv(tag: str, value: str) -> str:
    """Serialise one data object; the caller guarantees len(value) <= 99."""
    return f"{tag}{len(value):02d}{value}"
