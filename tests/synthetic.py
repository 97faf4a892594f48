"""A synthetic corpus for tests that need many articles (crash and concurrency tests).

Short Arabic and English articles from templates over a handful of gazetteer names; the
names are read from the shipped gazetteer, so the text is ours and the names resolve.
Deterministic for a given seed.
"""
from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from kg.resources import gazetteer

PEOPLE = ["antony_blinken", "abbas_araghchi", "hossein_amir_abdollahian", "mohammed_shia_al_sudani",
          "badr_albusaidi", "mohammed_abdulsalam", "ayman_safadi", "fuad_hussein", "jake_sullivan"]
PLACES = ["muscat", "sanaa", "tehran", "beirut", "damascus", "baghdad", "amman"]
GROUPS = ["houthis", "hezbollah", "islamic_resistance_in_iraq"]
TARGETS = ["ain_al_asad_air_base", "red_sea"]
OUTLETS = ["reuters"]
MONTHS_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]

EN = [
    "{p1} met {p2} in {place} on {wd}. The two discussed the situation in the region and agreed to meet again.",
    "The {group} said it launched a drone attack on {target} on {wd}, {md}. A spokesman said the group "
    "would continue its operations.",
    "The Israeli military said its air defenses intercepted a missile fired by the {group} over {target} on {wd}.",
    "{p1} and {p2} signed an agreement in {place} on {md}, officials told {outlet}.",
    "{p1} proposed a ceasefire during talks with {p2} in {place}, according to two officials.",
]
AR = [
    "التقى {p1} نظيره {p2} في {place} يوم {wd}، وبحث الجانبان الأوضاع في المنطقة.",
    "أعلنت {group} أنها شنت هجوما بطائرة مسيرة على {target} في {md}.",
    "قال الجيش الإسرائيلي إن دفاعاته الجوية اعترضت صاروخا أطلقته {group} فوق {target}.",
    "وقع {p1} و{p2} اتفاقا في {place} في {md}، بحسب {outlet}.",
]
WD_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WD_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]


def _name(key: str, lang: str) -> str:
    return gazetteer().entries[key].names[lang][0]


def _article(rng: random.Random, n: int, lang: str) -> tuple[str, date]:
    pub = date(2024, 1, 1) + timedelta(days=rng.randrange(300))
    sentences = []
    for _ in range(rng.randint(2, 5)):
        p1, p2 = rng.sample(PEOPLE, 2)
        day = pub - timedelta(days=rng.randrange(1, 9))
        fill = {"p1": _name(p1, lang), "p2": _name(p2, lang), "place": _name(rng.choice(PLACES), lang),
                "group": _name(rng.choice(GROUPS), lang), "target": _name(rng.choice(TARGETS), lang),
                "outlet": _name(rng.choice(OUTLETS), lang), "wd": (WD_EN if lang == "en" else WD_AR)[day.weekday()],
                "md": f"{day:%B} {day.day}" if lang == "en" else f"{day.day} {MONTHS_AR[day.month - 1]}"}
        sentences.append(rng.choice(EN if lang == "en" else AR).format(**fill))
    sentences.append(f"Report number {n}." if lang == "en" else f"التقرير رقم {n}.")
    if lang == "en":
        head, tail = f"{pub:%B} {pub.day}, {pub.year}", f"Source: {_name('reuters', 'en')}"
    else:
        head = f"{WD_AR[pub.weekday()]} {pub.day} {MONTHS_AR[pub.month - 1]} {pub.year}"
        tail = f"المصدر: {_name('reuters', 'ar')}"
    return "\n".join([head, " ".join(sentences), tail]) + "\n", pub


def make_corpus(folder: Path, n: int, seed: int = 7, jsonl_every: int = 10) -> Path:
    """`n` articles under `folder`: mostly .txt files, every `jsonl_every`-th as a JSON Lines record."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for i in range(n):
        lang = "ar" if i % 2 else "en"
        text, pub = _article(rng, i, lang)
        if jsonl_every and i % jsonl_every == 0:
            records.append(json.dumps({"id": f"rec{i:04d}", "lang": lang, "published": pub.isoformat(),
                                       "text": text.split("\n", 1)[1]}, ensure_ascii=False))
        else:
            (folder / f"art{i:04d}_{lang}.txt").write_text(text, encoding="utf-8")
    if records:
        # "_" sorts before the .txt files: when the last file is done, every article is in
        (folder / "_records.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return folder
