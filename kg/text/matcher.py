"""Multi-phrase matching over folded text with an Aho-Corasick automaton.

Phrases and text are folded the same way (`normalize.fold`). A match must start at a
word boundary, or, for Arabic phrases, after attached proclitics (و ف ب ل ك, and the
article ال when the phrase has one); it must end at a word boundary. Matches map back
to exact offsets in the original text; a proclitic is left out of the span, an
article is kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import ahocorasick

from .normalize import fold, is_arabic

_CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك", "لل")
_WITH_ARTICLE = ("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال", "وكال")


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the original text
    end: int
    text: str
    payloads: tuple[Any, ...]
    case_exact: bool  # the original text has the phrase's exact letter case


@dataclass(frozen=True)
class _Entry:
    payload: Any
    had_article: bool
    arabic: bool
    phrase: str
    key: str


class PhraseMatcher:
    """Add phrases with payloads, then `find` them in a text folded with `fold_with_map`."""

    def __init__(self, names: bool = False) -> None:
        # names=True: a leading article is optional ("العراق" also matches "عراق"
        # after "لل"). Lexicon words keep theirs ("التقى" is a verb, not ال + تقى),
        # and may themselves take an article ("الهجوم").
        self._names = names
        self._auto = ahocorasick.Automaton()
        self._entries: dict[str, list[_Entry]] = {}
        self._ready = False

    def add(self, phrase: str, payload: Any) -> None:
        key = fold(phrase)
        arabic = is_arabic(key)
        if arabic and len(key) > 2 and key[-2] == " " and key[-1] in "لبك":
            key = key[:-2]  # "وفقا ل": the letter attaches to the next word
        if not key:
            return
        had_article = not self._names
        if arabic and self._names:
            first, _, rest = key.partition(" ")
            if first.startswith("ال") and len(first) > 3:
                key = first[2:] + (" " + rest if rest else "")
                had_article = True
        if len(key) < 2:
            return
        self._entries.setdefault(key, []).append(_Entry(payload, had_article, arabic, phrase.strip(), key))
        self._ready = False

    def add_all(self, phrases: Iterable[str], payload: Any) -> None:
        for p in phrases:
            self.add(p, payload)

    def _build(self) -> None:
        self._auto = ahocorasick.Automaton()
        for key, entries in self._entries.items():
            self._auto.add_word(key, (key, tuple(entries)))
        if self._entries:
            self._auto.make_automaton()
        self._ready = True

    def find(self, text: str, folded: str, offsets: list[int]) -> list[Match]:
        """Every boundary-respecting match, overlapping ones included, in text order."""
        if not self._ready:
            self._build()
        if not self._entries:
            return []
        out: list[Match] = []
        n = len(folded)
        for end_idx, (key, entries) in self._auto.iter(folded):
            end = end_idx + 1
            start = end - len(key)
            if end < n and folded[end].isalnum():
                continue
            word_start = start
            while word_start > 0 and folded[word_start - 1].isalnum():
                word_start -= 1
            prefix = folded[word_start:start]
            kept = [e for e in entries if _prefix_ok(prefix, e)]
            if not kept:
                continue
            # Keep an article in the span ("العراق"), leave a proclitic out ("بـ").
            span_start = start - 2 if prefix.endswith("ال") else start
            o_start, o_end = offsets[span_start], offsets[end - 1] + 1
            surface = text[o_start:o_end]
            exact = any(e.phrase == surface for e in kept)
            out.append(Match(o_start, o_end, surface, tuple(e.payload for e in kept), exact))
        out.sort(key=lambda m: (m.start, -m.end))
        return out


def _prefix_ok(prefix: str, entry: _Entry) -> bool:
    if not prefix:
        return True
    if not entry.arabic:
        return False
    if len(entry.key) <= 2:
        return prefix in ("و", "ف")  # "كما" is not ك + ما
    return prefix in _CLITICS or (entry.had_article and prefix in _WITH_ARTICLE)


def longest_first(matches: list[Match]) -> list[Match]:
    """Non-overlapping matches, preferring the longest, then the leftmost."""
    chosen: list[Match] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= s or m.start >= e for s, e in taken):
            chosen.append(m)
            taken.append((m.start, m.end))
    return sorted(chosen, key=lambda m: m.start)
