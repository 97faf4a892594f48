"""The document type that flows through the pipeline, and its annotations.

Every annotation keeps `start`/`end` character offsets into `Article.text`, and its
`text` equals that slice: folding for matching never rewrites the original.
Stages add annotations with `dataclasses.replace`; nothing is mutated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    lang: str
    source: str  # file the article came from (and line, for JSON Lines)
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class Mention:
    """A name (or a nationality adjective) found in the text."""

    start: int
    end: int
    text: str
    key: str  # canonical key: gazetteer key, or minted from type + folded name
    type: str  # coarse contract type: Person, Organization, GPE, Location, Facility, Weapon
    cls: str | None = None  # finer ontology class
    gazetteer: bool = True
    adjective: bool = False  # "Iranian": refers to the state, not a name of it
    media: bool = False  # a news outlet or agency
    anaphor: bool = False  # "the group", "القاعدة": points back to a named entity; not a name of it


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    event_type: str
    kind: str  # "verb" | "noun" | "target_subject"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # "day" | "month" | "year"


@dataclass(frozen=True)
class Argument:
    role: str
    mention: Mention


@dataclass(frozen=True)
class SourceRef:
    """Who a claim is according to: a named entity, or an anonymous source as written."""

    text: str
    lang: str
    mention: Mention | None = None


@dataclass(frozen=True)
class Event:
    type: str
    trigger: Trigger
    sentence: Span
    arguments: tuple[Argument, ...] = ()
    date: DateMention | None = None
    reported_by: tuple[Mention, ...] = ()
    # ISO weekday (1 = Monday) when the text names only a day of the week and the publication
    # date is unknown ("on Tuesday" in an undated article): no date, but it rules days out
    weekday: int | None = None
    according_to: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class Document:
    article: Article
    sentences: tuple[Span, ...] = ()
    mentions: tuple[Mention, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    dates: tuple[DateMention, ...] = ()
    events: tuple[Event, ...] = ()
    outlet_key: str | None = None  # the publishing outlet resolved to an entity key
    outlet_cls: str | None = None
    warnings: tuple[str, ...] = field(default=())
