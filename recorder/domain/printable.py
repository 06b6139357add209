"""Text as a terminal may show it: what is stored (a pasted transcript, an imported
email) can hold control characters that a terminal would obey, such as `ESC ]0;` to
retitle the window or `ESC [2J` to clear it, and right-to-left overrides that reorder
what is read. Outputs make them visible (the command line) or drop them (the TUI,
where each must keep its width of nothing); the store keeps them as they were."""

from __future__ import annotations

import re

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal obeys rather than shows (tab and newline excepted), and the
marks that change the direction of text."""


def _caret(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """The text with each control character written out (`^[` for ESC, `<U+202E>`)."""
    if CONTROLS.search(text) is None:
        return text
    return CONTROLS.sub(_caret, text)


def without_controls(text: str) -> str:
    """The text without its control characters."""
    if CONTROLS.search(text) is None:
        return text
    return CONTROLS.sub("", text)


def json_safe(text: str) -> str:
    """JSON text with the control characters that JSON leaves raw (C1, direction marks)
    written as `\\uXXXX` escapes: the same data, nothing a terminal obeys."""
    if CONTROLS.search(text) is None:
        return text
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cells(text: str) -> int:
    """How many terminal cells a text takes: East Asian wide and full-width characters
    take two, combining marks none."""
    import unicodedata

    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def fit_right(text: str, width: int) -> str:
    """The text padded on the left to `width` cells (a number's column), or cut like
    `fit` when it is wider."""
    used = cells(text)
    return " " * (width - used) + text if used <= width else fit(text, width)


def fit(text: str, width: int) -> str:
    """The text cut (with "…") or padded to exactly `width` cells, so that columns of
    Chinese and Latin text line up."""
    if cells(text) <= width:
        return text + " " * (width - cells(text))
    out, used = [], 0
    for char in text:
        size = cells(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…" + " " * (width - 1 - used)
