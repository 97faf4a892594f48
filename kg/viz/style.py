"""How the view looks and speaks: colors and shapes per type, labels in English and Arabic.

Type and role names come from the ontology's own bilingual `rdfs:label`s, so the page
says what `kg.ttl` says; only the page's interface words live here.
"""
from __future__ import annotations

from functools import lru_cache

from ..export.jsonl import COARSE, EVENT_TYPES, ROLES

LANGS = ("en", "ar")

# Events are dots, sized by corroboration and colored by type (the label names the type);
# each entity type has its own shape. Persons and organizations hold their (short)
# name inside; the other shapes take a fixed size with the name below.
STYLE: dict[str, tuple[str, str]] = {  # type -> (color, vis shape)
    "Meeting": ("#2a9d8f", "dot"), "Agreement": ("#e9c46a", "dot"), "Proposal": ("#f4a3b4", "dot"),
    "Attack": ("#d62728", "dot"), "Interception": ("#8c564b", "dot"),
    "Person": ("#f4a261", "ellipse"), "Organization": ("#4e79a7", "box"), "GPE": ("#59a14f", "square"),
    "Location": ("#9ccf84", "triangle"), "Facility": ("#f28e2b", "hexagon"), "Weapon": ("#9467bd", "diamond"),
}
assert set(STYLE) == set(EVENT_TYPES) | set(COARSE)

UI: dict[str, dict[str, str]] = {
    "en": {
        "title": "kg graph", "graph": "Graph", "timeline": "Timeline", "filters": "Filters",
        "event_types": "Event types", "entity_types": "Entity types", "dates": "Dates", "from": "from",
        "to": "to", "undated": "undated events", "reset": "Reset", "search": "Find a name…",
        "hint": "Click an event or an edge to read its evidence.", "shown": "{shown} of {total} nodes shown",
        "reported_by": "reported by", "according_to": "according to", "article": "article",
        "outlet": "outlet", "published": "published", "link": "open the article", "corroboration": "articles",
        "claims": "claims", "names": "names", "events": "events", "rows": "rows", "by_type": "event type",
        "by_actor": "actor", "no_dates": "No dated event matches the filters.",
        "more_rows": "{n} more actors not shown", "date": "date", "role": "role", "trigger": "trigger",
        "tl_hint": "Drag across the dates to zoom; Reset shows all.",
    },
    "ar": {
        "title": "شبكة kg", "graph": "الشبكة", "timeline": "الخط الزمني", "filters": "تصفية",
        "event_types": "أنواع الأحداث", "entity_types": "أنواع الكيانات", "dates": "التواريخ", "from": "من",
        "to": "إلى", "undated": "أحداث بلا تاريخ", "reset": "إعادة الضبط", "search": "ابحث عن اسم…",
        "hint": "انقر على حدث أو على رابط لقراءة الدليل.", "shown": "معروض {shown} من {total} عقدة",
        "reported_by": "الجهة الناقلة", "according_to": "وفقاً لـ", "article": "المقال",
        "outlet": "وسيلة النشر", "published": "تاريخ النشر", "link": "فتح المقال", "corroboration": "مقالات",
        "claims": "الادعاءات", "names": "الأسماء", "events": "الأحداث", "rows": "الصفوف", "by_type": "نوع الحدث",
        "by_actor": "الفاعل", "no_dates": "لا يوجد حدث مؤرخ يطابق التصفية.",
        "more_rows": "{n} فاعلاً آخر غير معروض", "date": "التاريخ", "role": "الدور", "trigger": "الكلمة الدالة",
        "tl_hint": "اسحب عبر التواريخ للتكبير؛ «إعادة الضبط» تعرض الكل.",
    },
}

# What the page says it left out, in the page's language (the CLI says it in English).
LEFT_OUT = {
    "en": "Focus on {focus}, {hops} hops: {kept} of {total} nodes shown; left out {dropped} ranked lowest by "
          "{rank} ({detail}). Highest ranked left out: {examples}. Raise --max-nodes or lower --hops to see more.",
    "ar": "التركيز على {focus}، {hops} خطوات: معروض {kept} من {total} عقدة؛ حُذفت {dropped} عقدة هي الأدنى "
          "ترتيباً حسب {rank} ({detail}). أعلى المحذوفات ترتيباً: {examples}. "
          "ارفع ‎--max-nodes‎ أو خفّض ‎--hops‎ لرؤية المزيد.",
}
RANK_WORDS = {"en": {"degree": "degree", "corroboration": "corroboration"},
              "ar": {"degree": "عدد الروابط", "corroboration": "عدد المقالات المؤكِّدة"}}


@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, dict[str, str]]:
    """`{"Meeting": {"en": "meeting", "ar": "اجتماع"}, "participant": {...}, …}` from kg.ttl."""
    import pyoxigraph
    from rdflib.namespace import RDFS

    from ..resources.loader import ontology_file
    from ..vocab import KG

    wanted = {str(getattr(KG, n)): n for n in (*EVENT_TYPES, *COARSE, *ROLES)}
    out: dict[str, dict[str, str]] = {n: {} for n in wanted.values()}
    with ontology_file("kg.ttl").open("rb") as f:
        for t in pyoxigraph.parse(f, pyoxigraph.RdfFormat.TURTLE):
            name = wanted.get(getattr(t.subject, "value", ""))
            if name and t.predicate.value == str(RDFS.label) and t.object.language in LANGS:
                out[name][t.object.language] = t.object.value
    return out


def term_label(name: str, lang: str, capital: bool = True) -> str:
    """A type or role name as the ontology labels it in `lang` (types capitalized in English)."""
    label = ontology_labels().get(name, {}).get(lang) or name
    return label[:1].upper() + label[1:] if capital and lang == "en" else label
