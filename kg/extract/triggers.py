"""Which trigger words report an event: factuality (threats, plans, denials), nouns that
name a kind of thing ("interception systems"), English -s forms that are nouns, and
definite or indefinite nouns (a back-reference, or a new event).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..models import Document, Span, Trigger
from ..resources import lexicons
from ..text.normalize import fold
from .cues import CueHit
from .syntax import before_words


_AR_MODAL = ("قد", "سوف", "لن", "لم", "لا")


def non_factual(text: str, cues: list[CueHit], trig: Trigger, clause: Span) -> bool:
    window = max(clause.start, trig.start - 60)
    for c in cues:
        if c.name in ("non_factual",) and window <= c.start and c.end <= trig.start:
            return True
        if c.name == "negation" and trig.start - 14 <= c.start and c.end <= trig.start:
            if fold(c.text) not in ("بدون", "دون", "without"):
                return True
    prev = before_words(text, trig.start, 1)
    return bool(prev) and prev[-1] in _AR_MODAL or _happened_not_signed(text, trig)


@lru_cache(maxsize=1)
def _sign_words() -> tuple[frozenset[str], frozenset[str]]:
    d = lexicons().cues["sign_verbs"]
    return frozenset(fold(w) for w in d["verbs"]), frozenset(fold(w) for w in d["objects"])


def _happened_not_signed(text: str, trig: Trigger) -> bool:
    """"إن الهجوم وقع في قاعدة التنف": 'وقع' without a document after it is 'happened'."""
    if trig.event_type != "Agreement":
        return False
    verbs, objects = _sign_words()
    if fold(trig.text) not in verbs:
        return False
    after = fold(text[trig.end:trig.end + 40]).split()[:3]
    return not any(w in objects or w.removeprefix("ال") in objects or w.removeprefix("و") in objects for w in after)


@lru_cache(maxsize=1)
def _modifier_heads() -> dict[str, frozenset[str]]:
    heads = lexicons().cues["modifier_heads"]
    return {lang: frozenset(fold(w) for w in heads[lang]) for lang in ("en", "ar")}


def names_a_kind(doc: Document, trig: Trigger) -> bool:
    """'interception systems', 'attack drone', 'منظومات الاعتراض': a kind of thing, not an event."""
    text, lang = doc.article.text, doc.article.lang
    if trig.kind != "noun" and not (lang == "en" and trig.kind == "verb" and " " not in trig.text
                                    and not trig.text.endswith("ed")):  # "fired rockets": a verb and its object
        return False
    if lang == "en":
        nxt = fold(text[trig.end:trig.end + 30]).split()[:1]
        return bool(nxt) and nxt[0].strip(",.;:'\"") in _modifier_heads()["en"]
    prev = before_words(text, trig.start, 1)
    return bool(prev) and prev[-1] in _modifier_heads()["ar"]


_DEFINITE_EN = ("the", "this", "that", "these", "those", "such")

# "the attack", "the second US strike", "these drone attacks": a determiner and at most two words
_DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that|these|those|such)\s+(?:[\w-]+\s+){0,2}$", re.I)

_DETERMINERS_EN = frozenset(_DEFINITE_EN + ("a", "an", "its", "their", "his", "her", "our", "multiple", "several",
                                            "many", "more", "further", "recent", "repeated", "two", "three", "new",
                                            "other", "previous", "similar", "frequent", "numerous", "some", "dozens",
                                            "hundreds", "daily", "regular"))


_LIGHT_VERBS_EN = frozenset({"conducted", "conduct", "conducts", "conducting", "carried", "carry", "carries",
                             "carrying", "launched", "launch", "launches", "launching", "staged", "mounted",
                             "executed", "out"})

_PREPOSITIONS_EN = frozenset({"to", "of", "for", "from", "with", "by", "after", "following", "amid", "against",
                              "despite", "about", "behind", "during", "since", "over"})

_AFTER_NOUN_EN = frozenset({"was", "were", "is", "are", "have", "has", "had", "on", "against", "by", "in", "at",
                            "targeting", "that", "which", "from", "near", "over"})


def nominal(text: str, trig: Trigger) -> Trigger | None:
    """English forms that are verbs or nouns ("attacks", "strikes", "fire"): after a determiner
    (or "Two separate attacks were …") a noun — kept only if the lexicon has that noun."""
    if trig.kind != "verb" or not trig.text[:1].isascii() or " " in trig.text:
        return trig
    prev = before_words(text, trig.start, 3)
    nxt = fold(text[trig.end:trig.end + 20]).split()[:1]
    after = nxt[0].strip(",.;:") if nxt else ""
    # "the second US strike in Syria", "Two separate attacks were …": a determiner a word or two
    # back and no object after (a verb takes one: "strike the base")
    noun = bool(prev) and (prev[-1] in _DETERMINERS_EN or prev[-1].isdigit() or prev[-1].endswith(("'s", "’s"))) or (
        # "conducted joint strikes", "carried out attacks": the object of a light verb
        any(w in _LIGHT_VERBS_EN for w in prev[-2:]) and not trig.text.endswith("ed")) or (
        after == "against" and not trig.text.endswith("ed")) or (
        # "in response to attacks in Iraq", "a wave of strikes": after a preposition, -s is plural
        bool(prev) and prev[-1] in _PREPOSITIONS_EN and trig.text.endswith("s")) or (
        bool(prev) and prev[-1] == "under") or (  # "came under attack"
        any(w in _DETERMINERS_EN or w.isdigit() for w in prev[:-1]) and not trig.text.endswith("ed")
        and (after in _AFTER_NOUN_EN or bool(nxt) and nxt[0][-1:] in ",.;:"))
    if not noun:
        return trig
    if fold(trig.text) not in _noun_forms("en", trig.event_type):
        return None  # "a large fire": not an attack
    return replace(trig, kind="noun")


@lru_cache(maxsize=None)
def _noun_forms(lang: str, event_type: str) -> frozenset[str]:
    return frozenset(fold(w) for w in lexicons().triggers[lang].get(event_type, {}).get("noun", []))


def is_definite(doc: Document, trig: Trigger) -> bool:
    """'the attack', 'these attacks', 'الهجوم', 'هذه الهجمات': a noun that points back."""
    if trig.kind != "noun":
        return False
    if doc.article.lang == "ar":
        return fold(trig.text).startswith(("ال", "وال", "بال", "لل", "فال"))
    m = _DEFINITE_BEFORE.search(doc.article.text[max(0, trig.start - 40):trig.start])
    if m is None:
        return False
    words = m.group().split()
    # "groups that carried out strikes": a relative pronoun before a verb, not a demonstrative
    return not (words[0].lower() == "that" and any(w.endswith("ed") or w in _LIGHT_VERBS_EN for w in words[1:]))


def trigger_between(doc: Document, a: int, b: int) -> bool:
    return any(a <= t.start <= b for t in doc.triggers)


_WINDOW = 60  # characters before a noun trigger searched for its determiner
# Verbs whose object noun is the event they do ("carried out strikes"); "launched" is itself an
# attack trigger, so only the stretch-of-text rule (`light_verb_object`) adds it.
_LIGHT = r"carried\s+out|conducted|staged|mounted|executed"
_CAUSE_AR = re.compile(r"(?:ردا|رداً|ردًا|انتقاما|انتقاماً|ثأرا|ثأراً)\s+(?:على|ل)\s*(?:\S+\s+){0,2}$")
_SERIES_AR = re.compile(r"(?:سلسلة|موجة|جولة|سلسلة\s+جديدة|موجة\s+جديدة|عدة)\s+(?:من\s+)?$")
_INDEFINITE_EN = re.compile(r"\b(?:(?:a|an|another|one|a\s+second|a\s+new|other|further)\s+(?:[\w-]+\s+){0,2}|"
                            r"(?:a|an)\s+(?:series|wave|string|spate|number|barrage|round|campaign)\s+of\s+"
                            r"(?:[\w-]+\s+){0,4}|"
                            # "at least 16 attacks had been carried out against bases …": a count of other events
                            r"(?:(?:at\s+least|more\s+than|over|some|about|nearly|around)\s+)?"
                            r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens\s+of|hundreds\s+of)\s+(?:[\w-]+\s+){0,2}|"
                            # "strikes in response to recent attacks on US troops": the cause is another event
                            r"(?:response|retaliation|reprisal|revenge|reply)\s+(?:to|for)\s+(?:[\w'’-]+\s+){0,4}|"
                            # "militia groups that carried out strikes against US troops": a bare plural
                            rf"(?:{_LIGHT})\s+"
                            r"(?:[\w-]+\s+)?)$", re.I)


def new_event_noun(doc: Document, trig: Trigger) -> bool:
    """"an unprecedented attack by Hamas": an English indefinite noun introduces an event —
    unless it is the object of a verb of the same event ("launched a drone attack")."""
    if trig.kind != "noun":
        return False
    if doc.article.lang == "ar":  # "سلسلة هجمات ضد القوات", "ردا على الهجوم": events of their own —
        # unless a verb of the same event governs the noun ("تتعرض إيلات لهجمات متكررة")
        governed = any(_governs(doc, t, trig) for t in doc.triggers)
        return not governed and (series(doc, trig) or bool(
            _CAUSE_AR.search(doc.article.text[max(0, trig.start - 30):trig.start])))
    if doc.article.lang != "en":
        return False
    window = doc.article.text[max(0, trig.start - _WINDOW):trig.start]
    m = _INDEFINITE_EN.search(window)
    if not m:
        return False
    det = trig.start - (len(window) - m.start())
    return not any(t.event_type == trig.event_type and t.kind == "verb" and 0 <= det - t.end <= 3
                   for t in doc.triggers)


_LIGHT_VERB_END = re.compile(rf"\b(?:{_LIGHT}|launched)\s+$", re.I)
_LIGHT_VERB_START = re.compile(rf"(?:{_LIGHT})\b", re.I)


_INSTANCE = re.compile(r"\b(?:including|such\s+as|among\s+them)\s+$|(?:بما\s+في\s+ذلك|ومنها|منها)\s+$", re.I)


def instance(doc: Document, trig: Trigger) -> bool:
    """"other attacks …, including launching two drones at …": one of the events just named,
    told apart from them."""
    return bool(_INSTANCE.search(doc.article.text[max(0, trig.start - 20):trig.start]))


_DISTINCT = re.compile(r"\b(?:other|another|further|a\s+second|a\s+new)\s+(?:[\w-]+\s+){0,2}$", re.I)


def distinct(doc: Document, trig: Trigger) -> bool:
    """"other attacks", "another strike": an event not told before; "their attacks",
    "هجماتها": a series of the possessor's, not the one event told before."""
    if possessive(doc, trig) and _plural(doc, trig) or series(doc, trig):
        return True
    return doc.article.lang == "en" and trig.kind == "noun" and \
        bool(_DISTINCT.search(doc.article.text[max(0, trig.start - 40):trig.start]))


_SERIES_EN = re.compile(r"\b(?:series|wave|string|spate|campaign)\s+of\s+(?:[\w-]+\s+){0,3}$", re.I)


_REPEATED_EN = re.compile(r"\b(?:repeated|continued|continuing|ongoing|frequent|near-daily|almost\s+daily|"
                          r"daily|regular|persistent|recurring)\s+(?:[\w-]+\s+)?$", re.I)
_REPEATED_AR = re.compile(r"^\s*(?:[\w]+\s+)?(?:المتكررة|متكررة|المتواصلة|متواصلة|المتتالية|متتالية|"
                          r"المستمرة|مستمرة|اليومية|يومية|شبه\s+اليومية)(?:\s|$|[.,،])")


def series(doc: Document, trig: Trigger) -> bool:
    """"a series of attacks", "repeated attacks", "سلسلة هجمات", "هجمات متكررة": many events,
    not one told before or after."""
    if trig.kind != "noun":
        return False
    text = doc.article.text
    before = text[max(0, trig.start - 40):trig.start]
    if doc.article.lang == "ar":
        return bool(_SERIES_AR.search(before) or _REPEATED_AR.match(text[trig.end:trig.end + 30]))
    return bool(_SERIES_EN.search(before) or (_REPEATED_EN.search(before) and trig.text.endswith("s")))


def tells_series(doc: Document, trig: Trigger) -> bool:
    """A series noun, or a verb whose object is one ("تتعرض إيلات لهجمات متكررة")."""
    return series(doc, trig) or any(_governs(doc, trig, t) and series(doc, t) for t in doc.triggers)


def _governs(doc: Document, verb: Trigger, noun: Trigger) -> bool:
    """A verb of the same event that takes the noun as its object: "launched … attacks" right
    after it, or "تعرضت القاعدة … لهجمات" however far the ل-noun comes."""
    return verb.kind != "noun" and noun.kind == "noun" and verb.event_type == noun.event_type and \
        0 <= noun.start - verb.end <= (120 if verb.kind == "target_subject" and _after_li(doc, noun) else 25)


def _after_li(doc: Document, trig: Trigger) -> bool:
    """"تعرضت القاعدة … لهجمات": the noun with ل that "تعرض" takes, however far."""
    return trig.text.startswith("ل") or doc.article.text[max(0, trig.start - 1):trig.start] == "ل"


def _plural(doc: Document, trig: Trigger) -> bool:
    if doc.article.lang == "ar":
        return "ات" in trig.text[:-1]  # هجماتها، ضرباتهم، غاراتها
    return trig.text.endswith("s")


_THEIR = re.compile(r"\b(?:their|its)\s+(?:[\w-]+\s+)?$", re.I)


def possessive(doc: Document, trig: Trigger) -> bool:
    """"أوقفت فصائل … هجماتها", "stopped their attacks": the attacks of the clause's subject."""
    if trig.kind != "noun":
        return False
    if doc.article.lang == "ar":  # the raw ending: a folded ة looks like the pronoun ه
        return len(trig.text) > 4 and trig.text.endswith(("ها", "هم", "هما", "ه"))
    return bool(_THEIR.search(doc.article.text[max(0, trig.start - 30):trig.start]))


_TALLY = re.compile(r"(?:\b(?:\d{1,3}(?:,\d{3})*|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"twenty|thirty|forty|fifty|dozens\s+of|hundreds\s+of|scores\s+of)\s+(?:[\w-]+\s+){0,2})$", re.I)


def tally(doc: Document, trig: Trigger) -> bool:
    """"at least 16 attacks had been carried out", "40 drone or missile attacks": a count of
    events, each told elsewhere or nowhere, not an event."""
    if doc.article.lang != "en" or trig.kind != "noun" or not trig.text.endswith("s"):
        return False
    # (a year cannot match: the count is at most three digits, or digits grouped by commas)
    return _TALLY.search(doc.article.text[max(0, trig.start - 40):trig.start]) is not None


_SUBORDINATE = re.compile(r"(?:\b(?:after|before|while|when|since|as|until)\s+(?:[\w'’-]+\s+){0,4}|"
                          r"(?:بعد\s+أن|بعدما|قبل\s+أن|عقب|بينما|حين|عندما|حينما)\s+(?:\S+\s+){0,3})$", re.I)


def subordinate(doc: Document, trig: Trigger) -> int | None:
    """"struck Hezbollah positions hours after the group fired rockets": a verb in a clause of
    time tells another event; where that clause starts."""
    if trig.kind != "verb":
        return None
    window = doc.article.text[max(0, trig.start - 50):trig.start]
    m = _SUBORDINATE.search(window)
    return trig.start - len(window) + m.start() if m else None


_RELATIVE_AR = re.compile(r"(?:التي|الذي|اللتين|الذين)\s+$")


def relative_target(doc: Document, trig: Trigger) -> bool:
    """"انتصارا لغزة التي تتعرض لعدوان": what the relative's antecedent suffers is another event."""
    return doc.article.lang == "ar" and trig.kind == "target_subject" and \
        bool(_RELATIVE_AR.search(doc.article.text[max(0, trig.start - 12):trig.start]))


def determiner_start(doc: Document, trig: Trigger) -> int:
    window = doc.article.text[max(0, trig.start - _WINDOW):trig.start]
    m = _INDEFINITE_EN.search(window)
    return trig.start - len(window) + m.start() if m else trig.start


def light_verb_object(doc: Document, trig: Trigger) -> bool:
    """"X had carried out an operation against …": the noun's doer is the verb's subject,
    so the event's stretch of text starts before its article."""
    det = determiner_start(doc, trig)
    text = doc.article.text
    return bool(_LIGHT_VERB_END.search(text[max(0, det - 30):det]) or _LIGHT_VERB_START.match(text, det))


@lru_cache(maxsize=1)
def _measures() -> dict[str, frozenset[str]]:
    m = lexicons().cues["measure_nouns"]
    return {lang: frozenset(fold(w) for w in m[lang]) for lang in ("en", "ar")}


def measure_subject(doc: Document, trig: Trigger) -> bool:
    text = doc.article.text
    words = before_words(text, trig.start, 2 if doc.article.lang == "en" else 4)
    if doc.article.lang == "ar":  # VSO, or a relative after the noun: "عقوبات جديدة على إيران استهدفت"
        words += fold(text[trig.end:trig.end + 30]).split()[:2]
    return any(w.strip(",.'\"") in _measures()[doc.article.lang] for w in words)
