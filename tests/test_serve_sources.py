"""The dashboard's sources page: per source its last success, last error, documents found and errors by kind,
from a store a watch round over a local site (127.0.0.1) wrote."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from watch_site import Site, article_html, loopback_only, rss

from karavan.serve.app import create_app
from karavan.watch import watch


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - yields a TestClient
    mp = pytest.MonkeyPatch()
    loopback_only(mp)
    db = tmp_path_factory.mktemp("sources") / "k.db"
    with Site() as site:
        for n in (1, 2):
            site.add(f"/news/{n}", article_html("ru", n))
        site.add(
            "/rss.xml",
            rss([(site.url(f"/news/{n}"), "t", "Fri, 14 Mar 2025 09:30:00 +0500") for n in (1, 2, 3)]),
            "application/rss+xml",
        )
        text = (
            '[watch]\nper_host_delay = 0\nretries = 0\n\n[[source]]\nname = "press-ru"\nkind = "feed"\n'
            f'url = "{site.url("/rss.xml")}"\nlang = "ru"\n\n[[source]]\nname = "gone"\nkind = "sitemap"\n'
            f'url = "{site.url("/sitemap.xml")}"\n'
        )
        (db.parent / "SOURCES.toml").write_text(text, encoding="utf-8")
        assert watch(db.parent / "SOURCES.toml", db, once=True, out=io.StringIO(), err=io.StringIO()) == 0
    mp.undo()
    with TestClient(create_app(db)) as c:
        yield c


def row_of(html: str, name: str) -> str:
    m = re.search(rf'<tr id="source-{name}".*?</tr>', html, re.S)
    assert m, html
    return m.group(0)


def test_serve_sources_page_counts_documents_and_errors(client: TestClient) -> None:
    r = client.get("/sources")
    assert r.status_code == 200
    good, bad = row_of(r.text, "press-ru"), row_of(r.text, "gone")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", good, re.S)
    numbers = [re.sub(r"<.*", "", c, flags=re.S).strip() for c in cells[2:6]]
    assert numbers == ["3", "2", "1", "0"]  # URLs found, documents, errors, waiting
    assert "http_404 1" in good and "/news/3: HTTP 404 Not Found" in good  # the article that is gone
    assert 'class="discrepant"' not in good  # its feed works: an article's error does not mark the source
    assert "HTTP 404 Not Found" in bad and "http_404 1" in bad and 'class="discrepant"' in bad
    assert 'href="/sources"' in r.text


def test_serve_sources_page_in_russian_and_on_an_empty_store(client: TestClient, tmp_path: Path) -> None:
    assert "Последняя ошибка" in client.get("/sources?lang=ru").text
    from karavan.store import open_store

    db = tmp_path / "empty.db"
    open_store(db).close()
    with TestClient(create_app(db)) as c:
        assert "No sources yet" in c.get("/sources?lang=en").text
