"""HTML: the stored text is the extracted main text, and every stored span points into it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import fake_process

from karavan import api
from karavan.pipeline import process
from karavan.store import open_store

PAGES = {
    "article": """<html><head><title>Торговля</title><style>p {color: red}</style></head><body>
<div class="ticker">USD 446.49 EUR 475.38</div>
<article><h1>Казахстан и Таджикистан</h1>
<p>Товарооборот&nbsp;между Казахстаном и Таджикистаном за 11 месяцев 2024 года составил 1,4&nbsp;млрд долларов.</p>
<p>Экспорт зерна достиг 40,4 тыс. тонн, что на 8,9% больше, чем годом ранее, сообщили в министерстве.</p>
<p>Стороны намерены довести товарооборот до 2 млрд долларов в ближайшие годы, отметили участники встречи.</p>
</article><div>Читайте также: Экспорт вырос на 15%</div></body></html>""",
    "kazakh_latin": """<html><body><main>
<p>Qazaqstan – Tájikstannyń tórtinshi iri saýda seriktesi. 2024 jyly taýar aınalymy 1,4 mlrd dollardy qurady.</p>
<p>Eki el arasyndaǵy saýda 8,9 paıyzǵa ósti, dep habarlady mınıstrlik. Bul jaqsy nátıje dep sanalady.</p>
</main></body></html>""",
    "entities": "<html><body><p>Экспорт &laquo;зерна&raquo; &mdash; 12&#160;000 тонн &amp; 5 млн $.</p></body></html>",
}


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("stage", ["fake", "real"])
def test_ingest_every_stored_span_is_a_substring_of_the_stored_text(
    tmp_path: Path, name: str, stage: str
) -> None:
    path = tmp_path / f"{name}.html"
    path.write_text(PAGES[name], encoding="utf-8")
    db = tmp_path / "k.db"
    result = api.ingest_paths([path], db, process=fake_process if stage == "fake" else process)
    assert result.new == 1 and result.errors == 0
    with open_store(db) as store:
        doc = store.get_doc(name)
    assert "<" not in doc.text and "&nbsp;" not in doc.text and "&laquo;" not in doc.text
    if stage == "fake":
        assert len(doc.facts) == 3
    for fact in doc.facts:
        assert doc.text[fact.start : fact.end] == fact.quote
    for span in [*doc.excluded, *doc.articles, *doc.paragraphs]:
        assert 0 <= span.start <= span.end <= len(doc.text)
    assert doc.meta["raw_path"] == str(path)
