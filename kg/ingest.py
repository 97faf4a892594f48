"""Read articles: `.txt`/`.md` files, JSON Lines, and folders of both (recursively).

`read_articles` yields `Article`s and, for anything a user's data can get wrong, an item
in their place, so the caller can report it in one line and go on with the batch:

- `InputError`: the file or line was skipped (empty, binary, not JSON, over the size limit…);
- `Notice`: it was read, but the user should know how (a non-UTF-8 encoding, an unknown
  language, a missing publication date, an id already taken…).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Union

from .errors import InputError, UsageError
from .extract.dates import parse_dateline
from .models import Article
from .text.normalize import ARABIC_LETTER

TEXT_SUFFIXES = (".txt", ".md")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + (".jsonl",)
LANGS = ("ar", "en")
_LANG_NAMES = {"ara": "ar", "arabic": "ar", "العربية": "ar", "eng": "en", "english": "en"}
_SOURCE_LINE = re.compile(r"^\s*(?:المصدر|المصادر|مصدر|Source|Sources)\s*[|:：]\s*(?P<name>.+?)\s*$", re.I)
_SOURCE_NOISE = re.compile(r"^(?:ترجمة\s+وتحرير|ترجمة|تحرير|translated\s+by|via)\s+", re.I)
_ID = re.compile(r"[^\w.\-]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_META = ("lang", "url", "outlet", "title", "published")
# Signatures of common binary formats that can slip past the NUL-byte test.
_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\x7fELF",
          b"\xfd7zXZ", b"Rar!", b"7z\xbc\xaf")
_BOMS = (("utf-32", b"\xff\xfe\x00\x00"), ("utf-32", b"\x00\x00\xfe\xff"), ("utf-8-sig", b"\xef\xbb\xbf"),
         ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"))


@dataclass(frozen=True)
class ReadOptions:
    # Longer articles are skipped, not split: a part would lose its dateline, its source line
    # and the sentences around its events, and its claims would cite a text nobody published.
    max_chars: int = 2_000_000
    default_lang: str | None = None


@dataclass(frozen=True)
class Notice:
    """An input that was read, with something the user should know about how."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


Item = Union[Article, InputError, Notice]


# ---------------------------------------------------------------------------- files

def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Article files under the given paths, in a stable order, each once."""
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in ARTICLE_SUFFIXES
                           and not q.name.startswith(".") and q.name.lower() != "readme.md")
        elif p.is_file():
            found = [p]
        elif p.exists():
            raise UsageError(f"{p}: not a file or folder; pass article files (.txt, .md, .jsonl) or folders")
        else:
            raise UsageError(f"{p}: no such file or folder")
        for q in found:
            key = q.resolve()
            if key not in seen:  # `kg build data data/a.txt` reads a.txt once
                seen.add(key)
                yield q


# ---------------------------------------------------------------------------- bytes -> text

def decode(raw: bytes, source: str) -> tuple[str, str]:
    """Text and how it was decoded: a BOM (UTF-8, UTF-16, UTF-32), else UTF-8, else cp1256.

    The second value names the encoding ("utf-8", "utf-16", "cp1256", or "utf-8 with N
    invalid byte sequence(s) replaced by U+FFFD"); `encoding_notice` words it for the user.
    Raises InputError (the file is skipped) for binary data and undecodable text.
    """
    for enc, bom in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError as e:
                raise InputError(source, f"starts with a {enc.upper()} byte-order mark but is not valid {enc.upper()} "
                                         f"(byte {e.start}); re-save it as UTF-8, skipped") from None
            return _check_text(text, source), enc
    if b"\x00" in raw[:4096] or raw.startswith(_MAGIC):
        raise InputError(source, "binary file (not text), skipped")
    try:
        return _check_text(raw.decode("utf-8"), source), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_not_utf8(raw, source)


def _decode_not_utf8(raw: bytes, source: str) -> tuple[str, str]:
    """Mostly-valid UTF-8 keeps UTF-8 (a few bad bytes replaced); otherwise Arabic cp1256."""
    lenient = raw.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd") - raw.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for c in lenient if ord(c) > 127 and c != "\ufffd")
    if good >= 10 * bad:  # cp1256 Arabic is invalid UTF-8 at nearly every non-ASCII byte
        return _check_text(lenient, source), f"utf-8 with {bad} invalid byte sequence(s) replaced by U+FFFD"
    text = raw.decode("cp1256")  # defines all 256 bytes: it never fails, so judge the result
    if not _mostly_arabic(text):
        raise InputError(source, "not UTF-8, UTF-16 or Arabic cp1256 text (another encoding?); "
                                 "re-save it as UTF-8, skipped")
    return _check_text(text, source), "cp1256"


def _mostly_arabic(text: str) -> bool:
    """Is `text`, read as cp1256, Arabic? Latin-1 bytes give mostly non-Arabic letters; Cyrillic
    (KOI8-R, cp1251) bytes give Arabic letters but almost never the article "ال", which real
    Arabic has in every other sentence."""
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff")
    if arabic < 0.6 * len(letters):
        return False
    return arabic < 60 or text.count("ال") >= 0.015 * arabic


def encoding_notice(enc: str) -> str | None:
    """What to tell the user about an encoding `decode` used; None for plain UTF-8."""
    if enc in ("utf-8", "utf-8-sig"):
        return None
    if enc == "cp1256":
        return "not UTF-8: read as Windows-1256 (cp1256)"
    if enc.startswith("utf-8"):
        return f"not valid UTF-8: read as {enc}"
    return f"read as {enc.upper()} (byte-order mark)"


def _check_text(text: str, source: str) -> str:
    """Refuse text that is mostly control characters: binary data that happened to decode."""
    sample = text[:20_000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(4, len(sample) // 100):
        raise InputError(source, "binary file (control characters, not text), skipped")
    return text


# ---------------------------------------------------------------------------- text -> Article

# Unicode category Cc less the whitespace controls; what is not an Arabic letter; the bytes that
# are not ASCII letters; any letter. Letters are counted by deleting the others in C (a loop over
# characters took 2 ms an article of a build's main process, `findall` 0.5 ms; #8). _LETTER also
# counts number signs such as '²', which makes no difference to a guess.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NOT_ARABIC = re.compile("[^" + ARABIC_LETTER.pattern.removeprefix("[") + "+")  # runs of anything else
_NOT_LATIN = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
_LETTER = re.compile(r"[^\W\d_]")


def guess_lang(text: str) -> str | None:
    """'ar' or 'en' by which letters dominate; None when neither script is there to speak of."""
    sample = text[:5000]
    arabic = len(_NOT_ARABIC.sub("", sample))
    latin = len(sample.encode("ascii", "ignore").translate(None, _NOT_LATIN))
    # Other letters are counted only when they could outnumber these two (rare: they cannot
    # when Arabic and Latin letters are half the sample already).
    if arabic + latin < max(1, len(sample) // 2) and arabic + latin < max(1, len(_LETTER.findall(sample)) // 2):
        return None
    return "ar" if arabic > latin else "en"


def detect_lang(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'."""
    return guess_lang(text) or "en"


def _outlet_from_source_line(text: str) -> str | None:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) < 2:
        return None
    m = _SOURCE_LINE.match(lines[-1])
    if not m:
        return None
    name = _SOURCE_NOISE.sub("", m.group("name")).strip(" .،")
    return name or None


def _first_line(text: str) -> str:
    return text.lstrip().split("\n", 1)[0].strip()


def _published_from_dateline(text: str) -> date | None:
    first = _first_line(text)
    return parse_dateline(first) if len(first) <= 80 else None


def _short(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return repr(s if len(s) <= n else s[: n - 1] + "…")


def _lang(declared: Any, guessed: str | None, opts: ReadOptions, notes: list[str]) -> str:
    """The article's language: as declared, else `--lang`, else `guessed` from its letters."""
    if isinstance(declared, str) and declared.strip():
        code = declared.strip().lower().replace("_", "-").split("-")[0]
        code = _LANG_NAMES.get(code, code)
        if code in LANGS:
            return code
        notes.append(f"language {_short(declared, 20)} is not supported (ar, en); read as {guessed or 'en'!r}")
        return guessed or "en"
    if opts.default_lang in LANGS:
        return opts.default_lang
    if guessed is None:
        notes.append("language not recognized (neither Arabic nor English letters); read as 'en', "
                     "expect few or no names and events")
        return "en"
    return guessed


def _published(value: Any, text: str, jsonl: bool, notes: list[str]) -> date | None:
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            notes.append(f"'published' {_short(value, 30)} is not an ISO date (YYYY-MM-DD); "
                         "used the dateline instead")
    elif value not in (None, ""):
        notes.append("'published' is not a string (YYYY-MM-DD); used the dateline instead")
    found = _published_from_dateline(text)
    if found is None:
        where = "no 'published' date and no dateline" if jsonl else \
            f"first line {_short(_first_line(text))} is not a dateline"
        notes.append(f"{where}: publication date unknown, relative dates ('yesterday', 'last Tuesday') "
                     "get no date (a weekday is kept as kg:dayOfWeek)")
    return found


def _clean(text: str, notes: list[str]) -> str:
    """JSON can carry unpaired surrogates (`\\ud800`), which no RDF store can hold: replace them
    one for one so every offset stays right."""
    n = len(_SURROGATE.findall(text))
    if n:
        notes.append(f"{n} unpaired surrogate escape(s) replaced by U+FFFD")
        return _SURROGATE.sub("\ufffd", text)
    return text


def article_from_text(text: str, article_id: str, source: str, opts: ReadOptions,
                      notes: list[str] | None = None, jsonl: bool = False, **meta: Any) -> Article:
    """Build an Article, filling what metadata lacks from the dateline and source line.

    Raises InputError when the article must be skipped; appends to `notes` what the user
    should know about an article that is read all the same.
    """
    notes = notes if notes is not None else []
    if not text.strip():
        raise InputError(source, "empty article, skipped")
    if len(text) > opts.max_chars:
        raise InputError(source, f"article of {len(text):,} characters is over the limit of {opts.max_chars:,}; "
                                 "skipped (not split: a part would lose its dateline and context) — "
                                 "raise --max-chars or split the file into articles")
    text = _clean(text, notes)
    fields: dict[str, str | None] = {}
    for k in ("url", "outlet", "title"):
        v = meta.get(k)
        if v is not None and not isinstance(v, str):
            notes.append(f"'{k}' is not a string, ignored")
            v = None
        fields[k] = _clean(v, notes) if v else None
    guessed = guess_lang(text)
    known_script = guessed is not None
    lang = _lang(meta.get("lang"), guessed, opts, notes)
    # In a script we do not read, a missing dateline is no news: one line for the language is enough.
    published = _published(meta.get("published"), text, jsonl, notes if known_script else [])
    return Article(
        id=article_id, text=text, lang=lang, source=source, url=fields["url"],
        outlet=fields["outlet"] or _outlet_from_source_line(text), title=fields["title"],
        published=published,
    )


def _safe_id(raw: str) -> str:
    return _ID.sub("_", raw).strip("_") or "article"


def _read_text_file(path: Path, opts: ReadOptions) -> Iterator[Article | InputError | Notice]:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > 4 * opts.max_chars + 4:  # even at 4 bytes a character it is over the limit: do not read it
            yield InputError(source, f"file of {size:,} bytes is over the limit of {opts.max_chars:,} characters; "
                                     "skipped — raise --max-chars or split the file into articles")
            return
        text, enc = decode(path.read_bytes(), source)
        notes = [n for n in [encoding_notice(enc)] if n]
        article = article_from_text(text, _safe_id(path.stem), source, opts, notes)
        yield from (Notice(source, n) for n in notes)
        yield article
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(source, f"cannot read ({e.strerror}), skipped")


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines, streamed so a large file never sits in memory twice."""
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            yield n, line


def _read_jsonl(path: Path, opts: ReadOptions) -> Iterator[Article | InputError | Notice]:
    source = str(path)
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32: lines are not split on b"\n"
            text, enc = decode(path.read_bytes(), source)
            yield Notice(source, encoding_notice(enc) or enc)
            lines: Iterator[tuple[int, bytes | str]] = enumerate(text.splitlines(), 1)
        elif b"\x00" in head or head.startswith(_MAGIC):
            yield InputError(source, "binary file (not text), skipped")
            return
        else:
            lines = _jsonl_lines(path)
        for n, line in lines:
            yield from _jsonl_line(line, n, path, opts)
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(source, f"cannot read ({e.strerror}), skipped")


def _jsonl_line(line: bytes | str, n: int, path: Path, opts: ReadOptions) -> Iterator[Article | InputError | Notice]:
    source = str(path)
    if isinstance(line, bytes):
        if n == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            return
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                line, enc = _decode_not_utf8(line, source)
            except InputError as e:
                yield InputError(source, e.message.replace(", skipped", ", line skipped"), n)
                return
            yield Notice(source, encoding_notice(enc) or enc, n)
    if not line.strip():
        return
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        yield InputError(source, f"not JSON ({e.msg} at column {e.colno}), line skipped", n)
        return
    except ValueError as e:  # valid JSON that Python refuses, e.g. an integer of 5,000 digits
        yield InputError(source, f"not usable JSON ({str(e).split('; ')[0]}), line skipped", n)
        return
    except RecursionError:
        yield InputError(source, "JSON nested too deeply, line skipped", n)
        return
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        yield InputError(source, "no 'text' string, line skipped", n)
        return
    raw_id = obj.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        yield Notice(source, f"'id' is not a string or number; used {path.stem}-{n}", n)
        raw_id = None
    art_id = _safe_id(str(raw_id)) if raw_id not in (None, "") else _safe_id(f"{path.stem}-{n}")
    notes: list[str] = []
    try:
        article = article_from_text(obj["text"], art_id, f"{path}:{n}", opts, notes, jsonl=True,
                                    **{k: obj.get(k) for k in _META})
    except InputError as e:
        yield InputError(source, e.message.replace(", skipped", ", line skipped", 1), n)
        return
    yield from (Notice(source, note, n) for note in notes)
    yield article


# ---------------------------------------------------------------------------- the batch

def read_articles(paths: list[Path], opts: ReadOptions | None = None) -> Iterator[Item]:
    """Articles from files and folders; problems come back as InputError / Notice items, not raised."""
    opts = opts or ReadOptions()
    taken: dict[str, str] = {}  # article id -> where it came from
    for path in iter_files(paths):
        items = _read_jsonl(path, opts) if path.suffix.lower() == ".jsonl" else _read_text_file(path, opts)
        for item in items:
            if isinstance(item, Article):
                item, note = _unique(item, taken)
                if note is not None:
                    yield note
            yield item


def _unique(article: Article, taken: dict[str, str]) -> tuple[Article, Notice | None]:
    """Two inputs with one id would share one named graph, the second silently replacing the
    first: give the second an id of its own, stable across runs (it depends on its source)."""
    first = taken.get(article.id)
    if first is None:
        taken[article.id] = article.source
        return article, None
    new_id = f"{article.id}-{hashlib.sha1(article.source.encode('utf-8', 'replace')).hexdigest()[:8]}"
    taken[new_id] = article.source
    note = Notice(article.source, f"article id {article.id!r} is already used by {first}; stored as {new_id!r}")
    return Article(**{**article.__dict__, "id": new_id}), note
