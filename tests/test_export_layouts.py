"""Exports read back: csv, json lines and parquet carry the same typed table; the Comtrade layout's columns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from karavan import api
from karavan.export import COLUMNS, typed_rows
from karavan.store import open_store

LISTS = {c for cols in COLUMNS.values() for c, kind in cols if kind.startswith("list")}


def _expected(db: Path, what: str) -> list[dict]:
    with open_store(db) as s:
        return list(typed_rows(s, what))


def _csv_back(path: Path, what: str) -> list[dict]:
    kinds = dict(COLUMNS[what])
    conv = {"int": int, "float": float, "bool": lambda x: x == "True", "str": str}
    out = []
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    with open(path, encoding="utf-8-sig", newline="") as fh:  # a BOM-aware reader
        for row in csv.DictReader(fh):
            out.append({k: None if v == "" else json.loads(v) if kinds[k].startswith("list") else conv[kinds[k]](v)
                        for k, v in row.items()})  # fmt: skip
    return out


def _xlsx_back(path: Path, what: str) -> list[dict]:
    """The sheet read with openpyxl, lists split back on '; ' (as the export joins them)."""
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book[what]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    kinds = dict(COLUMNS[what])
    head = list(rows[0])
    assert head == [c for c, _ in COLUMNS[what]]
    out = []
    for values in rows[1:]:
        row = {}
        for k, v in zip(head, values, strict=True):
            if kinds[k].startswith("list"):
                v = [] if v is None else [int(x) if kinds[k] == "list_int" else x for x in str(v).split("; ")]
            elif kinds[k] == "float" and v is not None:
                v = float(v)
            row[k] = v
        out.append(row)
    return out


@pytest.mark.parametrize("what", ["facts", "clusters", "series", "comtrade"])
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "parquet"])
def test_export_round_trip(tmp_path: Path, seeds_reconciled_db: Path, what: str, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    n = api.export(seeds_reconciled_db, what, fmt, path)
    expected = _expected(seeds_reconciled_db, what)
    assert n == len(expected) > 0
    if fmt == "parquet":
        back = pq.read_table(path).to_pylist()
    elif fmt == "json":
        back = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    elif fmt == "xlsx":
        back = _xlsx_back(path, what)
        expected = [{k: [] if v is None and k in LISTS else v for k, v in r.items()} for r in expected]
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
