"""Bad input (issue #7): every case is one line naming the file (and line), the batch goes on.

Skipped inputs are `InputError` items and count as skipped; inputs read anyway (another
encoding, an unknown language, no dateline, a taken id) are `Notice` items. Through the
CLI: exit 0 when some article was read, 1 when none, 2 for usage errors, never a traceback.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run_kg
from kg.build import build
from kg.errors import InputError
from kg.ingest import Notice, ReadOptions, guess_lang, read_articles
from kg.models import Article
from kg.store import Store

AR = ("الاثنين 4 مارس 2024\n"
      "التقى وزير الخارجية الأردني أيمن الصفدي نظيره العراقي فؤاد حسين في عمان يوم الاثنين، "
      "وبحث الجانبان الأوضاع في المنطقة.\nالمصدر: رويترز\n")
EN = ("March 4, 2024\nJordan's foreign minister Ayman Safadi met Iraq's Fuad Hussein in Amman on Monday, "
      "and the two discussed the situation in the region.\nSource: Reuters\n")
RU = "4 марта 2024\nМинистр иностранных дел встретился с коллегой в Москве в понедельник.\n"
FR = "Le ministre des Affaires étrangères a rencontré son homologue à Bagdad, où il a été reçu. " * 3

# name, bytes, "skip" or "notice", what the one line says
FILE_CASES = [
    ("utf8.txt", EN.encode(), None, None),
    ("bom.txt", b"\xef\xbb\xbf" + AR.encode(), None, None),
    ("utf16le.txt", AR.encode("utf-16"), "notice", "read as UTF-16"),
    ("utf16be.txt", b"\xfe\xff" + EN.encode("utf-16-be"), "notice", "read as UTF-16"),
    ("utf32.txt", AR.encode("utf-32"), "notice", "read as UTF-32"),
    ("cp1256_ar.txt", AR.encode("cp1256"), "notice", "read as Windows-1256 (cp1256)"),
    ("utf8_one_bad_byte.txt", AR.encode() + b"\xff" + AR.encode(), "notice", "1 invalid byte sequence"),
    ("latin1_fr.txt", FR.encode("latin-1"), "skip", "not UTF-8, UTF-16 or Arabic cp1256"),
    ("koi8_ru.txt", (RU * 3).encode("koi8-r"), "skip", "not UTF-8, UTF-16 or Arabic cp1256"),
    ("bad_utf16.txt", b"\xff\xfe" + b"a\x00\x00\xd8", "skip", "not valid UTF-16"),
    ("empty.txt", b"", "skip", "empty article, skipped"),
    ("blank.md", b" \n\t\n  \n", "skip", "empty article, skipped"),
    ("nul_binary.txt", bytes(range(256)) * 8, "skip", "binary file"),
    ("control_binary.txt", bytes(range(1, 32)) * 40, "skip", "binary file"),
    ("pdf_renamed.txt", b"%PDF-1.4\n" + bytes(range(128, 256)) * 4, "skip", "binary file"),
    ("png_renamed.md", b"\x89PNG\r\n\x1a\n" + bytes(range(200, 256)) * 4, "skip", "binary file"),
    ("russian.txt", RU.encode(), "notice", "language not recognized"),
    ("no_dateline_en.txt", EN.replace("March 4, 2024", "Breaking news").encode(), "notice", "is not a dateline"),
    ("no_dateline_ar.txt", AR.replace("الاثنين 4 مارس 2024", "عاجل").encode(), "notice", "is not a dateline"),
    ("bad_dateline.txt", EN.replace("March 4, 2024", "March 44, 2024").encode(), "notice", "is not a dateline"),
    ("too_long.txt", (EN + "x" * 5000).encode(), "skip", "over the limit of 4,000; skipped (not split"),
    ("far_too_long.txt", (EN + "x" * 20_000).encode(), "skip", "bytes is over the limit of 4,000 characters"),
]


def _items(folder: Path, name: str, data: bytes, max_chars: int = 4000) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return list(read_articles([folder / name], ReadOptions(max_chars=max_chars)))


@pytest.mark.parametrize("name,data,kind,says", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_bad_input_file_gives_one_line_naming_it(tmp_path, name, data, kind, says):
    items = _items(tmp_path, name, data)
    messages = [i for i in items if not isinstance(i, Article)]
    articles = [i for i in items if isinstance(i, Article)]
    if kind is None:
        assert messages == [] and len(articles) == 1
        assert "\ufeff" not in articles[0].text  # a BOM never reaches the text
        return
    wanted = InputError if kind == "skip" else Notice
    hits = [m for m in messages if says in str(m)]
    assert len(hits) == 1 and isinstance(hits[0], wanted), messages
    assert str(hits[0]).startswith(f"{tmp_path / name}: ") and "\n" not in str(hits[0])
    assert len(articles) == (0 if kind == "skip" else 1)


def test_bad_input_cp1256_arabic_is_read_right(tmp_path):
    [notice, article] = _items(tmp_path, "a.txt", AR.encode("cp1256"))
    assert article.text == AR and article.lang == "ar" and article.outlet == "رويترز"
    assert str(notice).endswith("not UTF-8: read as Windows-1256 (cp1256)")


@pytest.mark.parametrize("text,lang", [(EN, "en"), (AR, "ar")])
def test_bad_input_article_without_dateline_is_read_with_a_notice(tmp_path, text, lang):
    body = text.split("\n", 1)[1]
    items = _items(tmp_path, "x.txt", body.encode())
    [notice] = [i for i in items if isinstance(i, Notice)]
    [article] = [i for i in items if isinstance(i, Article)]
    assert "publication date unknown" in notice.message and article.published is None and article.lang == lang


# one JSON Lines line each (the line number is 2: a good line comes first)
JSONL_CASES = [
    ("not json", "skip", "not JSON"),
    ('{"id": "t", "text": "unterminated', "skip", "not JSON"),
    ("[" * 50_000, "skip", "nested too deeply"),
    ('{"id": "x", "text": "ok", "n": ' + "9" * 5000 + "}", "skip", "not usable JSON"),
    ('["a list"]', "skip", "no 'text' string"),
    ('{"id": "x"}', "skip", "no 'text' string"),
    ('{"id": "x", "text": 42}', "skip", "no 'text' string"),
    ('{"id": "x", "text": "   "}', "skip", "empty article, line skipped"),
    (json.dumps({"id": "x", "text": EN * 200}), "skip", "over the limit"),
    (json.dumps({"id": "x", "text": EN, "lang": "fr"}), "notice", "language 'fr' is not supported"),
    (json.dumps({"id": "x", "text": RU}), "notice", "language not recognized"),
    (json.dumps({"id": "x", "text": EN, "published": "last week"}), "notice", "not an ISO date"),
    (json.dumps({"id": "x", "text": EN, "published": 20240304}), "notice", "'published' is not a string"),
    (json.dumps({"id": "x", "text": EN.split("\n", 1)[1]}), "notice", "no 'published' date and no dateline"),
    (json.dumps({"id": "x", "text": EN, "url": 5}), "notice", "'url' is not a string"),
    (json.dumps({"id": {"nested": 1}, "text": EN}), "notice", "'id' is not a string or number"),
    ('{"id": "x", "text": "broken \\ud800 surrogate. ' + EN.replace("\n", "\\n") + '"}', "notice",
     "unpaired surrogate"),
    (json.dumps({"id": "good", "text": AR}), "notice", "article id 'good' is already used"),
]


@pytest.mark.parametrize("line,kind,says", JSONL_CASES, ids=[f"jsonl{i}" for i in range(len(JSONL_CASES))])
def test_bad_input_jsonl_line_gives_one_line_naming_file_and_line(tmp_path, line, kind, says):
    good = json.dumps({"id": "good", "text": EN})
    after = json.dumps({"id": "after", "text": AR})
    items = _items(tmp_path, "in.jsonl", "\n".join([good, line, after]).encode(), max_chars=20_000)
    messages = [i for i in items if not isinstance(i, Article)]
    hits = [m for m in messages if says in str(m)]
    assert len(hits) == 1, messages
    assert isinstance(hits[0], InputError if kind == "skip" else Notice)
    assert str(hits[0]).startswith(f"{tmp_path / 'in.jsonl'}:2: ")
    ids = [a.id for a in items if isinstance(a, Article)]
    assert ids[0] == "good" and ids[-1] == "after"  # the lines around it are read
    assert len(ids) == (2 if kind == "skip" else 3)


def test_bad_input_jsonl_line_in_cp1256_is_read_alone(tmp_path):
    raw = (json.dumps({"id": "a", "text": AR}, ensure_ascii=False).encode("cp1256") + b"\n"
           + json.dumps({"id": "b", "text": EN}).encode() + b"\n")
    items = _items(tmp_path, "in.jsonl", raw)
    notices = [i.message for i in items if isinstance(i, Notice)]
    assert notices == ["not UTF-8: read as Windows-1256 (cp1256)"]
    assert {a.id: a.text for a in items if isinstance(a, Article)} == {"a": AR, "b": EN}


def test_bad_input_same_id_twice_keeps_both_articles(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "same.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "two" / "same.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "same_.md").write_text(EN, encoding="utf-8")  # "same " and "same_" both slug to "same"
    first = list(read_articles([tmp_path]))
    ids = [a.id for a in first if isinstance(a, Article)]
    assert len(set(ids)) == 3 and "same" in ids
    assert sum(isinstance(i, Notice) and "already used" in i.message for i in first) == 2
    assert ids == [a.id for a in read_articles([tmp_path]) if isinstance(a, Article)]  # stable across runs


def test_bad_input_extraction_failure_skips_only_that_article(tmp_path, monkeypatch):
    import kg.build
    real = kg.build.process

    def flaky(article):
        if "Safadi" in article.text:
            raise IndexError("a rule met text it did not expect")
        return real(article)

    monkeypatch.setattr(kg.build, "process", flaky)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(AR, encoding="utf-8")
    report = build([tmp_path / "in"], Store(tmp_path / "store"))
    assert report.articles == 1 and report.skipped == 1
    [problem] = report.problems
    assert problem.startswith(f"{tmp_path / 'in' / 'a.txt'}: extraction failed (IndexError")


# ---------------------------------------------------------------------------- through the CLI

def _cli_folder(folder: Path) -> dict[str, tuple[str | None, str | None]]:
    folder.mkdir()
    expected = {}
    for name, data, kind, says in FILE_CASES:
        (folder / name).write_bytes(data)
        expected[name] = (kind, says)
    lines = [json.dumps({"id": "good", "text": EN})] + \
        [c[0].replace('"id": "x"', f'"id": "x{n}"') for n, c in enumerate(JSONL_CASES)]  # one case each
    (folder / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return expected


def test_bad_input_cli_batch_goes_on_one_line_each_and_counts_skips(tmp_path):
    expected = _cli_folder(tmp_path / "in")
    proc = run_kg("build", str(tmp_path / "in"), "--output", str(tmp_path / "o"), "--no-html",
                  "--max-chars", "4000")
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr
    err = proc.stderr.splitlines()
    assert all(line.startswith("kg: ") for line in err), err
    for name, (kind, says) in expected.items():
        mine = [line for line in err if line.startswith(f"kg: {tmp_path / 'in' / name}: ")]
        assert len(mine) == (0 if kind is None else 1), (name, mine)
        if says:
            assert says in mine[0]
    for n, (_, kind, says) in enumerate(JSONL_CASES, 2):
        mine = [line for line in err if line.startswith(f"kg: {tmp_path / 'in' / 'lines.jsonl'}:{n}: ")]
        assert len(mine) == 1 and says in mine[0], (n, mine)
    skips = sum(k == "skip" for _, _, k, _ in FILE_CASES) + sum(k == "skip" for _, k, _ in JSONL_CASES)
    reads = len(FILE_CASES) - sum(k == "skip" for _, _, k, _ in FILE_CASES) + 1 + \
        sum(k == "notice" for _, k, _ in JSONL_CASES)
    m = re.search(r"articles read: (\d+), skipped: (\d+);", proc.stdout)
    assert m and (int(m[1]), int(m[2])) == (reads, skips), proc.stdout


def test_bad_input_cli_exit_1_when_no_article_was_read(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)))
    (src / "lines.jsonl").write_text("nope\n{}\n", encoding="utf-8")
    proc = run_kg("build", str(src), "--output", str(tmp_path / "o"), "--no-html", check=False)
    assert proc.returncode == 1
    assert "articles read: 0, skipped: 4" in proc.stdout
    assert len(proc.stderr.splitlines()) == 4 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [
    ["build", "/no/such/folder"],
    ["build", "{src}", "--max-chars", "0"],
    ["build", "{src}", "--max-chars", "many"],
    ["build", "{src}", "--no-such-option"],
    ["build"],
])
def test_bad_input_cli_usage_errors_exit_2(tmp_path, args):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(EN, encoding="utf-8")
    argv = [a.format(src=src) for a in args] + ["--output", str(tmp_path / "o")]
    proc = run_kg(*argv, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.strip()


@pytest.mark.parametrize("text,lang", [
    (EN, "en"), (RU, None), ("", None), ("١٢٣ 2024", None),
    ("قالت وزارة الدفاع إن Reuters نقلت الخبر", "ar"), ("Reuters said وزارة", "en"),
    ("中文中文中文中文 ab", None), ("中文 abc defg", "en"),
])
def test_bad_input_language_is_guessed_from_the_letters_that_dominate(text, lang):
    assert guess_lang(text) == lang


def test_bad_input_letter_counts_agree_with_the_arabic_letter_class():
    """guess_lang deletes what is not an Arabic letter; that must be exactly the others."""
    from kg.ingest import _NOT_ARABIC
    from kg.text.normalize import ARABIC_LETTER
    assert all(bool(ARABIC_LETTER.fullmatch(chr(c))) != bool(_NOT_ARABIC.fullmatch(chr(c))) for c in range(0x3000))
