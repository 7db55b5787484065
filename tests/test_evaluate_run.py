"""run_eval end to end on two tiny documents, with the pipeline replaced by a fixed extractor."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import karavan.pipeline
from karavan.doc import Doc, Fact
from karavan.evaluate import load_docs, run_eval

TEXT_A = (
    "Товарооборот между Казахстаном и Таджикистаном в 2023 году составил 1,1 млрд долларов.\n"
    "Экспорт зерна из Казахстана в Таджикистан вырос до 40,4 тыс. тонн.\n"
    "Президенты встретились в Душанбе."
)
TEXT_B = "Экспорт муки из РК в Узбекистан за 2022 год составил 300 млн долларов."

TURNOVER = "Товарооборот между Казахстаном и Таджикистаном в 2023 году составил 1,1 млрд долларов"
GRAIN = "Экспорт зерна из Казахстана в Таджикистан вырос до 40,4 тыс. тонн"
MEETING = "Президенты встретились в Душанбе"
FLOUR = "Экспорт муки из РК в Узбекистан за 2022 год составил 300 млн долларов"

TRADE = {
    "flow": "turnover",
    "reporter": "KZ",
    "partner": "TJ",
    "product": "total",
    "period": "2023-01/2023-12",
}
GOLD = [
    {
        "doc": "a",
        "type": "trade",
        **TRADE,
        "value": 1.1e9,
        "unit": "USD",
        "change_pct": None,
        "approx": False,
        "quote": TURNOVER,
    },
    {
        "doc": "a",
        "type": "trade",
        **TRADE,
        "flow": "export",
        "product": "grain",
        "period": None,
        "value": 40400.0,
        "unit": "t",
        "change_pct": None,
        "approx": False,
        "quote": GRAIN,
    },
    {
        "doc": "a",
        "type": "meeting",
        "participants": [],
        "countries": ["KZ", "TJ"],
        "place": "Dushanbe",
        "quote": MEETING,
    },
    {
        "doc": "b",
        "type": "trade",
        **TRADE,
        "flow": "export",
        "partner": "UZ",
        "product": "flour",
        "period": "2022-01/2022-12",
        "value": 3e8,
        "unit": "USD",
        "change_pct": None,
        "claimant": "Serik Zhumangarin",
        "quote": FLOUR,
    },
]


def fact(doc: str, text: str, quote: str, **fields: Any) -> Fact:
    start = text.index(quote)
    return Fact(type="trade", doc=doc, start=start, end=start + len(quote), quote=quote, fields=fields)


# What the fixed extractor finds: the turnover right, the grain export with a wrong value
# (spurious and missed under the strict rule, matched under the lenient one), no meeting, flour right.
EXTRACTED = {
    "a": [
        fact("a", TEXT_A, TURNOVER, **TRADE, value=1.1e9, unit="USD", change_pct=None, approx=False),
        fact(
            "a",
            TEXT_A,
            GRAIN,
            **{**TRADE, "flow": "export", "product": "grain", "period": None},
            value=4.04e6,
        ),
    ],
    "b": [
        fact(
            "b",
            TEXT_B,
            FLOUR,
            **{**TRADE, "flow": "export", "partner": "UZ", "product": "flour", "period": "2022-01/2022-12"},
            value=3e8,
            change_pct=None,
        )
    ],
}


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (docs / "more.jsonl").write_text(
        json.dumps(
            {"id": "b", "text": TEXT_B, "source": "example.kz", "section": "economy"}, ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    (docs / "meta.jsonl").write_text(
        json.dumps({"id": "a", "published": "2024-03-01", "source": "kapital.kz"}) + "\n"
    )
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD) + "\n", encoding="utf-8")
    return {"docs": docs, "gold": gold, "tmp": tmp_path}


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, Doc]:
    """Replace the pipeline with the fixed extractor; record the documents it was given."""
    docs: dict[str, Doc] = {}

    def process(doc: Doc, until: str | None = None) -> Doc:
        docs[doc.id] = doc
        doc.facts = list(EXTRACTED[doc.id])
        return doc

    monkeypatch.setattr(karavan.pipeline, "process", process)
    return docs


def run(corpus: dict[str, Path], **options: Any) -> tuple[int, str]:
    out = io.StringIO()
    args: dict[str, Any] = {"meta": None, "as_json": False, "min_f1": None, "types": None, **options}
    status = run_eval(corpus["gold"], corpus["docs"], out=out, **args)
    return status, out.getvalue()


def test_evaluate_run_eval_prints_the_human_report(corpus: dict[str, Path], seen: dict[str, Doc]) -> None:
    status, text = run(corpus)
    lines = text.splitlines()
    assert status == 0
    assert "strict   trade         P=0.67 R=0.67 F1=0.67 (2/3 gold, 3 pred)" in lines
    assert "lenient  trade         P=1.00 R=1.00 F1=1.00 (3/3 gold, 3 pred)" in lines
    assert "lenient  meeting       P=0.00 R=0.00 F1=0.00 (0/1 gold, 0 pred)" in lines
    assert "overall  strict        P=0.67 R=0.67 F1=0.67 (2/3 gold, 3 pred)" in lines
    assert "overall  lenient       P=1.00 R=0.75 F1=0.86 (3/4 gold, 3 pred)" in lines
    assert "attributes: approx=1.00 claimant=0.00" in lines
    assert [ln for ln in lines if ln.startswith(("missed:", "spurious:"))] == [
        f"missed:   trade         a: {GRAIN}",
        f"missed:   meeting       a: {MEETING}",
        f"spurious: trade         a: {GRAIN}",
    ]
    assert lines[-1] == "strict F1=0.667 P=0.667 R=0.667; lenient F1=0.857"


def test_evaluate_run_eval_builds_docs_with_meta(corpus: dict[str, Path], seen: dict[str, Doc]) -> None:
    run(corpus)
    got = {d.id: (d.text, d.published, d.source, d.meta) for d in seen.values()}
    assert got == {
        "a": (TEXT_A, "2024-03-01", "kapital.kz", {}),
        "b": (TEXT_B, None, "example.kz", {"section": "economy"}),
    }


def test_evaluate_run_eval_explicit_meta_file(corpus: dict[str, Path], seen: dict[str, Doc]) -> None:
    meta = corpus["tmp"] / "other-meta.jsonl"
    meta.write_text(json.dumps({"id": "b", "published": "2023-01-15"}) + "\n")
    run(corpus, meta=meta)
    assert (seen["a"].published, seen["b"].published) == (None, "2023-01-15")


@pytest.mark.parametrize(
    ("min_f1", "types", "status"),
    [
        (None, None, 0),
        (0.6, None, 0),
        (0.67, None, 1),
        (0.9, None, 1),
        (0.0, None, 0),
        (1.0, {"meeting"}, 1),  # meeting is scored lenient only: strict has nothing
        (0.99, {"trade"}, 1),
    ],
)
def test_evaluate_run_eval_min_f1_sets_the_status(
    corpus: dict[str, Path], seen: dict[str, Doc], min_f1: float | None, types: set[str] | None, status: int
) -> None:
    assert run(corpus, min_f1=min_f1, types=types)[0] == status


def test_evaluate_run_eval_types_filter(corpus: dict[str, Path], seen: dict[str, Doc]) -> None:
    _, text = run(corpus, types={"meeting"}, as_json=True)
    report = json.loads(text)
    assert report["strict"]["per_type"] == {}
    assert report["lenient"]["per_type"] == {
        "meeting": {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "gold": 1, "pred": 0}
    }


FIGURE_KEYS = ["p", "r", "f1", "tp", "gold", "pred"]


def test_evaluate_run_eval_json_shape(corpus: dict[str, Path], seen: dict[str, Doc]) -> None:
    status, text = run(corpus, as_json=True)
    report = json.loads(text)
    assert status == 0
    assert list(report) == [
        "strict",
        "lenient",
        "attributes",
        "missed",
        "spurious",
        "missed_facts",
        "spurious_facts",
    ]
    for mode in ("strict", "lenient"):
        assert list(report[mode]) == ["overall", "per_type"]
        assert list(report[mode]["overall"]) == FIGURE_KEYS
        for figures in report[mode]["per_type"].values():
            assert list(figures) == FIGURE_KEYS
    assert list(report["strict"]["per_type"]) == ["trade"]
    assert list(report["lenient"]["per_type"]) == ["meeting", "trade"]
    assert report["strict"]["overall"] == {"p": 2 / 3, "r": 2 / 3, "f1": 2 / 3, "tp": 2, "gold": 3, "pred": 3}
    assert report["attributes"] == {"approx": 1.0, "claimant": 0.0}
    assert report["missed"] == [f"a: {GRAIN}"]
    assert report["spurious"] == [f"a: {GRAIN}"]
    assert report["missed_facts"] == [
        {"doc": "a", "type": "trade", "quote": GRAIN, "mode": "strict"},
        {"doc": "a", "type": "meeting", "quote": MEETING, "mode": "lenient"},
    ]
    assert report["spurious_facts"] == [{"doc": "a", "type": "trade", "quote": GRAIN, "mode": "strict"}]


@pytest.mark.parametrize(
    ("gold_text", "docs_name", "message"),
    [
        ('{"doc": "a", "type": "trade", "quote": "x"}\n{not json\n', "docs", "gold.jsonl:2: not JSON"),
        ('{"doc": "a", "quote": "x"}\n', "docs", "gold.jsonl: fact 1: `type` missing"),
        ("[1, 2]\n", "docs", "gold.jsonl:1: not a JSON object"),
        ('{"doc": "a", "type": "trade", "quote": "x"}\n', "nowhere", "nowhere: no such file or directory"),
    ],
)
def test_evaluate_run_eval_bad_input_names_the_file(
    corpus: dict[str, Path],
    seen: dict[str, Doc],
    capsys: pytest.CaptureFixture[str],
    gold_text: str,
    docs_name: str,
    message: str,
) -> None:
    corpus["gold"].write_text(gold_text, encoding="utf-8")
    status = run_eval(corpus["gold"], corpus["tmp"] / docs_name, None, False, None, None, io.StringIO())
    assert status == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"x.txt": "один"}, {"x": "один"}),
        (
            {"x.html": "<html><body><p>Товарооборот вырос на 8,9%.</p></body></html>"},
            {"x": "Товарооборот вырос на 8,9%."},
        ),
        (
            {"many.jsonl": '{"id": "p", "text": "три"}\n\n{"id": "q", "text": "четыре"}\n'},
            {"p": "три", "q": "четыре"},
        ),
        ({"meta.jsonl": '{"id": "x", "published": null}\n', "x.txt": "пять"}, {"x": "пять"}),
        ({"notes.md": "шесть", "y.txt": "семь"}, {"y": "семь"}),
    ],
)
def test_evaluate_load_docs_reads_like_the_reference(
    tmp_path: Path, files: dict[str, str], expected: dict[str, str]
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert {i: d.text for i, d in load_docs(tmp_path).items()} == expected
