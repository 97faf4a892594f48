"""Clauses inside a sentence: where one event's roles and date are looked for.

A sentence breaks at ';', at a comma followed by a conjunction that starts a new
clause ("، كما", "، وتضررت", ", while") and before a clause of time ("hours after",
"بعد ساعات من"), so that three events told in one Arabic sentence each keep their own
date and actors.
"""
from __future__ import annotations

import re

from ..models import Span

_BREAK = re.compile(
    r"[;؛]|[,،]\s*(?=(?:كما|فيما|بينما|ثم|لكن|غير\s+أن|while|but|whereas|and\s+(?:the|a|an|it|they|he|she)\b|"
    r"as\s+well\s+as|after\s+which)\b)"
    r"|[,،]\s*(?=و[\u0621-\u064a]{3,})"
    # "… on Sunday, hours after the group fired rockets", "بعد ساعات من إطلاق الحزب صواريخ":
    # a clause of time tells an earlier or later event with its own actors and day
    r"|[,،]?\s(?=(?:(?:بعد|قبل)\s+(?:ساعات|ساعة|أيام|يوم|يومين|أسابيع|أسبوع)\s+(?:من|على)|"
    r"(?:hours|days|a\s+day|weeks|minutes|shortly)\s+(?:after|before))\s)",
)


def split_clauses(sentence: Span) -> list[Span]:
    spans: list[Span] = []
    prev = 0
    text = sentence.text
    for m in _BREAK.finditer(text):
        if m.start() > prev:
            spans.append(_trim(sentence, prev, m.start()))
        prev = m.end()
    if prev < len(text):
        spans.append(_trim(sentence, prev, len(text)))
    return [s for s in spans if s.end > s.start]


def _trim(sentence: Span, a: int, b: int) -> Span:
    text = sentence.text
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Span(sentence.start + a, sentence.start + b, text[a:b])
