"""Attribution: which outlet an event is credited to, and who is quoted.

`reported_by`: news outlets or agencies named in the event's sentence (`told
Reuters`, `كشف موقع أكسيوس`, `according to AFP`); otherwise the last one credited
before it; otherwise the first one the article credits. `according_to`: the
anonymous sources (`مسؤولين إسرائيليين`, `a US military official`) and the named
people or bodies quoted (`the IDF said`, `قالت القيادة المركزية`) in the sentence;
`the same source` / `وفق المصدر ذاته` carries the previous attribution forward.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from ..models import Document, Event, Mention, SourceRef, Span
from ..text.normalize import fold
from .cues import CueHit

_MAX_SOURCE_WORDS = 4


def _credited(mentions: list[Mention], sent: Span) -> list[Mention]:
    """Outlets named in the sentence — the article's own outlet too when the text credits it
    ("said in a statement to Sputnik", "وأكدته إيلاف"): the report is then first-hand."""
    out: list[Mention] = []
    for m in mentions:
        if m.media and sent.covers(m.start, m.end) and m.key not in [x.key for x in out]:
            out.append(m)
    return out


def _anonymous_sources(doc: Document, sent: Span, cues: list[CueHit], mentions: list[Mention]) -> list[SourceRef]:
    """'Israeli officials', 'a US military official', 'مسؤولين إسرائيليين وأمريكيين'."""
    text, lang = doc.article.text, doc.article.lang
    out: list[SourceRef] = []
    for c in cues:
        if c.name != "source_nouns" or not sent.covers(c.start, c.end):
            continue
        s, e = c.start, c.end
        if lang == "ar":  # noun, then its adjectives: مسؤولين إسرائيليين وأمريكيين
            for m in mentions:
                if m.adjective and 0 <= m.start - e <= 2 and text[e:m.start].strip() in ("", "و"):
                    e = m.end
            words = text[e:sent.end].split()[:2]
            for w in words:
                f = fold(w)
                if f.endswith(("ي", "يه", "يين", "يون", "ين")) and len(f) > 4 and not f.startswith("ال" + "ذ"):
                    if text.find(w, e) - e <= 2:
                        e = text.find(w, e) + len(w)
                        continue
                break
        else:  # adjectives before the noun: a US military official
            before = text[max(sent.start, s - 40):s].split()
            take = 0
            for w in reversed(before[-_MAX_SOURCE_WORDS:]):
                if w.endswith((",", ".", ";", ":", "،")):
                    break  # "… on Wednesday, two Iraqi security officials said": not part of it
                if w[:1].isupper() or w.lower() in ("military", "senior", "security", "defense", "defence",
                                                    "government", "intelligence", "two", "three", "several"):
                    take += len(w) + 1
                else:
                    break
            s = s - take if take else s
        surface = text[s:e].strip(" ,،\"'")
        if surface and not any(fold(surface) == fold(r.text) for r in out):
            out.append(SourceRef(surface, lang))
    return out


def _quoted_named(doc: Document, sent: Span, cues: list[CueHit], mentions: list[Mention]) -> list[SourceRef]:
    """A named person or body right before (English) or after (Arabic) a reporting verb."""
    lang = doc.article.lang
    out: list[SourceRef] = []
    for c in cues:
        if c.name != "report_verbs" or not sent.covers(c.start, c.end):
            continue
        cands = [m for m in mentions if sent.covers(m.start, m.end) and not m.adjective and not m.media
                 and m.type in ("Person", "Organization", "GPE")]
        if lang == "ar":
            pick = [m for m in cands if 0 <= m.start - c.end <= 25]
        else:
            pick = [m for m in cands if 0 <= c.start - m.end <= 3]
        for m in pick[:1]:
            if all(r.mention is None or r.mention.key != m.key for r in out):
                out.append(SourceRef(m.text, lang, m))
    return out


def _per_sentence(sentences, items: list) -> list[list]:
    """Items (sorted by start) that start inside each sentence, in sentence order."""
    starts = [x.start for x in items]
    return [items[bisect_left(starts, s.start):bisect_left(starts, s.end)] for s in sentences]


def attribute(doc: Document, cues: list[CueHit]) -> Document:
    """Stage: give each event its reported_by outlets and according_to sources."""
    # each sentence with its own cues and mentions (sorted by start): one pass, not one per sentence
    cues_in = _per_sentence(doc.sentences, sorted(cues, key=lambda c: c.start))
    mentions_in = _per_sentence(doc.sentences, sorted(doc.mentions, key=lambda m: m.start))
    first_credit: list[Mention] = []
    for i, sent in enumerate(doc.sentences):
        first_credit = _credited(mentions_in[i], sent)
        if first_credit:
            break
    last_credit: list[Mention] = []
    last_sources: list[SourceRef] = []
    by_sentence: dict[int, tuple[list[Mention], list[SourceRef]]] = {}
    for i, sent in enumerate(doc.sentences):
        credit = _credited(mentions_in[i], sent)
        sources = _anonymous_sources(doc, sent, cues_in[i], mentions_in[i]) + \
            _quoted_named(doc, sent, cues_in[i], mentions_in[i])
        if any(c.name == "same_source" and sent.covers(c.start, c.end) for c in cues_in[i]):
            credit = credit or last_credit
            sources = sources or last_sources
        last_credit = credit or last_credit
        last_sources = sources or last_sources
        by_sentence[sent.start] = (credit or last_credit or first_credit, sources)
    events: list[Event] = []
    for ev in doc.events:
        credit, sources = by_sentence.get(ev.sentence.start, (first_credit, []))
        events.append(replace(ev, reported_by=tuple(credit), according_to=tuple(sources)))
    return replace(doc, events=tuple(events))
