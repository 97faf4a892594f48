"""Article -> Document through the extraction stages, in one direction."""
from __future__ import annotations

from dataclasses import replace

from ..models import Article, Document, Trigger
from ..text.normalize import fold_with_map, name_key
from ..text.sentences import split_sentences
from .attribution import attribute
from .cues import find_cues, find_trigger_matches
from .dates import find_dates, parse_dateline
from .events import extract_events
from .triggers import nominal
from .metonymy import resolve_metonymy
from .mentions import find_mentions, gazetteer_mentions

_SOURCE_PREFIXES = ("المصدر", "المصادر", "source:", "sources:", "source |")


def body_span(text: str) -> tuple[int, int]:
    """The article body: without a dateline first line and a source last line."""
    start, end = 0, len(text)
    first_nl = text.find("\n")
    if first_nl > 0 and first_nl <= 80 and parse_dateline(text[:first_nl]):
        start = first_nl + 1
    stripped = text.rstrip()
    last_nl = stripped.rfind("\n")
    if last_nl > start and stripped[last_nl + 1:].strip().lower().startswith(_SOURCE_PREFIXES):
        end = last_nl
    return start, end


def resolve_outlet(article: Article) -> tuple[str | None, str | None]:
    """The publishing outlet's entity key: a gazetteer outlet when its name is known."""
    if not article.outlet:
        return None, None
    name = article.outlet
    folded = fold_with_map(name)
    for m in gazetteer_mentions(name, *folded):
        if m.type == "Organization" and (m.end - m.start) >= 0.5 * len(name.strip()):
            return m.key, m.cls
    return "outlet_" + name_key(name).replace(" ", "_"), "MediaOutlet"


def process(article: Article) -> Document:
    """Run every extraction stage on one article."""
    text = article.text
    folded = fold_with_map(text)
    start, end = body_span(text)
    okey, ocls = resolve_outlet(article)
    doc = Document(article, sentences=tuple(split_sentences(text, start, end)), outlet_key=okey, outlet_cls=ocls)
    doc = find_mentions(doc, folded)
    triggers = tuple(t for t in (nominal(text, Trigger(m.start, m.end, m.text, *m.payloads[0]))
                                 for m in find_trigger_matches(text, *folded) if start <= m.start and m.end <= end)
                     if t is not None)
    doc = replace(doc, triggers=triggers, dates=tuple(find_dates(text, article.published, folded)))
    cues = find_cues(text, *folded)
    doc = resolve_metonymy(extract_events(doc, cues))
    return attribute(doc, cues)
