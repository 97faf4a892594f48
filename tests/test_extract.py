"""Extraction behaviour on sentences written for these tests, in Arabic and English."""
from __future__ import annotations

from datetime import date

import pytest

from kg.extract.dates import find_dates
from kg.extract.pipeline import process
from kg.models import Article

PUB = date(2024, 3, 6)  # a Wednesday


def doc_of(text: str, lang: str, published: date | None = PUB, outlet: str | None = None):
    return process(Article(id="t", text=text, lang=lang, source="test", published=published, outlet=outlet))


def events(text: str, lang: str, **kw):
    return [(e.type, e.date.value if e.date else None, sorted((a.role, a.mention.key) for a in e.arguments))
            for e in doc_of(text, lang, **kw).events]


def of_type(event_type: str, text: str, lang: str, **kw):
    """The events of one type the text gives, as `events` gives them."""
    return [e for e in events(text, lang, **kw) if e[0] == event_type]


def roles(ev, role):
    return {k for r, k in ev[2] if r == role}


@pytest.mark.parametrize("text,lang", [
    ("أسقطت الدفاعات الجوية الأردنية طائرة مسيرة فوق الأردن يوم الاثنين.", "ar"),
    ("Jordanian air defenses shot down a drone over Jordan on Monday.", "en"),
])
def test_interception_agent_instrument_location_date(text, lang):
    (ev,) = events(text, lang)
    assert ev[0] == "Interception" and ev[1] == "2024-03-04"
    assert "drone" in roles(ev, "instrument") and "jordan" in roles(ev, "location")
    assert roles(ev, "agent")


@pytest.mark.parametrize("text,lang", [
    ("أسقطت إسرائيل طائرة مسيرة أطلقها حزب الله أمس.", "ar"),
    ("Israel shot down a drone launched by Hezbollah yesterday.", "en"),
])
def test_vso_and_svo_subject_is_the_interceptor(text, lang):
    ev = of_type("Interception", text, lang)[0]
    assert roles(ev, "agent") == {"israel"} and ev[1] == "2024-03-05"


@pytest.mark.parametrize("text,lang", [
    ("The drone was intercepted by the Israeli Air Force over the Golan Heights.", "en"),
    ("تم اعتراض الطائرة المسيرة من قبل سلاح الجو الإسرائيلي فوق مرتفعات الجولان.", "ar"),
])
def test_passive_by_agent(text, lang):
    (ev,) = events(text, lang)
    assert ev[0] == "Interception" and roles(ev, "agent") == {"israeli_air_force"}


@pytest.mark.parametrize("text,lang", [
    ("Kataib Hezbollah attacked Ain al-Asad Air Base with drones on Sunday.", "en"),
    ("هاجمت كتائب حزب الله قاعدة عين الأسد بطائرات مسيرة يوم الأحد.", "ar"),
])
def test_attack_roles(text, lang):
    (ev,) = events(text, lang)
    assert ev[0] == "Attack" and ev[1] == "2024-03-03"
    assert roles(ev, "agent") == {"kataib_hezbollah"}
    assert roles(ev, "target") == {"ain_al_asad_air_base"} and roles(ev, "instrument") == {"drone"}


@pytest.mark.parametrize("text,lang", [
    ("Kataib Hezbollah threatened to attack Ain al-Asad Air Base.", "en"),
    ("هددت كتائب حزب الله بمهاجمة قاعدة عين الأسد.", "ar"),
    ("The Houthis warned they would strike ships in the Red Sea.", "en"),
])
def test_threat_is_not_an_event(text, lang):
    assert of_type("Attack", text, lang) == []


@pytest.mark.parametrize("text,lang,day", [
    ("هاجمت جماعة الحوثي سفينة في البحر الأحمر قبل ثلاثة أسابيع.", "ar", "2024-02-14"),
    ("The Houthis attacked a ship in the Red Sea three weeks ago.", "en", "2024-02-14"),
    ("هاجمت جماعة الحوثي سفينة في البحر الأحمر الأحد الماضي.", "ar", "2024-03-03"),
    ("The Houthis attacked a ship in the Red Sea last Sunday.", "en", "2024-03-03"),
    ("The Houthis attacked a ship in the Red Sea on Wednesday.", "en", "2024-03-06"),
])
def test_relative_dates_anchor_on_publication(text, lang, day):
    (ev,) = events(text, lang)
    assert ev[1] == day


@pytest.mark.parametrize("text,value", [
    ("في 27 أبريل/نيسان", "2023-04-27"),  # after the publication day: the year before
    ("في 8 مايو/أيار الماضي", "2023-05-08"),
    ("on May 8", "2023-05-08"),
    ("on February 8", "2024-02-08"),
    ("الشهر الماضي", "2024-02"),
    ("أمس", "2024-03-05"),
    ("23 يونيو 2021", "2021-06-23"),
    ("June 23, 2021", "2021-06-23"),
    ("١٥ نوفمبر ٢٠٢٢", "2022-11-15"),
    ("منذ فبراير/شباط العام الجاري", "2024-02"),
    ("in February last year", "2023-02"),
    ("وقبل أيام، قال مصدر", "2024-03-03"),
    ("ليل الثالث من يناير", "2024-01-03"),
    ("في الحادي والعشرين من كانون الثاني/يناير 2023", "2023-01-21"),
    ("on the third of January", "2024-01-03"),
    ("(2024-03-01)", "2024-03-01"),
    ("قصف بيناير 2023", "2023-01"),
    ("وفي الـ 23 من أكتوبر الماضي", "2023-10-23"),
])
def test_date_normalization(text, value):
    (d,) = find_dates(text, PUB)
    assert d.value == value and text[d.start:d.end] == d.text


def test_relative_date_without_publication_date_is_none():
    assert find_dates("أمس", None) == []


@pytest.mark.parametrize("text,lang,key,surface", [
    ("وقال مسؤول إن الطائرة سقطت بالعراق.", "ar", "iraq", "العراق"),
    ("وأعلنت الولايات المتحدة دعمها لإسرائيل.", "ar", "israel", "إسرائيل"),
    ("وصلت التعزيزات للولايات المتحدة.", "ar", "united_states", "ولايات المتحدة"),
    ("The drone came from Iran's territory.", "en", "iran", "Iran"),
])
def test_clitics_are_left_out_of_name_spans(text, lang, key, surface):
    d = doc_of(text, lang)
    m = [m for m in d.mentions if m.key == key]
    assert m and m[0].text == surface and text[m[0].start:m[0].end] == surface


def test_us_pronoun_is_not_the_united_states():
    d = doc_of("They told us the talks went well.", "en")
    assert not any(m.key == "united_states" for m in d.mentions)


@pytest.mark.parametrize("text,lang", [
    ("اجتمع جيك سوليفان ونظيره الإسرائيلي مئير بن شبات في واشنطن يوم الثلاثاء.", "ar"),
    ("Jake Sullivan met his Israeli counterpart Meir Ben-Shabbat in Washington on Tuesday.", "en"),
])
def test_meeting_participants_location(text, lang):
    (ev,) = of_type("Meeting", text, lang)
    assert roles(ev, "participant") == {"jake_sullivan", "meir_ben_shabbat"}
    assert roles(ev, "location") == {"washington_city"} and ev[1] == "2024-03-05"


@pytest.mark.parametrize("text,lang", [
    ("كشف موقع أكسيوس أن إسرائيل أسقطت طائرة مسيرة أمس، وفقا لمسؤولين إسرائيليين.", "ar"),
    ("Israel shot down a drone yesterday, Israeli officials told Axios.", "en"),
])
def test_attribution_outlet_and_anonymous_source(text, lang):
    d = doc_of(text, lang)
    (ev,) = d.events
    assert [m.key for m in ev.reported_by] == ["axios"]
    assert any("إسرائيليين" in s.text or "Israeli officials" in s.text for s in ev.according_to)


def test_same_source_carries_attribution_forward():
    text = ("نقلت وكالة رويترز عن مسؤول أمريكي أن القوات الأمريكية أسقطت طائرة مسيرة أمس.\n"
            "وهاجمت جماعة الحوثي سفينة في البحر الأحمر الأحد، وفق المصدر ذاته.")
    evs = doc_of(text, "ar").events
    assert len(evs) == 2 and all([m.key for m in e.reported_by] == ["reuters"] for e in evs)


@pytest.mark.parametrize("text,lang", [
    ("The Houthis attacked a ship in the Red Sea on Monday. The attack damaged the ship.", "en"),
    ("هاجمت جماعة الحوثي سفينة في البحر الأحمر الاثنين. وألحق الهجوم أضرارا بالسفينة.", "ar"),
])
def test_one_event_per_real_world_event_in_an_article(text, lang):
    assert len(of_type("Attack", text, lang)) == 1


def test_every_offset_slices_back_to_its_text():
    text = "كشف موقع أكسيوس أن إسرائيل أسقطت طائرة مسيرة أمس بالعراق. US forces shot down a drone on Monday."
    d = doc_of(text, "ar")
    for a in list(d.mentions) + list(d.triggers) + list(d.dates) + list(d.sentences):
        assert text[a.start:a.end] == a.text
    for e in d.events:
        assert text[e.sentence.start:e.sentence.end] == e.sentence.text


@pytest.mark.parametrize("text,lang", [
    ("Washington shot down two drones over Iraq on Monday.", "en"),
    ("أسقطت واشنطن طائرتين مسيرتين فوق العراق يوم الاثنين.", "ar"),
])
def test_capital_acting_stands_for_its_state(text, lang):
    (ev,) = events(text, lang)
    assert roles(ev, "agent") == {"united_states"}


@pytest.mark.parametrize("text,lang", [
    ("The meeting took place in Washington on Monday between Sullivan and Ben-Shabbat.", "en"),
])
def test_capital_as_a_place_stays_the_city(text, lang):
    doc = doc_of(text, lang)
    assert any(m.key == "washington_city" for m in doc.mentions)


@pytest.mark.parametrize("text,lang", [
    ("Kataib Hezbollah issued a statement on Sunday. The group said it attacked Ain al-Asad Air Base.", "en"),
    ("أصدرت كتائب حزب الله بيانا الأحد. وقالت الجماعة إنها هاجمت قاعدة عين الأسد الجوية.", "ar"),
])
def test_the_group_points_back_to_the_named_group(text, lang):
    doc = doc_of(text, lang)
    anaphors = [m for m in doc.mentions if m.anaphor]
    assert [m.key for m in anaphors] == ["kataib_hezbollah"]
    assert text[anaphors[0].start:anaphors[0].end] == anaphors[0].text
    (ev,) = of_type("Attack", text, lang)
    assert roles(ev, "agent") == {"kataib_hezbollah"} and roles(ev, "target") == {"ain_al_asad_air_base"}


@pytest.mark.parametrize("text,lang", [
    ("Biden said the United States and Britain struck Houthi targets in Yemen on Friday.", "en"),
    ("وقال الرئيس بايدن إن الولايات المتحدة وبريطانيا ضربتا أهدافا للحوثيين في اليمن يوم الجمعة.", "ar"),
])
def test_the_speaker_is_not_the_attacker_and_conjoined_subjects_both_act(text, lang):
    (ev,) = of_type("Attack", text, lang)
    assert roles(ev, "agent") == {"united_states", "united_kingdom"}
    assert "yemen" in roles(ev, "location")


@pytest.mark.parametrize("text,lang", [
    ("The drone was apparently designed to evade interception systems, the army said on Monday.", "en"),
    ("وقالت الجماعة إن الطائرة قادرة على تجاوز منظومات الاعتراض.", "ar"),
])
def test_a_noun_naming_a_kind_of_thing_is_not_an_event(text, lang):
    assert of_type("Interception", text, lang) == []


@pytest.mark.parametrize("text,lang", [
    ("Hezbollah will attack Israeli positions next week, a spokesman said on Monday.", "en"),
    ("أطلق حزب الله صواريخ على مواقع إسرائيلية الأسبوع المقبل.", "ar"),
])
def test_no_event_is_dated_after_publication(text, lang):
    assert all(ev[1] is None or ev[1] <= PUB.isoformat() for ev in events(text, lang))


def test_an_indefinite_attack_in_the_same_clause_is_another_event():
    text = ("Attacks against US forces have intensified since the war began, following an unprecedented "
            "attack by Hamas inside Israel on October 7.")
    evs = of_type("Attack", text, "en")
    assert len(evs) == 2
    hamas = [e for e in evs if "hamas" in roles(e, "agent")]
    assert len(hamas) == 1 and hamas[0][1] == "2023-10-07"
    other = [e for e in evs if e is not hamas[0]][0]
    assert "united_states_forces" in roles(other, "target") and other[1] is None


@pytest.mark.parametrize("text,lang", [
    ("Antony Blinken met Fuad Hussein in Baghdad on Monday. The two were joined by Ayman Safadi.", "en"),
    ("التقى أنتوني بلينكن فؤاد حسين في بغداد يوم الاثنين، بحضور أيمن الصفدي.", "ar"),
])
def test_people_who_joined_a_meeting_are_participants(text, lang):
    (ev,) = of_type("Meeting", text, lang)
    assert {"antony_blinken", "fuad_hussein", "ayman_safadi"} <= roles(ev, "participant")


@pytest.mark.parametrize("text,lang", [
    ("Two drones targeted Ain al-Asad Air Base on Tuesday. Air defenses intercepted them.", "en"),
])
def test_an_interception_takes_the_weapon_and_day_of_the_attack_it_stopped(text, lang):
    (ev,) = of_type("Interception", text, lang)
    assert roles(ev, "instrument") == {"drone"} and ev[1] == "2024-03-05"


@pytest.mark.parametrize("text,lang", [
    ("New US sanctions targeted two Iranian drone makers on Monday.", "en"),
    ("فرضت واشنطن عقوبات جديدة على إيران استهدفت شركتين لصناعة الطائرات المسيرة.", "ar"),
])
def test_sanctions_that_target_firms_are_not_an_attack(text, lang):
    assert of_type("Attack", text, lang) == []


def test_sentences_glued_without_a_space_are_split():
    from kg.text.sentences import split_sentences
    text = 'Drones hit the base in Syria.It was the third attack. The U.S.-led coalition said "no comment."'
    assert [s.text for s in split_sentences(text)] == [
        "Drones hit the base in Syria.", "It was the third attack.", 'The U.S.-led coalition said "no comment."']


@pytest.mark.parametrize("text,lang,surface", [
    ("On Monday the IDF confirmed that the Eilat naval base was struck by a drone.", "en", "Eilat naval base"),
    ("أكد الجيش الإسرائيلي الاثنين أن طائرة مسيرة استهدفت قاعدة إيلات البحرية.", "ar", "قاعدة إيلات البحرية"),
])
def test_a_site_named_by_its_city_is_one_entity_in_both_languages(text, lang, surface):
    doc = doc_of(text, lang)
    (site,) = [m for m in doc.mentions if m.type == "Facility"]
    assert site.key == "eilat_naval_base" and site.text == surface == text[site.start:site.end]
    (ev,) = of_type("Attack", text, lang)
    assert "eilat_naval_base" in roles(ev, "target")


@pytest.mark.parametrize("text,lang", [
    ("Iranian-backed militias in Iraq stopped their attacks against US troops in February.", "en"),
    ("أوقفت الميليشيات الموالية لإيران في العراق هجماتها على القوات الأمريكية في فبراير.", "ar"),
])
def test_their_attacks_are_the_subjects_attacks(text, lang):
    (ev,) = of_type("Attack", text, lang)
    assert roles(ev, "agent") == {"pro_iran_militias"}
    assert "united_states_forces" in roles(ev, "target")


def test_a_cause_after_in_response_to_is_another_event():
    evs = events("Britain conducted strikes on Houthi targets in Yemen on Monday in response to recent "
                 "attacks by Hezbollah on ships in the Red Sea.", "en")
    strikes = [e for e in evs if "united_kingdom" in roles(e, "agent")]
    assert len(strikes) == 1 and "hezbollah" not in roles(strikes[0], "agent")
    assert any(roles(e, "agent") == {"hezbollah"} for e in evs)


def test_after_a_preposition_a_plural_is_a_noun_not_the_verb_of_the_subject():
    evs = events("The base was hit as part of the Biden administration's response to attacks in Iraq.", "en")
    assert not any("united_states" in roles(e, "agent") | roles(e, "location") for e in evs)


def test_the_subject_of_a_light_verb_skips_those_who_only_supported():
    (ev,) = events("The armed forces of France and Germany, with support from Italy and Spain, "
                   "conducted joint strikes on Sunday.", "en")
    assert {"france", "germany"} <= roles(ev, "agent") and "spain" not in roles(ev, "agent")


@pytest.mark.parametrize("text,lang", [
    ("Hezbollah has carried out other attacks on Israeli territory this year.", "en"),
    ("شن حزب الله هجمات على الأراضي الإسرائيلية هذا العام.", "ar"),
])
def test_a_states_territory_is_the_state(text, lang):
    (ev,) = events(text, lang)
    assert roles(ev, "target") == {"israel"} and roles(ev, "agent") == {"hezbollah"}


def test_other_attacks_and_an_instance_of_them_are_events_of_their_own():
    evs = events("Hezbollah claimed responsibility for the attack on Monday. It has carried out other attacks "
                 "on Israeli territory this year, including firing two rockets at Haifa in January.", "en")
    assert len(evs) == 3 and all(roles(e, "agent") == {"hezbollah"} for e in evs)
    (firing,) = [e for e in evs if "haifa" in roles(e, "target")]
    assert firing[1] == "2024-01" and "rocket" in roles(firing, "instrument")


def test_an_expletive_it_names_no_doer():
    (ev,) = events("It is noteworthy that attacks against US forces in Syria have increased since October.", "en")
    assert not roles(ev, "agent")


@pytest.mark.parametrize("text,lang", [
    ("Drones targeted the Tanf base on Tuesday, the first attack on US forces since Iran-backed militias "
     "in Syria stopped their attacks on US forces.", "en"),
    ("استهدفت طائرتان مسيرتان قاعدة التنف يوم الثلاثاء، في أول هجوم منذ أن أوقفت فصائل موالية لإيران "
     "في سوريا هجماتها على القوات الأمريكية.", "ar"),
])
def test_their_attacks_in_a_later_clause_are_the_possessors_own_events(text, lang):
    evs = events(text, lang)
    assert len(evs) == 2
    first, theirs = evs
    assert "al_tanf_garrison" in roles(first, "target") and not roles(first, "agent")
    assert roles(theirs, "agent") == {"pro_iran_militias"} and "al_tanf_garrison" not in roles(theirs, "target")


@pytest.mark.parametrize("text,lang", [
    ("Two drones targeted the Harir air base on Monday. It was the second attack against US forces in Iraq "
     "since early February.", "en"),
    ("استهدفت طائرتان مسيرتان قاعدة حرير يوم الاثنين. وهذا الهجوم هو الثاني على القوات الأمريكية في العراق "
     "منذ أوائل فبراير.", "ar"),
])
def test_the_nth_attack_since_a_date_is_the_attack_told_before(text, lang):
    (ev,) = events(text, lang)
    assert ev[1] == "2024-03-04"



def test_a_count_of_attacks_is_no_event():
    evs = events("The Pentagon said at least 16 attacks had been carried out against bases housing US forces "
                 "this month.", "en")
    assert evs == []


def test_that_before_a_verb_is_a_relative_pronoun_not_a_back_reference():
    evs = events("Jordan shot down a drone over Amman on Monday. Israel struck depots of militia groups "
                 "that carried out strikes against Eilat.", "en")
    attacks = [e for e in evs if e[0] == "Attack"]
    assert any("eilat" in roles(e, "target") for e in attacks)
    assert not any("israel" in roles(e, "agent") and "eilat" in roles(e, "target") for e in attacks)


def test_a_dated_back_reference_joins_the_event_of_that_day():
    evs = events("Israeli jets struck a depot in Homs on Thursday. Hezbollah fired rockets at Haifa on Friday. "
                 "After the Thursday strike, Syria protested.", "en")
    homs = [e for e in evs if "homs" in roles(e, "location") | roles(e, "target")]
    assert len([e for e in evs if e[0] == "Attack"]) == 2 and homs and homs[0][1] == "2024-02-29"


@pytest.mark.parametrize("text,lang", [
    ("US forces shot down a drone near Erbil on Friday. The drone had attacked US forces in northern Iraq.", "en"),
    ("أسقطت القوات الأمريكية طائرة مسيرة قرب أربيل يوم الجمعة. وكانت الطائرة المسيرة هاجمت القوات الأمريكية في شمال العراق.", "ar"),
])
def test_an_attack_takes_the_day_its_weapon_was_shot_down(text, lang):
    (attack,) = of_type("Attack", text, lang)
    assert attack[1] == "2024-03-01"


@pytest.mark.parametrize("text,lang", [
    ("Israeli jets struck a weapons depot in Homs on Thursday.", "en"),
    ("قصفت الطائرات الحربية الإسرائيلية مستودعا للأسلحة في حمص يوم الخميس.", "ar"),
])
def test_a_states_aircraft_acting_are_the_state(text, lang):
    (ev,) = events(text, lang)
    assert roles(ev, "agent") == {"israel"} and ev[1] == "2024-02-29"


def test_people_joined_before_a_relative_clause_with_other_talks_are_participants():
    evs = events("Jake Sullivan met Tzachi Hanegbi in Washington on Monday. The two were joined by Robert Malley, "
                 "who leads the American delegation in the nuclear talks in Vienna.", "en")
    (meeting,) = [e for e in evs if e[0] == "Meeting" and "jake_sullivan" in roles(e, "participant")]
    assert "robert_malley" in roles(meeting, "participant")


def test_a_spelling_the_gazetteer_lacks_links_by_its_consonants():
    doc = doc_of("White House coordinator Bret MacGurk arrived in Baghdad on Monday.", "en")
    assert "brett_mcgurk" in {m.key for m in doc.mentions}


def test_talks_that_are_the_topic_of_an_update_are_not_a_meeting_of_its_parties():
    evs = events("The United States updated Israel on the talks in Vienna, the White House said.", "en")
    assert not [e for e in evs if e[0] == "Meeting"]


@pytest.mark.parametrize("text,lang", [
    ("On Monday, officials said US forces in Syria were targeted by drones, the latest in a series of attacks "
     "against US forces in the region.", "en"),
    ("ويوم الاثنين، قال مسؤولون إن قوات أمريكية في سوريا استُهدفت بطائرات مسيرة، في أحدث حلقة من سلسلة هجمات "
     "ضد القوات الأمريكية في المنطقة.", "ar"),
])
def test_a_series_of_attacks_is_neither_the_attack_told_nor_dated_by_it(text, lang):
    evs = events(text, lang)
    assert len(evs) == 2
    told, series = evs
    assert told[1] == "2024-03-04" and roles(told, "target") == {"united_states_forces"}
    assert "syria" not in roles(told, "target") and series[1] is None


@pytest.mark.parametrize("text,lang", [
    ("A drone targeted US forces at the Tanf base in Syria on Friday. A base in western Iraq housing US forces "
     "was attacked by a drone.", "en"),
    ("استهدفت طائرة مسيرة القوات الأمريكية في قاعدة التنف بسوريا يوم الجمعة. وتعرضت قاعدة عسكرية في غرب "
     "العراق تضم قوات أمريكية لهجوم بطائرة مسيرة.", "ar"),
])
def test_attacks_in_two_countries_are_two_events(text, lang):
    evs = events(text, lang)
    assert len(evs) == 2 and evs[0][1] == "2024-03-01" and "iraq" in roles(evs[1], "location")
    assert not roles(evs[1], "agent")  # "هجوم بطائرة مسيرة": a ة is no possessive pronoun


@pytest.mark.parametrize("text,lang", [
    ("Two drones launched from areas controlled by the Houthis in Yemen targeted a cargo ship on Monday.", "en"),
    ("استهدفت مسيرتان أطلقتا من مناطق يسيطر عليها الحوثيون في اليمن سفينة شحن يوم الاثنين.", "ar"),
])
def test_who_holds_the_launch_ground_is_the_doer_and_the_weapon_is_no_target(text, lang):
    evs = of_type("Attack", text, lang)
    assert any(roles(e, "agent") == {"houthis"} for e in evs)
    assert not any(roles(e, "target") & {"drone", "houthis", "yemen"} for e in evs)


@pytest.mark.parametrize("text,lang", [
    ("The United States and Britain began striking Houthi targets in Yemen on Friday. British Prime Minister "
     "Rishi Sunak said the Royal Air Force carried out, alongside the United States, and with non-operational "
     "support from the Netherlands, strikes against the Houthis in Yemen.", "en"),
    ("بدأت الولايات المتحدة وبريطانيا شن ضربات ضد أهداف للحوثيين في اليمن يوم الجمعة. وقال رئيس الوزراء "
     "البريطاني إن سلاح الجو الملكي البريطاني نفذ إلى جانب الولايات المتحدة، وبدعم غير عملياتي من هولندا، "
     "ضربات ضد الحوثيين في اليمن.", "ar"),
])
def test_a_states_air_force_retelling_the_states_strikes_is_one_event(text, lang):
    (ev,) = events(text, lang)
    assert {"united_states", "united_kingdom"} <= roles(ev, "agent") and "houthis" in roles(ev, "target")
    assert "netherlands" not in roles(ev, "agent")


def test_titles_in_a_row_are_not_a_name():
    doc = doc_of("Army Spokesman Brigadier General Yahya Rasool said the base was quiet.", "en")
    people = [m.text for m in doc.mentions if m.type == "Person"]
    assert people == ["Yahya Rasool"]


def test_a_one_word_name_with_a_particle_does_not_stand_for_a_known_person():
    doc = doc_of("The group is known as Kataib al-Shuhadaa, spokesman al-Shuhadaa said.", "en")
    assert "bashar_al_assad" not in {m.key for m in doc.mentions}


@pytest.mark.parametrize("text,lang", [
    ("Israeli warplanes struck Hezbollah positions in southern Lebanon on Sunday, hours after the group "
     "fired rockets at northern Israel.", "en"),
    ("شنت طائرات حربية إسرائيلية غارات على مواقع لحزب الله في جنوب لبنان يوم الأحد، بعد ساعات من إطلاق "
     "الحزب صواريخ على شمال إسرائيل.", "ar"),
])
def test_a_clause_of_time_tells_another_event(text, lang):
    evs = events(text, lang)
    strike = [e for e in evs if "israel" in roles(e, "agent")]
    assert len(strike) == 1 and strike[0][1] == "2024-03-03"
    assert "rocket" not in roles(strike[0], "instrument") and "northern_israel" not in roles(strike[0], "target")


def test_a_proposal_that_talks_are_about_is_not_made_and_a_city_proposes_nothing():
    evs = events("Lebanese Prime Minister Najib Mikati met US envoy Amos Hochstein in Beirut on Monday to discuss "
                 "a ceasefire proposal.", "en")
    assert [e[0] for e in evs] == ["Meeting"]
    (ev,) = events("In Beirut, Amos Hochstein proposed a phased withdrawal on Monday.", "en")
    assert roles(ev, "agent") == {"amos_hochstein"}


def test_an_arabic_cause_after_radan_ala_is_another_event():
    evs = events("قتل قيادي في كتائب حزب الله بضربة أمريكية في بغداد يوم الأربعاء. وقال البنتاغون إن الضربة نفذت "
                 "ردا على الهجوم بطائرة مسيرة على قاعدة في الأردن يوم الأحد.", "ar")
    strike = [e for e in evs if "united_states" in roles(e, "agent")]
    assert len(evs) == 2 and len(strike) == 1
    assert strike[0][1] == "2024-03-06" and "jordan" not in roles(strike[0], "location")


@pytest.mark.parametrize("text,lang", [
    ("Three people were killed in an Israeli airstrike on a car near Tyre on Tuesday.", "en"),
])
def test_near_after_on_says_where_not_what(text, lang):
    (ev,) = events(text, lang)
    assert "tyre" in roles(ev, "location") and "tyre" not in roles(ev, "target")


def test_a_shootdown_in_another_country_does_not_take_an_attacks_day():
    evs = events("A drone attack killed three soldiers in Jordan on Sunday. The Houthis said they shot down a "
                 "US drone over Yemen.", "en")
    (shot,) = [e for e in evs if e[0] == "Interception"]
    assert shot[1] is None


@pytest.mark.parametrize("text,lang", [
    ("Egypt and Qatar have proposed a new truce plan, Axios reported.", "en"),
    ("واقترحت مصر وقطر خطة جديدة للهدنة، بحسب موقع أكسيوس.", "ar"),
])
def test_conjoined_proposers_both_propose(text, lang):
    (ev,) = events(text, lang)
    assert ev[0] == "Proposal" and roles(ev, "agent") == {"egypt", "qatar"}


def test_an_anonymous_source_stops_at_the_comma_before_it():
    doc = doc_of("A US drone strike killed a commander in Baghdad on Wednesday, two Iraqi security officials said.", "en")
    (ev,) = doc.events
    assert [s.text for s in ev.according_to] == ["two Iraqi security officials"]


def test_a_defence_missile_shot_down_is_what_was_intercepted_and_a_drone_aimed_at_is_no_weapon_used():
    evs = events("The Israeli military said its air defenses intercepted a surface-to-air missile fired from "
                 "Lebanon toward an Israeli drone on Tuesday.", "en")
    (icpt,) = [e for e in evs if e[0] == "Interception"]
    assert roles(icpt, "instrument") == {"surface_to_air_missile"}
    assert all("drone" not in roles(e, "instrument") for e in evs if e[0] == "Attack")


def test_the_topic_after_an_arabic_discussion_verb_and_its_date_is_not_where_they_met():
    (ev,) = events("بحث وزير الخارجية الأمريكي أنتوني بلينكن مع ولي العهد السعودي الأمير محمد بن سلمان في الرياض "
                   "يوم الاثنين جهود التوصل إلى وقف لإطلاق النار في غزة.", "ar")
    assert roles(ev, "location") == {"riyadh"} and {"antony_blinken", "mohammed_bin_salman"} <= roles(ev, "participant")


def test_on_behalf_of_is_part_of_an_arabic_title_not_a_name():
    doc = doc_of("وقال المتحدث العسكري باسم الجماعة يحيى سريع إن القوات البحرية نفذت العملية.", "ar")
    assert [m.key for m in doc.mentions if m.type == "Person"] == ["yahya_saree"]


def test_conjoined_state_adjectives_after_aircraft_are_both_states():
    (ev,) = events("وشنت الطائرات الأمريكية والبريطانية فجر الأربعاء غارات على مواقع للحوثيين في محافظة الحديدة.", "ar")
    assert roles(ev, "agent") == {"united_states", "united_kingdom"} and roles(ev, "target") == {"houthis"}


def test_announcing_an_arabic_verbal_noun_claims_it():
    (ev,) = events("أعلنت جماعة الحوثي اليمنية، مساء الثلاثاء، استهداف سفينة تجارية في خليج عدن بصاروخين باليستيين.", "ar")
    assert roles(ev, "agent") == {"houthis"} and ev[1] == "2024-03-05"


@pytest.mark.parametrize("text,lang", [
    ("Eilat has faced repeated missile and drone attacks from the Houthis. Last month the army said a drone "
     "targeted Eilat.", "en"),
    ("وتتعرض إيلات لهجمات متكررة بصواريخ وطائرات مسيرة من الحوثيين. وفي الشهر الماضي قال الجيش إن طائرة مسيرة "
     "استهدفت إيلات.", "ar"),
])
def test_repeated_attacks_take_in_no_single_later_one(text, lang):
    evs = events(text, lang)
    assert len(evs) == 2 and roles(evs[0], "agent") == {"houthis"}
    assert evs[1][1] == "2024-02" and not roles(evs[1], "agent")


def test_what_the_antecedent_of_an_arabic_relative_suffers_is_another_event():
    evs = events("وتتعرض إيلات لهجمات متكررة من الحوثيين، انتصارا لغزة التي تتعرض لعدوان إسرائيلي.", "ar")
    assert sorted(tuple(sorted(roles(e, "target"))) for e in evs) == [("eilat",), ("gaza",)]
    assert all(not (roles(e, "agent") & {"houthis"} and roles(e, "agent") & {"israel"}) for e in evs)


def test_an_arabic_verb_right_after_an_attack_noun_has_that_noun_as_subject():
    (ev,) = events("تشتكي أوكرانيا من ضربات جوية روسية تستهدف بنيتها التحتية، وفق ما صرح وزير الخارجية الإيراني.", "ar")
    assert roles(ev, "agent") == {"russia"}


def test_on_before_an_attack_noun_belongs_to_another_phrase():
    (ev,) = events("فرضت واشنطن عقوبات جديدة على إيران بسبب مساعدتها روسيا في الهجوم الذي تشنه على أوكرانيا.", "ar")
    assert roles(ev, "target") == {"ukraine"}


@pytest.mark.parametrize("text,lang,parties", [
    ("Qatar, Egypt and the US brokered a truce between Israel and Hamas on Friday.", "en", {"israel", "hamas"}),
    ("توسطت قطر ومصر في اتفاق بين إسرائيل وحماس يوم الجمعة.", "ar", {"israel", "hamas"}),
    ("Iran and Saudi Arabia agreed on Friday to restore relations under a deal brokered by China.", "en",
     {"iran", "saudi_arabia"}),
])
def test_mediators_are_not_parties_to_an_agreement(text, lang, parties):
    agreements = of_type("Agreement", text, lang)
    assert [roles(e, "participant") for e in agreements] == [parties]


def test_the_operation_points_back_and_an_operation_alone_is_nothing():
    evs = events("The Pentagon said it carried out an operation against two targets in eastern Syria. The Pentagon "
                 "said the late Thursday operation involved two F-16 jets that targeted depots of the IRGC.", "en")
    (ev,) = evs
    assert ev[1] == "2024-02-29" and "irgc" in roles(ev, "target") and "f_16" in roles(ev, "instrument")
    assert events("Rescue teams began an operation in the mountains on Monday.", "en") == []


@pytest.mark.parametrize("text,lang", [
    ("The Pentagon said US forces had come under attack at least 60 times in Iraq and Syria since October 17.", "en"),
    ("وقال البنتاغون إن القوات الأمريكية تعرضت لهجمات 60 مرة على الأقل في العراق وسوريا منذ 17 أكتوبر.", "ar"),
])
def test_forces_under_attack_many_times_since_a_day_are_the_target_and_not_dated_by_it(text, lang):
    (ev,) = events(text, lang)
    assert roles(ev, "target") == {"united_states_forces"} and not roles(ev, "agent")
    assert roles(ev, "location") == {"iraq", "syria"} and ev[1] is None


def test_off_the_coast_of_says_where():
    (ev,) = events("A drone struck a fuel tanker in the Red Sea off the coast of Yemen late on Friday.", "en")
    assert "yemen" not in roles(ev, "target") and {"red_sea", "yemen"} <= roles(ev, "location")


@pytest.mark.parametrize("text,lang", [
    ("The Israeli military said it intercepted a missile fired from Yemen toward Eilat on Sunday. Sirens sounded "
     "before the Arrow system shot down the missile on Sunday.", "en"),
    ("The Israeli military said it intercepted a missile fired from Yemen toward Eilat on Sunday. Sirens sounded "
     "before the Arrow system shot down the missile.", "en"),
    ("أعلن الجيش الإسرائيلي يوم الأحد اعتراض صاروخ أطلق من اليمن باتجاه إيلات. ودوت صفارات الإنذار قبل أن تتمكن "
     "منظومة حيتس من إسقاط الصاروخ يوم الأحد.", "ar"),
    ("أعلن الجيش الإسرائيلي يوم الأحد اعتراض صاروخ أطلق من اليمن باتجاه إيلات. ودوت صفارات الإنذار قبل أن تتمكن "
     "منظومة حيتس من إسقاط الصاروخ.", "ar"),
])
def test_a_defence_system_and_the_army_that_fired_it_tell_one_interception(text, lang):
    shot = of_type("Interception", text, lang)
    assert len(shot) == 1 and "israel_defense_forces" in roles(shot[0], "agent")


def test_a_participle_with_its_own_by_and_a_when_clause_keep_the_victims_out_of_the_doers():
    (ev,) = events("Two Israeli soldiers were killed when an anti-tank missile fired by Hezbollah hit their vehicle "
                   "near the border on Monday.", "en")
    assert roles(ev, "agent") == {"hezbollah"}


def test_a_body_that_speaks_is_no_person():
    doc = doc_of("King Abdullah met Joe Biden at the White House on Thursday, the Royal Court said.", "en")
    assert {m.key for m in doc.mentions if m.type == "Person"} == {"abdullah_ii", "joe_biden"}


# --- the launch an interception stopped (annotation guidelines: "is an Attack too") ----------

@pytest.mark.parametrize("text,lang", [
    ("US forces shot down a one-way attack drone near Ain al-Asad Air Base on Monday.", "en"),
    ("أسقطت القوات الأمريكية طائرة مسيرة انتحارية قرب قاعدة عين الأسد يوم الاثنين.", "ar"),
])
def test_interception_of_an_attack_drone_near_a_base_reports_the_attack(text, lang):
    evs = events(text, lang)
    assert sorted(e[0] for e in evs) == ["Attack", "Interception"]
    attack = next(e for e in evs if e[0] == "Attack")
    assert attack[1] == "2024-03-04" and roles(attack, "instrument") == {"drone"}
    assert "ain_al_asad_air_base" in roles(attack, "location") and not roles(attack, "agent")


@pytest.mark.parametrize("text,lang", [
    ("Houthi forces shot down a US reconnaissance drone over Marib on Monday.", "en"),
    ("أسقط الحوثيون طائرة استطلاع مسيرة أمريكية فوق مأرب يوم الاثنين.", "ar"),
    # an armed drone lost in the airspace says nothing of what it was sent at
    ("Israeli jets shot down an armed drone trying to enter Israeli airspace on Monday.", "en"),
])
def test_interception_alone_is_no_attack(text, lang):
    assert [e[0] for e in events(text, lang)] == ["Interception"]


@pytest.mark.parametrize("text,lang", [
    ("A suicide drone attacked US forces in western Iraq on Monday. US forces later shot down the attack "
     "drone over Ain al-Asad Air Base.", "en"),
    ("هاجمت طائرة مسيرة انتحارية القوات الأمريكية في غرب العراق يوم الاثنين. وقالت القوات الأمريكية إنها "
     "أسقطت الطائرة المسيرة الانتحارية فوق قاعدة عين الأسد.", "ar"),
])
def test_attack_told_with_the_intercepted_weapon_is_the_stopped_launch(text, lang):
    attacks = of_type("Attack", text, lang)
    assert len(attacks) == 1, attacks
    assert "ain_al_asad_air_base" in roles(attacks[0], "location")
    assert "united_states_forces" in roles(attacks[0], "target")


# --- a weekday in an article whose publication date is unknown --------------------------------

@pytest.mark.parametrize("text,lang", [
    ("Two armed drones targeted Ain al-Asad Air Base in Iraq on Tuesday.", "en"),
    ("استهدفت طائرتان مسيرتان مفخختان يوم الثلاثاء قاعدة عين الأسد الجوية في العراق.", "ar"),
])
def test_weekday_without_publication_date_is_kept_as_a_weekday_not_a_date(text, lang):
    (ev,) = doc_of(text, lang, published=None).events
    assert ev.date is None and ev.weekday == 2


def test_weekday_with_publication_date_is_a_date():
    (ev,) = doc_of("Two armed drones targeted Ain al-Asad Air Base in Iraq on Tuesday.", "en").events
    assert ev.date.value == "2024-03-05" and ev.weekday is None


# --- conjoined nationalities before forces ------------------------------------------------------

@pytest.mark.parametrize("text,lang,targets", [
    ("Militants fired rockets at American and British forces in Iraq on Sunday.", "en",
     {"united_states_forces", "united_kingdom_forces"}),
    ("Militants fired rockets at US and allied troops in Iraq on Sunday.", "en", {"united_states_forces"}),
    ("أطلق مسلحون صواريخ على القوات الأمريكية والبريطانية في العراق يوم الأحد.", "ar",
     {"united_states_forces", "united_kingdom_forces"}),
])
def test_each_state_conjoined_before_forces_has_its_forces_targeted(text, lang, targets):
    (ev,) = events(text, lang)
    assert roles(ev, "target") == targets


@pytest.mark.parametrize("text,agents", [
    ("Drones attacked Ain al-Asad Air Base on Monday, according to a statement by the Pentagon.", set()),
    ("The attacks on US forces in Iraq by Kataib Hezbollah began in October, a Thursday statement by the "
     "Pentagon read.", {"kataib_hezbollah"}),
    ("Ain al-Asad Air Base was attacked by Kataib Hezbollah on Monday.", {"kataib_hezbollah"}),
])
def test_by_after_a_statement_noun_names_who_spoke_not_who_acted(text, agents):
    (ev,) = events(text, "en")
    assert roles(ev, "agent") == agents


@pytest.mark.parametrize("text,lang", [
    ("An armed drone attacked US forces at the Tanf base in Syria on Monday, but it was shot down before "
     "reaching its target.", "en"),
    ("وقال مسؤول إن هجوما بطائرة بدون طيار شن يوم الاثنين على القوات الأمريكية في قاعدة التنف بسوريا، فيما تم "
     "إسقاطها قبل أن تصل إلى هدفها.", "ar"),
])
def test_interception_of_the_attack_just_told_takes_its_weapon_day_and_place(text, lang):
    (ic,) = of_type("Interception", text, lang)
    assert ic[1] == "2024-03-04" and roles(ic, "instrument") == {"drone"}
    assert {"al_tanf_garrison", "syria"} <= roles(ic, "location")


@pytest.mark.parametrize("text,lang", [
    ("Iraqi air defenses destroyed two drones on Monday before they reached Ain al-Asad Air Base. Two military "
     "sources said defense systems downed one drone near the base perimeter.", "en"),
    ("دمرت الدفاعات الجوية العراقية يوم الاثنين طائرتين مسيرتين قبل وصولهما إلى قاعدة عين الأسد. وقال مصدران إن "
     "أنظمة الدفاع الجوي أسقطت طائرة مسيرة بالقرب من محيط القاعدة.", "ar"),
])
def test_interception_by_unnamed_defence_systems_is_the_one_told_before(text, lang):
    (ic,) = of_type("Interception", text, lang)
    assert ic[1] == "2024-03-04" and "iraq_air_defenses" in roles(ic, "agent")


def test_interceptions_on_two_days_stay_two():
    evs = events("Israel intercepted a drone over the Golan Heights on Monday. On Tuesday a drone was shot down "
                 "over Eilat.", "en")
    assert sorted(e[1] for e in evs if e[0] == "Interception") == ["2024-03-04", "2024-03-05"]


@pytest.mark.parametrize("text,lang", [
    ("Israeli F – 16 jets struck Gaza on Monday.", "en"),
    ("قصفت طائرات أف – 16 إسرائيلية غزة يوم الاثنين.", "ar"),
])
def test_a_name_written_with_a_spaced_dash_or_double_spaces_is_found(text, lang):
    (ev,) = events(text, lang)
    assert roles(ev, "instrument") == {"f_16"} and "gaza" in roles(ev, "target")
    (ev2,) = events(text.replace(" ", "  "), lang)
    assert ev2 == ev


def test_a_verb_with_an_object_of_its_own_stops_no_weapon_of_the_attack():
    # "destroyed a storage site": not an interception of the jets' weapons
    text = "وقالت الوزارة إن الضربات الجوية الأمريكية بواسطة طائرات أف – 16 دمرت يوم الاثنين منطقة تخزين للأسلحة."
    assert [e[0] for e in events(text, "ar")] == ["Attack"]


@pytest.mark.parametrize("text,weapon", [
    ("أطلقت روسيا الطائرات بدون طيار على كييف يوم الاثنين.", "drone"),
    ("استهدفت الصواريخ الباليستية خاركيف يوم الاثنين.", "ballistic_missile"),
])
def test_an_arabic_weapon_written_definite_is_found(text, weapon):
    (ev,) = events(text, "ar")
    assert weapon in roles(ev, "instrument")
