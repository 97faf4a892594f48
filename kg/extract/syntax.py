"""Where a mention stands in its clause: the cue words before it, prepositions and
Arabic clitics, conjuncts, and the subject of a verb inside reported speech.

Shared by the role fillers (`roles`) and coreference (`coref`); nothing here decides
what is an event.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Mention, Span, Trigger
from ..text.normalize import fold
from .cues import CueHit, named


ACTOR_TYPES = ("Person", "Organization", "GPE")

PLACE_TYPES = ("GPE", "Location", "Facility")

_PASSIVE = ("was", "were", "been", "being", "is", "are", "تم", "جرى")


def before_words(text: str, pos: int, n: int = 3) -> list[str]:
    """The n folded words before `pos`, nearest last (folded word by word from the end: the
    words recur, so `fold` answers from its cache, where a new 60-character window never did)."""
    out: list[str] = []
    for piece in reversed(text[max(0, pos - 60):pos].split()):
        out[:0] = fold(piece).replace(",", " ").split()
        if len(out) >= n:
            break
    return out[-n:]


def clitic(text: str, m: Mention) -> str:
    """An Arabic proclitic attached to a mention ("ب" in "بالعراق"), or ''."""
    i = m.start
    while i > 0 and text[i - 1].isalpha() and m.start - i < 3:
        i -= 1
    return fold(text[i:m.start])


def cue_between(cues: list[CueHit], name: str, a: int, b: int) -> CueHit | None:
    for c in named(cues, name):
        if a <= c.start and c.end <= b:
            return c
    return None


def preceded_by(text: str, cues: list[CueHit], name: str, m: Mention, clause: Span, gap: int = 12) -> bool:
    """A cue of `name` ends just before mention m (allowing a few characters of descriptor)."""
    for c in named(cues, name):
        if clause.start <= c.start and c.end <= m.start and m.start - c.end <= gap:
            between = text[c.end:m.start]
            if not any(ch in between for ch in ",،.;"):
                return True
    return False


def first_after_cue(cues: list[CueHit], m: Mention, ms: list[Mention], name: str = "target_preps") -> bool:
    """No other mention stands between the nearest `name` cue and m ("against targets of the
    Houthis in Yemen": the Houthis, not Yemen)."""
    before = [c.end for c in named(cues, name) if c.end <= m.start]
    if not before:
        return False
    last = max(before)
    return not any(last <= x.start and x.end <= m.start for x in ms if x is not m)


def prepositional(text: str, cues: list[CueHit], m: Mention, clause: Span) -> bool:
    """A mention governed by a preposition cannot be a verb's subject."""
    return any(preceded_by(text, cues, c, m, clause, gap=3)
               for c in ("target_preps", "location_preps", "agent_preps", "said_by", "instrument_preps", "between")) \
        or clitic(text, m) in ("ب", "ل", "ك", "وب", "ول", "فب", "لل", "ولل")


def is_passive(text: str, trig: Trigger) -> bool:
    if any(ch in "\u064f\u064c" for ch in trig.text[:5]):  # "استُهدفت", "أُطلق": a damma marks the passive
        return True
    prev = before_words(text, trig.start, 2)
    return any(w in _PASSIVE for w in prev)


def nearest_before(ms: list[Mention], pos: int, types: tuple[str, ...]) -> Mention | None:
    cands = [m for m in ms if m.end <= pos and m.type in types]
    return cands[-1] if cands else None


def first_after(ms: list[Mention], pos: int, types: tuple[str, ...], limit: int | None = None) -> Mention | None:
    for m in ms:
        if m.start >= pos and m.type in types and (limit is None or m.start - pos <= limit):
            return m
    return None


def actor(m: Mention) -> bool:
    return m.type in ACTOR_TYPES and not m.media


_COMPLEMENTIZER = re.compile(r"\bthat\b|(?<![\u0621-\u064a])[إأا][\u064b-\u0652]*ن[\u064b-\u0652]*"
                             r"(?:ه|ها|هم|هما|نا)?(?![\u0621-\u064a])")

_PRONOUN_SUBJECT = re.compile(r"\s*(?:it|they|he|she|its\s+\w+|their\s+\w+)\b", re.I)


@dataclass(frozen=True)
class Frame:
    """Where a verb's own clause starts inside reported speech, and who is speaking.

    "Biden said the US and UK struck ...": the subject of "struck" is looked for after
    "said", never before it; "CENTCOM said it shot down ..." / "قالت القوات إنها أسقطت":
    the pronoun subject is the speaker.
    """
    start: int
    pronoun: bool
    speaker: Mention | None


def frame(text: str, cues: list[CueHit], trig: Trigger, clause: Span, actors: list[Mention]) -> Frame:
    start, pronoun, verb_end = clause.start, False, None
    for c in named(cues, "report_verbs"):
        if clause.start <= c.start and c.end <= trig.start and c.end > start:
            start, verb_end = c.end, c.end
    for m in _COMPLEMENTIZER.finditer(text, clause.start, trig.start):
        if m.end() > start:
            start = m.end()
            pronoun = len(fold(m.group())) > 2 and m.group() != "that"  # "إنّها": the suffix is a pronoun
    if start == clause.start:
        return Frame(start, False, None)
    pronoun = pronoun or bool(_PRONOUN_SUBJECT.match(text, start, trig.start))
    before = [m for m in actors if m.end <= start and m.start >= clause.start]
    speaker = None
    if verb_end is not None:  # Arabic: قالت القوات ...; English: the IDF said ...
        after_verb = [m for m in before if m.start >= verb_end]
        speaker = after_verb[0] if after_verb else None
    if speaker is None and before:
        speaker = before[-1]
    return Frame(start, pronoun, speaker)


CONJ = re.compile(r"^\s*(?:,|،)?\s*(?:and|و|as well as)?\s*$")


def with_conjuncts(text: str, first: Mention, ms: list[Mention], types: tuple[str, ...]) -> list[Mention]:
    """'the United States and Britain', 'الولايات المتحدة وبريطانيا': both fill the role."""
    out, last = [first], first
    for m in ms:
        if m.start < last.end or m.type not in types or m.media:
            continue
        gap = text[last.end:m.start]
        if len(gap) > 8 or not CONJ.match(gap):
            break
        out.append(m)
        last = m
    return out


def not_prepositional_chain(text: str, cues: list[CueHit], ms: list[Mention], clause: Span) -> list[Mention]:
    """Drop mentions governed by a preposition, with the conjuncts that follow them."""
    out: list[Mention] = []
    governed: Mention | None = None
    for m in ms:
        if prepositional(text, cues, m, clause) or origin(text, m) or _after_word(text, m, ("with", "from")):
            governed = m
            continue
        if governed is not None and CONJ.match(text[governed.end:m.start]):
            governed = m
            continue
        governed = None
        out.append(m)
    return out


_WITH_FROM = re.compile(r"\b(?:with|from|including|like|as)\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.I)


def _after_word(text: str, m: Mention, words: tuple[str, ...]) -> bool:
    return bool(_WITH_FROM.search(text[max(0, m.start - 30):m.start]))


_ORIGIN = re.compile(r"(?:\bfrom|(?<![\u0621-\u064a])من)\s+(?:the\s+)?$", re.I)


def after_from(text: str, m: Mention) -> bool:
    return bool(_ORIGIN.search(text[max(0, m.start - 12):m.start]))


def origin(text: str, m: Mention) -> bool:
    """'launched from Syria', 'أطلقت من اليمن': where it came from, not who or what. A group
    after it is who ("هجمات متكررة من الحوثيين", "attacks from Hezbollah")."""
    return after_from(text, m) and m.type != "Organization"


_OBJECT_STOP = re.compile(r"[,;،؛]|\b(?:which|that|who|whom|while|after|before)\b"
                          r"|(?<![\u0621-\u064a])(?:الذي|التي|الذين)(?![\u0621-\u064a])")


def object_after(text: str, objects: list[Mention], start: int, reach: int = 100) -> Mention | None:
    """The verb's object: the first name after it, before a comma or a relative clause
    ("targeted ammunition depots belonging to Iran's Revolutionary Guards")."""
    stop = _OBJECT_STOP.search(text, start, start + reach)
    if stop and len(text[start:stop.start()].split()) <= 1 and stop.group() in ",،":
        stop = _OBJECT_STOP.search(text, stop.end(), start + reach)  # "استهدفتا الثلاثاء، قاعدة …"
    limit = stop.start() if stop else start + reach
    for m in objects:
        if start <= m.start < limit and m.type in PLACE_TYPES + ACTOR_TYPES:
            return m
    return None


def possessor_of_facility(text: str, m: Mention, ms: list[Mention],
                          types: tuple[str, ...] = ("Facility", "Organization")) -> bool:
    """"Iraq's Ain al-Asad air base", "Iran's Revolutionary Guards": the state is whose,
    the base or force is what."""
    x = _possessed(text, m, ms)
    return x is not None and x.type in types


def possessive_s(text: str, m: Mention) -> bool:
    """"Iraq's …", "the Biden administration's …": the mention owns what follows."""
    return text.startswith(("'s", "’s"), m.end)


def _possessed(text: str, m: Mention, ms: list[Mention]) -> Mention | None:
    """The base or force right after "Iraq's" / "Iran's elite" (at most a word between)."""
    if not possessive_s(text, m):
        return None
    for x in ms:
        gap = text[m.end + 2:x.start]
        if x.type in ("Facility", "Organization") and x.start >= m.end + 2 and len(gap) <= 12 and len(gap.split()) <= 1 \
                and not any(ch in gap for ch in ",;."):
            return x
    return None


def facility_of(text: str, m: Mention, ms: list[Mention]) -> Mention:
    if m.type in ("GPE", "Location"):
        return _possessed(text, m, ms) or m
    return m


_DIRECTION = re.compile(r"^\s*(?:(?:the\s+)?(?:north|south|east|west|central|(?:north|south)-?(?:east|west))"
                        r"(?:ern)?\s+|the\s+)$", re.I)


def locative(text: str, cues: list[CueHit], m: Mention, clause: Span) -> bool:
    """'in Iraq', 'in eastern Syria', 'near the base', 'بالعراق'."""
    if preceded_by(text, cues, "location_preps", m, clause, gap=3) or clitic(text, m) in ("ب", "وب", "فب"):
        return True
    return any(clause.start <= c.start and c.end <= m.start and m.start - c.end <= 20
               and _DIRECTION.match(text[c.end:m.start]) for c in named(cues, "location_preps"))
