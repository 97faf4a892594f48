"""Date expressions in Arabic and English, normalized against the publication date.

Absolute dates (`27 أبريل/نيسان`, `May 8, 2021`), weekdays (`الثلاثاء الماضي`, `on
Tuesday`), and relative expressions (`أمس`, `قبل ثلاثة أسابيع`, `last month`, `three
weeks ago`). A day and month without a year take the publication year, or the year
before when that would put them after publication. Word lists come from
`resources/lexicons/dates.json`; the patterns here only say how the words combine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..models import DateMention
from ..resources import lexicons
from ..text.normalize import fold, fold_with_map


def _alt(words) -> str:
    keys = sorted({fold(w) for w in words if fold(w)}, key=len, reverse=True)
    return "|".join(re.escape(k) for k in keys)


@dataclass(frozen=True)
class _Tables:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, str]
    duals: dict[str, tuple[str, int]]
    relative: dict[str, dict[str, int]]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    year_rel: dict[str, int]  # "العام الجاري" -> 0: the year of a month named before it
    ordinals: dict[str, int]  # "الثالث" -> 3 before "من يناير"
    starters: frozenset[str]  # first words a date expression can start with (digits aside)


_B = r"(?<![\w])"  # word start
_E = r"(?![\w])"  # word end
_P = r"(?:[وفبل])?"  # an Arabic proclitic before a date word


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    d = lexicons().dates
    months = {fold(k): v for lang in d["months"].values() for k, v in lang.items()}
    weekdays = {fold(k): v for lang in d["weekdays"].values() for k, v in lang.items()}
    # A bare Arabic weekday word is too ambiguous (اثنين "two", أحد "someone").
    weekdays = {k: v for k, v in weekdays.items() if k.isascii() or k.startswith("ال")}
    numbers = {fold(k): v for lang in d["numbers"].values() for k, v in lang.items()}
    units = {fold(k): v for lang in d["units"].values() for k, v in lang.items()}
    duals = {fold(k): (v[0], int(v[1])) for lang in d["dual_units"].values() for k, v in lang.items()}
    relative = {fold(k): v for lang in d["relative"].values() for k, v in lang.items()}
    M, W, N = _alt(months), _alt(weekdays), _alt(numbers)
    year_rel = {fold(k): v for lang in ("en", "ar") for k, v in d["year_of_month"][lang].items()}
    YR = _alt(year_rel)
    U, DU, R = _alt(units), _alt(duals), _alt(relative)
    ago = _alt(d["ago"]["en"])
    ago_ar = _alt(d["ago"]["ar"])
    last = _alt(d["last"]["en"] + d["last"]["ar"])
    nxt = _alt(d["next"]["en"] + d["next"]["ar"])
    ordinals = {fold(k): v for lang in ("en", "ar") for k, v in d["ordinals"][lang].items()}
    pats = [
        ("ord", rf"{_B}(?:the\s+)?(?P<ord>{_alt(ordinals)})\s+(?:of|من)\s+{_P}(?P<mon>{M})"
                rf"(?:\s*/\s*(?:{M}))?{_E}(?:,?\s+(?P<y>\d{{4}}){_E})?"),
        # (folding turns "-" into a space: "2024-03-01" is matched as "2024 03 01")
        ("iso", rf"{_B}(?P<y>\d{{4}})[-/ ](?P<m>\d{{1,2}})[-/ ](?P<d>\d{{1,2}}){_E}"),
        ("dmy", rf"{_B}(?:ال\s*)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+|من\s+)?{_P}(?P<mon>{M})"
                rf"(?:\s*/\s*(?:{M}))?{_E}(?:,?\s+(?P<y>\d{{4}}){_E})?(?:\s+(?P<last>{last}){_E})?"),
        ("mdy", rf"{_B}(?P<mon>{M}){_E}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_E}(?:,?\s+(?P<y>\d{{4}}){_E})?"),
        ("my", rf"{_B}{_P}(?P<mon>{M})(?:\s*/\s*(?:{M}))?{_E},?\s+(?P<y>\d{{4}}){_E}"),
        ("myrel", rf"{_B}{_P}(?P<mon>{M})(?:\s*/\s*(?:{M}))?{_E}\s+(?P<yrel>{YR}){_E}"),
        ("mlast", rf"{_B}(?:(?:early|late|mid|in|أوائل|اوائل|مطلع|أواخر|اواخر|منتصف)\s+)?{_P}(?P<mon>{M})"
                  rf"(?:\s*/\s*(?:{M}))?{_E}(?:\s+(?P<last>{last}){_E})?"),
        ("ago", rf"{_B}(?P<n>\d+|{N})\s+(?P<unit>{U}){_E}\s+(?:{ago}){_E}"),
        ("ago_ar", rf"{_B}(?:{ago_ar})\s+(?:(?P<n>\d+|{N})\s+(?P<unit>{U})|(?P<dual>{DU})){_E}"),
        ("ago_dual", rf"{_B}(?P<dual>{DU})\s+(?:{ago}){_E}"),
        ("rel", rf"{_B}{_P}(?P<rel>{R}){_E}"),
        ("wd", rf"{_B}(?:(?P<pre>last|this|next|on|يوم)\s+)?{_P}(?P<wd>{W}){_E}"
               rf"(?:\s+(?P<last>{last}|{nxt}){_E})?"),
    ]
    compiled = tuple((name, re.compile(p)) for name, p in pats if "()" not in p)
    words = [*months, *weekdays, *numbers, *relative, *duals, *ordinals, *d["ago"]["ar"], *_LEADS]
    starters = frozenset(fold(w).split()[0] for w in words if fold(w))
    return _Tables(months, weekdays, numbers, units, duals, relative, compiled, year_rel, ordinals, starters)


# Words before a month, weekday or day that the patterns above accept at a date's start.
_LEADS = ("the", "on", "last", "this", "next", "يوم", "early", "late", "mid", "in", "أوائل", "مطلع", "أواخر",
          "منتصف")
_WORD = re.compile(r"\w+")


def _anchors(ftext: str, t: _Tables) -> list[int]:
    """Word starts where a date can begin: a digit, a starter word, or one after a proclitic
    (the patterns are tried there only, not at every character)."""
    out = []
    for m in _WORD.finditer(ftext):
        w = m.group()
        if w[0].isdigit() or w in t.starters or (w[0] in "وفبل" and w[1:] in t.starters) or (
                w.startswith("ال") and (len(w) == 2 or w[2].isdigit())):
            out.append(m.start())
    return out


def _shift_months(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) + months
    return total // 12, total % 12 + 1


def _resolve(name: str, m: re.Match[str], pub: date | None, t: _Tables) -> tuple[str, str] | None:
    g = m.groupdict()
    if name == "iso":
        try:
            return date(int(g["y"]), int(g["m"]), int(g["d"])).isoformat(), "day"
        except ValueError:
            return None
    if name == "myrel":
        if pub is None:
            return None
        return f"{pub.year + t.year_rel[g['yrel']]:04d}-{t.months[g['mon']]:02d}", "month"
    if name == "ord":  # "الثالث من يناير": the ordinal is the day
        g = dict(g, d=str(t.ordinals[g["ord"]]))
    if name in ("dmy", "mdy", "my", "mlast", "ord"):
        month = t.months[g["mon"]]
        if name == "mlast" and not g.get("last") and len(g["mon"]) <= 3:
            return None  # "mar", "may" alone are too ambiguous
        if g.get("y"):
            year = int(g["y"])
        elif pub is None:
            return None
        else:
            year = pub.year
            day = int(g["d"]) if g.get("d") else 1
            if (month, day) > (pub.month, pub.day):
                year -= 1  # a date after publication means last year's
        if not g.get("d"):
            if name == "mlast" and not g.get("last") and m.group(0).split()[0] not in (
                    "early", "late", "mid", "in", "اوايل", "مطلع", "اواخر", "منتصف"):
                return None  # a bare month name is too weak a cue on its own
            return f"{year:04d}-{month:02d}", "month"
        try:
            return date(year, month, int(g["d"])).isoformat(), "day"
        except ValueError:
            return None
    if name == "wd" and (g.get("pre") == "next" or (g.get("last") and fold(g["last"]) in _next_words())):
        return None  # "next Tuesday": not a day an event happened on
    if pub is None:
        if name == "wd":
            return f"-W-{t.weekdays[g['wd']] + 1}", "weekday"  # ISO 8601 "a Tuesday", no week known
        return None
    if name in ("ago", "ago_ar", "ago_dual"):
        if g.get("dual"):
            unit, n = t.duals[g["dual"]]
        else:
            unit = t.units[g["unit"]]
            n = int(g["n"]) if g["n"].isdigit() else t.numbers.get(g["n"], 0)
        return _offset(pub, unit, -n)
    if name == "rel":
        rel = t.relative[g["rel"]]
        unit, n = next(iter(rel.items()))
        return _offset(pub, unit, n)
    if name == "wd":
        back = (pub.weekday() - t.weekdays[g["wd"]]) % 7
        if back == 0 and (g.get("pre") == "last" or g.get("last")):
            back = 7
        return (pub - timedelta(days=back)).isoformat(), "day"
    return None


@lru_cache(maxsize=1)
def _next_words() -> frozenset[str]:
    d = lexicons().dates
    return frozenset(fold(w) for w in d["next"]["en"] + d["next"]["ar"])


def _offset(pub: date, unit: str, n: int) -> tuple[str, str] | None:
    if unit == "days":
        return (pub + timedelta(days=n)).isoformat(), "day"
    if unit == "hours":
        return pub.isoformat(), "day"
    if unit == "weeks":
        return (pub + timedelta(weeks=n)).isoformat(), "day"
    if unit == "months":
        y, mo = _shift_months(pub, n)
        return f"{y:04d}-{mo:02d}", "month"
    if unit == "years":
        return f"{pub.year + n:04d}", "year"
    return None


def find_dates(text: str, pub: date | None, folded: tuple[str, list[int]] | None = None) -> list[DateMention]:
    """Every date expression in `text`, longest first where they overlap."""
    t = _tables()
    ftext, offsets = folded or fold_with_map(text)
    found: list[tuple[int, int, str, str]] = []
    anchors = _anchors(ftext, t)
    for name, pat in t.patterns:
        for pos in anchors:
            m = pat.match(ftext, pos)
            if m is None:
                continue
            val = _resolve(name, m, pub, t)
            if val and m.end() > m.start():
                found.append((m.start(), m.end(), *val))
    chosen: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for s, e, value, prec in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(e <= a or s >= b for a, b in taken):
            taken.append((s, e))
            o_s, o_e = offsets[s], offsets[e - 1] + 1
            chosen.append(DateMention(o_s, o_e, text[o_s:o_e], value, prec))
    return sorted(chosen, key=lambda d: d.start)


def parse_dateline(line: str) -> date | None:
    """The publication date in an article's first line, when it is a dateline."""
    for d in find_dates(line, None):
        if d.precision == "day":
            return date.fromisoformat(d.value)
    return None


def dates_compatible(a: str, b: str, days: int = 1) -> bool:
    """Two ISO dates (YYYY, YYYY-MM or YYYY-MM-DD) that may name the same day."""
    if len(a) == 10 and len(b) == 10:
        try:
            return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= days
        except ValueError:
            return False
    n = min(len(a), len(b))
    return a[:n] == b[:n]
