"""The CLI end to end through main([...]): ingest, extract, docs, show, facts, eval."""

from __future__ import annotations

import csv
import io
import json
import sys
import types
from pathlib import Path

import pytest
from conftest import fake_process

from karavan.cli import main, render_text
from karavan.doc import Doc, Fact, Span
from karavan.ingest import read_paths

pytestmark = pytest.mark.usefixtures("with_fake_pipeline")


@pytest.fixture
def db(tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "k.db"
    assert main(["ingest", str(seeds_dir), "--db", str(path), "--quiet"]) == 0
    capsys.readouterr()
    return path


def expected_facts(seeds_dir: Path) -> list[dict]:
    return [f.to_dict() for d in read_paths([seeds_dir]) for f in fake_process(d).facts]


def test_cli_ingest_prints_a_summary(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "k.db"
    assert main(["ingest", str(seeds_dir), "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{db}: 5 documents read: 5 new, 0 unchanged, 0 replaced; 0 errors, 0 warnings",
        "facts stored: 15 (trade 15)",
        "languages: ru 5",
        "database holds 5 documents and 15 facts",
    ]
    assert main(["ingest", str(seeds_dir), "--db", str(db)]) == 0
    assert (
        capsys.readouterr().out.splitlines()[0]
        == f"{db}: 5 documents read: 0 new, 5 unchanged, 0 replaced; 0 errors, 0 warnings"
    )


def test_cli_ingest_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = b'{"id": "s1", "text": "Export 5 and 6"}\n{"id": "s2", "text": "Import 7"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    assert main(["ingest", "-", "--db", str(tmp_path / "k.db")]) == 0
    assert "2 documents read: 2 new" in capsys.readouterr().out


def test_cli_extract_prints_exactly_the_fact_dicts(
    seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(seeds_dir)]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line) for line in captured.out.splitlines()] == expected_facts(seeds_dir)
    assert captured.err == ""


def test_cli_extract_writes_unicode_as_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "d.jsonl").write_text('{"id": "құжат", "text": "Экспорт 5"}\n', encoding="utf-8")
    assert main(["extract", str(tmp_path / "d.jsonl")]) == 0
    assert capsys.readouterr().out.startswith('{"doc": "құжат", "type": "trade"')


def test_cli_extract_reports_errors_on_stderr_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "d.jsonl").write_text('{"id": "a", "text": "Экспорт 5"}\n{oops\n', encoding="utf-8")
    assert main(["extract", str(tmp_path / "d.jsonl")]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["quote"] for line in captured.out.splitlines()] == ["5"]
    assert captured.err.startswith(f"karavan: error: {tmp_path / 'd.jsonl'}:2: malformed JSON")


def test_cli_docs_table(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["id", "lang", "script", "chars", "facts", "published", "source"]
    assert out[2].split() == ["001_343e52f150faa84a", "ru", "Cyrl", "6881", "3", "2023-05-04", "kapital.kz"]
    assert out[-1] == "5 documents"


def test_cli_show_marks_chrome_and_facts_without_colour(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "004_5236af6fb8725874", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    head, text, tail = out.split("-" * 40 + "\n")
    assert "legend: {{page chrome}}, [[fact]]#n" in head
    assert text.count("[[") == 3 and text.count("]]#") == 3 and text.count("{{") == 1
    assert tail.splitlines()[:3] == [
        "3 facts:",
        "#1 trade KZ→TJ flow=turnover 2 021  [694:698 test.number]",
        "    “2021”",
    ]


@pytest.mark.parametrize(
    ("text", "excluded", "facts", "plain"),
    [
        ("USD 1\nЭкспорт 5 млн", [(0, 5)], [(14, 15)], "{{USD 1}}\nЭкспорт [[5]]#1 млн"),
        ("abc def", [(0, 7)], [(4, 7)], "{{abc [[def]]}}#1"),
        ("abc def", [], [(0, 7), (4, 7)], "[[abc def]]#1,2"),
        ("abc def", [], [(0, 5), (4, 7)], "[[abc d#1ef]]#2"),
        ("abc", [], [], "abc"),
    ],
)
def test_cli_render_text(text: str, excluded: list, facts: list, plain: str) -> None:
    doc = Doc("d", text, excluded=[Span(s, e, "x") for s, e in excluded])
    doc.facts = [Fact("trade", "d", s, e, text[s:e]) for s, e in facts]
    assert render_text(doc, color=False) == plain
    coloured = render_text(doc, color=True)
    assert coloured.replace("\x1b[2m", "").replace("\x1b[30;43m", "").replace("\x1b[0m", "") == plain.replace(
        "{{", ""
    ).replace("}}", "").replace("[[", "").replace("]]", "")


def test_cli_show_unknown_document(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nope", "--db", str(db)]) == 2
    assert (
        capsys.readouterr().err == f"karavan: error: {db}: no document with id 'nope' (see `karavan docs`)\n"
    )


@pytest.mark.parametrize(
    ("args", "count"),
    [([], 15), (["--pair", "TJ-KZ"], 15), (["--pair", "KZ-UZ"], 0), (["--type", "meeting"], 0),
     (["--doc", "002_3a69e06fae4e0300"], 3), (["--limit", "4"], 4), (["--lang", "ru"], 15)],
)  # fmt: skip
def test_cli_facts_filters_and_formats(
    db: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str], args: list, count: int
) -> None:
    assert main(["facts", "--db", str(db), "--format", "json", *args]) == 0
    got = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(got) == count
    assert all(f in expected_facts(seeds_dir) for f in got)

    assert main(["facts", "--db", str(db), "--format", "csv", *args]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == count and all(r["type"] == "trade" and r["reporter"] == "KZ" for r in rows)

    assert main(["facts", "--db", str(db), *args]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["#", "doc", "type", "countries", "details", "quote"]
    assert out[-1] == f"{count} facts"


def test_cli_eval_is_wired_to_run_eval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = []

    def run_eval(gold, docs, meta, as_json, min_f1, types_, out, explain) -> int:
        calls.append((gold, docs, meta, as_json, min_f1, types_, explain))
        out.write("scored\n")
        return 1

    monkeypatch.setitem(sys.modules, "karavan.evaluate", types.SimpleNamespace(run_eval=run_eval))
    code = main(
        ["eval", "--gold", "g.jsonl", "--docs", "d", "--json", "--min-f1", "0.5", "--types", "trade, meeting"]
    )
    assert code == 1
    assert calls == [(Path("g.jsonl"), Path("d"), None, True, 0.5, {"trade", "meeting"}, False)]
    assert capsys.readouterr().out == "scored\n"
    assert main(["eval", "--gold", "g.jsonl", "--docs", "d.jsonl", "--explain"]) == 1
    assert calls[-1] == (Path("g.jsonl"), Path("d.jsonl"), None, False, None, None, True)


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["facts", "--format", "xml"])
    assert e.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err
