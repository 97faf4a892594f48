"""Word tokens with character offsets (Arabic and Latin letters, digits, inner apostrophes)."""
from __future__ import annotations

import re
from typing import NamedTuple

_TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


class Token(NamedTuple):
    """A named tuple, not a frozen dataclass: an article has thousands of tokens, and a frozen
    dataclass costs three attribute writes each to make (#8)."""
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(*m.span(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def is_capitalized(word: str) -> bool:
    return word[:1].isupper()
