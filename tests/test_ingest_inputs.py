"""Ingest of each kind of input: .txt, .html, .jsonl, folders, meta.jsonl, standard input, encodings."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

from karavan.errors import KaravanError
from karavan.ingest import read_paths

RU = "Товарооборот между Казахстаном и Таджикистаном вырос на 8,9% и составил 1,4 млрд долларов."
KK = "Қазақстан мен Тәжікстан арасындағы тауар айналымы өсті."


def read_all(paths: list[str | Path]) -> tuple[list, list[KaravanError]]:
    problems: list[KaravanError] = []
    docs = list(read_paths(paths, report=problems.append))
    return docs, problems


@pytest.mark.parametrize(
    ("name", "data", "text", "encoding"),
    [
        ("a.txt", RU.encode("utf-8"), RU, "utf-8"),
        ("bom.txt", b"\xef\xbb\xbf" + RU.encode("utf-8"), RU, "utf-8-sig"),
        ("kk.txt", KK.encode("utf-8"), KK, "utf-8"),
        ("crlf.txt", b"line one\r\nline two\r\n", "line one\r\nline two\r\n", "utf-8"),
        ("win.txt", (RU + "\n" + RU).encode("cp1251"), RU + "\n" + RU, "cp1251"),
        ("u16.txt", RU.encode("utf-16"), RU, "utf-16"),
        ("u16le.txt", RU.encode("utf-16-le"), RU, "utf-16-le"),  # no byte-order mark
        ("u16be.txt", RU.encode("utf-16-be"), RU, "utf-16-be"),
        (
            "u16en.txt",
            "Trade grew by 8.9% to $1.4 billion.".encode("utf-16-le"),
            "Trade grew by 8.9% to $1.4 billion.",
            "utf-16-le",
        ),
        ("u16kk.txt", (KK + "\n").encode("utf-16-le"), KK + "\n", "utf-16-le"),
    ],
)
def test_ingest_text_files_decode_and_record_the_encoding(
    tmp_path: Path, name: str, data: bytes, text: str, encoding: str
) -> None:
    (tmp_path / name).write_bytes(data)
    docs, problems = read_all([tmp_path / name])
    assert problems == []
    assert [(d.id, d.text, d.encoding) for d in docs] == [(Path(name).stem, text, encoding)]


def test_ingest_truncated_utf8_keeps_the_valid_part_with_a_warning(tmp_path: Path) -> None:
    data = RU.encode("utf-8") + "ж".encode()[:1]
    (tmp_path / "cut.txt").write_bytes(data)
    docs, problems = read_all([tmp_path / "cut.txt"])
    assert [d.text for d in docs] == [RU]
    assert [(p.code, p.warning) for p in problems] == [("E110", True)]
    assert "truncated UTF-8" in problems[0].message


def test_ingest_jsonl_fields_and_unknown_keys(tmp_path: Path) -> None:
    rows = [
        {
            "id": "a",
            "text": RU,
            "url": "https://x.kz/1",
            "published": "2024-03-01",
            "source": "x.kz",
            "author": "N",
        },
        {"id": 7, "text": KK, "published": "2024-03-02T10:00:00+05:00"},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    docs, problems = read_all([path])
    assert problems == []
    got = [(d.id, d.text, d.url, d.published, d.source, d.meta) for d in docs]
    assert got == [
        ("a", RU, "https://x.kz/1", "2024-03-01", "x.kz", {"author": "N"}),
        ("7", KK, None, "2024-03-02", None, {"published_raw": "2024-03-02T10:00:00+05:00"}),
    ]


def test_ingest_folder_is_read_recursively_in_sorted_order_with_meta_jsonl(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two", encoding="utf-8")
    (tmp_path / "b" / "meta.jsonl").write_text(
        '{"id": "2", "published": "2023-05-04", "source": "kapital.kz", "rubric": "economy"}\n',
        encoding="utf-8",
    )
    (tmp_path / "1.txt").write_text("one", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "3", "text": "three"}\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "gold.facts.jsonl").write_text('{"doc": "1", "type": "trade"}\n', encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    docs, problems = read_all([tmp_path])
    assert problems == []
    assert [(d.id, d.text, d.published, d.source, d.meta) for d in docs] == [
        ("1", "one", None, None, {}),
        ("2", "two", "2023-05-04", "kapital.kz", {"rubric": "economy"}),
        ("3", "three", None, None, {}),
    ]


def test_ingest_seeds_with_their_meta(seeds_dir: Path) -> None:
    docs, problems = read_all([seeds_dir])
    assert problems == []
    assert [(d.id[:3], d.published, d.source) for d in docs] == [
        ("000", None, None),
        ("001", "2023-05-04", "kapital.kz"),
        ("002", None, None),
        ("003", None, None),
        ("004", "2022-06-16", "liter.kz"),
    ]
    for d in docs:
        assert d.text == (seeds_dir / f"{d.id}.txt").read_text(encoding="utf-8")


def test_ingest_is_lazy(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"doc {i}", encoding="utf-8")
    stream = read_paths([tmp_path])
    assert next(stream).id == "0"
    (tmp_path / "2.txt").write_text("changed before it was read", encoding="utf-8")
    assert [d.text for d in stream] == ["doc 1", "changed before it was read"]


def piped(text: str) -> str:
    """The id of a piped text document: from its content, so two pipes of two texts are two documents."""
    return "stdin-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (RU.encode("utf-8"), [(piped(RU), RU)]),
        (RU.encode("cp1251"), [(piped(RU), RU)]),
        (b'{"id": "s1", "text": "one"}\n{"id": "s2", "text": "two"}\n', [("s1", "one"), ("s2", "two")]),
        (
            b"{not json at all} but text",
            [(piped("{not json at all} but text"), "{not json at all} but text")],
        ),
    ],
)
def test_ingest_standard_input(
    monkeypatch: pytest.MonkeyPatch, data: bytes, expected: list[tuple[str, str]]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    docs, problems = read_all(["-"])
    assert problems == []
    assert [(d.id, d.text) for d in docs] == expected


HTML = """<html><head><meta charset="utf-8"><title>Торговля</title><script>var x = 1;</script></head>
<body><nav>Главная | Новости | Курсы валют USD 446.49</nav>
<article><h1>Казахстан и Таджикистан наращивают торговлю</h1>
<p>Товарооборот между Казахстаном и Таджикистаном по итогам 2024 года составил 1,4 млрд долларов США, сообщил министр.</p>
<p>Стороны договорились довести объем взаимной торговли до 2 млрд долларов к 2030 году и расширить поставки зерна.</p>
<p>В ходе встречи также обсуждались вопросы транспорта, логистики и энергетики, добавили в министерстве торговли.</p>
</article><footer>© 2024 Все права защищены</footer></body></html>"""


def test_ingest_html_main_text_is_the_document_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    docs, problems = read_all([path])
    assert problems == []
    (doc,) = docs
    assert doc.id == "page"
    assert "1,4 млрд долларов США" in doc.text
    assert "var x" not in doc.text and "<p>" not in doc.text
    assert doc.meta["title"] == "Торговля"
    assert doc.meta["extractor"] == "trafilatura"
    assert len(doc.meta["raw_sha256"]) == 64


def test_ingest_html_without_main_text_falls_back_to_body_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    path = tmp_path / "tiny.htm"
    markup = "<html><head><meta charset='windows-1251'></head><body><div>Экспорт  зерна</div><div>вырос</div>"
    path.write_bytes((markup + "<script>x()</script><p>на 8,9%</p></body></html>").encode("cp1251"))
    docs, problems = read_all([path])
    assert problems == []
    assert [(d.text, d.encoding, d.meta["extractor"]) for d in docs] == [
        ("Экспорт зерна\nвырос\nна 8,9%", "cp1251", "lxml-body")
    ]
