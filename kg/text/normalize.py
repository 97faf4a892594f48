"""Folding for matching only. The original text is never rewritten.

`fold_with_map(text)` returns the folded string and, for each folded character, the
offset of the original character it came from, so any match in folded text maps back
to exact offsets in the original. Folding is one-to-one or a deletion per character.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Arabic diacritics (harakat, shadda, sukun, dagger alef, Quranic marks) and tatweel:
# deleted. Bidi controls and zero-width characters: deleted.
_DELETE = set(
    [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x06D6, 0x06EE)]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u00ad"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "ی": "ي", "ک": "ك", "ۀ": "ه",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "«": '"', "»": '"', "„": '"',
    "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", "_": " ",
    "،": ",", "؛": ";", "؟": "?",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Eastern Arabic-Indic digits

ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_SPACES = re.compile("  +")


def fold_char(c: str) -> str:
    """Fold one character to zero or one character."""
    if c in _DELETE:
        return ""
    m = _MAP.get(c)
    if m is not None:
        return m
    if c.isspace():
        return " "
    low = c.lower()
    return low if len(low) == 1 else c


class _FoldTable(dict):
    """A `str.translate` table filled on first sight of each character (folding is per character)."""

    def __missing__(self, c: int) -> str | None:
        f = fold_char(chr(c))
        self[c] = f or None
        return self[c]


_TABLE = _FoldTable()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text`; return (folded, offsets) with offsets[i] the source index of folded[i].

    Runs of whitespace fold to one space, as in `fold`: "F – 16" and "Ain  al-Asad" (a dash
    between spaces folds to a space too) must meet the lexicons' "f 16" and "ain al asad"."""
    folded = text.translate(_TABLE)
    offsets = list(range(len(text))) if len(folded) == len(text) else \
        [i for i, c in enumerate(text) if _TABLE[ord(c)] is not None]  # (identity: nothing deleted)
    if "  " not in folded:
        return folded, offsets
    parts, kept, last = [], [], 0
    for m in _SPACES.finditer(folded):
        parts.append(folded[last:m.start() + 1])
        kept.extend(offsets[last:m.start() + 1])
        last = m.end()
    parts.append(folded[last:])
    kept.extend(offsets[last:])
    return "".join(parts), kept


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Folded form of a short string (a name, a lexicon entry), whitespace collapsed."""
    return " ".join("".join(fold_char(c) for c in unicodedata.normalize("NFC", text)).split())


def is_arabic(text: str) -> bool:
    return bool(ARABIC_LETTER.search(text))


def strip_article(word: str) -> str:
    """Drop a leading Arabic definite article from a folded word (keeps short words whole)."""
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def name_key(text: str) -> str:
    """A canonical, language-independent match key for a name not in the gazetteer."""
    words = [strip_article(w) for w in re.split(r"[^\w']+", fold(text)) if w]
    words = [w for w in words if w not in ("the", "al", "el")]
    return " ".join(words)
