"""Search (F8): Chinese words of 1, 2 and more characters, English words, ranking,
highlighting, hostile queries, and keeping the index in step with the records."""

from __future__ import annotations

import pytest

from dutydesk.db import write
from dutydesk.domain import incidents, search
from dutydesk.domain.search import IndexRow
from dutydesk.models import DutyLogEntry, PhoneCall, SearchDoc

# The same rules on both engines (SQLite file, PostgreSQL site server).
pytestmark = pytest.mark.both_backends

LIFT = "今天电梯故障困人两名，已通知维保"
SMOKE = "Smoke detector beeping in the B2 plant room"
OTHER = "巡查正常，无异常情况"


def put(site, texts: dict[int, str], kind: str = "duty") -> None:
    """Index texts as if they were duty-log entries ``id → text`` (time order = id order)."""
    now = site.clock.now()
    search.index_many(
        IndexRow(kind, i, t, site.security.id, now.shift(minutes=i)) for i, t in texts.items()
    )


def ids(query: str, **kw) -> list[int]:
    return [h.ref_id for h in search.search(query, **kw).hits]


# --- tokens --------------------------------------------------------------------------------


def test_tokens_are_bigrams_then_single_characters_and_lowercased_words():
    assert search.tokens("电梯故障 Smoke-DETECTOR，３号") == [
        "电梯",
        "梯故",
        "故障",
        "电",
        "梯",
        "故",
        "障",
        "smoke",
        "detector",
        "3",
        "号",
    ]


def test_query_terms_are_always_quoted():
    assert search.match_expression('电梯故障 "smoke* (NEAR) AND -x') == (
        '"电梯 梯故 故障" AND "smoke" AND "near" AND "and" AND "x"*'
    )
    # The last word is a prefix (the word being typed); after a space it is whole.
    assert search.match_expression("smoke* x ") == '"smoke" AND "x"'
    assert search.match_expression('deliv"*') == '"deliv"*'
    assert search.match_expression("电") == '"电"'
    assert search.match_expression(' "*()-:^ ') is None


# --- recall -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["电", "电梯", "梯故", "故障", "电梯故障", "困人", "困人两名", "故障困人"]
)
def test_chinese_words_of_every_length_are_found_mid_sentence(site, query):
    put(site, {1: LIFT, 2: SMOKE, 3: OTHER})
    assert ids(query) == [1]


@pytest.mark.parametrize(
    "query",
    [
        "smoke",
        "detector",
        "smoke detector",
        "SMOKE",
        "detector smoke",
        "ｓｍｏｋｅ",
        '"smoke detector"',
        "b2",
    ],
)
def test_english_words_are_found_in_any_case(site, query):
    put(site, {1: LIFT, 2: SMOKE, 3: OTHER})
    assert ids(query) == [2]


@pytest.mark.parametrize(
    "query",
    [
        "梯电",
        "障故",
        "火灾",
        "电梯起火",
        "smok ",  # a whole word (ended by a space): no word "smok"
        "smok detector",  # whole in the middle of a query
        "detectors",
        "smoke alarm",
        "电梯 fire",
        "两名困人",
    ],
)
def test_words_that_are_not_there_find_nothing(site, query):
    put(site, {1: LIFT, 2: SMOKE, 3: OTHER})
    page = search.search(query)
    assert page.hits == [] and page.total == 0


DELIVERY = {
    1: "Parcel delivery for 3-1201 left at the gate",
    2: "Delivered the keys to engineering",
    3: "Food DELIVERY rider refused entry",
    4: "送货车辆进入小区 delivery van",
    5: "Undelivered mail returned",
    6: "巡查正常，无异常情况",
    7: "Deli counter smoke alarm test",
}


def test_the_last_word_finds_the_words_it_begins(site):
    """Recall for the beginning of a word equals recall for the word (people type
    the beginning); a word before the last stays whole; Chinese is unchanged."""
    put(site, DELIVERY)
    assert set(ids("deliv")) == set(ids("delivery")) | {2}
    assert set(ids("delivery")) <= set(ids("deliv")) and set(ids("delivery")) == {1, 3, 4}
    assert set(ids("DELIV")) == set(ids("deliv")) == {1, 2, 3, 4}
    assert set(ids("deli")) == {1, 2, 3, 4, 7}
    assert ids("deliv ") == []  # ended by a space: the whole word only
    assert ids("deliv van") == []  # "deliv" in the middle is whole
    assert ids("delivery va") == [4]
    assert ids("送货") == [4] and ids("货") == [4] and ids("送货 deliv") == [4]
    assert ids("巡查") == [6]
    # Highlighting follows: the whole word each prefix begins.
    hit = search.search("parcel deliv").hits[0]
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["Parcel", "delivery"]


def test_mixed_chinese_and_english_query_needs_both(site):
    put(site, {1: "B2 配电房跳闸", 2: "配电房巡查正常", 3: "B2 车库"})
    assert ids("B2 配电") == [1]


# --- ranking ----------------------------------------------------------------------------


def test_more_matches_rank_higher(site):
    put(
        site,
        {
            1: "电梯故障，维保已到场处理完毕，现场恢复正常",
            2: "电梯故障，电梯故障再次发生，已报维保",
            3: "水泵房巡查正常，无异常情况，记录完毕",
        },
    )
    assert ids("电梯故障") == [2, 1]


def test_rarer_words_weigh_more(site):
    filler = {i: f"第{i}次巡查，巡查正常" for i in range(10, 30)}
    put(
        site,
        {
            **filler,
            1: "巡查巡查巡查发现漏水",  # the common word often, the rare one once
            2: "巡查发现漏水漏水漏水",
        },
    )  # the rare word often
    assert ids("巡查 漏水") == [2, 1]


def test_results_can_be_filtered_and_paged(site):
    put(site, {i: f"第{i}条 电梯维保记录" for i in range(1, 8)})
    put(site, {100: "电梯困人"}, kind="repair")
    assert ids("电梯", kinds=["repair"]) == [100]
    first = search.search("电梯", page_size=3, order="newest")
    assert [h.ref_id for h in first.hits] == [100, 7, 6] and first.has_more
    assert first.total == 8
    last = search.search("电梯", page=2, page_size=3, order="newest")
    assert [h.ref_id for h in last.hits] == [2, 1] and not last.has_more
    now = site.clock.now()
    assert ids("电梯", since=now.shift(minutes=3), until=now.shift(minutes=5), order="newest") == [
        4,
        3,
    ]
    assert ids("电梯", desk_id=site.engineering.id) == []


# --- highlighting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("电梯故障", ["电梯故障"]),
        ("困人 电", ["电", "困人"]),
        ("smoke detector", ["Smoke", "detector"]),
    ],
)
def test_hits_carry_the_match_spans_not_markup(site, query, words):
    put(site, {1: LIFT + "。" + SMOKE})
    hit = search.search(query).hits[0]
    assert [hit.snippet[s:e] for s, e in hit.spans] == words
    assert "[" not in hit.snippet


def test_long_text_snippet_is_cut_around_the_match(site):
    text = "前" * 200 + "消防通道堵塞" + "后" * 200
    put(site, {1: text})
    hit = search.search("消防").hits[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) <= search.SNIPPET_CHARS + 2
    assert [hit.snippet[s:e] for s, e in hit.spans] == ["消防"]


def test_english_words_are_highlighted_whole_only(site):
    # "smoke " (ended by a space) is a whole word, as every word before the last.
    assert search.highlight("smoker smoke-detector SMOKE", "smoke ") == [(7, 12), (22, 27)]
    assert search.highlight("全角ＳＭＯＫＥ测试", "smoke ") == [(2, 7)]
    assert search.highlight("smoker smoke-detector", "smoke detector") == [(7, 12), (13, 21)]


def test_the_last_word_is_highlighted_as_the_words_it_begins(site):
    assert search.highlight("smoker smoke-detector SMOKE", "smok") == [(0, 6), (7, 12), (22, 27)]
    assert search.highlight("Delivery delivered; undelivered", "parcel deliv") == [
        (0, 8),
        (9, 18),
    ]


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "'",
        "*",
        "smoke*",
        "(",
        ")",
        "(smoke",
        '电梯"',
        "NEAR",
        "NEAR(smoke detector)",
        "smoke AND",
        "AND",
        "OR",
        "NOT",
        "smoke OR 电梯",
        "-smoke",
        "^smoke",
        "tokens: smoke",
        "{tokens}: smoke",
        "\\",
        "%",
        "_",
        "",
        "   ",
        "\x00",
        "电梯 NEAR/2 故障",
        "a" * 5000,
    ],
)
def test_fts_syntax_in_the_query_never_raises(site, query):
    put(site, {1: LIFT, 2: SMOKE, 3: "smoke and mirrors"})
    page = search.search(query)
    assert isinstance(page.hits, list)


def test_fts_operators_typed_by_a_user_are_only_words(site):
    put(site, {1: LIFT, 2: SMOKE, 3: "smoke and mirrors"})
    assert ids("smoke*") == [2, 3] or ids("smoke*") == [3, 2]
    assert ids("smoke AND") == [3]  # "and" is a word to find, not an operator
    assert ids("smoke OR 电梯") == []  # not an OR: nothing holds smoke, or and 电梯
    assert ids("NOT detector") == []
    assert ids('"smoke detector') == [2]


def test_hostile_text_is_stored_and_shown_byte_for_byte(site):
    hostile = 'x "; DROP TABLE search_doc; -- [b]电梯[/b] \u202e😀\t*NEAR(a b)*'
    put(site, {1: hostile})
    hit = search.search("电梯").hits[0]
    assert hit.snippet == hostile.replace("\t", " ")
    assert SearchDoc.get(SearchDoc.ref_id == 1).body == hostile
    assert ids("drop table") == [1]


# --- keeping the index in step ------------------------------------------------------------------


def test_a_saved_incident_is_found_by_its_category_names(site):
    g = site.actor("G01")
    got = incidents.create_incident(
        g,
        {
            "place": "3号楼",
            "category": "fire",
            "subcategory": "fire.alarm",
            "description": "烟感报警",
            "severity": "major",
        },
        [{"role": "supervisor", "name": "Sun"}],
    )
    for q in ("火警", "alarm", "烟感", "3号楼", "fire alarm"):
        assert [(h.kind, h.ref_id) for h in search.search(q).hits] == [("incident", got.id)]
    # The linked duty-log line is not a second hit.
    assert DutyLogEntry.select().where(DutyLogEntry.ref_id == got.id).exists()


def test_index_is_written_in_the_same_transaction(site):
    with pytest.raises(RuntimeError), write():
        search.index_record("duty", 1, "消防演练", desk_id=site.security.id, at=site.clock.now())
        raise RuntimeError("roll back")
    assert ids("消防") == []
    assert SearchDoc.select().count() == 0


def test_reindexing_replaces_never_duplicates(site):
    put(site, {1: "消防演练"})
    put(site, {1: "电梯维保"})
    assert ids("消防") == [] and ids("维保") == [1]
    search.remove_record("duty", 1)
    assert ids("维保") == []


def test_reindex_all_builds_the_index_from_the_records(site):
    now = site.clock.now()
    author = site.staff["G01"].id
    d = DutyLogEntry.create(
        desk=site.security.id,
        author=author,
        created_at=now,
        occurred_at=now,
        text="夜间巡查发现消防门未关",
        result="已关闭",
    )
    p = PhoneCall.create(
        desk=site.security.id,
        author=author,
        created_at=now,
        call_at=now,
        caller="李先生",
        number="13800138000",
        content="投诉电梯异响",
    )
    incidents.create_incident(
        site.actor("G01"), {"place": "大堂", "category": "theft", "description": "电动车被盗"}
    )
    assert search.reindex_all() == 3  # the incident's duty-log line is not indexed twice
    assert [(h.kind, h.ref_id) for h in search.search("消防门").hits] == [("duty", d.id)]
    assert [(h.kind, h.ref_id) for h in search.search("电梯").hits] == [("phone", p.id)]
    assert [h.kind for h in search.search("13800138000").hits] == ["phone"]
    assert [h.kind for h in search.search("被盗").hits] == ["incident"]
    assert search.reindex_all() == 3
    assert search.search("电").total == 2  # 电梯 (phone) and 电动车 (incident)
    # index_record without text reads the record back (what the log screens call).
    search.index_record("duty", d.id)
    assert search.search("消防门").total == 1


def test_kind_and_desk_tags_are_not_searchable_words(site):
    put(site, {1: "普通记录"})
    assert ids("普通", kinds=["duty"], desk_id=site.security.id) == [1]
    assert ids("kduty") == [] and ids(f"d{site.security.id}") == []
