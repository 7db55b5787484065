"""Exports an analyst can cite as they are: every fact row names its document (headline, url, date, source),
its fact id, cluster id and flags; XLSX opens in openpyxl with typed cells; the CSV carries a BOM; a pandas
DataFrame in one call. On examples/ (runs on a plain clone)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from karavan import api
from karavan.cli import main
from karavan.export import COLUMNS
from karavan.headline import headline

CITATION = ["fact_id", "doc", "doc_title", "doc_url", "doc_published", "doc_source", "cluster_id", "flags"]


@pytest.fixture
def db(tmp_path: Path, examples_db: Path) -> Path:
    path = tmp_path / "k.db"
    shutil.copy(examples_db, path)
    return path


def test_export_every_fact_row_is_citable(db: Path) -> None:
    facts = list(api.iter_facts(db))
    assert len(facts) == 52
    assert all(set(CITATION) <= set(f) for f in facts)
    assert all(isinstance(f["fact_id"], int) and f["cluster_id"] for f in facts)
    assert all(f["doc_published"] and f["doc_source"] and f["doc_title"] for f in facts)
    [trade] = [f for f in facts if f["doc"] == "en_kz_uz_astana" and f["type"] == "trade"]
    assert trade["doc_title"] == "Kazakhstan and Uzbekistan aim for $10 billion in trade by 2030"
    assert (trade["doc_published"], trade["doc_source"]) == ("2024-11-12", "example.com")
    assert [c for c, _ in COLUMNS["facts"]][:7] == CITATION[:2] + [
        "doc_title",
        "doc_url",
        "doc_published",
        "doc_source",
        "type",
    ]


def test_export_flags_travel_with_their_facts(db: Path) -> None:
    flagged = {f["cluster_id"] for f in api.flags(db)}
    rows = list(api.iter_facts(db))
    assert {r["cluster_id"] for r in rows if r["flags"]} == flagged
    assert all(r["flags"] == [] for r in rows if r["cluster_id"] not in flagged)


@pytest.mark.parametrize(
    ("text", "excluded", "meta", "expected"),
    [
        (
            "Home | News\n\nTrade between two neighbours grows\n\nBody text.",
            [],
            None,
            "Trade between two neighbours grows",
        ),
        (
            "Menu line one two\nТорговля растёт третий год\n",
            [{"start": 0, "end": 17}],
            None,
            "Торговля растёт третий год",
        ),
        ("Фото: пресс-служба\n\nЭкспорт зерна вырос вдвое\n", [], None, "Экспорт зерна вырос вдвое"),
        ("text", [], {"title": "A title from the HTML"}, "A title from the HTML"),
        (
            "Стороны обсудили вопросы торгово-экономического сотрудничества, транзита, энергетики и водных ресурсов.",
            [],
            None,
            "Стороны обсудили вопросы торгово-экономического сотрудничества, транзита, энергетики и водных ресурсов.",
        ),
        ("12 345\n\n", [], None, None),
    ],
)
def test_export_headline_found_in_the_text(
    text: str, excluded: list, meta: dict | None, expected: str | None
) -> None:
    assert headline(text, excluded, meta) == expected


def test_export_xlsx_opens_in_openpyxl_typed(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "facts.xlsx"
    assert main(["export", "--db", str(db), "--what", "facts", "--format", "xlsx", "--out", str(out)]) == 0
    assert "52 rows (facts, xlsx)" in capsys.readouterr().err
    book = openpyxl.load_workbook(out)
    sheet = book["facts"]
    head = [c.value for c in sheet[1]]
    assert head == [c for c, _ in COLUMNS["facts"]] and sheet[1][0].font.bold
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 52
    [trade] = [r for r in rows if r["doc"] == "en_kz_uz_astana" and r["type"] == "trade"]
    assert (trade["value"], trade["change_pct"], trade["fact_id"]) == (3.1e9, 8.5, 1)
    assert isinstance(trade["start"], int) and trade["doc_published"] == "2024-11-12"


@pytest.mark.usefixtures("with_fake_pipeline")  # a trade fact for each number
def test_export_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    doc = tmp_path / "f.jsonl"
    doc.write_text(
        '{"id": "f", "text": "=HYPERLINK(\\"x\\") trade grew 5 and 6", "source": "@evil"}\n', encoding="utf-8"
    )
    db = tmp_path / "k.db"
    api.ingest_paths([doc], db)
    api.export(db, "facts", "xlsx", tmp_path / "f.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["facts"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert {c.value for c in cells} >= {"@evil", '=HYPERLINK("x") trade grew 5 and 6'}  # source, headline
    assert all(c.data_type == "s" for c in cells)


def test_export_csv_has_a_bom_and_reads_back(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    assert api.export(db, "facts", "csv", out) == 52
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Казахстан".encode() in raw
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:3] == ["fact_id", "doc", "doc_title"]
    assert any(r["doc_title"] == "Токаев и Мирзиёев обсудили в Ташкенте рост взаимной торговли" for r in rows)


def test_export_csv_to_stdout_has_no_bom(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", "--db", str(db), "--format", "csv", "--type", "trade"]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 11 and all(r["doc_title"] and r["cluster_id"] for r in rows)


def test_export_facts_frame(db: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = api.facts_frame(db, type="trade")
    assert isinstance(frame, pd.DataFrame) and len(frame) == 11
    assert list(frame.columns) == [c for c, _ in COLUMNS["facts"]]
    assert str(frame["value"].dtype) == "Float64" and str(frame["fact_id"].dtype) == "Int64"
    assert frame.loc[frame["doc"] == "en_kz_uz_astana", "value"].iloc[0] == 3.1e9


def test_export_facts_frame_without_pandas_says_how_to_get_it(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(api.KaravanError, match=r"pip install 'karavan\[pandas\]'"):
        api.facts_frame(db)
