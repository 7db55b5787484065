"""Reconciliation of the gold facts of the five seeds (shared/gold, shared/seeds/meta.jsonl)."""

import json

import pytest
from conftest import shared

from karavan.reconcile import DocInfo, Reconciliation, reconcile

SHARED = shared("gold/seeds.facts.jsonl", "seeds/meta.jsonl").parents[1]  # read at collection
D000, D001, D003, D004 = (
    "000_d4d45d304eb320fd",
    "001_343e52f150faa84a",
    "003_7b0e68fd49b5f3de",
    "004_5236af6fb8725874",
)
NUMERIC = {"trade", "target", "export_offer", "partner_rank", "share"}


def _gold() -> list[dict]:
    return [json.loads(line) for line in (SHARED / "gold/seeds.facts.jsonl").read_text().splitlines() if line]


def _docs() -> dict[str, DocInfo]:
    metas = [json.loads(line) for line in (SHARED / "seeds/meta.jsonl").read_text().splitlines() if line]
    return {m["id"]: DocInfo(published=m["published"], source=m["source"]) for m in metas}


@pytest.fixture(scope="module")
def result() -> Reconciliation:
    return reconcile(_gold(), _docs())


def _cluster_docs(result: Reconciliation, fact: dict) -> list[str]:
    for c in result.clusters:
        for e in c.evidence:
            if e.doc == fact["doc"] and e.quote == fact["quote"]:
                return sorted(ev.doc for ev in c.evidence)
    raise AssertionError(fact["quote"])


@pytest.mark.parametrize("fact", [f for f in _gold() if f["doc"] == D003], ids=lambda f: f["type"])
def test_reconcile_seed_003_joins_its_000_twin_and_nothing_else(result, fact):
    assert _cluster_docs(result, fact) == [D000, D003]


def test_reconcile_every_fact_in_exactly_one_cluster(result):
    ids = [fid for c in result.clusters for fid in c.fact_ids]
    assert len(ids) == len(set(ids)) == len(_gold())


def test_reconcile_tokayev_rahmon_discrepancy(result):
    [d] = [d for d in result.discrepancies if d.type == "trade"]
    assert (d.countries, d.period, d.product) == (["KZ", "TJ"], "2022-01/2022-12", "total")
    low, high = d.sides
    assert (low.value, low.claimants, low.data_of, low.own_data) == (
        1.4e9,
        ["Kassym-Jomart Tokayev"],
        ["KZ"],
        True,
    )
    assert (high.value, high.claimants, high.data_of, high.own_data) == (
        1.5e9,
        ["Emomali Rahmon"],
        ["TJ"],
        False,
    )
    assert "почти 1,5 млрд" in high.quotes[0]


def test_reconcile_rank_2_then_4_is_a_change_not_a_discrepancy(result):
    assert [d for d in result.discrepancies if d.type == "partner_rank"] == []
    [ch] = result.changes
    assert (ch.type, ch.from_period, ch.from_value, ch.to_period, ch.to_value) == (
        "partner_rank",
        "2023",
        2,
        "2024",
        4,
    )


def test_reconcile_two_rank_statements_of_one_document_are_one_source(result):
    [c] = [c for c in result.clusters if c.type == "partner_rank" and c.value == 2]
    assert (c.n_facts, c.n_sources, c.attrs["claimants"]) == (
        2,
        1,
        ["Emomali Rahmon", "Kassym-Jomart Tokayev"],
    )


def test_reconcile_seed_004_scale_flagged_and_kept(result):
    [flag] = [f for f in result.flags if f.code == "scale"]
    c = result.cluster(flag.cluster_id)
    assert (c.countries, c.period, c.value, c.flags) == (["KZ", "UZ"], "2021-01/2021-12", 4.3e6, ["scale"])
    assert len(result.flags) == 1


def test_reconcile_kz_tj_progress(result):
    [p] = [p for p in result.progress if p.countries == ["KZ", "TJ"] and p.product == "total"]
    assert (p.target, p.year, p.value, p.discrepant, p.pct, p.pct_range) == (
        2e9,
        "2022",
        1.45e9,
        True,
        72.5,
        [70.0, 75.0],
    )
    assert p.target_docs == [D000, D003]
    assert p.value_docs == [D001]


def test_reconcile_kz_tj_series(result):
    [s] = [s for s in result.series if s.countries == ["KZ", "TJ"] and s.product == "total"]
    assert [(p.period, p.kind, p.value, p.discrepant, p.docs) for p in s.points] == [
        ("2021-01/2021-12", "year", 1.1e9, False, [D004]),
        ("2022-01/2022-12", "year", 1.45e9, True, [D001]),
    ]


def test_reconcile_targets_stated_in_different_years_are_separate_clusters(result):
    targets = [c for c in result.clusters if c.type == "target" and c.countries == ["KZ", "TJ"]]
    assert [(c.period, c.docs) for c in targets] == [
        ("2022", [D004]),
        ("2023", [D001]),
        ("2024", [D000, D003]),
    ]
