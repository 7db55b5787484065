"""The store bridge on the five seeds ingested by the real pipeline: clusters, discrepancies, changes,
flags, pairs, series, incremental runs and identical re-runs."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import D000, D001, D003

from karavan import api
from karavan.reconcile import store_bridge as bridge
from karavan.store import open_store

NUMERIC = ("trade", "target", "export_offer", "partner_rank", "share")
RECON = ("recon_docs", "recon_clusters", "recon_cluster_facts", "recon_discrepancies", "recon_flags",
         "recon_changes", "recon_series", "recon_progress", "recon_people")  # fmt: skip


@pytest.fixture
def store(seeds_reconciled_db: Path):
    with open_store(seeds_reconciled_db) as s:
        yield s


def test_reconcile_summary_of_the_first_run(tmp_path: Path, seeds_reconciled_db: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seeds_reconciled_db, db)
    with open_store(db) as s:
        s.conn.execute("DELETE FROM recon_runs")
        summary = bridge.reconcile_store(s)
    assert set(summary) >= {"clusters", "discrepancies", "flags", "changed", "seconds"}
    assert (summary["changed"], summary["discrepancies"], summary["flags"]) == (True, 1, 1)
    assert summary["clusters"] == 31


def _fact_ids(store, doc: str) -> list[tuple[int, str]]:
    marks = ",".join("?" * len(NUMERIC))
    return store.conn.execute(
        f"SELECT id, type FROM facts WHERE doc_id = ? AND type IN ({marks}) ORDER BY id", (doc, *NUMERIC)
    ).fetchall()


def test_reconcile_seed_003_numeric_facts_join_their_000_twin_and_nothing_else(store) -> None:
    facts = _fact_ids(store, D003)
    assert sorted(t for _, t in facts) == ["export_offer", "partner_rank", "target", "trade"]
    for fact_id, _ in facts:
        cluster = bridge.read_cluster(store, bridge.cluster_of_fact(store, fact_id))
        assert sorted(e["doc"] for e in cluster["evidence"]) == [D000, D003]
        assert cluster["n_sources"] == 2


@pytest.mark.parametrize(
    ("side", "value", "claimant", "own_data", "quote_part"),
    [
        (0, 1.4e9, "Kassym-Jomart Tokayev", True, "по нашим данным"),
        (1, 1.5e9, "Emomali Rahmon", False, "почти 1,5 млрд"),
    ],
)
def test_reconcile_kz_tj_2022_discrepancy(store, side, value, claimant, own_data, quote_part) -> None:
    [d] = bridge.read_discrepancies(store, "TJ-KZ")
    assert (d["type"], d["pair"], d["flow"], d["product"], d["period"]) == (
        "trade", "KZ-TJ", "turnover", "total", "2022-01/2022-12",
    )  # fmt: skip
    s = d["sides"][side]
    assert (s["value"], s["claimant"], s["own_data"]) == (value, claimant, own_data)
    assert quote_part in s["evidence"][0]["quote"]
    assert s["evidence"][0]["doc"] == D001
    assert s["low"] < s["high"]


def test_reconcile_no_discrepancy_for_other_pairs(store) -> None:
    assert bridge.read_discrepancies(store, "KZ-UZ") == []
    assert len(bridge.read_discrepancies(store)) == 1


@pytest.mark.parametrize("which", ["all", "none", "unknown"])
def test_reconcile_discrepancies_read_by_id_as_listed(store, which: str) -> None:
    every = bridge.read_discrepancies(store)
    ids = {"all": [d["id"] for d in reversed(every)], "none": [], "unknown": ["no-such-id"]}[which]
    assert bridge.read_discrepancies_of(store, ids) == (every if which == "all" else [])


def test_reconcile_rank_2_then_4_is_a_change_not_a_discrepancy(store) -> None:
    assert [d for d in bridge.read_discrepancies(store) if d["type"] == "partner_rank"] == []
    [rank_fact] = [i for i, t in _fact_ids(store, D003) if t == "partner_rank"]
    cluster = bridge.read_cluster(store, bridge.cluster_of_fact(store, rank_fact))
    [change] = cluster["changes"]
    assert (change["from_period"], change["from_value"], change["to_period"], change["to_value"]) == (
        "2023", 2, "2024", 4,
    )  # fmt: skip
    assert change["to_cluster"] == cluster["id"]


def test_reconcile_seed_004_kz_uz_4_3_million_is_flagged(store) -> None:
    [flag] = bridge.read_flags(store, "UZ-KZ")
    assert flag["code"] == "scale"
    [fact_id] = flag["fact_ids"]
    quote = store.conn.execute("SELECT quote FROM facts WHERE id = ?", (fact_id,)).fetchone()[0]
    assert "4,3 миллиона" in quote
    assert bridge.read_cluster(store, flag["cluster_id"])["flags"][0]["code"] == "scale"
    assert bridge.read_flags(store, "KZ-TJ") == []


def test_reconcile_pairs_kz_tj_progress_to_the_2_bn_target(store) -> None:
    rows = {p["pair"]: p for p in bridge.read_pairs(store)}
    assert sorted(rows) == ["KG-KZ", "KZ-TJ", "KZ-UZ"]
    kz_tj = rows["KZ-TJ"]
    year = kz_tj["latest_full_year"]
    assert (year["period"], year["value"], year["unit"], year["discrepant"]) == (
        "2022-01/2022-12", 1.45e9, "USD", True,
    )  # fmt: skip
    assert (kz_tj["target"]["value"], kz_tj["target"]["unit"]) == (2e9, "USD")
    assert kz_tj["progress_pct"] == 72.5
    assert kz_tj["progress_range"] == [70.0, 75.0]
    assert (kz_tj["open_discrepancies"], kz_tj["countries"]) == (1, ["KZ", "TJ"])
    assert kz_tj["sources"] == 4  # 000 and 003 are one source each (not reposts: different languages)
    assert rows["KZ-UZ"]["latest_full_year"] is None  # 2021's 4.3 mn is flagged, never progress


def test_reconcile_series_kz_tj(store) -> None:
    s = bridge.read_series(store, "TJ-KZ")
    assert (s["pair"], s["unit"], s["progress_pct"]) == ("KZ-TJ", "USD", 72.5)
    assert [(p["period"], p["kind"], p["value"], p["discrepant"]) for p in s["points"]] == [
        ("2021-01/2021-12", "year", 1.1e9, False),
        ("2022-01/2022-12", "year", 1.45e9, True),
    ]
    p2022 = s["points"][1]
    assert (p2022["low"], p2022["high"], p2022["year"]) == (1.4e9, 1.5e9, 2022)
    assert {src["claimant"] for src in p2022["sources"]} == {"Kassym-Jomart Tokayev", "Emomali Rahmon"}
    assert set(p2022["sources"][0]) == {
        "doc",
        "quote",
        "claimant",
        "published",
        "lang",
        "start",
        "end",
        "fact_id",
    }


def test_reconcile_series_of_an_ordered_flow(store) -> None:
    s = bridge.read_series(store, "KZ-KG", flow="export", product="grain")
    assert (s["pair"], s["unit"], [p["value"] for p in s["points"]]) == ("KZ-KG", "t", [40400.0])
    assert bridge.read_series(store, "KG-KZ", flow="export", product="grain")["points"] == []


@pytest.mark.parametrize("query", ["nope", "0000000000000000"])
def test_reconcile_read_cluster_of_an_unknown_id_is_none(store, query: str) -> None:
    assert bridge.read_cluster(store, query) is None
    assert bridge.cluster_of_fact(store, 10**9) is None


def _dump(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in RECON}
    conn.close()
    return out


def test_reconcile_second_run_is_unchanged_and_full_rerun_gives_identical_tables(
    tmp_path: Path, seeds_reconciled_db: Path
) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seeds_reconciled_db, db)
    before = _dump(db)
    with open_store(db) as s:
        assert bridge.reconcile_store(s)["changed"] is False
        assert bridge.is_stale(s) is False
        assert bridge.reconcile_store(s, full=True)["changed"] is True
    assert _dump(db) == before


def test_reconcile_minhash_signatures_are_stored(store) -> None:
    sizes = [r[0] for r in store.conn.execute("SELECT length(minhash) FROM documents")]
    assert sizes == [63 * 8] * 5


def test_reconcile_ingest_of_a_new_document_makes_the_store_stale(
    tmp_path: Path, seeds_reconciled_db: Path
) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seeds_reconciled_db, db)
    doc = tmp_path / "new" / "kz_tj_2023.txt"
    doc.parent.mkdir()
    doc.write_text(
        "Товарооборот между Казахстаном и Таджикистаном по итогам 2023 года составил 1,6 млрд долларов.\n",
        encoding="utf-8",
    )
    api.ingest_paths([doc.parent], db)
    with open_store(db) as s:
        assert bridge.is_stale(s)
        assert bridge.ensure_reconciled(s)["changed"] is True
        assert bridge.ensure_reconciled(s) is None
        points = bridge.read_series(s, "KZ-TJ")["points"]
        assert [p["period"][:4] for p in points] == ["2021", "2022", "2023"]
        assert bridge.read_pairs(s)[1]["latest_full_year"]["value"] == 1.6e9
        assert bridge.read_pairs(s)[1]["progress_pct"] == 80.0


def test_reconcile_reads_before_any_run_are_empty(tmp_path: Path) -> None:
    with open_store(tmp_path / "empty.db") as s:
        assert (bridge.read_pairs(s), bridge.read_discrepancies(s), bridge.read_flags(s)) == ([], [], [])
        assert bridge.read_meetings(s) == [] and bridge.read_people(s) == []
        assert bridge.read_series(s, "KZ-TJ")["points"] == []
        assert bridge.reconcile_store(s)["clusters"] == 0
