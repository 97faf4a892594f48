"""Cue words (from `lexicons/cues.json` and `triggers.json`) found once per document."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..resources import lexicons
from ..text.matcher import Match, PhraseMatcher, longest_first
from ..text.normalize import fold

CUE_NAMES = ("non_factual", "negation", "counterpart", "chair", "between", "agent_preps", "target_preps",
             "instrument_preps", "location_preps", "claim_verbs", "source_nouns", "report_verbs",
             "credit_phrases", "same_source", "media_heads", "join_verbs", "coagent", "controlled_by", "mediators")
TOPIC_MARKERS = ("about", "to discuss", "discussing", "regarding", "on ways", "over the", "حول", "بشأن", "لبحث",
                 "لمناقشة", "لتنسيق", "بخصوص")


@dataclass(frozen=True)
class CueHit:
    start: int
    end: int
    text: str
    name: str


@lru_cache(maxsize=1)
def trigger_matcher() -> PhraseMatcher:
    m = PhraseMatcher()
    for lang, types in lexicons().triggers.items():
        for etype, kinds in types.items():
            for kind, forms in kinds.items():
                m.add_all(forms, (etype, kind))
                if lang == "ar" and kind == "noun":  # "هجماتها", "ضربتهم": the owner as a suffix
                    m.add_all([v for f in forms for v in _suffixed(f)], (etype, kind))
    return m


_AR_SUFFIXES = ("ها", "هم", "هما", "ه")


def _suffixed(noun: str) -> list[str]:
    """One-word Arabic nouns with a possessive pronoun attached (ة becomes ت before it)."""
    if " " in noun or noun.endswith(("ا", "ى", "ه", "ها", "هم")) or len(noun) < 3:
        return []
    stem = noun[:-1] + "ت" if noun.endswith("ة") else noun
    return [stem + s for s in _AR_SUFFIXES]


@lru_cache(maxsize=1)
def cue_matcher() -> PhraseMatcher:
    m = PhraseMatcher()
    cues = lexicons().cues
    for name in CUE_NAMES:
        for lang in ("en", "ar"):
            m.add_all(cues[name].get(lang, []), name)
    m.add_all(TOPIC_MARKERS, "topic")
    return m


class Cues(list):
    """The cue hits of a document, with an index by cue name (role filling asks by name)."""

    def __init__(self, hits: list[CueHit]) -> None:
        super().__init__(hits)
        self.by_name: dict[str, list[CueHit]] = {}
        for c in hits:
            self.by_name.setdefault(c.name, []).append(c)


def named(cues: list[CueHit], name: str) -> list[CueHit]:
    """The hits of one cue name, in text order."""
    if isinstance(cues, Cues):
        return cues.by_name.get(name, [])
    return [c for c in cues if c.name == name]


def find_cues(text: str, folded: str, offsets: list[int]) -> Cues:
    """Every cue occurrence; one phrase may carry several cue names. A 'by' after a statement
    noun ("a statement by the Pentagon") says who spoke, not who acted: it is named 'said_by'."""
    out: list[CueHit] = []
    for m in cue_matcher().find(text, folded, offsets):
        for name in dict.fromkeys(m.payloads):
            if name == "agent_preps" and _after_statement_noun(text, m.start):
                name = "said_by"
            out.append(CueHit(m.start, m.end, m.text, name))
    return Cues(out)


def _after_statement_noun(text: str, pos: int) -> bool:
    words = text[max(0, pos - 40):pos].split()
    return bool(words) and fold(words[-1].strip(",،\"'")) in cue_words("statement_nouns")


@lru_cache(maxsize=None)
def cue_words(category: str) -> frozenset[str]:
    """The folded words of a `cues.json` category, both languages (a word is tested as written)."""
    lex = lexicons().cues[category]
    return frozenset(fold(w) for lang in ("en", "ar") for w in lex[lang])


def find_trigger_matches(text: str, folded: str, offsets: list[int]) -> list[Match]:
    return longest_first(trigger_matcher().find(text, folded, offsets))
