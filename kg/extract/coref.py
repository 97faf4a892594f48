"""One event per real-world event within an article: later mentions join earlier ones
(definite back-references, compatible dates and roles), people who "joined" a meeting
join it, and an interception without a named weapon takes the attack's.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..models import Argument, Document, Event, Mention, Span
from ..resources import gazetteer
from ..text.normalize import fold
from .dates import dates_compatible
from .cues import CueHit, cue_words
from .syntax import ACTOR_TYPES, is_passive, possessive_s
from .triggers import distinct, is_definite, tells_series


def what_was_intercepted(doc: Document, cues: list[CueHit], events: list[Event]) -> list[Event]:
    """"drones targeted the base, but the air defenses intercepted them": an interception
    without a named weapon takes the weapon of the attack just before it, and that attack's
    day and place when it gives none ("فيما تم إسقاطها", "it was shot down": the attack's own
    weapon, stopped there and then); one with no weapon at all ("the strikes, which destroyed
    sites …") is not an interception."""
    out: list[Event] = []
    for ev in events:
        if ev.type == "Interception" and not any(a.role == "instrument" for a in ev.arguments):
            if not _object_told_before(doc, ev):
                continue  # "F-16s … which destroyed a storage site": no weapon was stopped
            prior = [e for e in out if e.type == "Attack" and e.sentence.start <= ev.sentence.start
                     and ev.sentence.start - e.sentence.end <= 300 and any(a.role == "instrument" for a in e.arguments)]
            if not prior:
                continue
            attack = prior[-1]
            weapons = tuple(a for a in attack.arguments if a.role == "instrument")
            places = () if _keys(ev, "location") else tuple(a for a in attack.arguments if a.role == "location")
            ev = replace(ev, arguments=ev.arguments + weapons + places, date=ev.date or attack.date)
        out.append(ev)
    return out


_PRONOUN_OBJECT = re.compile(r"\s*(?:them|it|both|all|one|most|some|several)\b", re.I)
_AR_SUFFIX = ("ها", "هم", "هما", "ه")


def _object_told_before(doc: Document, ev: Event) -> bool:
    """What the interception took down is told before it: a passive or a noun ("it was shot
    down", "the interception"), a pronoun object ("intercepted them", "أسقطتها", "تم إسقاطها"). An
    active verb with an object of its own ("destroyed a storage site") says nothing of a weapon."""
    t = ev.trigger
    text = doc.article.text
    if t.kind == "noun" or is_passive(text, t):
        return True
    return t.text.endswith(_AR_SUFFIX) if doc.article.lang == "ar" else bool(_PRONOUN_OBJECT.match(text, t.end))


def stopped_launches(doc: Document, events: list[Event]) -> list[Event]:
    """"US forces shot down a one-way attack drone near the base": the launch an interception
    stopped is an attack too, with the weapon, the place and the day of the interception. Only a
    weapon launched at a target counts (a missile, an attack or suicide drone: `cues.json`
    launched_weapon_words); a reconnaissance drone shot down attacked nothing. An attack the
    article tells with the same weapon, on a day that fits and in the same country, is that
    launch: it takes the interception's place; otherwise the launch is an attack of its own."""
    out = list(events)
    for ev in events:
        if ev.type != "Interception":
            continue
        weapons = tuple(a for a in ev.arguments if a.role == "instrument" and _launched(doc, a.mention))
        if not weapons:
            continue
        places = tuple(Argument("location", a.mention) for a in ev.arguments if a.role == "location")
        launch = replace(ev, type="Attack", arguments=weapons + places)
        keys = {a.mention.key for a in weapons}
        told = [i for i, e in enumerate(out) if e.type == "Attack" and _told(doc, e, launch, keys)]
        if told:
            i = min(told, key=lambda k: abs(out[k].sentence.start - ev.sentence.start))
            out[i] = merge(out[i], replace(launch, arguments=places))
        elif any(_specific(a.mention) for a in places):
            # heading for a named base or town: the launch is reported (one lost in "Israeli
            # airspace" or over the sea says nothing of what it was sent at)
            out.insert(out.index(ev) + 1, launch)
    return out


def _told(doc: Document, attack: Event, launch: Event, weapons: set[str]) -> bool:
    """`attack` is the launch an interception stopped: the same weapon, not a series ("repeated
    attacks with drones"), not in another country, and on a day that fits (an undated one only
    when told near the interception)."""
    if tells_series(doc, attack.trigger) or _apart(attack, launch):
        return False
    if not weapons & {a.mention.key for a in attack.arguments if a.role == "instrument"}:
        return False
    if attack.date is not None and launch.date is not None:
        return dates_compatible(attack.date.value, launch.date.value)
    return abs(attack.sentence.start - launch.sentence.start) <= 600


def _specific(m: Mention) -> bool:
    entry = gazetteer().entries.get(m.key)
    return m.type == "Facility" or entry is not None and entry.cls == "City"


def _launched(doc: Document, m: Mention) -> bool:
    """The weapon's own words and the two words on each side name it as launched at a target."""
    text = doc.article.text
    before = text[:m.start].split()[-2:]
    after = text[m.end:].split()[:2]
    words = {fold(w.strip(".,،؛:;\"'«»()")) for w in [*before, *m.text.split(), *after]}
    words |= {w[k:] for w in words for k in (2, 3) if w[:k] in ("ال", "وال", "بال")}  # "الانتحارية"
    return bool(words & cue_words("launched_weapon_words"))


def interception_dates(events: list[Event]) -> list[Event]:
    """"Two drones targeted the base on Tuesday … defense systems downed one drone": an undated
    interception shortly after a dated attack with the same weapon happened that day; and an
    undated attack right after the dated interception of its weapon ("US forces shot down a
    drone on Friday … the drone had attacked US forces in western Iraq")."""
    out: list[Event] = []
    for ev in events:
        if ev.date is None and ev.type in _STOPPED:
            weapons = {a.mention.key for a in ev.arguments if a.role == "instrument"}
            prior = [e for e in out if e.type == _STOPPED[ev.type] and e.date is not None
                     and e.sentence.start <= ev.sentence.start
                     and ev.sentence.start - e.sentence.end <= 600
                     and weapons & {a.mention.key for a in e.arguments if a.role == "instrument"}
                     and not _apart(e, ev)]
            if prior:
                ev = replace(ev, date=prior[-1].date)
        out.append(ev)
    return out


def _apart(a: Event, b: Event) -> bool:
    """Placed in different countries ("a drone attack in Jordan" … "a drone shot down over Yemen")."""
    ca, cb = _countries(a), _countries(b)
    return bool(ca and cb and not ca & cb)


_STOPPED = {"Interception": "Attack", "Attack": "Interception"}  # each dated by the other


def joiners(doc: Document, cues: list[CueHit], events: list[Event]) -> list[Event]:
    """"The two were joined by X and Y", "بحضور X": more people at the latest meeting before."""
    out = list(events)
    for c in cues:
        if c.name != "join_verbs":
            continue
        before = [i for i, e in enumerate(out) if e.type == "Meeting" and e.sentence.start <= c.start]
        sent = next((s for s in doc.sentences if s.covers(c.start, c.end)), None)
        if not before or sent is None:
            continue
        own = [e.trigger.start for e in out if e.type == "Meeting" and e.sentence == sent and e.trigger.end > c.end]
        limit = sent.end
        if own:  # the sentence has its own meeting after the cue: only those named before a relative
            rel = _RELATIVE.search(doc.article.text, c.end, min(own))  # ("joined by X, who heads … talks")
            if rel is None:
                continue
            limit = rel.start()
        verbs = [i for i in before if out[i].trigger.kind == "verb"]  # "met": the meeting itself
        i = (verbs or before)[-1]
        have = {a.mention.key for a in out[i].arguments}
        new = [Argument("participant", m) for m in doc.mentions if sent.covers(m.start, m.end) and m.start >= c.end
               and m.end <= limit and m.type in ACTOR_TYPES and not m.adjective and not m.media and m.key not in have
               and not _within_title(doc.mentions, m) and not _possessor(doc.article.text, m)]
        new = list({a.mention.key: a for a in new}.values())
        if new:
            out[i] = replace(out[i], arguments=out[i].arguments + tuple(new))
    return out


_RELATIVE = re.compile(r",\s*(?:who|which|whose|where)\b|،\s*(?:الذي|التي|الذين)\b")


def _possessor(text: str, m: Mention) -> bool:
    """"Brett McGurk, the NSC's coordinator": a body in a title is not at the table."""
    return m.type != "Person" and possessive_s(text, m)


def _within_title(mentions: tuple[Mention, ...], m: Mention) -> bool:
    """'Permanent Representative of Israel to the United Nations Gilad Erdan': the states and
    bodies inside a person's title are not themselves present (a person follows closely)."""
    if m.type == "Person":
        return False
    return any(x.type == "Person" and 0 < x.start - m.end <= 40 for x in mentions)


CORE_ROLES = ("agent", "target", "participant", "chair")


def merge(a: Event, b: Event) -> Event:
    """One event from two mentions of it: union the roles; the evidence is the mention
    that says most (a headline or a bare "the attack" is a poorer witness than the report)."""
    keys = {(x.role, x.mention.key) for x in a.arguments}
    args = a.arguments + tuple(x for x in b.arguments if (x.role, x.mention.key) not in keys)
    best = b if _poor(a) and not _poor(b) else a
    return replace(best, arguments=args, date=a.date or b.date, weekday=a.weekday or b.weekday)


def _headline(sent: Span) -> bool:
    """A title line: the article's first line, without a closing full stop."""
    return sent.start == 0 and not sent.text.rstrip("\"'”» ").endswith((".", "!", "?", "؟"))


def _poor(ev: Event) -> bool:
    """A mention that names no doer, target or participant, or stands in the headline."""
    return _headline(ev.sentence) or not any(x.role in CORE_ROLES for x in ev.arguments)


def corefer(doc: Document, events: list[Event]) -> list[Event]:
    """Join an event to an earlier one of the same type when nothing about them clashes;
    a definite noun ("the attack", "these strikes", "الهجوم") points back to the latest one."""
    out: list[Event] = []
    for ev in events:
        if distinct(doc, ev.trigger):  # "other attacks", "another strike": not one told before
            out.append(ev)
            continue
        definite = is_definite(doc, ev.trigger)
        order = list(range(len(out) - 1, -1, -1) if definite else range(len(out)))
        if definite and ev.date is not None:  # "the Thursday strike": the one of that day first
            order.sort(key=lambda i: out[i].date is None or out[i].date.value != ev.date.value)
        for i in order:
            old = out[i]
            if tells_series(doc, old.trigger):
                continue  # "a series of attacks" takes in no single later one
            if old.type == ev.type and (_compatible(old, ev, definite) or _light_verb_object(old, ev)
                                        or _shot_down_again(doc, old, ev)):
                if definite and any(x.role == "location" for x in old.arguments):
                    # "وخلال اللقاء، اقترحت عمان هدنة في البحر الأحمر": a place in the sentence of a
                    # back-reference belongs to what that sentence reports, not to the meeting
                    ev = replace(ev, arguments=tuple(x for x in ev.arguments if x.role != "location"))
                out[i] = merge(old, ev)
                break
        else:
            out.append(ev)
    return out


_LIGHT_VERBS = frozenset({"نفذ", "نفذت", "شن", "شنت", "carried out", "conducted", "launched"})


def _light_verb_object(a: Event, b: Event) -> bool:
    """"سلاح الجو نفذ إلى جانب الولايات المتحدة، وبدعم من …، ضربات ضد الحوثيين": a verb that
    only says who acted, and the strikes it carried out told later in its sentence."""
    return (a.sentence == b.sentence and a.trigger.kind == "verb" and fold(a.trigger.text) in _LIGHT_VERBS
            and b.trigger.kind == "noun" and b.trigger.start > a.trigger.end
            and not _keys(a, "target") and not _keys(b, "agent") and bool(_keys(a, "agent"))
            and (a.date is None or b.date is None or a.date.value == b.date.value))


def _shot_down_again(doc: Document, a: Event, b: Event) -> bool:
    """"intercepted a missile … the Arrow system shot down the missile", "إسقاط الصاروخ": the
    same weapon named again with a definite article is the interception told before."""
    if a.type != "Interception" or (a.date and b.date and a.date.value != b.date.value):
        return False
    text = doc.article.text
    weapons = {x.mention.key for x in a.arguments if x.role == "instrument"}
    again = [x.mention for x in b.arguments if x.role == "instrument" and x.mention.key in weapons]
    doers_a = {x.mention.key for x in a.arguments if x.role == "agent" and x.mention.type != "Weapon"}
    doers_b = {x.mention.key for x in b.arguments if x.role == "agent" and x.mention.type != "Weapon"}
    return bool(again) and (not doers_a or not doers_b or bool(doers_a & doers_b)) and any(
        fold(m.text).startswith("ال") or text[max(0, m.start - 4):m.start].lower() == "the " for m in again)


def _core(ev: Event) -> set[tuple[str, str]]:
    """Who and what an event is about; a site named as the place counts as what was hit
    ("an explosion at the Harir airbase" … "drones targeted the Harir airbase")."""
    # a defence system (a Weapon as interceptor) does not say whose it is: no identity of its own
    out = {(x.role, x.mention.key) for x in ev.arguments if x.role in CORE_ROLES and x.mention.type != "Weapon"}
    out |= {("target", x.mention.key) for x in ev.arguments if x.role == "location" and x.mention.type == "Facility"}
    return out


def _overlap(core_a: set[tuple[str, str]], core_b: set[tuple[str, str]]) -> bool:
    return bool(core_a & core_b) or _within({k for _, k in core_a}, {k for _, k in core_b})


_SITE_SUFFIXES = ("_naval_base", "_air_base", "_base", "_airport", "_port", "_barracks", "_camp",
                  "_power_plant", "_refinery")


def _within(ka: set[str], kb: set[str]) -> bool:
    """"Eilat" and "the Eilat naval base" (key eilat_naval_base, `mentions._site_mentions`): one
    place seen at two scales. ("united_states_forces" is not inside "united_states".)"""
    def inside(site: str, city: str) -> bool:
        return site.startswith(city + "_") and site[len(city):] in _SITE_SUFFIXES
    return any(inside(x, y) or inside(y, x) for x in ka for y in kb)


def _covered(core_b: set[tuple[str, str]], core_a: set[tuple[str, str]]) -> bool:
    """Everything b says a says too, a state's force standing for its state ("the Royal Air
    Force and the US" after "the US and Britain")."""
    gaz = gazetteer().entries
    def has(role: str, key: str) -> bool:
        e = gaz.get(key)
        return (role, key) in core_a or (role == "agent" and e is not None and (role, e.country) in core_a)
    return all(has(r, k) for r, k in core_b)


def _same_side(ka: set[str], kb: set[str]) -> bool:
    """"the US Department of Defense" and "the US": a state's body and the state itself."""
    gaz = gazetteer().entries
    def country(k: str) -> str | None:
        return gaz[k].country if k in gaz else None
    return any(country(x) in kb for x in ka) or any(country(y) in ka for y in kb)


def _site_and_troops(a: Event, b: Event) -> bool:
    """"drones targeted the Ain al-Asad airbase … it was the second attack against US forces":
    a base hit and the forces it hosts, one side naming the site and the other the troops."""
    def kinds(ev: Event) -> set[str]:
        return {x.mention.type for x in ev.arguments if x.role == "target"}
    return (kinds(a) == {"Facility"} and kinds(b) == {"Organization"}) or \
        (kinds(a) == {"Organization"} and kinds(b) == {"Facility"})


def _countries(ev: Event) -> set[str]:
    """The states the event's places lie in (a state named as the place is its own)."""
    gaz = gazetteer().entries
    out = set()
    for x in ev.arguments:
        e = gaz.get(x.mention.key)
        if x.role == "location" and e is not None:
            out |= {e.key} if e.cls == "State" else ({e.country} if e.country else set())
    return out


def _keys(ev: Event, role: str) -> set[str]:
    return {x.mention.key for x in ev.arguments if x.role == role}


def _compatible(a: Event, b: Event, definite: bool = False) -> bool:
    """May b be a later mention of a? Dates must agree and roles must not clash."""
    if a.date and b.date and a.date.value != b.date.value:
        # "overnight Sunday" and "on Monday" may be one strike when it hit the same target
        near = len(a.date.value) == len(b.date.value) == 10 and dates_compatible(a.date.value, b.date.value)
        if not (near and _overlap(_core(a), _core(b))):
            return False
    if a.weekday and b.weekday and a.weekday != b.weekday:
        return False  # "on Tuesday" … "on Wednesday" in an undated report
    for role in ("agent", "target", "participant"):  # a defence system does not name who used it
        ka = {x.mention.key for x in a.arguments if x.role == role and x.mention.type != "Weapon"}
        kb = {x.mention.key for x in b.arguments if x.role == role and x.mention.type != "Weapon"}
        if ka and kb and not ka & kb and not _within(ka, kb) and not (role == "agent" and _same_side(ka, kb)) \
                and not (definite and role == "target" and _site_and_troops(a, b)):
            return False
    if _apart(a, b):
        return False  # "the Tanf base in Syria" … "a base in western Iraq": two places
    if _keys(a, "agent") & _keys(b, "target") or _keys(a, "target") & _keys(b, "agent"):
        return False  # who struck in one is who was struck in the other
    if definite:
        return True
    if a.date and b.date:  # the same day: one event unless each names different parties
        core_a, core_b = _core(a), _core(b)
        return not core_a or not core_b or _overlap(core_a, core_b)
    if a.type == "Meeting" and len(_keys(a, "participant") & _keys(b, "participant")) >= 2:
        return True  # "also discussed ...": the same people at the same table
    if fold(b.sentence.text).startswith(("كما ", "وكما ")) or " also " in b.sentence.text:
        return False  # "كما اقترح ...", "also launched": a further event, not a back-reference
    core_a, core_b = _core(a), _core(b)
    if a.type == "Interception" and not any(x.role == "agent" and x.mention.type != "Weapon" for x in b.arguments):
        # "air defence systems downed a drone near the base": no interceptor of its own named,
        # the weapon intercepted before
        return bool(_keys(a, "instrument") & _keys(b, "instrument"))
    if not core_b:
        return b.date is None and b.trigger.kind == "noun"  # a bare "the attack"
    return _covered(core_b, core_a) or (a.date is not None and b.date is None and bool(core_b & core_a)
                                and a.type == "Attack")  # "drones targeted the Harir airbase" after the dated report
