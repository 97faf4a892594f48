"""Entity mentions: gazetteer names, nationality adjectives, and names found by cues.

1. Gazetteer names and adjectives, matched with one automaton (`text.matcher`).
2. A state referred to by a head noun and its adjective ("the Israeli side",
   "الوفد الإسرائيلي") or by its leader's administration ("إدارة بايدن").
3. Organizations named by a head noun and a nationality adjective
   ("Jordanian air defenses", "الدفاعات الجوية الأردنية").
4. People not in the gazetteer, after a title ("Col. Wayne Marotto", "العقيد ...") or
   before a reporting verb ("Wayne Marotto said"); later surname-only mentions of them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import lru_cache

from ..models import Document, Mention
from ..resources import gazetteer, lexicons
from ..text.matcher import Match, PhraseMatcher
from ..text.normalize import fold, name_key
from ..text.tokens import Token, is_capitalized, tokenize
from ..text.translit import skeleton

ENT, ADJ, CUE = "ent", "adj", "cue"
# Words that never start or continue a person's name after a title.
_AR_STOP = {fold(w) for w in (
    "في", "على", "من", "إلى", "الى", "عن", "مع", "أن", "إن", "الذي", "التي", "يوم", "أمس", "اليوم", "خلال",
    "بعد", "قبل", "حيث", "كما", "وقال", "قال", "قالت", "لدى", "عبر", "ضد", "بين", "منذ", "حول", "إنه", "أنه",
    "هو", "هي", "ثم", "أو", "ان", "لا", "لم", "لن", "قد", "كان", "كانت", "وكان", "ذلك", "هذا", "هذه", "عام",
    "السابق", "الحالي", "الجديد", "نفسه", "ذاته", "أيضا", "بدوره", "بدورها", "رفيع", "المستوى")}
_AR_ON_BEHALF = {fold(w) for w in ("باسم", "لدى", "في")}
_EN_PARTICLES = {"al", "bin", "ibn", "bint", "abu", "de", "van", "von", "el", "ben", "abdul", "abd"}


@lru_cache(maxsize=1)
def _matchers() -> tuple[PhraseMatcher, PhraseMatcher]:
    gaz = gazetteer()
    names = PhraseMatcher(names=True)
    for e in gaz.entries.values():
        for lang, forms in e.names.items():
            if lang == "ar" and e.type == "Weapon":
                forms = [*forms, *(d for f in forms for d in _definite(f))]
            for form in forms:  # a name written lowercase ("pro-Iran militias") needs no capital
                names.add(form, (ENT, e.key) if not form[:1].islower() else (ENT + "_lc", e.key))
        for lang, forms in e.adjectives.items():
            names.add_all(forms, (ADJ, e.key))
    cues = PhraseMatcher()
    c = lexicons().cues
    for cue in ("person_titles", "counterpart", "org_heads", "state_heads", "group_heads", "report_verbs",
                "media_heads"):
        for lang in ("en", "ar"):
            cues.add_all(c[cue][lang], (CUE, cue))
    return names, cues


def _definite(phrase: str) -> list[str]:
    """A weapon is a common noun, and Arabic writes it definite too: "الطائرات بدون طيار" (the
    first word), "الطائرة المسيرة" (noun and adjective). A proper name never takes the article."""
    words = phrase.split()
    if len(words) < 2 or any(w.startswith("ال") for w in words) or not all(w.isalpha() for w in words):
        return []
    first = ["ال" + words[0], *words[1:]]
    k = next((i for i, w in enumerate(words) if w in ("بدون", "من", "دون", "ذات") or w.startswith("لل")),
             len(words))
    every = ["ال" + w for w in words[:k]] + words[k:]  # adjectives agree; "بدون طيار" stays
    return list(dict.fromkeys([" ".join(first), " ".join(every)]))


@lru_cache(maxsize=1)
def _head_concepts() -> dict[str, str]:
    """Folded head noun -> concept ('القوات' and 'forces' -> 'forces')."""
    out: dict[str, str] = {}
    for concept, forms in lexicons().cues["head_concepts"].items():
        if concept.startswith("_"):
            continue
        for lang in ("en", "ar"):
            for f in forms.get(lang, []):
                out[fold(f)] = concept
    return out


def head_concept(head: str) -> str:
    """The cross-language key part of an organization head noun."""
    f = fold(head)
    return _head_concepts().get(f) or _head_concepts().get(f.removeprefix("ال")) or name_key(head).replace(" ", "_")


def _acceptable(m: Match, key: str) -> bool:
    """English proper names must be capitalized in the text; acronyms must match exactly."""
    entry = gazetteer().entries[key]
    if m.text[:1].isascii() and m.text[:1].isalpha():
        compact = m.text.replace(".", "").replace(" ", "")
        if len(compact) <= 3 and not compact.isupper():
            return False  # "us", "Us" are not the United States
        if entry.type != "Weapon" and not is_capitalized(m.text):
            return False
    return True


def gazetteer_mentions(text: str, folded: str, offsets: list[int]) -> list[Mention]:
    gaz = gazetteer()
    names, _ = _matchers()
    out: list[Mention] = []
    for m in names.find(text, folded, offsets):
        for kind, key in m.payloads:
            if kind == ENT and not _acceptable(m, key):
                continue
            kind = ENT if kind == ENT + "_lc" else kind
            if kind == ADJ and m.text[:1].isascii() and not is_capitalized(m.text):
                continue
            e = gaz.entries[key]
            out.append(Mention(m.start, m.end, m.text, key, e.type, e.cls, gazetteer=True,
                               adjective=(kind == ADJ), media=(e.cls == "MediaOutlet")))
            break
    return out


def _next_token(tokens: list[Token], pos: int) -> int:
    """Index of the first token starting at or after `pos` (tokens are in text order)."""
    return bisect.bisect_left(tokens, pos, key=_token_start)


def _token_start(t: Token) -> int:
    return t.start


def _covered(mentions: list[Mention], tok: Token) -> Mention | None:
    for m in mentions:
        if m.start <= tok.start and tok.end <= m.end:
            return m
    return None


def _gap_is_space(text: str, a: int, b: int) -> bool:
    return text[a:b].strip(" \u00a0") == ""


def _person_after(text: str, tokens: list[Token], i: int, found: list[Mention], lang: str) -> Mention | None:
    """A name that starts at token i or after descriptors of a title (Arabic) / at i (English)."""
    if lang == "ar":
        # "المتحدث العسكري باسم الجماعة يحيى سريع": descriptors, "on behalf of" and whom, then the name
        while i < len(tokens) and (_covered(found, tokens[i]) or fold(tokens[i].text).startswith(("ال", "لل"))
                                   or fold(tokens[i].text) in _AR_ON_BEHALF):
            covered = _covered(found, tokens[i])
            if covered is not None and covered.type == "Person":
                return None  # the title's holder is already named ("مستشار الأمن القومي جيك سوليفان")
            i += 1
        if i < len(tokens) and fold(tokens[i].text).startswith("و"):
            return None  # "ووزير …": a conjunction starts another title, not a name
        name: list[Token] = []
        while i < len(tokens) and len(name) < 3:
            t = tokens[i]
            f = fold(t.text)
            if f in _AR_STOP or _covered(found, t) or f.startswith("و") and name or (
                    name and not _gap_is_space(text, name[-1].end, t.start)):
                break
            if len(name) == 2 and not f.startswith("ال"):
                break
            if f.isdigit() or len(f) < 2:
                break
            name.append(t)
            i += 1
        if len(name) < 2:
            return None
    else:
        while i < len(tokens) and fold(tokens[i].text).strip(".") in _title_words():
            i += 1  # "IDF Spokesman Rear Admiral Daniel Hagari": titles in a row, then the name
        name = []
        while i < len(tokens) and len(name) < 4:
            t = tokens[i]
            if name and not _gap_is_space(text, name[-1].end, t.start) and text[name[-1].end:t.start] != "-":
                break
            if not (is_capitalized(t.text) or t.text.lower() in _EN_PARTICLES) or _covered(found, t):
                break
            name.append(t)
            i += 1
        while name and not is_capitalized(name[-1].text):
            name.pop()
        if len(name) < 2:
            return None
    s, e = name[0].start, name[-1].end
    surface = text[s:e]
    known = _known_person(surface)
    if known is not None:  # "Reuven Ezer": the gazetteer's Reuven Azar
        return Mention(s, e, surface, known, "Person", "Person", gazetteer=True)
    return Mention(s, e, surface, "person_" + name_key(surface).replace(" ", "_"), "Person", "Person",
                   gazetteer=False)


@lru_cache(maxsize=1)
def _person_skeletons() -> dict[str, str | None]:
    """Consonant skeleton of every full name of a gazetteer person -> its key (None when two
    people share a skeleton: then no spelling variant may pick one)."""
    out: dict[str, str | None] = {}
    for e in gazetteer().entries.values():
        if e.type != "Person":
            continue
        for name in {n for names in e.names.values() for n in names}:
            sk = _full_name_key(name)
            if sk:
                out[sk] = e.key if out.get(sk, e.key) == e.key else None
    return out


def _full_name_key(name: str) -> str | None:
    """The skeleton of a name of two words or more, leaving out particles ("al-", "bin"):
    "al-Shuhadaa" is one word and may not stand for "al-Assad"."""
    words = [w for w in skeleton(name).split() if len(w) >= 2]
    return " ".join(words) if len(words) >= 2 else None


def _known_person(surface: str) -> str | None:
    """A full name spelled in a way the gazetteer lacks, matched by its consonants."""
    sk = _full_name_key(surface)
    return _person_skeletons().get(sk) if sk else None


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Words of English person titles ("Rear", "Admiral", "Lt"): never the start of a name."""
    titles = lexicons().cues["person_titles"]["en"]
    words = {w.strip(".") for t in titles for w in fold(t).split()}
    return frozenset(w for w in words if len(w) > 1 and w not in ("the", "of", "in"))


def _cue_mentions(doc: Document, found: list[Mention], tokens: list[Token],
                  folded: str, offsets: list[int]) -> list[Mention]:
    text, lang = doc.article.text, doc.article.lang
    _, cues = _matchers()
    extra: list[Mention] = []
    for cm in cues.find(text, folded, offsets):
        kind = cm.payloads[0][1]
        if kind in ("person_titles", "counterpart"):
            p = _person_after(text, tokens, _next_token(tokens, cm.end), found + extra, lang)
            if p:
                extra.append(p)
        elif kind == "state_heads":
            adj = _adjacent_adjective(text, cm, found, lang)
            if adj:
                s, e = min(cm.start, adj.start), max(cm.end, adj.end)
                e_ = gazetteer().entries[adj.key]
                extra.append(Mention(s, e, text[s:e], adj.key, e_.type, e_.cls, gazetteer=True))
        elif kind in ("org_heads", "group_heads"):
            adj = _adjacent_adjective(text, cm, found, lang)
            cls = "ArmedGroup" if kind == "group_heads" else "MilitaryOrganization"
            head = head_concept(cm.text)
            if adj and gazetteer().entries[adj.key].type == "GPE":
                s, e = min(cm.start, adj.start), max(cm.end, adj.end)
                extra.append(Mention(s, e, text[s:e], f"{adj.key}_{head}", "Organization", cls, gazetteer=False))
            # "American and British forces", "US and allied troops", "القوات الأمريكية والبريطانية":
            # each state named in the conjunction has its forces there
            for m in _conjoined_states(text, cm, adj, found, lang):
                extra.append(Mention(m.start, m.end, m.text, f"{m.key}_{head}", "Organization", cls, gazetteer=False))
        elif kind == "report_verbs" and lang == "en":
            p = _person_before(text, tokens, cm.start, found + extra)
            if p:
                extra.append(p)
    return extra


def _adjacent_adjective(text: str, cue: Match, found: list[Mention], lang: str) -> Mention | None:
    """The nationality adjective right after (Arabic) or right before (English) a head noun."""
    for m in found:
        # "US forces": in English a short state name works as an adjective too.
        if not (m.adjective or (lang == "en" and m.type == "GPE" and m.gazetteer and not m.text.endswith("s"))):
            continue
        if lang == "ar" and 0 <= m.start - cue.end <= 1 and _gap_is_space(text, cue.end, m.start):
            return m
        if lang == "en" and 0 <= cue.start - m.end <= 1 and _gap_is_space(text, m.end, cue.start):
            return m
    return None


def _conjoined_states(text: str, cue: Match, adj: Mention | None, found: list[Mention], lang: str) -> list[Mention]:
    """The states conjoined with the adjective of a head noun: before it in English ("American
    and British forces"; "US and allied troops", where the adjective next to the head is no
    state's), after it in Arabic ("القوات الأمريكية والبريطانية")."""
    gaz = gazetteer()

    def state(m: Mention) -> bool:
        return (m.adjective or lang == "en" and m.type == "GPE" and m.gazetteer and not m.text.endswith("s")) \
            and gaz.entries[m.key].type == "GPE"

    if lang == "en":
        out: list[Mention] = []
        edge = adj.start if adj else cue.start
        if adj is None:  # "US and allied troops": one plain adjective between the conjunction and the head
            k = text.rfind(" ", 0, max(0, cue.start - 1))
            word = text[k + 1:cue.start].strip()
            if not (word.isalpha() and word.islower()):
                return []
            edge = k + 1
        for m in sorted((m for m in found if m.end <= edge and state(m)), key=lambda m: -m.end):
            if text[m.end:edge].strip(" ,") not in ("and", "") or text[m.end:edge].strip() == "":
                break
            out.append(m)
            edge = m.start
        return out
    return _conjoined_after(text, adj, sorted(found, key=lambda m: m.start), state) if adj is not None else []


def _person_before(text: str, tokens: list[Token], pos: int, found: list[Mention]) -> Mention | None:
    i = _next_token(tokens, pos) - 1
    name: list[Token] = []
    while i >= 0 and len(name) < 3:
        t = tokens[i]
        if not is_capitalized(t.text) or _covered(found, t) or (
                name and not _gap_is_space(text, t.end, name[0].start)):
            break
        name.insert(0, t)
        i -= 1
    if len(name) < 2 or not _gap_is_space(text, name[-1].end, pos) or fold(name[-1].text) in _org_head_words():
        return None  # "the Royal Court said": a body, not a person
    s, e = name[0].start, name[-1].end
    return Mention(s, e, text[s:e], "person_" + name_key(text[s:e]).replace(" ", "_"), "Person", "Person",
                   gazetteer=False)


@lru_cache(maxsize=1)
def _org_head_words() -> frozenset[str]:
    """Last words of English organization names ("Court", "Ministry", "Council"): no surname."""
    words = {fold(w).split()[-1] for w in lexicons().cues["org_heads"]["en"] if fold(w)}
    return frozenset(words | {"court", "house", "palace", "embassy", "government", "administration"})


def _administration(doc: Document, found: list[Mention], tokens: list[Token]) -> list[Mention]:
    """'Biden administration' / 'إدارة بايدن': the leader's state, spanning both words."""
    text = doc.article.text
    out: list[Mention] = []
    gaz = gazetteer()
    for m in found:
        if m.type != "Person" or not m.gazetteer:
            continue
        country = gaz.entries[m.key].country if m.key in gaz.entries else None
        if not country:
            continue
        after = text[m.end:m.end + 16].lower()
        if after.startswith((" administration", "'s administration")):
            e = m.end + after.index("administration") + len("administration")
            out.append(Mention(m.start, e, text[m.start:e], country, "GPE", "State"))
        before = text[max(0, m.start - 40):m.start]
        k = before.rfind("إدارة")
        if k >= 0 and len(before[k:].split()) <= 4:
            s = m.start - len(before) + k
            out.append(Mention(s, m.end, text[s:m.end], country, "GPE", "State"))
    return out


@lru_cache(maxsize=1)
def _state_areas() -> dict[str, tuple[str, ...]]:
    areas = lexicons().cues["state_areas"]
    return {lang: tuple(sorted((fold(w) for w in areas[lang]), key=len, reverse=True)) for lang in ("en", "ar")}


def _state_area_mentions(doc: Document, found: list[Mention]) -> list[Mention]:
    """"Israeli territory", "الأراضي السورية", "Israeli jets struck": the state itself, as a place
    or acting through its aircraft, ships and guns, spanning both words (an adjective alone names
    no entity)."""
    text, lang = doc.article.text, doc.article.lang
    out: list[Mention] = []
    for m in found:
        if not m.adjective or m.cls != "State":
            continue
        if lang == "en":
            after = text[m.end:m.end + 24]
            if not after.startswith(" "):
                continue
            after = fold(after[1:])  # (folding also trims)
            head = next((w for w in _state_areas()["en"] if after.startswith(w)
                         and not after[len(w):len(w) + 1].isalnum()), None)
            if head is not None:
                e = m.end + 1 + len(head)
                out.append(replace(m, end=e, text=text[m.start:e], type="GPE", adjective=False))
        else:
            lo = max(0, m.start - 30)
            words = [w for w in re.finditer(r"\S+", text[lo:m.start])][-2:]
            for k in range(len(words)):  # the last word, or the last two ("المياه الإقليمية")
                if text[lo + words[-1].end():m.start].strip() == "" and \
                        fold(" ".join(w.group() for w in words[k:])) in _state_areas()["ar"]:
                    s = lo + words[k].start()
                    out.append(replace(m, start=s, text=text[s:m.end], type="GPE", adjective=False))
                    out.extend(_conjoined_adjectives(text, m, found))  # "الطائرات الأمريكية والبريطانية"
                    break
    return out


def _conjoined_adjectives(text: str, first: Mention, found: list[Mention]) -> list[Mention]:
    return [replace(m, type="GPE", adjective=False)
            for m in _conjoined_after(text, first, found, lambda m: m.adjective and m.cls == "State")]


def _conjoined_after(text: str, first: Mention, found: list[Mention], accept) -> list[Mention]:
    """The mentions `accept` takes that follow `first` in an Arabic conjunction ("الأمريكية
    والبريطانية", "…، …"), each joined to the one before; `found` in text order."""
    out: list[Mention] = []
    last = first
    for m in found:
        if m.start > last.end and accept(m) and text[last.end:m.start].strip() in ("و", "،"):
            out.append(m)
            last = m
        elif m.start > last.end + 3:
            break
    return out


def _surname_mentions(doc: Document, found: list[Mention], tokens: list[Token]) -> list[Mention]:
    """Later mentions of a person by surname alone ("Marotto said", "Hussein proposed")."""
    people = {}
    for m in found:
        if m.type == "Person" and len(m.text.split()) >= 2:  # "Fuad Hussein" … then "Hussein said"
            last = m.text.split()[-1]
            if len(last) > 3:
                people.setdefault(fold(last), m)
    out = []
    for t in tokens:
        p = people.get(fold(t.text))
        if p and t.start > p.start and not _covered(found, t) and (not t.text[:1].isascii() or is_capitalized(t.text)):
            out.append(Mention(t.start, t.end, t.text, p.key, "Person", "Person", gazetteer=p.gazetteer))
    return out


def find_mentions(doc: Document, folded: tuple[str, list[int]]) -> Document:
    """Stage: add entity mentions (gazetteer, adjectives, cue-found names)."""
    ftext, offsets = folded
    text = doc.article.text
    tokens = tokenize(text)
    found = gazetteer_mentions(text, ftext, offsets)
    found = _prefer_longest(found)
    extra = _cue_mentions(doc, found, tokens, ftext, offsets) + _administration(doc, found, tokens)
    merged = _prefer_longest(extra + found)
    merged = _prefer_longest(merged + _surname_mentions(doc, merged, tokens))
    merged = _prefer_longest(merged + _anaphor_mentions(doc, merged, ftext, offsets))
    merged = _prefer_longest(_site_mentions(doc, merged) + merged)
    merged = _prefer_longest(_state_area_mentions(doc, merged) + merged)
    return replace(doc, mentions=tuple(merged))


@lru_cache(maxsize=1)
def _facility_heads() -> dict[str, tuple[tuple[str, str], ...]]:
    heads = lexicons().cues["facility_heads"]
    return {lang: tuple(sorted(((fold(k), v) for k, v in heads[lang].items()), key=lambda kv: -len(kv[0])))
            for lang in ("en", "ar")}


def _site_mentions(doc: Document, found: list[Mention]) -> list[Mention]:
    """'the Eilat naval base', 'ميناء الحديدة': a site not in the gazetteer, named by a city and a
    head noun, keyed <city>_<head> so every article (in either language) names the same node."""
    text, lang = doc.article.text, doc.article.lang
    out: list[Mention] = []
    for m in found:
        if m.type != "GPE" or m.cls != "City" or m.adjective:
            continue
        if lang == "en":
            if not text[m.end:m.end + 1].isspace():
                continue
            after = fold(text[m.end:m.end + 24])
            for head, concept in _facility_heads()["en"]:
                if after.startswith(head) and not after[len(head):len(head) + 1].isalpha():
                    end = m.end + 1 + len(head)
                    out.append(_site(text, m, m.start, end, concept))
                    break
        else:
            words = text[max(0, m.start - 24):m.start].split()
            if not words or not text[m.start - 1:m.start].isspace():
                continue
            start = m.start - 1 - len(words[-1])  # the head noun right before the city
            head_word = fold(words[-1])
            for head, concept in _facility_heads()["ar"]:
                if " " not in head and head_word in (head, "و" + head, "ب" + head, "ل" + head, "ال" + head):
                    clitic = len(words[-1]) - len(words[-1].lstrip("وبل")) if head_word != head else 0
                    end, concept = _arabic_site_adjective(text, m.end, concept)
                    out.append(_site(text, m, start + min(clitic, 1), end, concept))
                    break
    return [x for x in out if not any(f.type == "Facility" and f.start < x.end and x.start < f.end for f in found)]


_AR_SITE_ADJECTIVES = {"البحريه": "naval_base", "الجويه": "air_base"}


def _arabic_site_adjective(text: str, end: int, concept: str) -> tuple[int, str]:
    """'قاعدة إيلات البحرية': the adjective after the city makes the base a naval (or air) base."""
    nxt = [w.rstrip(".,،؛:\"'”)") for w in text[end:end + 14].split()[:1]]
    if concept == "base" and nxt and text[end:end + 1].isspace() and fold(nxt[0]) in _AR_SITE_ADJECTIVES:
        return end + 1 + len(nxt[0]), _AR_SITE_ADJECTIVES[fold(nxt[0])]
    return end, concept


def _site(text: str, city: Mention, start: int, end: int, concept: str) -> Mention:
    return Mention(start, end, text[start:end], f"{city.key}_{concept}", "Facility",
                   "Airport" if concept == "airport" else "Port" if concept == "port" else "MilitaryBase"
                   if concept in ("base", "naval_base", "air_base", "barracks", "camp") else "Site", gazetteer=False)


@lru_cache(maxsize=1)
def _anaphor_matcher() -> PhraseMatcher:
    m = PhraseMatcher()
    for lang in ("en", "ar"):
        for phrase, classes in lexicons().cues["anaphors"][lang].items():
            m.add(phrase, tuple(classes))
    return m


_ANAPHOR_REACH = 1500  # characters back to look for the named antecedent


def _anaphor_mentions(doc: Document, found: list[Mention], folded: str, offsets: list[int]) -> list[Mention]:
    """'the group' / 'الجماعة' / 'the base': the latest named entity of a fitting class before it."""
    text = doc.article.text
    out: list[Mention] = []
    for hit in _anaphor_matcher().find(text, folded, offsets):
        classes = set(hit.payloads[0])
        if any(m.start <= hit.start < m.end for m in found):
            continue  # part of a name ("القاعدة الجوية" inside a base's name)
        before = [m for m in found if m.end <= hit.start and hit.start - m.end <= _ANAPHOR_REACH
                  and m.cls in classes and not m.adjective and not m.anaphor]
        if before:
            a = before[-1]
            out.append(Mention(hit.start, hit.end, hit.text, a.key, a.type, a.cls, gazetteer=a.gazetteer,
                               media=a.media, anaphor=True))
    return out


def _prefer_longest(mentions: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: longest first; on a tie, a name beats an adjective."""
    chosen: list[Mention] = []
    starts: list[int] = []  # chosen spans sorted by start, for a bisect overlap test
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.adjective, m.start)):
        i = bisect.bisect_left(starts, m.start)
        if (i < len(starts) and starts[i] < m.end) or (i > 0 and chosen[i - 1].end > m.start):
            continue
        starts.insert(i, m.start)
        chosen.insert(i, m)
    return chosen
