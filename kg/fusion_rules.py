"""When two reports from different articles are one event, and why (the merge keys).

An event is compared by its type, its dates and its key arguments grouped by what they
say about identity: who did it (agent), what or where it hit (target and location are one
group: "an attack on the base" and "an attack at the base" are the same place), what was
intercepted, and who met (participants and chairs). Weapons alone never identify an
attack — every second attack is a drone attack.

Rules (documented in docs/decisions/004-event-fusion.md):
- dates: both given -> compatible (days at most one apart, for "overnight" and time
  zones; a month or year contains the day); one or both missing -> the arguments must
  carry the merge on their own (two independent groups).
- Attack: the place/target group must overlap.
- Interception: what was intercepted and who intercepted it or where must overlap.
- Meeting / Agreement: at least two participants in common.
- Proposal: the same agent, with compatible dates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from . import iri
from .extract.dates import dates_compatible
from .models import Event
from .resources import gazetteer

ROLES = ("participant", "chair", "agent", "target", "instrument", "location")
GROUPS = {"participant": "participant", "chair": "participant", "agent": "agent", "target": "place",
          "location": "place", "instrument": "instrument"}


@dataclass
class Facts:
    """What one side says about an event: entity IRIs by group, ISO dates, and the
    publication dates of the articles that say it."""
    groups: dict[str, set[str]] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)
    published: set[str] = field(default_factory=set)
    weekdays: set[int] = field(default_factory=set)  # ISO weekdays of undated, unpublished reports

    def add_argument(self, role: str, entity_iri: str) -> None:
        self.groups.setdefault(GROUPS[role], set()).add(entity_iri)

    def update(self, other: "Facts") -> None:
        """Add what `other` says (facts of several reports are the union of theirs)."""
        for group, xs in other.groups.items():
            self.groups.setdefault(group, set()).update(xs)
        self.dates |= other.dates
        self.published |= other.published
        self.weekdays |= other.weekdays

    @classmethod
    def of_event(cls, ev: Event, published: str | None = None) -> "Facts":
        f = cls()
        if published:
            f.published.add(published)
        for a in ev.arguments:
            f.add_argument(a.role, iri.entity(a.mention.key).value)
        if ev.date is not None:
            f.dates.add(ev.date.value)
        elif ev.weekday:
            f.weekdays.add(ev.weekday)
        return f


def _date_key(mine: Facts, theirs: Facts) -> str | None | bool:
    """'date=…' when dates agree, False when they clash, None when one side has none."""
    if not mine.dates or not theirs.dates:
        return None
    for a in sorted(mine.dates):
        for b in sorted(theirs.dates):
            if dates_compatible(a, b):
                return f"date={min(a, b, key=len) if len(a) != len(b) else a}"
    return False


def _weekday_key(mine: Facts, theirs: Facts) -> str | None | bool:
    """'weekday=N' when a report dated only by a day of the week ("on Tuesday", publication date
    unknown) meets a day that falls on it or next to it (as dates may be a day apart: "overnight
    Sunday" and "on Monday"), False when no day of the other side does, else None."""
    for undated, dated in ((mine, theirs), (theirs, mine)):
        days = [date.fromisoformat(d) for d in dated.dates if len(d) == 10]
        if undated.dates or not undated.weekdays or not days:
            continue
        hits = {w for w in undated.weekdays for d in days
                if any((d + timedelta(days=k)).isoweekday() == w for k in (-1, 0, 1))}
        return f"weekday={min(hits)}" if hits else False
    return None


def _shared(mine: Facts, theirs: Facts, group: str) -> set[str]:
    return mine.groups.get(group, set()) & theirs.groups.get(group, set())


def _same_side_agents(mine: Facts, theirs: Facts) -> set[str]:
    """"The Pentagon" on one side and "the United States" on the other: a state's ministry,
    army or air force acting is the state acting (the state is the key recorded)."""
    a, b = mine.groups.get("agent", set()), theirs.groups.get("agent", set())
    out = set()
    for x in a | b:
        country = _country(x)
        if country is not None and ((x in a and country in b) or (x in b and country in a)):
            out.add(country)
    return out


def _country(entity_iri: str) -> str | None:
    entry = gazetteer().entries.get(_tail(entity_iri))
    if entry is None or not entry.country or entry.cls in ("State", "City", "Region", "Province"):
        return None
    return iri.entity(entry.country).value


def merge_keys(event_type: str, mine: Facts, theirs: Facts) -> tuple[str, ...] | None:
    """The keys on which `mine` and `theirs` are the same event, or None if they are not."""
    dk = _date_key(mine, theirs)
    if dk is False:
        return None
    shared = {g: _shared(mine, theirs, g) for g in ("participant", "agent", "place", "instrument")}
    shared["agent"] |= _same_side_agents(mine, theirs)
    if event_type == "Attack":
        # A named site or city identifies an attack; "in Iraq" or "on US forces" does not
        # alone (they fit dozens of attacks a month): those need the same agent as well.
        required = any(_specific_place(x) for x in shared["place"]) or bool(
            shared["agent"] and any(not _is_state(x) for x in shared["place"]))
        groups = [g for g in ("place", "agent") if shared[g]]
    elif event_type == "Interception":
        required = bool(shared["instrument"]) and bool(shared["agent"] or shared["place"])
        groups = [g for g in ("agent", "place") if shared[g]]
    elif event_type in ("Meeting", "Agreement"):
        required = len(shared["participant"]) >= 2
        groups = ["participant"] if required else []
        if required and len(shared["participant"]) >= 3:
            groups.append("participant+")  # three people in common carry the merge alone
    else:  # Proposal
        required = bool(shared["agent"]) and bool(dk)
        groups = ["agent"] if required else []
    if not required:
        return None
    wk = _weekday_key(mine, theirs)
    if wk is False:
        return None
    if dk is None and wk:  # "on Tuesday" in an unpublished report: that weekday, a named site, the weapon
        if not (len(groups) >= 2 or shared["instrument"] and any(_specific_place(x) for x in shared["place"])):
            return None
        dk = wk
    elif dk is None:  # undated on one side: the report must be recent and the arguments strong
        if not _recent(mine, theirs) or not (len(groups) >= 2 or _known_recent(mine, theirs) and shared["instrument"]
                                             and any(_specific_place(x) for x in shared["place"])):
            return None
    keys = [f"type={event_type}"] + ([dk] if dk else [])
    for g in ("participant", "agent", "place", "instrument"):
        role = {"place": "target/location"}.get(g, g)
        keys.extend(f"{role}={_tail(x)}" for x in sorted(shared[g]))
    return tuple(keys)


RECENT_DAYS = 7


def _recent(mine: Facts, theirs: Facts) -> bool:
    """An undated report is news of the days before its publication: a dated report on the
    other side must fall in that window (when both are undated, nothing rules it out)."""
    if not mine.dates and not theirs.dates and mine.published and theirs.published:
        # both undated: reports published weeks apart are about different things
        days = [abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
                for a in mine.published for b in theirs.published]
        return min(days) <= RECENT_DAYS
    for undated, dated in ((mine, theirs), (theirs, mine)):
        if undated.dates or not dated.dates or not undated.published:
            continue  # nothing to test the window against
        if not any(within_days(p, d) for p in undated.published for d in dated.dates):
            return False
    return True


def within_days(published: str, when: str) -> bool:
    """A report published on `published` may tell, undated, of an event on `when` (a day, or
    any day of a month or year): the event is at most RECENT_DAYS older than the report."""
    try:
        pub = date.fromisoformat(published)
        if len(when) == 10:
            first = last = date.fromisoformat(when)
        elif len(when) == 7:
            first = date.fromisoformat(when + "-01")
            last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
        else:
            first, last = date(int(when), 1, 1), date(int(when), 12, 31)
    except ValueError:
        return True  # a date kg did not write: nothing to test
    return first <= pub and (pub - last).days <= RECENT_DAYS


def _known_recent(mine: Facts, theirs: Facts) -> bool:
    """The undated side's publication date is known (and `_recent` held)."""
    undated = mine if not mine.dates else theirs
    return bool(undated.published) and bool(mine.dates or theirs.dates)


def strength(keys: tuple[str, ...]) -> tuple[int, int]:
    """Rank candidate merges: dated matches first, then the number of shared keys."""
    return (int(any(k.startswith("date=") for k in keys)), len(keys))


def by_weekday(keys: tuple[str, ...]) -> bool:
    """A merge whose only time evidence is a day of the week: taken only when no other stored
    event fits as well (every seventh attack on a busy base falls on a Tuesday)."""
    return any(k.startswith("weekday=") for k in keys)


def lookup_keys(ev: Event) -> list[str]:
    """The entity IRIs to find candidate events by: never a weapon or a state, which appear in
    thousands of events and would make every lookup scan them; for attacks and interceptions
    a named site when there is one, else the doer."""
    def iri_of(m) -> str:
        return iri.entity(m.key).value

    sites = [iri_of(a.mention) for a in ev.arguments if a.role in ("target", "location")
             and _specific_place(iri_of(a.mention))]
    if ev.type in ("Attack", "Interception") and sites:
        return sorted(set(sites))
    # no site: the doer, or a group that was hit ("strikes on the Houthis" by two states)
    roles = ("agent", "participant", "chair") + (("target",) if ev.type == "Attack" else ())
    keys = {iri_of(a.mention) for a in ev.arguments
            if a.role in roles and not _is_state(iri_of(a.mention)) and a.mention.type != "Weapon"}
    return sorted(keys)


def may_be_lookup_key(entity_iri: str) -> bool:
    """Whether `lookup_keys` can ever return this entity (what `kg.resolve_index` indexes)."""
    return _specific_place(entity_iri) or not _is_state(entity_iri)


def _is_state(entity_iri: str) -> bool:
    entry = gazetteer().entries.get(_tail(entity_iri))
    return entry is not None and entry.cls in ("State", "Region", "Province")


def may_match(mine: Facts, theirs: Facts) -> bool:
    """A cheap first test on dates alone (before the candidate's roles are read)."""
    if _date_key(mine, theirs) is False:
        return False
    return _recent(mine, theirs)


def _specific_place(entity_iri: str) -> bool:
    """A facility, a named place that is not a region, or a city."""
    entry = gazetteer().entries.get(_tail(entity_iri))
    if entry is None:
        return False
    return entry.type in ("Facility", "Location") and entry.cls != "Region" or entry.cls == "City"


def _tail(entity_iri: str) -> str:
    return entity_iri.rsplit("/", 1)[-1]
