"""Clustering: undated facts, meetings, reposts, canonical values."""

import pytest

from karavan.reconcile import DocInfo, minhash_signature, near_duplicate_groups, reconcile
from tests.reconcile_facts import trade_fact as trade


def meeting(doc, people, place="Dushanbe"):
    return {
        "doc": doc,
        "type": "meeting",
        "participants": people,
        "countries": ["KZ", "TJ"],
        "place": place,
        "quote": "встреча",
    }


def groups(result):
    return sorted(sorted(e.doc for e in c.evidence) for c in result.clusters)


UNDATED = [
    (
        "joins the only compatible cluster",
        [
            trade("a", "2022-01/2022-12", 1.4e9, "1,4 млрд"),
            trade("b", "2021-01/2021-12", 1.1e9, "1,1 млрд"),
            trade("c", None, 1.4e9, "1,4 млрд"),
        ],
        [["a", "c"], ["b"]],
    ),
    (
        "ambiguous: two compatible clusters, stays apart",
        [
            trade("a", "2022-01/2022-12", 1.4e9, "1,4 млрд"),
            trade("b", "2023-01/2023-12", 1.4e9, "1,4 млрд"),
            trade("c", None, 1.4e9, "1,4 млрд"),
        ],
        [["a"], ["b"], ["c"]],
    ),
    (
        "no compatible cluster: undated ones cluster together",
        [
            trade("a", "2022-01/2022-12", 1.4e9, "1,4 млрд"),
            trade("c", None, 2.0e9, "2 млрд"),
            trade("d", None, 2.0e9, "2 млрд"),
        ],
        [["a"], ["c", "d"]],
    ),
    (
        "turnover pair order does not matter",
        [
            trade("a", "2022-01/2022-12", 1.4e9, "1,4 млрд"),
            trade("b", "2022-01/2022-12", 1.4e9, "$1,4 mlrd", pair=("TJ", "KZ")),
        ],
        [["a", "b"]],
    ),
    (
        "another country pair never joins",
        [
            trade("a", "2022-01/2022-12", 1.4e9, "1,4 млрд"),
            trade("b", "2022-01/2022-12", 1.4e9, "1,4 млрд", pair=("KZ", "UZ")),
        ],
        [["a"], ["b"]],
    ),
]


@pytest.mark.parametrize("name, facts, expected", UNDATED, ids=[u[0] for u in UNDATED])
def test_reconcile_undated_and_keys(name, facts, expected):
    assert groups(reconcile(facts, {})) == expected


def test_reconcile_undated_join_is_marked():
    r = reconcile([trade("a", "2022-01/2022-12", 1.4e9, "1,4 млрд"), trade("c", None, 1.4e9, "1,4 млрд")], {})
    [c] = r.clusters
    assert {e.doc: e.joined_by for e in c.evidence} == {"a": "key", "c": "value"}


def test_reconcile_meeting_reported_by_five_sites_is_one_cluster_another_date_is_another():
    people = ["Olzhas Bektenov", "Emomali Rahmon"]
    facts = [meeting(f"s{i}", people) for i in range(5)] + [meeting("later", people)]
    docs = {f"s{i}": DocInfo(published=f"2024-03-0{1 + i % 3}") for i in range(5)}
    docs["later"] = DocInfo(published="2024-04-20")
    r = reconcile(facts, docs)
    assert groups(r) == [["later"], ["s0", "s1", "s2", "s3", "s4"]]


def test_reconcile_meeting_in_another_city_is_another_meeting():
    facts = [meeting("a", ["Emomali Rahmon"]), meeting("b", ["Emomali Rahmon"], place="Astana")]
    assert groups(reconcile(facts, {})) == [["a"], ["b"]]


def test_reconcile_reposts_count_as_one_source_and_canonical_is_the_majority():
    facts = [
        trade("a", "2022-01/2022-12", 1.4e9, "1,4 млрд"),
        trade("b", "2022-01/2022-12", 1.4e9, "1,4 млрд"),
        trade("c", "2022-01/2022-12", 1.42e9, "1,42 млрд"),
    ]
    base = DocInfo(text_hash="x")
    r = reconcile(facts, {"a": base, "b": base, "c": DocInfo(text_hash="y")})
    [c] = r.clusters
    assert (c.n_facts, c.n_sources, r.doc_groups) == (3, 2, {"a": "a", "b": "a", "c": "c"})
    # 1.4 and 1.42 each stated by one independent source: the more precise 1.42 wins
    assert c.value == 1.42e9


def test_reconcile_canonical_prefers_more_sources():
    facts = [trade(d, "2022-01/2022-12", 1.4e9, "1,4 млрд") for d in "ab"] + [
        trade("c", "2022-01/2022-12", 1.42e9, "1,42 млрд")
    ]
    [c] = reconcile(facts, {}).clusters
    assert (c.value, c.n_sources) == (1.4e9, 3)


ARTICLE = (
    "Премьер-министр Казахстана Олжас Бектенов прибыл с рабочим визитом в Душанбе. В ходе переговоров стороны "
    "обсудили вопросы торгово-экономического сотрудничества, транспорта и логистики, энергетики и сельского "
    "хозяйства. За два месяца текущего года товарооборот продукции АПК составил 84,9 млн долларов с ростом на "
    "8,9% к аналогичному периоду 2023 года. Казахстан готов нарастить экспорт по 85 товарным позициям на сумму "
    "порядка 190 млн долларов. Стороны договорились нарастить товарооборот в два раза до 2 млрд долларов."
)
OTHER = (
    "Президент Кыргызстана принял делегацию Узбекистана. Обсуждены вопросы водно-энергетического комплекса, "
    "строительства железной дороги и совместных промышленных проектов в приграничных областях двух стран."
)


def test_reconcile_near_duplicate_groups():
    texts = {
        "orig": ARTICLE,
        "repost": "USD 448.5 EUR 487.1 Поделиться\n" + ARTICLE + "\nЧитайте также: новости экономики",
        "other": OTHER,
        "same": ARTICLE,
    }
    assert near_duplicate_groups(texts) == {
        "orig": "orig",
        "other": "other",
        "repost": "orig",
        "same": "orig",
    }


def test_reconcile_reposts_by_minhash_signature():
    sig = minhash_signature(ARTICLE)
    docs = {
        "a": DocInfo(minhash=sig),
        "b": DocInfo(minhash=minhash_signature(ARTICLE + " Поделиться")),
        "c": DocInfo(minhash=minhash_signature(OTHER)),
    }
    facts = [trade(d, "2022-01/2022-12", 1.4e9, "1,4 млрд") for d in "abc"]
    r = reconcile(facts, docs)
    assert (r.doc_groups, r.clusters[0].n_sources) == ({"a": "a", "b": "a", "c": "c"}, 2)
