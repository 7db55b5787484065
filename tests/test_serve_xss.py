"""Hostile documents (<script>, attribute injection, javascript: URLs) render as inert text on every page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from karavan.serve.app import create_app
from karavan.serve.pages import safe_url
from tests.serve_store import reconciled_store

XSS = Path(__file__).resolve().parent / "browser" / "xss.jsonl"
DOCS = [json.loads(line) for line in XSS.read_text(encoding="utf-8").splitlines() if line.strip()]
FORBIDDEN_TAGS = {"img", "iframe", "style", "object", "embed", "base", "meta", "link", "form"}
OUR_TAGS = {
    "meta": [("charset", "utf-8")],
    "link": [("rel", "stylesheet")],
    "form": [("class", "search"), ("class", "filters")],
}


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def hostile_markup(html: str) -> list[str]:
    """What in `html` would be live markup from a document: handlers, foreign tags, script, javascript: URLs."""
    parser = Elements()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        names = {k for k, _ in attrs}
        if any(k.startswith("on") for k in names):
            found.append(f"{tag} with a handler {sorted(names)}")
        if tag == "script" and attrs != [("src", "/static/app.js"), ("defer", None)]:
            found.append(f"script {attrs}")
        if tag in FORBIDDEN_TAGS and not (
            tag in ("meta", "link", "form") and any(a in attrs for a in OUR_TAGS[tag])
        ):
            if not (tag == "meta" and ("name", "viewport") in attrs):
                found.append(f"<{tag}> {attrs}")
        for k, v in attrs:
            if (
                k in ("href", "src", "action", "xlink:href")
                and v
                and re.match(r"\s*(javascript|data|vbscript):", v, re.I)
            ):
                found.append(f"{tag} {k}={v}")
    return found


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = reconciled_store(tmp_path_factory.mktemp("xss") / "k.db", XSS)
    with TestClient(create_app(db)) as c:
        yield c


def pages(client: TestClient) -> list[str]:
    paths = ["/", "/pairs/KG-KZ", "/discrepancies", "/search?q=alert", "/search?q=" + quote("<script>")]
    paths += ["/documents/" + quote(d["id"], safe="") for d in DOCS]
    facts = client.get("/api/facts", params={"limit": "1000"}).json()["facts"]
    paths += [f"/facts/{f['fact_id']}" for f in facts]
    return paths


def test_serve_the_hostile_documents_were_stored_with_facts(client: TestClient) -> None:
    facts = client.get("/api/facts", params={"limit": "1000"}).json()["facts"]
    assert {f["doc"] for f in facts} == {d["id"] for d in DOCS}
    assert any("alert" in f["quote"] for f in facts)


@pytest.mark.parametrize("index", range(12))
def test_serve_pages_escape_everything(client: TestClient, index: int) -> None:
    paths = pages(client)
    if index >= len(paths):
        pytest.skip("fewer pages than slots")
    r = client.get(paths[index])
    assert r.status_code == 200, paths[index]
    assert hostile_markup(r.text) == [], paths[index]
    if paths[index].startswith("/documents/"):
        assert "alert(" in r.text  # the text is there, as text


@pytest.mark.parametrize(
    ("html", "expected"),
    [('<p onclick="x">', ["p with a handler ['onclick']"]), ("<script>alert(1)</script>", ["script []"]),
     ('<a href=" javascript:x">', ["a href= javascript:x"]), ("<img src=x>", ["<img> [('src', 'x')]"]),
     ("&lt;img src=x onerror=alert(1)&gt;", []), ('<script src="/static/app.js" defer></script>', [])],
)  # fmt: skip
def test_serve_the_checker_sees_live_markup(html: str, expected: list[str]) -> None:
    assert hostile_markup(html) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://kapital.kz/a?b=1", "https://kapital.kz/a?b=1"), ("http://x.kz", "http://x.kz"),
     ("javascript:alert(1)", None), (" JaVaScRiPt:alert(1)", None), ("data:text/html,<b>", None),
     ("vbscript:x", None), ("//evil.example/x", None), ("\" onmouseover=\"alert(1)", None), (None, None),
     ("http://[::1", None)],
)  # fmt: skip
def test_serve_only_http_urls_become_links(url: object, expected: object) -> None:
    assert safe_url(url) == expected
