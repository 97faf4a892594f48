"""Sentence segmentation for Arabic and English that keeps character offsets."""
from __future__ import annotations

import re

from ..models import Span

# Tokens that end with a period without ending a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "maj", "brig", "adm", "capt", "sgt", "cpl",
    "st", "jr", "sr", "no", "vs", "etc", "inc", "co", "corp", "gov", "sen", "rep", "amb",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "a.m", "p.m", "u.s", "u.n", "u.k", "d.c", "e.g", "i.e", "approx", "est", "pres", "lt.col",
}
_END = re.compile(r"[.!?؟]+[\"'”»)\]]*")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    return word in _ABBREV or (len(word) == 1 and word.isalpha() and word.isascii())


def _glued(text: str, dot: int, nxt: int, end: int) -> bool:
    """"in Syria.It was", "troops.\"These": scraped text that lost the space after a full stop
    (a lowercase word before, a capital after; "U.S.-led" and "3.5" stay whole)."""
    if dot < 2 or not (text[dot - 1].islower() and text[dot - 2].isalpha()):
        return False
    i = nxt
    while i < end and text[i] in "\"'“‘«(":
        i += 1
    return i < end and text[i].isupper()


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end] as spans with offsets into `text`, trimmed of blanks."""
    end = len(text) if end is None else end
    cuts: list[int] = []
    for m in _END.finditer(text, start, end):
        nxt = m.end()
        if nxt < end and not (text[nxt].isspace() or "\u0600" <= text[nxt] <= "\u06ff") \
                and not _glued(text, m.start(), nxt, end):
            continue  # "3.5", "U.S.-led", "e.g.x": no break
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        cuts.append(nxt if nxt >= end or text[nxt].isspace() or not _glued(text, m.start(), nxt, end)
                    else m.start() + 1)
    for m in re.finditer(r"\n\s*", text[start:end]):
        cuts.append(start + m.start())
    spans: list[Span] = []
    prev = start
    for cut in sorted(set(cuts)) + [end]:
        if cut <= prev:
            continue
        s, e = prev, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append(Span(s, e, text[s:e]))
        prev = cut
    return spans
