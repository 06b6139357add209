"""Regular expressions compiled on first use.

The secret scanner (recorder.domain.secrets) holds a score of patterns, and compiling
them all costs about 20 ms: more than the scan of most texts, which needs few of them
(a cheap test of the text comes first). Every `recorder log` would pay it at start-up.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cached_property


class LazyPattern:
    """A pattern that compiles itself the first time it is used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return re.compile(self.pattern, self.flags)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As re.Pattern.search."""
        return self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As re.Pattern.match."""
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As re.Pattern.fullmatch."""
        return self.compiled.fullmatch(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """As re.Pattern.finditer."""
        return self.compiled.finditer(text, pos, endpos)

    def findall(self, text: str) -> list[str]:
        """As re.Pattern.findall."""
        return self.compiled.findall(text)
