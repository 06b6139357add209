"""A search's terms, and the snippet that shows where they matched: how a query is
read (recorder.read.search finds what it asks for)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from recorder.domain.errors import InputError
from recorder.domain.i18n import _

MARK = ("**", "**")
"""How a snippet marks what matched."""

_HEX_PREFIX = re.compile(r"^0x(?=[0-9a-f]{2,}$)", re.I)
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Terms:
    """A query split by how each term is found."""

    words: tuple[str, ...] = ()
    """Whole words (ASCII letters), found in the words index; when none is, as pieces
    of words in the trigram index."""
    grams: tuple[str, ...] = ()
    """Anything else of 3 characters or more, found in the trigram index."""
    short: tuple[str, ...] = ()
    """Anything else, shorter: found by the trigrams it begins, or by a scan."""

    @property
    def all(self) -> tuple[str, ...]:
        """Every term, as the snippets look for them."""
        return self.words + self.grams + self.short


def terms_of(query: str) -> Terms:
    """The terms of a query, normalised; InputError when it has none."""
    words: list[str] = []
    grams: list[str] = []
    short: list[str] = []
    for raw in unicodedata.normalize("NFKC", query).split():
        term = _HEX_PREFIX.sub("", raw.strip("\"'"))
        if not term:
            continue
        if _WORD.fullmatch(term):
            words.append(term.lower())
        elif len(term) >= 3:
            grams.append(term)
        else:
            short.append(term)
    if not (words or grams or short):
        raise InputError(_("nothing to search for; expected a word, a number or Chinese text"))
    return Terms(tuple(words), tuple(grams), tuple(short))


def fts(term: str) -> str:
    """A term as an FTS5 string, its quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


def found_at(text: str, terms: Terms | str) -> int:
    """Where the first term is found in `text` (any case), or -1."""
    folded = text.casefold()  # stored text as it is: the index does not fold its width
    wanted = terms.all if isinstance(terms, Terms) else (terms,)
    found = [i for t in wanted if (i := folded.find(t.casefold())) >= 0]
    return min(found) if found else -1


def snippet(text: str, terms: Terms, width: int = 80) -> str:
    """A line of `text` around its first match, each term marked (MARK)."""
    flat = " ".join(text.split())
    start = found_at(flat, terms)
    if start < 0:
        return flat[:width] + ("…" if len(flat) > width else "")
    left = 0 if len(flat) <= width else max(0, start - width // 3)
    if left:  # start at a word where there is one close by
        space = flat.find(" ", left, start)
        left = space + 1 if 0 <= space < left + 12 else left
    piece = flat[left : left + width]
    piece = ("…" if left else "") + piece + ("…" if left + width < len(flat) else "")
    for term in sorted(set(terms.all), key=len, reverse=True):
        piece = re.sub(
            re.escape(term), lambda m: f"{MARK[0]}{m.group()}{MARK[1]}", piece, flags=re.I
        )
    return piece
