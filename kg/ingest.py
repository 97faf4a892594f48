"""Read articles: `.txt`/`.md` files, JSON Lines, and folders of both (recursively).

`read_articles` yields `Article`s and, for anything a user's data can get wrong, an
`InputError` in their place, so the caller can report it and go on with the batch.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from .errors import InputError, UsageError
from .extract.dates import parse_dateline
from .models import Article
from .text.normalize import ARABIC_LETTER

TEXT_SUFFIXES = (".txt", ".md")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + (".jsonl",)
_SOURCE_LINE = re.compile(r"^\s*(?:المصدر|المصادر|مصدر|Source|Sources)\s*[|:：]\s*(?P<name>.+?)\s*$", re.I)
_SOURCE_NOISE = re.compile(r"^(?:ترجمة\s+وتحرير|ترجمة|تحرير|translated\s+by|via)\s+", re.I)
_ID = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class ReadOptions:
    max_chars: int = 2_000_000  # articles longer than this are skipped with a message
    default_lang: str | None = None


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Article files under the given paths, in a stable order."""
    for p in paths:
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in ARTICLE_SUFFIXES
                              and not q.name.startswith(".") and q.name.lower() != "readme.md")
        elif p.is_file():
            yield p
        else:
            raise UsageError(f"{p}: no such file or folder")


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), UTF-16 with BOM, then cp1256."""
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "binary file, skipped")
    for enc, bom in (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff")):
        if raw.startswith(bom):
            return raw.decode(enc), enc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1256"), "cp1256"
    except UnicodeDecodeError:
        raise InputError(source, "not UTF-8, UTF-16 or cp1256 text, skipped") from None


def detect_lang(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'."""
    sample = text[:5000]
    arabic = len(ARABIC_LETTER.findall(sample))
    latin = sum(1 for c in sample if c.isascii() and c.isalpha())
    return "ar" if arabic > latin else "en"


def _outlet_from_source_line(text: str) -> str | None:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) < 2:
        return None
    m = _SOURCE_LINE.match(lines[-1])
    if not m:
        return None
    name = _SOURCE_NOISE.sub("", m.group("name")).strip(" .،")
    return name or None


def _published_from_dateline(text: str) -> date | None:
    first = text.lstrip().split("\n", 1)[0]
    return parse_dateline(first) if len(first) <= 80 else None


def article_from_text(text: str, article_id: str, source: str, opts: ReadOptions, **meta) -> Article:
    """Build an Article, filling what metadata lacks from the dateline and source line."""
    if not text.strip():
        raise InputError(source, "empty article, skipped")
    if len(text) > opts.max_chars:
        raise InputError(source, f"article of {len(text):,} characters is over the limit of "
                                 f"{opts.max_chars:,} (--max-chars), skipped")
    published = meta.get("published")
    if isinstance(published, str):
        try:
            published = date.fromisoformat(published[:10])
        except ValueError:
            raise InputError(source, f"published {published!r} is not an ISO date; "
                                     "read the date from the text instead") from None
    lang = meta.get("lang") or opts.default_lang or detect_lang(text)
    if lang not in ("ar", "en"):
        lang = detect_lang(text)
    return Article(
        id=article_id, text=text, lang=lang, source=source, url=meta.get("url") or None,
        outlet=meta.get("outlet") or _outlet_from_source_line(text), title=meta.get("title") or None,
        published=published or _published_from_dateline(text),
    )


def _read_text_file(path: Path, opts: ReadOptions) -> Iterator[Article | InputError]:
    try:
        text, _enc = decode(path.read_bytes(), str(path))
        yield article_from_text(text, _ID.sub("_", path.stem), str(path), opts)
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(str(path), f"cannot read ({e.strerror})")


def _read_jsonl(path: Path, opts: ReadOptions) -> Iterator[Article | InputError]:
    try:
        text, _enc = decode(path.read_bytes(), str(path))
    except InputError as e:
        yield e
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(str(path), f"not JSON ({e.msg}), line skipped", n)
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield InputError(str(path), "no 'text' string, line skipped", n)
            continue
        art_id = str(obj.get("id") or f"{path.stem}-{n}")
        try:
            yield article_from_text(obj["text"], _ID.sub("_", art_id), f"{path}:{n}", opts,
                                    **{k: obj.get(k) for k in ("lang", "url", "outlet", "title", "published")})
        except InputError as e:
            yield InputError(str(path), str(e).split(": ", 1)[-1], n)


def read_articles(paths: list[Path], opts: ReadOptions | None = None) -> Iterator[Article | InputError]:
    """Articles from files and folders; problems come back as InputError items, not raised."""
    opts = opts or ReadOptions()
    for path in iter_files(paths):
        if path.suffix.lower() == ".jsonl":
            yield from _read_jsonl(path, opts)
        else:
            yield from _read_text_file(path, opts)
