"""A consonant skeleton shared by Arabic and Latin spellings of one name.

Arabic writes few vowels and Latin spellings of Arabic, Hebrew or English names vary
("McGurk" / "ماكجورك", "Ben-Shabbat" / "بن شبات", "Hanegbi" / "هنغبي"), so two names
are compared by their consonants, folded into classes that the two scripts confuse
(g/j/q/k, s/sh/z/th, t/d, b/p, f/v). The key is for matching names not in the
gazetteer across articles and languages (kg.resolve), never for display.
"""
from __future__ import annotations

import re
import unicodedata

from .normalize import fold

# Arabic letters -> Latin consonant classes; long vowels and glottal marks drop out.
_AR = {
    "ب": "b", "ت": "t", "ث": "s", "ج": "k", "ح": "h", "خ": "k", "د": "t", "ذ": "s", "ر": "r",
    "ز": "s", "س": "s", "ش": "s", "ص": "s", "ض": "t", "ط": "t", "ظ": "s", "ع": "", "غ": "k",
    "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "", "ء": "",
    "ا": "", "و": "", "ي": "", "ى": "", "پ": "b", "چ": "s", "گ": "k", "ڤ": "f",
}
# Latin digraphs first, then letters; vowels and y/w/h-after-consonant drop out.
_LATIN_DIGRAPHS = (("sch", "s"), ("ch", "s"), ("sh", "s"), ("th", "s"), ("dh", "s"), ("kh", "k"),
                   ("gh", "k"), ("ph", "f"), ("ck", "k"), ("zh", "s"), ("ou", ""), ("ee", ""))
_LATIN = {
    "b": "b", "p": "b", "c": "k", "g": "k", "j": "k", "k": "k", "q": "k", "x": "ks", "s": "s",
    "z": "s", "t": "t", "d": "t", "f": "f", "v": "f", "l": "l", "m": "m", "n": "n", "r": "r",
    "h": "h",
}
_NOT_NAME = re.compile(r"[^a-z\u0621-\u064a ]")


def skeleton(name: str) -> str:
    """The consonant key of a name: 'Brett McGurk' and 'بريت ماكجورك' both give 'brt mkrk'."""
    text = fold(unicodedata.normalize("NFKC", name)).replace("-", " ")
    text = _NOT_NAME.sub("", text)
    words = [_word_key(w) for w in text.split()]
    return " ".join(w for w in words if w)


def _word_key(word: str) -> str:
    if any("\u0621" <= ch <= "\u064a" for ch in word):
        raw = "".join(_AR.get(ch, "") for ch in word)
    else:
        for a, b in _LATIN_DIGRAPHS:
            word = word.replace(a, b)
        raw = "".join(_LATIN.get(ch, "") for ch in word)
    raw = raw.replace("h", "") if len(raw) > 2 else raw  # h is written in one script, silent in the other
    out: list[str] = []
    for ch in raw:  # doubled letters ("Shabbat") are one consonant in Arabic script
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)
