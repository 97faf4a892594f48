"""Load and check the gazetteer (`gazetteer/*.jsonl`) and lexicons (`lexicons/*.json`).

The files are package data; a malformed entry is a packaging bug and raises
`ResourceError` naming the file and line, so a test catches it before a user does.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import ResourceError

COARSE_TYPES = ("Person", "Organization", "GPE", "Location", "Facility", "Weapon")
CLASSES = {
    "GPE": {"State", "City", "Province"},
    "Location": {"Region", "WaterBody"},
    "Facility": {"MilitaryBase", "Airport", "Port", "Vessel", "Site"},
    "Organization": {"ArmedGroup", "MilitaryOrganization", "GovernmentBody", "MediaOutlet",
                     "InternationalOrganization", "Company", "PoliticalParty"},
    "Person": {"Person"},
    "Weapon": {"Weapon"},
}
_KEY = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
_FIELDS = {"key", "type", "class", "en", "ar", "adj", "capital_of", "country", "note"}


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    type: str
    cls: str | None
    names: dict[str, tuple[str, ...]]  # language tag -> names, preferred first
    adjectives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    capital_of: str | None = None
    country: str | None = None

    def label(self, lang: str = "en") -> str:
        names = self.names.get(lang) or self.names.get("en") or self.names.get("ar")
        return names[0] if names else self.key


@dataclass(frozen=True)
class Gazetteer:
    entries: dict[str, GazetteerEntry]

    def get(self, key: str) -> GazetteerEntry | None:
        return self.entries.get(key)


def _names(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(x, str) and x.strip() for x in value):
        raise ResourceError(f"{where}: names must be a non-empty list of strings")
    return tuple(dict.fromkeys(x.strip() for x in value))


_VARIANTS = ((" Air Base", " Airbase"), (" Air Base", " air base"), (" Air Base", " airbase"),
             (" base", " Base"), (" airport", " Airport"))


def _spelling_variants(names: tuple[str, ...]) -> tuple[str, ...]:
    """English spellings that vary by outlet ("Air Base" / "airbase"), added once here
    so the gazetteer files list each name once."""
    out = list(names)
    for n in names:
        for a, b in _VARIANTS:
            if a in n:
                out.append(n.replace(a, b))
    return tuple(dict.fromkeys(out))


def _entry(obj: Any, where: str) -> GazetteerEntry:
    if not isinstance(obj, dict):
        raise ResourceError(f"{where}: not a JSON object")
    unknown = set(obj) - _FIELDS
    if unknown:
        raise ResourceError(f"{where}: unknown fields {sorted(unknown)}")
    key, typ, cls = obj.get("key"), obj.get("type"), obj.get("class")
    if not isinstance(key, str) or not _KEY.match(key):
        raise ResourceError(f"{where}: key must be snake_case, got {key!r}")
    if typ not in COARSE_TYPES:
        raise ResourceError(f"{where}: type must be one of {COARSE_TYPES}, got {typ!r}")
    if cls is not None and cls not in CLASSES[typ]:
        raise ResourceError(f"{where}: class {cls!r} does not refine {typ}")
    adj = obj.get("adj") or {}
    return GazetteerEntry(
        key=key, type=typ, cls=cls,
        names={"en": _spelling_variants(_names(obj.get("en"), where)), "ar": _names(obj.get("ar"), where)},
        adjectives={lang: _names(v, where) for lang, v in adj.items() if v},
        capital_of=obj.get("capital_of"), country=obj.get("country"),
    )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """All gazetteer files, checked: unique keys, known types, references resolve."""
    entries: dict[str, GazetteerEntry] = {}
    folder = resources.files("kg.resources") / "gazetteer"
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if not f.name.endswith(".jsonl"):
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"gazetteer/{f.name}:{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ResourceError(f"{where}: not JSON ({e})") from None
            entry = _entry(obj, where)
            if entry.key in entries:
                raise ResourceError(f"{where}: duplicate key {entry.key!r}")
            entries[entry.key] = entry
    for e in entries.values():
        for ref in (e.capital_of, e.country):
            if ref is not None and ref not in entries:
                raise ResourceError(f"gazetteer: {e.key} refers to unknown key {ref!r}")
    return Gazetteer(entries)


@dataclass(frozen=True)
class Lexicons:
    triggers: dict[str, Any]
    cues: dict[str, Any]
    dates: dict[str, Any]


_LEXICON_KEYS = {
    "triggers": {"en", "ar"},
    "cues": {"person_titles", "org_heads", "group_heads", "state_heads", "media_heads", "source_nouns",
             "report_verbs", "credit_phrases", "same_source", "non_factual", "negation", "counterpart",
             "chair", "between", "agent_preps", "target_preps", "instrument_preps", "location_preps",
             "claim_verbs", "head_concepts", "modifier_heads", "topic_verbs", "anaphors", "join_verbs", "coagent", "defense_systems",
             "measure_nouns", "sign_verbs", "facility_heads", "state_areas", "controlled_by", "mediators", "back_reference_nouns",
             "launched_weapon_words", "statement_nouns"},
    "dates": {"months", "weekdays", "numbers", "units", "dual_units", "ago", "last", "next", "relative",
              "day_parts", "year_of_month", "ordinals"},
}
EVENT_TYPES = ("Meeting", "Agreement", "Proposal", "Attack", "Interception")


def _load_json(name: str) -> dict[str, Any]:
    path = resources.files("kg.resources") / "lexicons" / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ResourceError(f"lexicons/{name}.json: {e}") from None
    missing = _LEXICON_KEYS[name] - set(data)
    if missing:
        raise ResourceError(f"lexicons/{name}.json: missing keys {sorted(missing)}")
    data.pop("_doc", None)
    return data


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    triggers = _load_json("triggers")
    for lang in ("en", "ar"):
        for etype, kinds in triggers[lang].items():
            if etype not in EVENT_TYPES:
                raise ResourceError(f"lexicons/triggers.json: unknown event type {etype!r}")
            for kind, forms in kinds.items():
                if kind not in ("verb", "noun", "target_subject") or not isinstance(forms, list):
                    raise ResourceError(f"lexicons/triggers.json: {lang}/{etype}/{kind} is not a form list")
    return Lexicons(triggers=triggers, cues=_load_json("cues"), dates=_load_json("dates"))


def ontology_file(name: str):
    """A file of the ontology package data (`kg.ontology`, from the top-level `ontology/`).

    An installed kg has it as the package `kg.ontology`; a source checkout run in place
    (`python3 -m pytest` from the repository root) finds the top-level folder instead.
    """
    try:
        return resources.files("kg.ontology") / name
    except ModuleNotFoundError:
        from pathlib import Path
        return Path(__file__).resolve().parents[2] / "ontology" / name
