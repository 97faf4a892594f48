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

from dataclasses import replace

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


def _roles_attack(doc: Document, trig: Trigger, clause: Span, ms: list[Mention], cues: list[CueHit]) -> dict:
    text, ar = doc.article.text, doc.article.lang == "ar"
    roles: dict[str, list[Mention]] = {"agent": [], "target": [], "instrument": [], "location": []}
    roles["instrument"] = [m for m in ms if m.type == "Weapon"]
    actors = [m for m in ms if _actor(m) or m.type == "Facility"]
    for m in actors:
        if _preceded_by(text, cues, "agent_preps", m, clause) or _preceded_by(text, cues, "claim_verbs", m, clause):
            roles["agent"].append(m)
        elif _preceded_by(text, cues, "target_preps", m, clause, gap=30) or (
                m.type == "Facility" and _clitic(text, m) in ("على",)):
            roles["target"].append(m)
    passive = trig.kind == "target_subject" or _is_passive(text, trig)
    if trig.kind == "target_subject" or (passive and trig.kind == "verb"):
        subj = (_first_after(actors, trig.end, PLACE_TYPES + ACTOR_TYPES, 40) if ar and trig.kind == "target_subject"
                else _nearest_before(actors, trig.start, PLACE_TYPES + ACTOR_TYPES))
        if subj and subj not in roles["agent"]:
            roles["target"].insert(0, subj)
    elif trig.kind == "verb":
        if ar:
            subj = _first_after([m for m in actors if m.type in ACTOR_TYPES], trig.end, ACTOR_TYPES, 40)
        else:
            subj = _nearest_before([m for m in actors if m.type in ACTOR_TYPES], trig.start, ACTOR_TYPES)
        if subj and subj not in roles["target"]:
            roles["agent"].insert(0, subj)
        obj = _first_after(actors, (subj.end if ar and subj else trig.end), PLACE_TYPES + ACTOR_TYPES, 40)
        if obj and obj is not subj and obj not in roles["agent"] and not _locative(text, cues, obj, clause):
            roles["target"].append(obj)
    else:  # a noun: "X's attack on Y", "هجوم ... على Y"
        claimer = [m for m in actors if m.end <= trig.start and _actor(m)
                   and _cue_between(cues, "claim_verbs", clause.start, trig.start)]
        roles["agent"].extend(claimer[-1:])
    taken = {id(m) for r in roles.values() for m in r}
    for m in ms:
        if id(m) not in taken and m.type in ("GPE", "Location") and _locative(text, cues, m, clause):
            roles["location"].append(m)
    return roles


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
                if _non_factual(text, cues, trig, clause) or any(
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
    return replace(doc, events=tuple(_corefer(events)))


_CORE_ROLES = ("agent", "target", "participant", "chair")


def _substantial(ev: Event) -> bool:
    """Keep an event that says who did it, to whom, or when; a bare "drone attacks" is not one."""
    if ev.type in ("Agreement", "Proposal") and ev.trigger.kind == "noun" and ev.date is None:
        return False  # "the nuclear deal", "a ceasefire deal": named, not reported as made
    return ev.date is not None or any(a.role in _CORE_ROLES for a in ev.arguments)


def _merge(a: Event, b: Event) -> Event:
    """One event from two mentions of it: keep the first trigger, union the roles."""
    keys = {(x.role, x.mention.key) for x in a.arguments}
    args = a.arguments + tuple(x for x in b.arguments if (x.role, x.mention.key) not in keys)
    return replace(a, arguments=args, date=a.date or b.date)


def _corefer(events: list[Event]) -> list[Event]:
    """Join an event to an earlier one of the same type when nothing about them clashes."""
    out: list[Event] = []
    for ev in events:
        for i, old in enumerate(out):
            if old.type == ev.type and _compatible(old, ev):
                out[i] = _merge(old, ev)
                break
        else:
            out.append(ev)
    return out


def _compatible(a: Event, b: Event) -> bool:
    """May b be a later mention of a? Dates must agree and roles must not clash."""
    if a.date and b.date:
        if a.date.value != b.date.value:
            return False
    for role in ("agent", "target", "participant"):
        ka = {x.mention.key for x in a.arguments if x.role == role}
        kb = {x.mention.key for x in b.arguments if x.role == role}
        if ka and kb and not ka & kb:
            return False
    if a.date and b.date:
        return True
    if fold(b.sentence.text).startswith(("كما ", "وكما ")) or " also " in b.sentence.text:
        return False  # "كما اقترح ...", "also launched": a further event, not a back-reference
    core_a = {(x.role, x.mention.key) for x in a.arguments if x.role != "instrument"}
    core_b = {(x.role, x.mention.key) for x in b.arguments if x.role != "instrument"}
    if not core_b:
        return b.date is None and b.trigger.kind == "noun"  # a bare "the attack"
    return core_b <= core_a
