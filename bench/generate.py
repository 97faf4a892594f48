#!/usr/bin/env python3
"""A synthetic news corpus of any size, in Arabic and English, for the benchmarks.

    python3 bench/generate.py OUT_DIR --n 10000 [--seed 8] [--dev ../shared/corpus/dev]

Writes OUT_DIR/part-00000.jsonl, part-00001.jsonl … (1,000 articles a file). Articles are
built from templates over the shipped gazetteer (people, states, armed groups, military
organizations, facilities, weapons, cities, outlets): attacks, interceptions, meetings,
agreements and proposals, plus threats and denials that are not events, padded with neutral
background sentences to 300–900 words like real news. Events come from a shared pool of
"world events", so the same attack or meeting is reported by several articles in both
languages and fusion has work to do. Every `--dev-every`-th article is a real dev article
(read from --dev at run time, never copied into the repository) under a new id.

Deterministic: the same --n and --seed give the same bytes. Generation streams: one
article is in memory at a time (the event pool is bounded, not proportional to --n).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.resources import gazetteer  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"
PER_FILE = 1000
POOL = 4000  # live world events at a time: old ones are replaced, so repeats stay near in time
START = date(2019, 1, 1)
DAYS = 6 * 365
MONTHS_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]
WD_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WD_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]

# Background: neutral (no event), a third of them naming a city, as real articles name places
# in passing; more names than that made half of a store's quads entity types.
# Event sentences: {a} agent/first party, {b} second party, {t} target, {w} weapon, {p} place, {d} date, {o} outlet.
EVENTS = {
    "Attack": {
        "en": ["The {a} said it launched a {w} attack on {t} on {d}.",
             "A {w} attack targeted {t} near {p} on {d}, officials told {o}.",
             "The {a} claimed responsibility for an attack on {t} on {d}, according to {o}.",
             "Militants attacked {t} with a {w} on {d}, the {a} said in a statement."],
        "ar": ["أعلنت {a} أنها شنت هجوما بطائرة مسيرة على {t} في {d}.",
               "تعرضت {t} قرب {p} لهجوم بـ{w} في {d}، بحسب {o}.",
               "تبنت {a} الهجوم على {t} في {d}، وفق ما نقلت {o}."],
    },
    "Interception": {
        "en": ["The {a} said its air defenses intercepted a {w} over {p} on {d}.",
             "A {w} launched toward {t} was shot down by the {a} on {d}, {o} reported."],
        "ar": ["قال {a} إن دفاعاته الجوية اعترضت {w} فوق {p} في {d}.",
               "أسقط {a} {w} كانت متجهة نحو {t} في {d}، بحسب {o}."],
    },
    "Meeting": {
        "en": ["{a} met {b} in {p} on {d} to discuss the situation in the region.",
             "{a} held talks with {b} in {p} on {d}, {o} reported."],
        "ar": ["التقى {a} نظيره {b} في {p} في {d}، وبحث الجانبان الأوضاع في المنطقة.",
               "عقد {a} اجتماعا مع {b} في {p} في {d}، بحسب {o}."],
    },
    "Agreement": {
        "en": ["{a} and {b} signed an agreement in {p} on {d}, officials told {o}."],
        "ar": ["وقع {a} و{b} اتفاقا في {p} في {d}، بحسب {o}."],
    },
    "Proposal": {
        "en": ["{a} proposed a ceasefire during talks with {b} in {p} on {d}, according to two officials."],
        "ar": ["اقترح {a} وقفا لإطلاق النار خلال محادثات مع {b} في {p} في {d}."],
    },
}
# Said, not done: the extractor must not make events of these.
NON_EVENTS = {
    "en": ["The {a} threatened to attack {t} if the strikes continued.",
           "The {a} denied any role in the attack on {t}.",
           "{a} said a meeting with {b} could take place next month."],
    "ar": ["هددت {a} بمهاجمة {t} إذا استمرت الضربات.",
           "نفت {a} أي دور لها في الهجوم على {t}.",
           "قال {a} إن لقاء مع {b} قد يعقد الشهر المقبل."],
}
BACKGROUND = {
    "en": ["Prices of bread and fuel have risen sharply in {p} over the past year.",
           "Many families say they struggle to pay rent and school fees.",
           "The region has seen years of economic hardship and high unemployment.",
           "Electricity cuts remain common during the summer months.",
           "Analysts say the local currency has lost much of its value since 2019.",
           "Humanitarian agencies have warned of food shortages in several provinces.",
           "The city of {p} is home to more than a million people.",
           "Traffic was heavy as schools reopened after the holidays.",
           "Observers note that parliament has yet to pass the annual budget.",
           "Doctors in {p} report a lack of medicine and equipment in public hospitals.",
           "Farmers complain that the drought has cut wheat harvests for a third year.",
           "Young people continue to look for work abroad.",
           "Local markets were busy ahead of the religious holiday.",
           "Officials in {p} announced plans to repair roads and water networks.",
           "The weather is expected to remain hot and dry this week."],
    "ar": ["ارتفعت أسعار الخبز والوقود بشكل كبير في {p} خلال العام الماضي.",
           "تقول عائلات كثيرة إنها تجد صعوبة في دفع الإيجار والرسوم المدرسية.",
           "تعاني المنطقة منذ سنوات من أوضاع اقتصادية صعبة وبطالة مرتفعة.",
           "لا يزال انقطاع الكهرباء شائعا خلال أشهر الصيف.",
           "يرى محللون أن العملة المحلية فقدت كثيرا من قيمتها منذ عام 2019.",
           "حذرت وكالات إنسانية من نقص في الغذاء في عدة محافظات.",
           "يسكن مدينة {p} أكثر من مليون نسمة.",
           "شهدت الطرق ازدحاما مروريا مع عودة المدارس بعد العطلة.",
           "يشير مراقبون إلى أن البرلمان لم يقر الموازنة السنوية بعد.",
           "يشكو أطباء في {p} من نقص الأدوية والمعدات في المستشفيات العامة.",
           "يقول مزارعون إن الجفاف قلص محصول القمح للعام الثالث على التوالي.",
           "يواصل الشباب السفر للعمل في الخارج.",
           "شهدت الأسواق المحلية حركة نشطة قبل حلول العيد.",
           "أعلن مسؤولون في {p} خطة لإصلاح الطرق وشبكات المياه.",
           "من المتوقع أن يبقى الطقس حارا وجافا هذا الأسبوع."],
}
TITLES = {"en": "{t} report from {p}", "ar": "تقرير من {p}: {t}"}
KIND_AR = {"Attack": "هجوم", "Interception": "اعتراض", "Meeting": "لقاء", "Agreement": "اتفاق", "Proposal": "مقترح"}


@dataclass(frozen=True)
class WorldEvent:
    """One thing that happened, which several articles may report (keys into the gazetteer)."""
    type: str
    a: str
    b: str
    t: str
    w: str
    p: str
    day: date


class Names:
    """Gazetteer keys by kind, and their names in each language."""

    def __init__(self) -> None:
        entries = gazetteer().entries
        by = lambda t, *cls: sorted(k for k, e in entries.items()  # noqa: E731
                                    if e.type == t and (not cls or e.cls in cls) and "ar" in e.names and "en" in e.names)
        self.people = by("Person")
        self.groups = by("Organization", "ArmedGroup")
        self.militaries = by("Organization", "MilitaryOrganization")
        self.targets = by("Facility", "MilitaryBase", "Site", "Airport", "Port")
        self.weapons = by("Weapon")
        self.cities = by("GPE", "City")
        self.outlets = by("Organization", "MediaOutlet")
        self._entries = entries

    def name(self, key: str, lang: str) -> str:
        return self._entries[key].names[lang][0]


def world_event(rng: random.Random, names: Names, day: date) -> WorldEvent:
    kind = rng.choices(list(EVENTS), weights=[40, 15, 25, 10, 10])[0]
    if kind in ("Attack", "Interception"):
        a = rng.choice(names.groups if kind == "Attack" else names.militaries)
        b = ""
    else:
        a, b = rng.sample(names.people, 2)
    return WorldEvent(kind, a, b, rng.choice(names.targets), rng.choice(names.weapons[:12]),
                      rng.choice(names.cities), day)


def _date_text(d: date, lang: str) -> str:
    return f"{d:%B} {d.day}, {d.year}" if lang == "en" else f"{d.day} {MONTHS_AR[d.month - 1]} {d.year}"


def _fill(template: str, ev: WorldEvent, names: Names, lang: str, outlet: str) -> str:
    n = lambda k: names.name(k, lang) if k else ""  # noqa: E731
    return template.format(a=n(ev.a), b=n(ev.b), t=n(ev.t), w=n(ev.w), p=n(ev.p), d=_date_text(ev.day, lang),
                           o=n(outlet))


def article(rng: random.Random, names: Names, pool: list[WorldEvent], i: int, today: date) -> dict:
    """One synthetic article: 1–4 events from the pool (some shared with other articles), a
    non-event now and then, and background sentences up to 300–900 words."""
    lang = "ar" if rng.random() < 0.5 else "en"
    outlet = rng.choice(names.outlets)
    events = [rng.choice(pool) for _ in range(rng.randint(1, 4))]
    place = names.name(events[0].p, lang)
    sentences = [_fill(rng.choice(EVENTS[ev.type][lang]), ev, names, lang, rng.choice(names.outlets)) for ev in events]
    if rng.random() < 0.4:
        sentences.insert(rng.randrange(len(sentences) + 1),
                         _fill(rng.choice(NON_EVENTS[lang]), world_event(rng, names, today), names, lang, outlet))
    target_words = rng.randint(300, 900)
    words = sum(len(s.split()) for s in sentences)
    body: list[str] = []
    for k, s in enumerate(sentences, 1):
        body.append(s)
        while words < target_words * k / len(sentences):  # spread the padding between the events
            pad = rng.choice(BACKGROUND[lang]).format(p=names.name(rng.choice(names.cities), lang))
            body.append(pad)
            words += len(pad.split())
    paragraphs = [" ".join(body[k:k + 4]) for k in range(0, len(body), 4)]
    title = TITLES[lang].format(t=events[0].type if lang == "en" else KIND_AR[events[0].type], p=place)
    text = "\n".join([_date_text(today, lang), *paragraphs]) + "\n"
    return {"id": f"syn-{i:07d}", "lang": lang, "outlet": names.name(outlet, lang), "title": title,
            "published": today.isoformat(), "url": f"https://example.org/news/{i}", "text": text}


def dev_articles(folder: Path) -> list[dict]:
    """The real dev articles as JSON records (a few dozen at most, read once)."""
    out: list[dict] = []
    for p in sorted(folder.glob("*.jsonl")):
        out += [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    for p in sorted(folder.glob("*.txt")):
        out.append({"id": p.stem, "text": p.read_text(encoding="utf-8")})
    return out


def articles(n: int, seed: int = 8, dev: list[dict] | None = None, dev_every: int = 20) -> Iterator[dict]:
    """`n` article records, in publication order; every `dev_every`-th one a dev article."""
    rng = random.Random(seed)
    names = Names()
    pool = [world_event(rng, names, START + timedelta(days=rng.randrange(30))) for _ in range(POOL // 10)]
    for i in range(n):
        today = START + timedelta(days=i * DAYS // max(n, 1))
        if dev and i % dev_every == dev_every - 1:
            rec = dict(dev[(i // dev_every) % len(dev)])
            rec["id"] = f"{rec.get('id', 'dev')}-r{i:07d}"
            yield rec
            continue
        # Fresh events happen a few days before today; the pool keeps the recent ones.
        for _ in range(2):
            ev = world_event(rng, names, today - timedelta(days=rng.randrange(1, 6)))
            if len(pool) < POOL:
                pool.append(ev)
            else:
                pool[rng.randrange(POOL)] = ev
        recent = pool[-200:] if len(pool) < POOL else pool
        yield article(rng, names, recent, i, today)


def write_corpus(out: Path, n: int, seed: int = 8, dev_folder: Path | None = DEV, dev_every: int = 20) -> list[Path]:
    """Write `n` articles as JSON Lines files of PER_FILE articles; returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    dev = dev_articles(dev_folder) if dev_folder is not None and dev_folder.is_dir() else None
    files: list[Path] = []
    f = None
    try:
        for i, rec in enumerate(articles(n, seed, dev, dev_every)):
            if i % PER_FILE == 0:
                if f is not None:
                    f.close()
                files.append(out / f"part-{i // PER_FILE:05d}.jsonl")
                f = open(files[-1], "w", encoding="utf-8")
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if f is not None:
            f.close()
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--dev", type=Path, default=DEV, help="real dev articles to mix in (read, never copied)")
    ap.add_argument("--dev-every", type=int, default=20, help="every N-th article is a dev article (0: none)")
    args = ap.parse_args()
    files = write_corpus(args.out, args.n, args.seed, args.dev if args.dev_every else None, args.dev_every or 1)
    print(f"wrote {args.n} articles in {len(files)} files under {args.out}")


if __name__ == "__main__":
    main()
