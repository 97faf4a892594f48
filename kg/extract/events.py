"""Events: triggers, their factuality, their roles, and their dates.

For each trigger in a clause: drop it when a threat, warning, denial, plan or
negation governs it; fill roles from the mentions around it by position and by the
prepositions and clitics before them (Arabic VSO subjects, `by`/`من قبل` agents,
`on`/`على` targets, `with`/`ب` instruments, `in`/`في` locations, `بين X و Y`,
`X ونظيره Y`, `برئاسة`); take the date of its own clause. Same-type triggers of
one clause are one event; a later definite mention ("the attack", "الهجوم") with
nothing new joins the event it refers back to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..resources import lexicons
from ..models import Argument, DateMention, Document, Event, Mention, Span, Trigger
from ..text.normalize import fold
from .clauses import split_clauses
from .cues import CueHit

ACTOR_TYPES = ("Person", "Organization", "GPE")
PLACE_TYPES = ("GPE", "Location", "Facility")
_PASSIVE = ("was", "were", "been", "being", "is", "are", "تم", "جرى")
_AR_MODAL = ("قد", "سوف", "لن", "لم", "لا")



def _before_words(text: str, pos: int, n: int = 3) -> list[str]:
    """The n folded words before `pos`, nearest last."""
    return fold(text[max(0, pos - 60):pos]).replace(",", " ").split()[-n:]


def _clitic(text: str, m: Mention) -> str:
    """An Arabic proclitic attached to a mention ("ب" in "بالعراق"), or ''."""
    i = m.start
    while i > 0 and text[i - 1].isalpha() and m.start - i < 3:
        i -= 1
    return fold(text[i:m.start])


def _cue_between(cues: list[CueHit], name: str, a: int, b: int) -> CueHit | None:
    for c in cues:
        if c.name == name and a <= c.start and c.end <= b:
            return c
    return None


def _preceded_by(text: str, cues: list[CueHit], name: str, m: Mention, clause: Span, gap: int = 12) -> bool:
    """A cue of `name` ends just before mention m (allowing a few characters of descriptor)."""
    for c in cues:
        if c.name == name and clause.start <= c.start and c.end <= m.start and m.start - c.end <= gap:
            between = text[c.end:m.start]
            if not any(ch in between for ch in ",،.;"):
                return True
    return False


def _first_after_cue(cues: list[CueHit], m: Mention, ms: list[Mention], name: str = "target_preps") -> bool:
    """No other mention stands between the nearest `name` cue and m ("against targets of the
    Houthis in Yemen": the Houthis, not Yemen)."""
    before = [c.end for c in cues if c.name == name and c.end <= m.start]
    if not before:
        return False
    last = max(before)
    return not any(last <= x.start and x.end <= m.start for x in ms if x is not m)


def _prepositional(text: str, cues: list[CueHit], m: Mention, clause: Span) -> bool:
    """A mention governed by a preposition cannot be a verb's subject."""
    return any(_preceded_by(text, cues, c, m, clause, gap=3)
               for c in ("target_preps", "location_preps", "agent_preps", "instrument_preps", "between")) \
        or _clitic(text, m) in ("ب", "ل", "ك", "وب", "ول", "فب", "لل", "ولل")


def _non_factual(text: str, cues: list[CueHit], trig: Trigger, clause: Span) -> bool:
    window = max(clause.start, trig.start - 60)
    for c in cues:
        if c.name in ("non_factual",) and window <= c.start and c.end <= trig.start:
            return True
        if c.name == "negation" and trig.start - 14 <= c.start and c.end <= trig.start:
            if fold(c.text) not in ("بدون", "دون", "without"):
                return True
    prev = _before_words(text, trig.start, 1)
    return bool(prev) and prev[-1] in _AR_MODAL


@lru_cache(maxsize=1)
def _modifier_heads() -> dict[str, frozenset[str]]:
    heads = lexicons().cues["modifier_heads"]
    return {lang: frozenset(fold(w) for w in heads[lang]) for lang in ("en", "ar")}


def _names_a_kind(doc: Document, trig: Trigger) -> bool:
    """'interception systems', 'attack drone', 'منظومات الاعتراض': a kind of thing, not an event."""
    if trig.kind != "noun":
        return False
    text, lang = doc.article.text, doc.article.lang
    if lang == "en":
        nxt = fold(text[trig.end:trig.end + 30]).split()[:1]
        return bool(nxt) and nxt[0].strip(",.;:'\"") in _modifier_heads()["en"]
    prev = _before_words(text, trig.start, 1)
    return bool(prev) and prev[-1] in _modifier_heads()["ar"]


_DEFINITE_EN = ("the", "this", "that", "these", "those", "such")
_DETERMINERS_EN = frozenset(_DEFINITE_EN + ("a", "an", "its", "their", "his", "her", "our", "multiple", "several",
                                            "many", "more", "further", "recent", "repeated", "two", "three", "new"))


def nominal(text: str, trig: Trigger) -> Trigger:
    """English '-s' forms are verbs or nouns ("attacks", "strikes"): after a determiner, a noun."""
    if trig.kind != "verb" or not trig.text[:1].isascii():
        return trig
    prev = _before_words(text, trig.start, 1)
    if prev and (prev[-1] in _DETERMINERS_EN or prev[-1].endswith(("'s", "’s"))):
        return replace(trig, kind="noun")
    return trig


def _definite(doc: Document, trig: Trigger) -> bool:
    """'the attack', 'these attacks', 'الهجوم', 'هذه الهجمات': a noun that points back."""
    if trig.kind != "noun":
        return False
    if doc.article.lang == "ar":
        return fold(trig.text).startswith(("ال", "وال", "بال", "لل", "فال"))
    prev = _before_words(doc.article.text, trig.start, 1)
    return bool(prev) and prev[-1] in _DEFINITE_EN


def _is_passive(text: str, trig: Trigger) -> bool:
    prev = _before_words(text, trig.start, 2)
    return any(w in _PASSIVE for w in prev)


def _nearest_before(ms: list[Mention], pos: int, types: tuple[str, ...]) -> Mention | None:
    cands = [m for m in ms if m.end <= pos and m.type in types]
    return cands[-1] if cands else None


def _first_after(ms: list[Mention], pos: int, types: tuple[str, ...], limit: int | None = None) -> Mention | None:
    for m in ms:
        if m.start >= pos and m.type in types and (limit is None or m.start - pos <= limit):
            return m
    return None


def _actor(m: Mention) -> bool:
    return m.type in ACTOR_TYPES and not m.media


_COMPLEMENTIZER = re.compile(r"\bthat\b|(?<![\u0621-\u064a])[إأا]ن(?:ه|ها|هم|هما|نا)?(?![\u0621-\u064a])")
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


def _frame(text: str, cues: list[CueHit], trig: Trigger, clause: Span, actors: list[Mention]) -> Frame:
    start, pronoun, verb_end = clause.start, False, None
    for c in cues:
        if c.name == "report_verbs" and clause.start <= c.start and c.end <= trig.start and c.end > start:
            start, verb_end = c.end, c.end
    for m in _COMPLEMENTIZER.finditer(text, clause.start, trig.start):
        if m.end() > start:
            start = m.end()
            pronoun = len(m.group()) > 2 and m.group() != "that"
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


_CONJ = re.compile(r"^\s*(?:,|،)?\s*(?:and|و|as well as)?\s*$")


def _with_conjuncts(text: str, first: Mention, ms: list[Mention], types: tuple[str, ...]) -> list[Mention]:
    """'the United States and Britain', 'الولايات المتحدة وبريطانيا': both fill the role."""
    out, last = [first], first
    for m in ms:
        if m.start < last.end or m.type not in types or m.media:
            continue
        gap = text[last.end:m.start]
        if len(gap) > 8 or not _CONJ.match(gap):
            break
        out.append(m)
        last = m
    return out


def _attack_subject(doc: Document, trig: Trigger, fr: Frame, actors: list[Mention],
                    cues: list[CueHit], clause: Span) -> list[Mention]:
    """The doer of an active attack verb: SVO in English and after Arabic إن; VSO otherwise."""
    text, ar = doc.article.text, doc.article.lang == "ar"
    doers = [m for m in actors if m.type in ACTOR_TYPES and not _locative(text, cues, m, clause)]
    before = [m for m in doers if fr.start <= m.start and m.end <= trig.start]
    if ar and before and fr.start > 0 and fr.speaker is not None:
        return _with_conjuncts(text, before[0], doers, ACTOR_TYPES)
    if not ar and before:
        return [before[-1]]
    if fr.pronoun and fr.speaker is not None:
        return [fr.speaker]
    if ar:
        free = [m for m in doers if not _prepositional(text, cues, m, clause)]
        after = _first_after(free, trig.end, ACTOR_TYPES, 40)
        if after:
            return _with_conjuncts(text, after, doers, ACTOR_TYPES)
        # "بدأت الولايات المتحدة وبريطانيا شن ضربات": the subject of the clause's opening verb
        # (at most one word before it) does the verbal noun that follows.
        if before and not _prepositional(text, cues, before[0], clause) and \
                len(text[max(fr.start, clause.start):before[0].start].split()) <= 1:
            return _with_conjuncts(text, before[0], doers, ACTOR_TYPES)
    return []


def _roles_attack(doc: Document, trig: Trigger, clause: Span, ms: list[Mention], cues: list[CueHit]) -> dict:
    text, ar = doc.article.text, doc.article.lang == "ar"
    roles: dict[str, list[Mention]] = {"agent": [], "target": [], "instrument": [], "location": []}
    roles["instrument"] = [m for m in ms if m.type == "Weapon"]
    actors = [m for m in ms if _actor(m) or m.type == "Facility"]
    fr = _frame(text, cues, trig, clause, [m for m in ms if _actor(m)])
    if fr.speaker is not None and not fr.pronoun:  # who says it is not who did it
        actors = [m for m in actors if m is not fr.speaker]
    for m in actors:
        if (_preceded_by(text, cues, "agent_preps", m, clause) and m.start > trig.start) or \
                _preceded_by(text, cues, "claim_verbs", m, clause):
            roles["agent"].append(m)
        elif (_preceded_by(text, cues, "target_preps", m, clause, gap=30) and _first_after_cue(cues, m, ms)
              and not _locative(text, cues, m, clause)) or (
                m.type == "Facility" and _clitic(text, m) in ("على",)):
            roles["target"].append(m)
    passive = trig.kind == "target_subject" or _is_passive(text, trig)
    objects = [m for m in actors if m.type != "Person" and m not in roles["agent"]]
    if trig.kind == "target_subject" or (passive and trig.kind == "verb"):
        if ar and trig.kind == "target_subject":
            subj = _first_after(objects, trig.end, PLACE_TYPES + ACTOR_TYPES, 40)
        else:
            subj = _nearest_before([m for m in objects if m.start >= fr.start], trig.start, PLACE_TYPES + ACTOR_TYPES)
        if subj and subj not in roles["target"]:
            roles["target"].insert(0, subj)
    elif trig.kind == "verb":
        subj = [m for m in _attack_subject(doc, trig, fr, actors, cues, clause) if m not in roles["target"]]
        roles["agent"][:0] = [m for m in subj if m not in roles["agent"]]
        start = max([trig.end] + [m.end for m in subj if m.start > trig.end])
        obj = _first_after(objects, start, PLACE_TYPES + ACTOR_TYPES, 40)
        if obj and obj not in subj and not _locative(text, cues, obj, clause):
            obj = _facility_of(text, obj, objects)
            for m in _with_conjuncts(text, obj, objects, (obj.type,)):
                if m not in roles["target"]:
                    roles["target"].append(m)
    else:  # a noun: "X's attack on Y", "هجوم ... على Y"
        claimer = [m for m in actors if m.end <= trig.start and _actor(m)
                   and _cue_between(cues, "claim_verbs", clause.start, trig.start)]
        roles["agent"].extend(claimer[-1:])
    taken = {id(m) for r in roles.values() for m in r}
    for m in ms:
        if id(m) not in taken and m.type in ("GPE", "Location") and (
                _locative(text, cues, m, clause) or _possessor_of_facility(text, m, ms)):
            roles["location"].append(m)
    return roles


def _possessor_of_facility(text: str, m: Mention, ms: list[Mention]) -> bool:
    """"Iraq's Ain al-Asad air base": the state is where, the base is what."""
    if not text.startswith(("'s", "’s"), m.end):
        return False
    return any(x.type == "Facility" and 0 <= x.start - (m.end + 2) <= 2 for x in ms)


def _facility_of(text: str, m: Mention, ms: list[Mention]) -> Mention:
    if m.type in ("GPE", "Location") and _possessor_of_facility(text, m, ms):
        return next(x for x in ms if x.type == "Facility" and 0 <= x.start - (m.end + 2) <= 2)
    return m


def _locative(text: str, cues: list[CueHit], m: Mention, clause: Span) -> bool:
    return _preceded_by(text, cues, "location_preps", m, clause, gap=3) or _clitic(text, m) in ("ب", "وب", "فب")


def _roles_interception(doc: Document, trig: Trigger, clause: Span, ms: list[Mention],
                        cues: list[CueHit]) -> dict:
    text, ar = doc.article.text, doc.article.lang == "ar"
    roles: dict[str, list[Mention]] = {"agent": [], "instrument": [], "location": []}
    # What was intercepted is the object: after the trigger, or before it in the passive
    # ("the drone was shot down"); a weapon before an active verb is the interceptor's.
    passive = _is_passive(text, trig) or trig.kind == "noun"
    roles["instrument"] = [m for m in ms if m.type == "Weapon" and (m.start >= trig.end or passive)]
    actors = [m for m in ms if _actor(m) or m.cls == "Vessel"]
    # "shot down by X": the by-phrase must follow this trigger, not a later verb ("launched by").
    later = [c.start for c in cues if c.name == "agent_preps" and c.start >= trig.end]
    by = [m for m in actors if m.start > trig.end and _preceded_by(text, cues, "agent_preps", m, clause)
          and later and min(later) - trig.end <= 40 and not _trigger_between(doc, trig.end, min(later))]
    if by:
        roles["agent"].append(by[0])
    elif ar and trig.kind == "verb" and not _is_passive(text, trig):
        a = _first_after(actors, trig.end, ACTOR_TYPES + ("Facility",), 40)
        a = a or _nearest_before(actors, trig.start, ACTOR_TYPES + ("Facility",))
        if a:
            roles["agent"].append(a)
    else:
        a = _nearest_before(actors, trig.start, ACTOR_TYPES + ("Facility",))
        if a and not _locative(text, cues, a, clause):
            roles["agent"].append(a)
    taken = {id(m) for r in roles.values() for m in r}
    for m in ms:
        if id(m) not in taken and m.type in PLACE_TYPES and _locative(text, cues, m, clause):
            roles["location"].append(m)
    return roles


def _trigger_between(doc: Document, a: int, b: int) -> bool:
    return any(a <= t.start <= b for t in doc.triggers)


def _topic_cut(cues: list[CueHit], trig: Trigger, clause: Span) -> int:
    ends = [c.start for c in cues if c.name == "topic" and trig.end <= c.start < clause.end]
    return min(ends) if ends else clause.end


def _roles_meeting(doc: Document, trig: Trigger, clause: Span, ms: list[Mention], cues: list[CueHit]) -> dict:
    text = doc.article.text
    cut = _topic_cut(cues, trig, clause)
    ms = [m for m in ms if m.end <= cut]
    roles: dict[str, list[Mention]] = {"participant": [], "chair": [], "location": []}
    for m in ms:
        if m.type in PLACE_TYPES and _locative(text, cues, m, clause) and m.type != "Person":
            roles["location"].append(m)
    for m in ms:
        if _actor(m) and _preceded_by(text, cues, "chair", m, clause, gap=60):
            roles["chair"].append(m)
    loc = {id(m) for m in roles["location"]}
    people = [m for m in ms if m.type == "Person" and id(m) not in loc]
    others = [m for m in ms if _actor(m) and m.type != "Person" and id(m) not in loc]
    roles["participant"] = people if people else others
    if trig.event_type != "Meeting":
        roles.pop("chair")
        roles.pop("location")
    return roles


def _roles_proposal(doc: Document, trig: Trigger, clause: Span, ms: list[Mention], cues: list[CueHit]) -> dict:
    ar = doc.article.lang == "ar"
    actors = [m for m in ms if _actor(m)]
    agent = (_first_after(actors, trig.end, ACTOR_TYPES, 40) if ar and trig.kind == "verb" else None) \
        or _nearest_before(actors, trig.start, ACTOR_TYPES)
    return {"agent": [agent] if agent else []}


_ROLE_FILLERS = {"Attack": _roles_attack, "Interception": _roles_interception, "Meeting": _roles_meeting,
                 "Agreement": _roles_meeting, "Proposal": _roles_proposal}


def _pick_date(dates: list[DateMention], clause: Span, sentence: Span, trig: Trigger,
               clause_count: int) -> DateMention | None:
    inside = [d for d in dates if clause.covers(d.start, d.end)]
    if not inside and clause_count == 1:
        inside = [d for d in dates if sentence.covers(d.start, d.end)]
    if not inside:
        return None
    return min(inside, key=lambda d: (abs(d.start - trig.end) if d.start >= trig.end else abs(trig.start - d.end) + 5,
                                      {"day": 0, "month": 1, "year": 2}[d.precision]))


def _arguments(roles: dict[str, list[Mention]]) -> tuple[Argument, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[Argument] = []
    for role, ms in roles.items():
        for m in ms:
            if (role, m.key) not in seen and not m.adjective:
                seen.add((role, m.key))
                out.append(Argument(role, m))
    if any(a.role == "chair" for a in out):
        for a in [a for a in out if a.role == "chair"]:
            if ("participant", a.mention.key) not in seen:
                out.append(Argument("participant", a.mention))
                seen.add(("participant", a.mention.key))
    return tuple(out)


def extract_events(doc: Document, cues: list[CueHit]) -> Document:
    """Stage: turn factual triggers into events with roles and dates."""
    text = doc.article.text
    mentions = [m for m in doc.mentions if not m.adjective]
    events: list[Event] = []
    for sent in doc.sentences:
        clauses = split_clauses(sent)
        for clause in clauses:
            trigs = [t for t in doc.triggers if clause.covers(t.start, t.end)]
            by_type: dict[str, Event] = {}
            for trig in trigs:
                if _non_factual(text, cues, trig, clause) or _names_a_kind(doc, trig) or any(
                        m.start <= trig.start and trig.end <= m.end for m in doc.mentions):
                    continue
                ms = [m for m in mentions if clause.covers(m.start, m.end)]
                roles = _ROLE_FILLERS[trig.event_type](doc, trig, clause, ms, cues)
                args = _arguments(roles)
                date = _pick_date(list(doc.dates), clause, sent, trig, len(clauses))
                ev = Event(trig.event_type, trig, sent, args, date)
                prev = by_type.get(trig.event_type)
                by_type[trig.event_type] = _merge(prev, ev) if prev else ev
            events.extend(e for e in by_type.values() if _substantial(e))
    return replace(doc, events=tuple(_corefer(doc, events)))


_CORE_ROLES = ("agent", "target", "participant", "chair")


def _substantial(ev: Event) -> bool:
    """Keep an event that says who did it, to whom, or when; a bare "drone attacks" is not one."""
    if ev.type in ("Agreement", "Proposal") and ev.trigger.kind == "noun" and ev.date is None:
        return False  # "the nuclear deal", "a ceasefire deal": named, not reported as made
    return ev.date is not None or any(a.role in _CORE_ROLES for a in ev.arguments)


def _merge(a: Event, b: Event) -> Event:
    """One event from two mentions of it: union the roles; the evidence is the mention
    that says most (a headline or a bare "the attack" is a poorer witness than the report)."""
    keys = {(x.role, x.mention.key) for x in a.arguments}
    args = a.arguments + tuple(x for x in b.arguments if (x.role, x.mention.key) not in keys)
    best = b if _poor(a) and not _poor(b) else a
    return replace(best, arguments=args, date=a.date or b.date)


def _headline(sent: Span) -> bool:
    """A title line: the article's first line, without a closing full stop."""
    return sent.start == 0 and not sent.text.rstrip("\"'”» ").endswith((".", "!", "?", "؟"))


def _poor(ev: Event) -> bool:
    """A mention that names no doer, target or participant, or stands in the headline."""
    return _headline(ev.sentence) or not any(x.role in _CORE_ROLES for x in ev.arguments)


def _corefer(doc: Document, events: list[Event]) -> list[Event]:
    """Join an event to an earlier one of the same type when nothing about them clashes;
    a definite noun ("the attack", "these strikes", "الهجوم") points back to the latest one."""
    out: list[Event] = []
    for ev in events:
        definite = _definite(doc, ev.trigger) and (
            ev.date is None or not any(x.role in _CORE_ROLES for x in ev.arguments))
        order = range(len(out) - 1, -1, -1) if definite else range(len(out))
        for i in order:
            old = out[i]
            if old.type == ev.type and _compatible(old, ev, definite):
                out[i] = _merge(old, ev)
                break
        else:
            out.append(ev)
    return out


def _compatible(a: Event, b: Event, definite: bool = False) -> bool:
    """May b be a later mention of a? Dates must agree and roles must not clash."""
    if a.date and b.date:
        if a.date.value != b.date.value:
            return False
    for role in ("agent", "target", "participant"):
        ka = {x.mention.key for x in a.arguments if x.role == role}
        kb = {x.mention.key for x in b.arguments if x.role == role}
        if ka and kb and not ka & kb:
            return False
    if definite:
        return True
    if a.date and b.date:
        if a.date.value != b.date.value:
            return False
        return True
    if fold(b.sentence.text).startswith(("كما ", "وكما ")) or " also " in b.sentence.text:
        return False  # "كما اقترح ...", "also launched": a further event, not a back-reference
    core_a = {(x.role, x.mention.key) for x in a.arguments if x.role in _CORE_ROLES}
    core_b = {(x.role, x.mention.key) for x in b.arguments if x.role in _CORE_ROLES}
    if not core_b:
        return b.date is None and b.trigger.kind == "noun"  # a bare "the attack"
    return core_b <= core_a
