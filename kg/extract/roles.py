"""Role fillers, one per event type: who did it, to what, with what, where; who met,
who chaired; who proposed. Each takes the trigger, its clause scope and the mentions in it.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..models import Document, Mention, Span, Trigger
from ..resources import lexicons
from ..text.normalize import fold
from .cues import CueHit, named
from .syntax import (
    ACTOR_TYPES, after_from, CONJ, Frame, PLACE_TYPES, actor, clitic, cue_between, facility_of, first_after,
    first_after_cue, frame, is_passive, locative, nearest_before, not_prepositional_chain, possessive_s,
    object_after, origin, possessor_of_facility, preceded_by, prepositional, with_conjuncts,
)
from .triggers import is_definite, possessive, relative_target, subordinate, trigger_between


def _adjective_agent(doc: Document, trig: Trigger) -> Mention | None:
    """"Israeli airstrikes", "US strike", "الغارات الإسرائيلية": the nationality or group
    adjective that modifies an attack noun says who carried it out."""
    text = doc.article.text
    for m in doc.mentions:
        if m.type not in ACTOR_TYPES or not (m.adjective or _noun_modifier(doc, m, trig)):
            continue
        if doc.article.lang == "en" and m.end <= trig.start:
            gap = text[m.end:trig.start]
        elif doc.article.lang == "ar" and trig.end <= m.start:
            gap = text[trig.end:m.start]
        else:
            continue
        if len(gap) <= 14 and len(gap.split()) <= 1 and not any(ch in gap for ch in ",،.;"):
            return replace(m, adjective=False)
    return None


def _noun_modifier(doc: Document, m: Mention, trig: Trigger) -> bool:
    """"Houthi attacks", "Hezbollah strikes": a group or state named right before the noun."""
    return doc.article.lang == "en" and m.type != "Person" and doc.article.text[m.end:trig.start] == " "


_PRONOUN_BEFORE_VERB = re.compile(r"\b(?:it|they)\s+(?:(?:has|have|had|also|then|later|reportedly)\s+){0,2}"
                                  r"(?:[\w-]+\s+){0,3}$", re.I)


def _pronoun_antecedent(doc: Document, trig: Trigger, clause: Span) -> Mention | None:
    """"It has attempted other attacks …, launching two drones at …": 'it' / 'they' as the
    subject of an attack in English is the group named last before the clause."""
    text = doc.article.text
    if not _PRONOUN_BEFORE_VERB.search(text[max(clause.start, trig.start - 80):trig.start]):
        return None
    near = [m for m in doc.mentions if m.end <= clause.start and clause.start - m.end <= 1000 and not m.adjective]
    # a group the passage is about; a state's army only when no group is named
    before = [m for m in near if m.cls == "ArmedGroup"] or [m for m in near if m.cls == "MilitaryOrganization"]
    if not before:
        return None
    counts: dict[str, int] = {}
    for m in before:  # the group the passage is about: named most often, then last
        counts[m.key] = counts.get(m.key, 0) + 1
    best = max(counts.values())
    return [m for m in before if counts[m.key] == best][-1]


# "it has attempted / they carried out <noun>" ("It is noteworthy that attacks …" is no doer)
_PRONOUN_DOER = re.compile(r"\b(?:it|they)\s+(?:(?:has|have|had|also|then|later|reportedly)\s+){0,2}[a-z]+ed"
                           r"(?:\s+(?:out|up))?\s+(?:[\w-]+\s+){0,2}$", re.I)


def _vso_subject(text: str, cues: list[CueHit], trig: Trigger, clause: Span, ms: list[Mention]) -> Mention | None:
    """Arabic VSO: the subject is the first name after the verb — if that name is a place, a
    weapon or behind a preposition, the verb's subject was not named after it."""
    after = [m for m in ms if trig.end <= m.start <= trig.end + 40]
    if not after:
        return None
    first = after[0]
    if first.type not in ACTOR_TYPES or first.media or prepositional(text, cues, first, clause) \
            or locative(text, cues, first, clause):
        return None
    return first


def _possessor_subject(doc: Document, trig: Trigger, actors: list[Mention], cues: list[CueHit],
                       clause: Span) -> Mention | None:
    """"Iranian-backed groups in Iraq stopped their attacks", "أوقفت فصائل … هجماتها": the
    possessive points to the clause's subject, the first actor that is not a place phrase."""
    if not possessive(doc, trig):  # (a raw ة is no pronoun: "ضربة", "هجوم بطائرة مسيرة")
        return None
    text = doc.article.text
    subjects = [m for m in actors if clause.start <= m.start and m.end <= trig.start and m.type in ACTOR_TYPES
                and not locative(text, cues, m, clause) and not prepositional(text, cues, m, clause)]
    return subjects[0] if subjects else None


_LIGHT_VERB = re.compile(r"\b(?:carried\s+out|conducted|launched|staged|mounted|executed|announced|confirmed)"
                         r"\s+(?:(?:an?|the|two|three|several|its|their|new|joint|further)\s+)?"
                         r"(?:[\w-]+\s+){0,2}$", re.I)
_DOERS = ("MilitaryOrganization", "GovernmentBody", "State", "ArmedGroup")


def _light_verb_subject(doc: Document, trig: Trigger, actors: list[Mention], cues: list[CueHit],
                        clause: Span) -> list[Mention]:
    """"the Pentagon announced an airstrike …", "X confirmed it had carried out an operation
    against …": the subject of the verb whose object the attack noun is (a force, a government
    or a group — an outlet announcing an attack is not its author)."""
    if doc.article.lang != "en":
        return []
    text = doc.article.text
    m = _LIGHT_VERB.search(text[max(clause.start, trig.start - 60):trig.start])
    if not m:
        return []
    verb_start = trig.start - (len(text[max(clause.start, trig.start - 60):trig.start]) - m.start())
    fr = frame(text, cues, Trigger(verb_start, verb_start + 1, "", trig.event_type, "verb"), clause,
               [x for x in actors if actor(x)])
    if fr.pronoun and fr.speaker is not None:
        subjects = [fr.speaker]
    else:
        # "the armed forces of the US and the UK, with support from Canada and Australia, conducted …"
        before = not_prepositional_chain(text, cues, [
            x for x in actors if fr.start <= x.start and x.end <= verb_start and actor(x)
            and not locative(text, cues, x, clause)], clause)
        subjects = before[-1:]
        for x in reversed(before[:-1]):
            if not CONJ.match(text[x.end:subjects[0].start]):
                break
            subjects.insert(0, x)
    return [x for x in subjects if x.cls in _DOERS]


def _attack_subject(doc: Document, trig: Trigger, fr: Frame, actors: list[Mention],
                    cues: list[CueHit], clause: Span, all_ms: list[Mention]) -> list[Mention]:
    """The doer of an active attack verb: SVO in English and after Arabic إن; VSO otherwise."""
    text, ar = doc.article.text, doc.article.lang == "ar"
    if ar and any(t.event_type == trig.event_type and t.kind == "noun" and 0 <= trig.start - t.end <= 15
                  for t in doc.triggers):
        return []  # "ضربات جوية روسية تستهدف بنيتها": the verb says what the strikes did; its subject is them
    doers = [m for m in actors if m.type in ACTOR_TYPES and not locative(text, cues, m, clause)]
    sub = subordinate(doc, trig)  # "… were killed when militants fired": the subject follows "when"
    before = [m for m in doers if max(fr.start, sub or 0) <= m.start and m.end <= trig.start]
    if ar and before and fr.start > 0 and fr.speaker is not None:
        return with_conjuncts(text, before[0], doers, ACTOR_TYPES)
    if not ar:  # "with support from the Netherlands, Canada and Australia" is not the subject
        before = not_prepositional_chain(text, cues, before, clause)
    if not ar and before:  # "the United States and Britain struck": both
        out = [before[-1]]
        for m in reversed(before[:-1]):
            if not CONJ.match(text[m.end:out[0].start]):
                break
            out.insert(0, m)
        return out
    if fr.pronoun and fr.speaker is not None:
        return [fr.speaker]
    if not ar:
        group = _pronoun_antecedent(doc, trig, clause)
        if group is not None:
            return [group]
    if ar:
        if any(m.type == "Weapon" and fr.start <= m.start and m.end <= trig.start for m in all_ms):
            return []  # "إن طائرة انتحارية هاجمت القوات": the weapon is the subject, the actor after it the object
        after = _vso_subject(text, cues, trig, clause, all_ms)
        if after is not None:
            return with_conjuncts(text, after, doers, ACTOR_TYPES)
        # "بدأت الولايات المتحدة وبريطانيا شن ضربات": the subject of the clause's opening verb
        # (at most one word before it) does the verbal noun that follows.
        opening = max(fr.start, clause.start, *(i + 1 for i in range(clause.start, before[0].start if before else 0)
                                                if text[i] in ",،:"))
        if before and not prepositional(text, cues, before[0], clause) and \
                len(text[opening:before[0].start].split()) <= 1:
            return with_conjuncts(text, before[0], doers, ACTOR_TYPES)
    return []


def _roles_attack(doc: Document, trig: Trigger, clause: Span, ms: list[Mention], cues: list[CueHit]) -> dict:
    text, ar = doc.article.text, doc.article.lang == "ar"
    roles: dict[str, list[Mention]] = {"agent": [], "target": [], "instrument": [], "location": []}
    # "a missile fired toward an Israeli drone": the drone was aimed at, not fired
    roles["instrument"] = [m for m in ms if m.type == "Weapon" and not (
        not ar and m.start > trig.end and preceded_by(text, cues, "target_preps", m, clause, gap=20))
        and not (ar and trig.kind == "noun" and m.end <= trig.start)]  # "هجوم بطائرة": the weapon follows
    actors = [m for m in ms if actor(m) or m.type == "Facility"]
    fr = frame(text, cues, trig, clause, [m for m in ms if actor(m)])
    announcer = _announcer(doc, trig, [m for m in ms if actor(m)], clause)
    if fr.speaker is not None and not fr.pronoun and not cue_between(cues, "claim_verbs", fr.speaker.end, trig.start) \
            and fr.speaker is not announcer:
        actors = [m for m in actors if m is not fr.speaker]  # who says it is not who did it, unless claiming it
    actors = [m for m in actors if not origin(text, m)]  # "drones launched from Syria": neither side
    for m in actors:
        if (preceded_by(text, cues, "agent_preps", m, clause) and m.start > trig.start) or \
                preceded_by(text, cues, "claim_verbs", m, clause):
            roles["agent"].append(m)
        elif preceded_by(text, cues, "coagent", m, clause, gap=3):
            roles["agent"].append(m)  # "carried out, alongside the United States, strikes …"
        elif _aimed_at(text, cues, trig, m, ms, clause) or (m.type == "Facility" and clitic(text, m) in ("على",)):
            roles["target"].append(m)
    for m in list(roles["target"]):  # "at American and British forces": both were aimed at
        roles["target"].extend(x for x in with_conjuncts(text, m, actors, ACTOR_TYPES + ("Facility",))
                               if x not in roles["target"] and x not in roles["agent"])
    # "launched two drones at northern Israel": an area aimed at is the target too
    if not ar:  # (Arabic 'على' before a region is mostly "over" or "along")
        roles["target"].extend(m for m in ms if m.type == "Location" and m not in actors
                               and _aimed_at(text, cues, trig, m, ms, clause))
    if not roles["agent"]:  # "launched from areas controlled by the Houthis": who holds the ground
        held = [m for m in actors if m.type in ACTOR_TYPES and preceded_by(text, cues, "controlled_by", m, clause, gap=3)]
        roles["agent"].extend(held[:1])
    passive = trig.kind == "target_subject" or is_passive(text, trig)
    objects = [m for m in actors if m.type != "Person" and m not in roles["agent"]]
    if trig.kind == "target_subject" or (passive and trig.kind == "verb"):
        if relative_target(doc, trig):
            # "غزة التي تتعرض لعدوان": the relative's antecedent is what is hit
            subj = nearest_before([m for m in objects if m.end <= trig.start], trig.start, PLACE_TYPES + ACTOR_TYPES)
        elif ar and trig.kind == "target_subject":  # "تعرضت قاعدة في غرب العراق تضم قوات أمريكية لهجوم"
            placed = _placed(text, cues, objects, clause)
            # "إن القوات الأمريكية تعرضت …": after إن the subject comes first
            before = [m for m in objects if fr.start <= m.start and m.end <= trig.start and trig.start - m.end <= 12
                      and fr.start > clause.start and m not in placed]
            subj = before[-1] if before else first_after([m for m in objects if m not in placed], trig.end,
                                                         PLACE_TYPES + ACTOR_TYPES, 60)
        elif _weapon_subject(ms, trig):  # "مسيرات أطلقت من …", "drones launched from …": what was fired
            subj = None
        else:  # "US forces in Syria were targeted": not the place phrase
            subj = nearest_before([m for m in objects if m.start >= fr.start and not locative(text, cues, m, clause)],
                                  trig.start, PLACE_TYPES + ACTOR_TYPES)
        if subj and subj not in roles["target"]:
            roles["target"].insert(0, subj)
    elif trig.kind == "verb":
        # "a missile fired by Hezbollah": a participle with its own 'by' has no subject before it
        by_agent = any(m.start > trig.end and m.start - trig.end <= 15
                       and preceded_by(text, cues, "agent_preps", m, clause) for m in roles["agent"])
        subj = [] if by_agent else [m for m in _attack_subject(doc, trig, fr, actors, cues, clause, ms)
                                    if m not in roles["target"]]
        roles["agent"][:0] = [m for m in subj if m not in roles["agent"]]
        start = max([trig.end] + [m.end for m in subj if m.start > trig.end])
        obj = object_after(text, objects, start, 40 if ar else 100)
        if obj and obj not in subj and not locative(text, cues, obj, clause):
            obj = facility_of(text, obj, objects)
            for m in with_conjuncts(text, obj, objects, (obj.type,)):
                if m not in roles["target"]:
                    roles["target"].append(m)
    else:  # a noun: "X's attack on Y", "هجوم ... على Y"
        claimer = [m for m in actors if m.end <= trig.start and actor(m)
                   and cue_between(cues, "claim_verbs", clause.start, trig.start)]
        roles["agent"].extend(claimer[-1:] or ([announcer] if announcer is not None else []))
        # "هجمات متكررة بصواريخ من الحوثيين", "attacks from Hezbollah": a group after 'from'
        roles["agent"].extend(m for m in actors if m.start > trig.end and m.type == "Organization"
                              and after_from(text, m) and m not in roles["agent"])
        if not roles["agent"] and trig.kind == "noun":
            adj = _adjective_agent(doc, trig) or _possessor_subject(doc, trig, actors, cues, clause)
            roles["agent"].extend([adj] if adj is not None else
                                  _light_verb_subject(doc, trig, [m for m in ms if actor(m)], cues, clause))
            if not roles["agent"] and _PRONOUN_DOER.search(text[max(clause.start, trig.start - 80):trig.start]):
                # "It has attempted other attacks on …": the group the passage is about
                group = _pronoun_antecedent(doc, trig, clause)
                roles["agent"].extend([group] if group is not None else [])
        hit = _damaged_by(text, trig, objects, cues, clause)
        if hit is not None and hit not in roles["target"] and not roles["target"]:
            roles["target"].append(hit)
    # "Iraq's Ain al-Asad airbase": the state says where, the base is what was hit.
    owners = [m for m in roles["target"] if possessor_of_facility(text, m, ms)]
    roles["target"] = [m for m in roles["target"] if m not in owners]
    taken = {id(m) for r in roles.values() for m in r}
    for m in ms:
        owner = possessor_of_facility(text, m, ms, ("Facility",))  # "Iran's IRGC" does not say where
        if id(m) not in taken and m.type in PLACE_TYPES and (owner or (
                locative(text, cues, m, clause) and not possessive_s(text, m))):
            roles["location"].append(m)
    places = roles["location"]  # "in Iraq and Syria": both
    roles["location"] = [x for x in _with_place_conjuncts(text, places, ms) if x in places or id(x) not in taken]
    return roles



_ADVERBIAL = re.compile(r"على\s+(?:الأرجح|ما\s+يبدو|الأقل|الفور|نطاق|مدى)")
_AT_ON = frozenset({"at", "on", "upon", "على"})


_ANNOUNCE_AR = re.compile(r"(?:^|\s)[وف]?(?:أعلن|أعلنت|أعلنوا|تعلن|يعلن)\s+$")


def _announcer(doc: Document, trig: Trigger, actors: list[Mention], clause: Span) -> Mention | None:
    """"أعلنت جماعة الحوثي، مساء الثلاثاء، استهداف سفينة": announcing a verbal noun with no
    verb of its own is claiming it (an English "announced an airstrike" is `_light_verb_subject`)."""
    if doc.article.lang != "ar" or trig.kind != "noun" or is_definite(doc, trig):
        return None
    text = doc.article.text
    for m in actors:
        if not (clause.start <= m.start and m.end <= trig.start) or m.type not in ACTOR_TYPES:
            continue
        between = text[m.end:trig.start]
        if _ANNOUNCE_AR.search(text[max(clause.start, m.start - 12):m.start]) and len(between) <= 40 \
                and not any(c in between for c in ".:\"«“"):
            return m
    return None


def _placed(text: str, cues: list[CueHit], ms: list[Mention], clause: Span) -> list[Mention]:
    """Place phrases and their conjuncts ("في العراق وسوريا"): never a subject."""
    return _with_place_conjuncts(text, [m for m in ms if locative(text, cues, m, clause)], ms)


def _with_place_conjuncts(text: str, places: list[Mention], ms: list[Mention]) -> list[Mention]:
    """The places, each followed by the places conjoined to it ("in Iraq and Syria")."""
    out = list(places)
    for m in places:
        out.extend(x for x in with_conjuncts(text, m, ms, PLACE_TYPES) if x not in out)
    return out


def _weapon_subject(ms: list[Mention], trig: Trigger) -> bool:
    """The name just before a passive verb is a weapon: the verb says what was done with it."""
    before = [m for m in ms if m.end <= trig.start and trig.start - m.end <= 12]
    return bool(before) and before[-1].type == "Weapon"


def _aimed_at(text: str, cues: list[CueHit], trig: Trigger, m: Mention, ms: list[Mention], clause: Span) -> bool:
    """A target after 'against', 'targeting', 'toward' — or after 'at'/'on' right after the
    trigger ("attacks at Eilat", "fired at the base"), where 'at' would otherwise say where."""
    if not (preceded_by(text, cues, "target_preps", m, clause, gap=30) and first_after_cue(cues, m, ms)):
        return False
    cue = max((c for c in named(cues, "target_preps") if c.end <= m.start), key=lambda c: c.end)
    if cue.end <= trig.start and trig.kind == "noun":
        return False  # "عقوبات على إيران … الهجوم الذي تشنه على أوكرانيا": another phrase's 'on'
    if _ADVERBIAL.match(text, cue.start):
        return False  # "شنه على الأرجح مسلحون": "على الأرجح" is "probably", not "on"
    if not locative(text, cues, m, clause):
        return True  # "against two targets in eastern Syria": Syria says where
    if fold(cue.text) not in _AT_ON or _place_prep_after(cues, cue, m):
        return False  # "an airstrike on a car near Tyre": Tyre says where
    # "launching two drones from Syria at northern Israel": weapons and origins may stand between
    return trig.end <= cue.start and cue.start - trig.end <= 40 and not any(
        trig.end <= x.start and x.end <= cue.start for x in ms if x.type != "Weapon" and not origin(text, x))


def _place_prep_after(cues: list[CueHit], cue: CueHit, m: Mention) -> bool:
    return any(cue.end <= c.start and c.end <= m.start for c in named(cues, "location_preps")
               if fold(c.text) not in _AT_ON)


_BY_NOUN = re.compile(r"\bby\s+(?:an?|the|one|two|three|several|multiple)?\s*(?:[\w-]+\s+){0,2}$", re.I)


def _damaged_by(text: str, trig: Trigger, objects: list[Mention], cues: list[CueHit], clause: Span) -> Mention | None:
    """"A base building in Eilat was damaged by a drone attack": what the attack hit is the
    subject of the passive verb before 'by'."""
    window = text[max(clause.start, trig.start - 40):trig.start]
    if not _BY_NOUN.search(window):
        return None
    before = [m for m in objects if m.end <= trig.start - len(window) + window.rfind("by")
              and m.type in PLACE_TYPES and m.start >= clause.start]
    return before[-1] if before else None


# Who intercepts: a force, a state, a ship or base, or a defence system ("Iron Dome intercepted …");
# `actors` below admits only defence systems among weapons.
_INTERCEPTORS = ACTOR_TYPES + ("Facility", "Weapon")


def _roles_interception(doc: Document, trig: Trigger, clause: Span, ms: list[Mention],
                        cues: list[CueHit]) -> dict:
    text, ar = doc.article.text, doc.article.lang == "ar"
    roles: dict[str, list[Mention]] = {"agent": [], "instrument": [], "location": []}
    # What was intercepted is the object: after the trigger, or before it in the passive
    # ("the drone was shot down"); a weapon before an active verb is the interceptor's.
    passive = is_passive(text, trig) or trig.kind == "noun"
    roles["instrument"] = [m for m in ms if m.type == "Weapon" and (m.start >= trig.end or passive)]
    actors = [m for m in ms if actor(m) or m.cls == "Vessel" or _defense_system(m)]
    fr = frame(text, cues, trig, clause, [m for m in ms if actor(m)])
    if fr.speaker is not None and not fr.pronoun:  # "an Iraqi military official said defense systems downed …"
        actors = [m for m in actors if m is not fr.speaker]
    # a defence system intercepts — unless it is what an English verb took down ("intercepted a
    # surface-to-air missile fired at …"); in Arabic the name after the verb is its subject
    roles["instrument"] = [m for m in roles["instrument"] if not _defense_system(m)
                           or (not ar and not passive and m.start >= trig.end)]
    # "shot down by X": the by-phrase must follow this trigger, not a later verb ("launched by").
    later = [c.start for c in named(cues, "agent_preps") if c.start >= trig.end]
    by = [m for m in actors if m.start > trig.end and preceded_by(text, cues, "agent_preps", m, clause)
          and later and min(later) - trig.end <= 40 and not trigger_between(doc, trig.end, min(later))]
    if by:
        roles["agent"].append(by[0])
        # "shot down by Israeli Air Force fighter jets": the jets are the interceptor's, not the target
        roles["instrument"] = [m for m in roles["instrument"] if not 0 <= m.start - by[0].end <= 1]
    elif ar and trig.kind == "verb" and not is_passive(text, trig):
        a = first_after(actors, trig.end, _INTERCEPTORS, 40)
        a = a or nearest_before(actors, trig.start, _INTERCEPTORS)
        if a:
            roles["agent"].append(a)
    else:  # "US forces in Iraq shot down …": the nearest actor that is not a place phrase
        free = [m for m in actors if not locative(text, cues, m, clause)]
        a = nearest_before(free, trig.start, _INTERCEPTORS)
        if a:
            roles["agent"].append(a)
    taken = {id(m) for r in roles.values() for m in r}
    for m in ms:
        if id(m) not in taken and m.type in PLACE_TYPES and locative(text, cues, m, clause):
            roles["location"].append(m)
    return roles


@lru_cache(maxsize=1)
def _defense_keys() -> frozenset[str]:
    return frozenset(lexicons().cues["defense_systems"]["keys"])


def _defense_system(m: Mention) -> bool:
    """"the air defenses intercepted them", "Iron Dome intercepted": the system intercepts."""
    return m.type == "Weapon" and m.key in _defense_keys()


def _topic_cut(cues: list[CueHit], trig: Trigger, clause: Span) -> int:
    ends = [c.start for c in named(cues, "topic") if trig.end <= c.start < clause.end]
    return min(ends) if ends else clause.end


_DURING = re.compile(r"(?:\b(?:during|at|after|following|on\s+the\s+sidelines\s+of|in)\s+the\s+|"
                     r"(?:خلال|أثناء|اثناء|عقب|بعد|في\s+ختام|على\s+هامش)\s+)$", re.I)


_ABOUT = re.compile(r"(?:\b(?:on|about|regarding|concerning)\s+the\s+(?:[\w-]+\s+)?|"
                    r"(?:بشأن|حول|عن)\s+)$", re.I)


def _roles_meeting(doc: Document, trig: Trigger, clause: Span, ms: list[Mention], cues: list[CueHit]) -> dict:
    text = doc.article.text
    if is_definite(doc, trig) and (_DURING.search(text[max(0, trig.start - 30):trig.start])
                                   or _ABOUT.search(text[max(0, trig.start - 30):trig.start])):
        # "وخلال اللقاء، اقترحت عمان …", "during the talks, X proposed": a time, not a new meeting;
        # "the US updated Israel on the talks in Vienna": a topic, its parties are not the talks'
        return {"participant": [], "chair": [], "location": []}
    cut = _topic_cut(cues, trig, clause)
    if doc.article.lang == "en" and fold(trig.text) in _topic_verbs("en"):
        cut = trig.end  # "officials discussed Hezbollah's activity in Lebanon": all topic
    elif doc.article.lang == "ar" and fold(trig.text) in _topic_verbs("ar"):
        # "بحث X مع Y في الرياض يوم الاثنين جهود … في غزة": who and where, then when, then the topic
        when = [d.end for d in doc.dates if trig.end <= d.start and d.end <= cut]
        cut = min(when) if when else cut
    fr = frame(text, cues, trig, clause, [m for m in ms if actor(m)])
    ms = [m for m in ms if m.end <= cut and not (m is fr.speaker and not fr.pronoun)]
    # "a deal brokered by the United States and France": who mediated is not a party
    mediators = [m for m in ms if preceded_by(text, cues, "mediators", m, clause, gap=6)]
    for m in list(mediators):
        mediators += [x for x in with_conjuncts(text, m, ms, ACTOR_TYPES) if x not in mediators]
    ms = [m for m in ms if m not in mediators]
    roles: dict[str, list[Mention]] = {"participant": [], "chair": [], "location": []}
    for m in ms:
        if m.type in PLACE_TYPES and locative(text, cues, m, clause) and m.type != "Person":
            roles["location"].append(m)
    chaired = [m for m in ms if actor(m) and preceded_by(text, cues, "chair", m, clause, gap=60)]
    people = [m for m in chaired if m.type == "Person"]  # "برئاسة منسق البيت الأبيض بريت ماكجورك"
    roles["chair"] = people[:1] or chaired[:1]
    loc = {id(m) for m in roles["location"]}
    people = [m for m in ms if m.type == "Person" and id(m) not in loc]
    others = [m for m in ms if actor(m) and m.type != "Person" and id(m) not in loc]
    roles["participant"] = people if people else others
    if trig.event_type == "Agreement":
        # "brokered a truce between Israel and Hamas": the parties are the ones 'between' names
        between = [c.end for c in named(cues, "between") if trig.end <= c.start and clause.covers(c.start, c.end)]
        parties = [m for m in roles["participant"] if between and m.start >= min(between)]
        if len(parties) >= 2:
            roles["participant"] = parties
    if trig.event_type != "Meeting":
        roles.pop("chair")
        roles.pop("location")
    return roles


@lru_cache(maxsize=2)
def _topic_verbs(lang: str) -> frozenset[str]:
    return frozenset(fold(w) for w in lexicons().cues["topic_verbs"][lang])


def _roles_proposal(doc: Document, trig: Trigger, clause: Span, ms: list[Mention], cues: list[CueHit]) -> dict:
    ar, text = doc.article.lang == "ar", doc.article.text
    actors = [m for m in ms if actor(m) and not locative(text, cues, m, clause)]  # "in Beirut" proposes nothing
    after = first_after(actors, trig.end, ACTOR_TYPES, 40) if ar and trig.kind == "verb" else None
    if after is not None:  # "اقترحت مصر وقطر …"
        return {"agent": with_conjuncts(text, after, actors, ACTOR_TYPES)}
    agent = nearest_before(actors, trig.start, ACTOR_TYPES)
    if agent is None:
        return {"agent": []}
    agents = [agent]  # "Egypt and Qatar have proposed …": both
    for m in reversed([m for m in actors if m.end <= agent.start]):
        if not CONJ.match(text[m.end:agents[0].start]):
            break
        agents.insert(0, m)
    return {"agent": agents}


ROLE_FILLERS = {"Attack": _roles_attack, "Interception": _roles_interception, "Meeting": _roles_meeting,
                "Agreement": _roles_meeting, "Proposal": _roles_proposal}
