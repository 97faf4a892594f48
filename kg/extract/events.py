"""Events: the stage that turns trigger words into events with roles and dates.

For each clause: triggers that report an event (`triggers`: not a threat, plan, denial or
a noun naming a kind of thing), each with the part of the clause that belongs to it (up to
the next trigger of another event, or a new "an attack by …"); roles from the mentions in
that scope (`roles`); the date of its own clause, never one after publication. Same-type
triggers of a clause are one event; across the article, back-references join the event they
point to (`coref`).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Callable
from datetime import date

from ..models import Argument, DateMention, Document, Event, Mention, Span, Trigger
from ..resources import gazetteer, lexicons
from ..text.normalize import fold
from .clauses import split_clauses
from .coref import CORE_ROLES, corefer, interception_dates, joiners, merge, stopped_launches, what_was_intercepted
from .cues import CueHit, named
from .roles import ROLE_FILLERS
from .triggers import (
    is_definite,
    determiner_start, instance, light_verb_object, measure_subject, names_a_kind, new_event_noun, non_factual,
    possessive, relative_target, series, subordinate, tally,
)


def _pick_date(dates: list[DateMention], clause: Span, sentence: Span, trig: Trigger,
               clause_count: int, published: date | None = None) -> DateMention | None:
    """The date of the trigger's own clause, nearest first; never one after publication (a
    reported event has happened), and "Sunday's attack" dates only the noun it modifies."""
    dates = [d for d in dates if not _after(d, published) and not _since(sentence, d) and not (
        d.text.endswith(("'s", "’s")) and not 0 <= trig.start - d.end <= 25)]
    inside = [d for d in dates if clause.covers(d.start, d.end)]
    if not inside and clause_count == 1:
        inside = [d for d in dates if sentence.covers(d.start, d.end)]
    if not inside:
        return None
    return min(inside, key=lambda d: (abs(d.start - trig.end) if d.start >= trig.end else abs(trig.start - d.end) + 5,
                                      {"day": 0, "month": 1, "year": 2, "weekday": 3}[d.precision]))


_SINCE = re.compile(r"(?:\bsince|منذ)\s+$", re.I)
_ORDINAL = re.compile(r"\b(?:first|second|third|fourth|fifth|latest|last|only|times|at\s+least)\b|"
                      r"(?:الأول|الأولى|أول|الثاني|الثانية|مرة|مرات|"
                      r"الثالث|الثالثة|الأحدث|آخر)(?:\s|$)", re.I)


def _since(sentence: Span, d: DateMention) -> bool:
    """"the second attack since early February", "الأول منذ أوائل فبراير": where a period starts,
    not when the event happened."""
    if not sentence.covers(d.start, d.end):
        return False
    k = d.start - sentence.start
    # "the offensive it has waged since February" is dated by its start; an ordinal counts events
    return bool(_SINCE.search(sentence.text[max(0, k - 12):k])) and bool(_ORDINAL.search(sentence.text[max(0, k - 90):k]))


def _after(d: DateMention, published: date | None) -> bool:
    if published is None:
        return False
    pub = published.isoformat()
    return d.value[:len(pub)] > pub[:len(d.value)]


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
    targets = {a.mention.key for a in out if a.role == "target" and a.mention.type in ("Location", "GPE")}
    out = [a for a in out if not (a.role == "location" and a.mention.key in targets)]  # aimed at, not "in"
    return tuple(_drop_wider_places(out))


def _drop_wider_places(args: list[Argument]) -> list[Argument]:
    """A country given as the location while the site hit lies in another country ("the Tanf
    base in Syria, near the border with Iraq"): the country belongs to another phrase."""
    gaz = gazetteer().entries
    sites = [a.mention for a in args if a.role in ("location", "target") and a.mention.type == "Facility"]
    countries = {gaz[m.key].country for m in sites if m.key in gaz and gaz[m.key].country}
    out = []
    for a in args:
        e = gaz.get(a.mention.key)
        if a.role == "location" and e is not None and e.cls == "State" and countries and a.mention.key not in countries:
            continue
        out.append(a)
    return out


def _new_event(doc: Document, trig: Trigger) -> bool:
    """A trigger that starts an event of its own within its clause: "an attack by …", "other
    attacks", "in response to attacks …", "including launching two drones …"."""
    return new_event_noun(doc, trig) or instance(doc, trig) or possessive(doc, trig) or \
        subordinate(doc, trig) is not None or relative_target(doc, trig)


_TALKS = {"Meeting", "Agreement", "Proposal"}


NewEvent = Callable[[Trigger], bool]


def _memo_new_event(doc: Document) -> NewEvent:
    """`_new_event` once per trigger (clauses compare every pair of their triggers)."""
    cache: dict[Trigger, bool] = {}

    def new(t: Trigger) -> bool:
        if t not in cache:
            cache[t] = _new_event(doc, t)
        return cache[t]
    return new


def _scope(doc: Document, trig: Trigger, trigs: list[Trigger], clause: Span, new: NewEvent) -> Span:
    """The part of the clause that belongs to this trigger: up to the next trigger of
    another event type ("shot down a drone launched by Hezbollah": Hezbollah launched it)
    and, in English, from the end of the previous one."""
    start, end = clause.start, clause.end
    for t in trigs:
        if t.event_type == trig.event_type and not (new(t) or new(trig)):
            continue
        if {t.event_type, trig.event_type} <= _TALKS and t.event_type != trig.event_type:
            continue  # "during a meeting in Washington, X and Y agreed": the same parties
        if t.start >= trig.end:
            end = min(end, t.start)
        elif t.end <= trig.start and doc.article.lang == "en":
            start = max(start, t.end)
    if new(trig) and any(t.event_type == trig.event_type and t.end <= trig.start for t in trigs):
        # "attacks against US forces … following an attack by Hamas": the new event starts at its
        # article, or after the earlier trigger when a verb makes the noun its object
        earlier = max(t.end for t in trigs if t.event_type == trig.event_type and t.end <= trig.start)
        own_subject = light_verb_object(doc, trig) or possessive(doc, trig)
        clause_start = subordinate(doc, trig)  # "after the group fired": the group is in it
        if relative_target(doc, trig):  # "لغزة التي تتعرض لعدوان": from the antecedent on
            clause_start = max((m.start for m in doc.mentions if m.end <= trig.start and trig.start - m.end <= 12),
                               default=trig.start)
        start = max(start, clause_start if clause_start is not None else
                    earlier if own_subject else determiner_start(doc, trig))
    if (start, end) == (clause.start, clause.end):
        return clause
    text = doc.article.text
    return Span(start, end, text[start:end])


def _date_span(doc: Document, trig: Trigger, trigs: list[Trigger], clause: Span, new: NewEvent) -> Span:
    """Where the trigger's date is looked for: the clause, less the stretch that belongs to
    another event of the same type introduced by "a/an …" ("… following an attack on October 7")."""
    start, end = clause.start, clause.end
    for t in trigs:
        if t is not trig and t.event_type == trig.event_type and new(t):
            if t.start > trig.end:
                end = min(end, determiner_start(doc, t))
    if new(trig) and any(t.event_type == trig.event_type and t.end <= trig.start for t in trigs):
        start = max(start, determiner_start(doc, trig))
    if (start, end) == (clause.start, clause.end):
        return clause
    return Span(start, end, doc.article.text[start:end])


def extract_events(doc: Document, cues: list[CueHit]) -> Document:
    """Stage: turn factual triggers into events with roles and dates."""
    text = doc.article.text
    mentions = [m for m in doc.mentions if not m.adjective]
    events: list[Event] = []
    # Trigger words that name a kind of thing or sit inside a name ("Attack Drone") report nothing.
    topics = named(cues, "topic")  # "لبحث التهدئة": the 'بحث' of a purpose phrase is no meeting
    live = [t for t in doc.triggers if not names_a_kind(doc, t)
            and not any(m.start <= t.start and t.end <= m.end for m in doc.mentions)
            and not any(c.start <= t.start < c.end for c in topics) and not _topic_noun(doc, t, topics)
            and not (fold(t.text) in _back_reference_nouns(doc.article.lang) and not is_definite(doc, t))]
    new = _memo_new_event(doc)
    for sent in doc.sentences:
        clauses = split_clauses(sent)
        for clause in clauses:
            trigs = [t for t in live if clause.covers(t.start, t.end)]
            by_type: dict[str, Event] = {}
            done: list[Event] = []
            for trig in trigs:
                if non_factual(text, cues, trig, clause) or tally(doc, trig) or (
                        trig.event_type == "Attack" and trig.kind == "verb" and measure_subject(doc, trig)):
                    continue
                scope = _scope(doc, trig, trigs, clause, new)
                ms = [m for m in mentions if scope.covers(m.start, m.end)]
                roles = ROLE_FILLERS[trig.event_type](doc, trig, scope, ms, cues)
                args = _arguments(roles)
                dspan = _date_span(doc, trig, trigs, clause, new)
                when = _pick_date(list(doc.dates), dspan, sent, trig, len(clauses) if dspan is clause else 0,
                                  doc.article.published)
                when = None if series(doc, trig) else when
                weekday = int(when.value[-1]) if when is not None and when.precision == "weekday" else None
                ev = Event(trig.event_type, trig, sent, args, None if weekday else when, weekday=weekday)
                prev = by_type.get(trig.event_type)
                if prev is not None and new(trig):
                    done.append(prev)  # "attacks against US forces … following an attack by Hamas"
                    if instance(doc, trig):
                        ev = _inherit_agent(ev, prev)
                    prev = None
                by_type[trig.event_type] = _clause_merge(doc, prev, ev) if prev else ev
            events.extend(done + list(by_type.values()))
    events = [e for e in what_was_intercepted(doc, cues, events) if _substantial(e) or _dated_reference(doc, e)]
    events = stopped_launches(doc, [e for e in corefer(doc, events) if _substantial(e)])
    return replace(doc, events=tuple(joiners(doc, cues, interception_dates(events))))


@lru_cache(maxsize=2)
def _back_reference_nouns(lang: str) -> frozenset[str]:
    """"the late Thursday operation": an event only as a back-reference (`cues.json`)."""
    return frozenset(fold(w) for w in lexicons().cues["back_reference_nouns"][lang])


def _topic_noun(doc: Document, trig: Trigger, topics: list[CueHit]) -> bool:
    """"met … to discuss a ceasefire proposal", "لبحث اتفاق التهدئة": what talks are about is
    not itself reported as made."""
    if trig.kind != "noun" or trig.event_type not in ("Agreement", "Proposal"):
        return False
    text = doc.article.text
    return any(0 <= trig.start - c.end <= 30 and len(text[c.end:trig.start].split()) <= 3
               and not any(ch in text[c.end:trig.start] for ch in ",.;،") for c in topics)


def _dated_reference(doc: Document, ev: Event) -> bool:
    """"Prior to the Thursday strike": a back-reference whose date is its own modifier may
    give the event it points to that day (it is dropped if it points to none)."""
    d = ev.date
    return d is not None and is_definite(doc, ev.trigger) and 0 <= ev.trigger.start - d.end <= 2


def _clause_merge(doc: Document, prev: Event, ev: Event) -> Event:
    """Two triggers of one event in a clause; a back-reference among them ("the late Thursday
    operation involved F-16s that targeted …") keeps the whole pointing back."""
    merged = merge(prev, ev)
    if is_definite(doc, prev.trigger) and not is_definite(doc, merged.trigger):
        merged = replace(merged, trigger=prev.trigger)
    return merged


def _inherit_agent(ev: Event, general: Event) -> Event:
    """"It attempted other attacks, including launching two drones": the doer of the attacks
    did the one given as an instance, unless the instance names its own."""
    if any(a.role == "agent" for a in ev.arguments):
        return ev
    return replace(ev, arguments=ev.arguments + tuple(a for a in general.arguments if a.role == "agent"))


def _substantial(ev: Event) -> bool:
    """Keep an event that says who did it, to whom, or when; a bare "drone attacks" is not one."""
    if ev.type in ("Agreement", "Proposal") and ev.trigger.kind == "noun" and ev.date is None:
        return False  # "the nuclear deal", "a ceasefire deal": named, not reported as made
    if ev.type in _TALKS:  # talks without parties, a proposal without a proposer: nothing to say
        return any(a.role in ("participant", "agent", "chair") for a in ev.arguments)
    if not ev.arguments and ev.trigger.kind == "noun":
        return False  # "condemned these attacks" dated by the statement: no who, what or where
    return ev.date is not None or any(a.role in CORE_ROLES for a in ev.arguments)
