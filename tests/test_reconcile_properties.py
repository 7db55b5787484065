"""reconcile is deterministic and does not depend on the order of its input."""

from hypothesis import given, settings
from hypothesis import strategies as st

from karavan.reconcile import DocInfo, reconcile
from tests.reconcile_facts import trade_fact

DOCS = [f"d{i}" for i in range(6)]
PAIRS = [("KZ", "TJ"), ("TJ", "KZ"), ("KZ", "UZ"), ("KG", "KZ")]
PERIODS = ["2021-01/2021-12", "2022-01/2022-12", "2022-01/2022-04", None]
VALUES = [1.1e9, 1.4e9, 1.45e9, 1.5e9, 4.3e6, 2e9]

trade = st.builds(
    lambda doc, pair, flow, period, value, approx, bound, pct: trade_fact(
        doc,
        period,
        value,
        f"объем составил {value / 1e9:g} млрд" if value else "рост",
        approx,
        bound,
        pair,
        flow,
        change_pct=pct,
    ),
    st.sampled_from(DOCS),
    st.sampled_from(PAIRS),
    st.sampled_from(["turnover", "export"]),
    st.sampled_from(PERIODS),
    st.sampled_from(VALUES + [None]),
    st.booleans(),
    st.sampled_from([None, "lt", "gt"]),
    st.sampled_from([None, 20, 33, 8.9]),
)
rank = st.builds(
    lambda doc, r: {
        "doc": doc,
        "type": "partner_rank",
        "reporter": "TJ",
        "partner": "KZ",
        "flow": "turnover",
        "rank": r,
        "quote": f"rank {r}",
    },
    st.sampled_from(DOCS),
    st.integers(1, 4),
)
target = st.builds(
    lambda doc, v: {
        "doc": doc,
        "type": "target",
        "flow": "turnover",
        "reporter": "KZ",
        "partner": "TJ",
        "product": "total",
        "value": v,
        "unit": "USD",
        "by": None,
        "quote": f"до {v / 1e9:g} млрд",
    },
    st.sampled_from(DOCS),
    st.sampled_from([2e9, 3e9]),
)
meeting = st.builds(
    lambda doc, people, place: {
        "doc": doc,
        "type": "meeting",
        "participants": people,
        "countries": ["TJ", "KZ"],
        "place": place,
        "quote": "встреча",
    },
    st.sampled_from(DOCS),
    st.lists(st.sampled_from(["Olzhas Bektenov", "Emomali Rahmon", "Kassym-Jomart Tokayev"]), max_size=2),
    st.sampled_from([None, "Dushanbe", "Astana"]),
)
docinfo = st.builds(
    DocInfo,
    published=st.sampled_from([None, "2022-06-16", "2023-05-04", "2023-05-06", "2024-03-01"]),
    text_hash=st.sampled_from([None, "h1", "h2"]),
    year_hint=st.sampled_from([None, 2023, 2024]),
)


@settings(max_examples=60, deadline=None)
@given(
    facts=st.lists(st.one_of(trade, rank, target, meeting), max_size=25),
    infos=st.lists(docinfo, min_size=len(DOCS), max_size=len(DOCS)),
    data=st.data(),
)
def test_reconcile_order_independent_and_repeatable(facts, infos, data):
    docs = dict(zip(DOCS, infos, strict=True))
    first = reconcile(facts, docs).to_dict()
    assert reconcile(facts, docs).to_dict() == first
    shuffled = data.draw(st.permutations(facts))
    shuffled_docs = dict(data.draw(st.permutations(list(docs.items()))))
    assert reconcile(shuffled, shuffled_docs).to_dict() == first


@settings(max_examples=40, deadline=None)
@given(facts=st.lists(st.one_of(trade, rank, target, meeting), max_size=25))
def test_reconcile_every_fact_lands_in_one_cluster(facts):
    result = reconcile(facts, {})
    ids = [fid for c in result.clusters for fid in c.fact_ids]
    assert len(ids) == len(set(ids)) == len(result.fact_cluster)
    assert set(result.fact_cluster.values()) == {c.id for c in result.clusters}
