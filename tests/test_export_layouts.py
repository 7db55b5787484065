"""Exports read back: csv, json lines and parquet carry the same typed table; the Comtrade layout's columns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from karavan import api
from karavan.export import COLUMNS, typed_rows
from karavan.store import open_store


def _expected(db: Path, what: str) -> list[dict]:
    with open_store(db) as s:
        return list(typed_rows(s, what))


def _csv_back(path: Path, what: str) -> list[dict]:
    kinds = dict(COLUMNS[what])
    conv = {"int": int, "float": float, "bool": lambda x: x == "True", "str": str}
    out = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append({k: None if v == "" else json.loads(v) if kinds[k].startswith("list") else conv[kinds[k]](v)
                        for k, v in row.items()})  # fmt: skip
    return out


@pytest.mark.parametrize("what", ["facts", "clusters", "series", "comtrade"])
@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_round_trip(tmp_path: Path, seeds_reconciled_db: Path, what: str, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    n = api.export(seeds_reconciled_db, what, fmt, path)
    expected = _expected(seeds_reconciled_db, what)
    assert n == len(expected) > 0
    if fmt == "parquet":
        back = pq.read_table(path).to_pylist()
    elif fmt == "json":
        back = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        back = _csv_back(path, what)
    assert back == expected
    assert list(back[0]) == [c for c, _ in COLUMNS[what]]


COMTRADE = ["typeCode", "freqCode", "refYear", "refMonth", "period", "reporterCode", "reporterISO", "flowCode",
            "partnerCode", "partnerISO", "cmdCode", "qty", "qtyUnitAbbr", "primaryValue"]  # fmt: skip


@pytest.mark.parametrize(
    ("quote_part", "expected"),
    [
        ("1,4 млрд", ["C", "A", 2022, 52, "2022", 398, "KAZ", "T", 762, "TJK", "TOTAL", None, None, 1.4e9]),
        (
            "4,3 миллиона",
            ["C", "A", 2021, 52, "2021", 398, "KAZ", "T", 860, "UZB", "TOTAL", None, None, 4.3e6],
        ),
        (
            "уже на 24,5",
            ["C", "YTD", 2022, 4, "202204", 398, "KAZ", "T", 860, "UZB", "TOTAL", None, None, 1.4e9],
        ),
        ("зерна", ["C", "YTD", 2024, 11, "202411", 398, "KAZ", "X", 417, "KGZ", "10", 40400.0, "t", None]),
        ("муки", ["C", "YTD", 2024, 11, "202411", 398, "KAZ", "X", 417, "KGZ", "1101", 53200.0, "t", None]),
        (
            "АПК за 11",
            ["C", "YTD", 2024, 11, "202411", 417, "KGZ", "T", 398, "KAZ", None, None, None, 3.136e8],
        ),
    ],
)
def test_export_comtrade_rows(seeds_reconciled_db: Path, quote_part: str, expected: list) -> None:
    [row] = [r for r in _expected(seeds_reconciled_db, "comtrade") if quote_part in r["quote"]]
    assert [row[c] for c in COMTRADE] == expected
    assert row["cluster_id"] and row["sources"] >= 1


def test_export_comtrade_flags_and_discrepancies_travel(seeds_reconciled_db: Path) -> None:
    rows = _expected(seeds_reconciled_db, "comtrade")
    assert [r["flags"] for r in rows if "4,3 миллиона" in r["quote"]] == [["scale"]]
    assert sorted(r["primaryValue"] for r in rows if r["discrepant"]) == [1.4e9, 1.5e9]


def test_export_facts_export_carries_cluster_ids(seeds_reconciled_db: Path) -> None:
    rows = _expected(seeds_reconciled_db, "facts")
    assert len(rows) == len({r["fact_id"] for r in rows}) and all(r["cluster_id"] for r in rows)
