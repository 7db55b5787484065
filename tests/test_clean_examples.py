"""Clean stage on the project's own sample corpus (examples/): languages, chrome, articles, gold quotes kept."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from karavan.clean import clean
from karavan.doc import Doc
from karavan.ingest import read_paths

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOLD = [json.loads(line) for line in (EXAMPLES / "gold.facts.jsonl").read_text("utf-8").splitlines() if line]


@cache
def docs() -> dict[str, Doc]:
    paths = [p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html") or p.name == "news.jsonl"]
    return {d.id: clean(d) for d in read_paths(paths, report=lambda problem: None)}


@pytest.mark.parametrize(
    ("doc_id", "lang", "script", "articles"),
    [
        ("ru_kz_uz_tashkent", "ru", "Cyrl", 1),
        ("ru_kz_kg_cp1251", "ru", "Cyrl", 1),
        ("ru_uz_tj_dushanbe", "ru", "Cyrl", 1),
        ("kk_cyrl_kz_cn", "kk", "Cyrl", 1),
        ("kk_latn_kz_tm", "kk", "Latn", 1),
        ("ru_glued_tm_uz_kz_ru", "ru", "Cyrl", 2),
        ("jsonl_kg_uz_bishkek", "ru", "Cyrl", 1),
        ("jsonl_kz_cn_agri", "ru", "Cyrl", 1),
        ("html_kz_tj_astana", "ru", "Cyrl", 1),
    ],
)
def test_clean_example_language_and_articles(doc_id: str, lang: str, script: str, articles: int) -> None:
    doc = docs()[doc_id]
    assert (doc.lang, doc.script, len(doc.articles)) == (lang, script, articles)


@pytest.mark.parametrize(
    ("doc_id", "headline"),
    [
        ("ru_kz_uz_tashkent", "совместный завод стоимостью 150 млн долларов"),
        ("ru_uz_tj_dushanbe", "экспорт в Таджикистан на 18% за полгода"),
        ("kk_cyrl_kz_cn", "1,2 млн тонна астық"),
        ("kk_latn_kz_tm", "júk tasymaly 15%-ǵa ósti"),
        ("jsonl_kg_uz_bishkek", "3 новых пункта пропуска"),
        ("jsonl_kz_cn_agri", "пошлины на 8 видов"),
        ("ru_glued_tm_uz_kz_ru", "20 совместных предприятий"),
    ],
)
def test_clean_related_headline_figures_are_excluded(doc_id: str, headline: str) -> None:
    doc = docs()[doc_id]
    start = doc.text.index(headline)
    assert doc.is_excluded(start, start + len(headline))


@pytest.mark.parametrize("fact", GOLD, ids=[f"{g['doc']}:{g['type']}:{i}" for i, g in enumerate(GOLD)])
def test_clean_gold_quotes_are_article_text(fact: dict) -> None:
    doc = docs()[fact["doc"]]
    start = doc.text.index(fact["quote"])
    assert not doc.is_excluded(start, start + len(fact["quote"]))


def test_clean_homoglyph_in_kazakh_latin_example_is_normalised() -> None:
    doc = docs()["kk_latn_kz_tm"]
    assert "Túrkimenstаn" in doc.text  # a Cyrillic а in the original
    assert doc.norm is not None and "Túrkimenstan Prezıdenti" in doc.norm.text
