"""`karavan ingest URL...`: the page is fetched from a local site (127.0.0.1), kept raw, read by trafilatura and
stored under its canonical URL; a URL that cannot be read is one error line and never stops the others."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from watch_site import Site, article_html, loopback_only

from karavan.cli import main
from karavan.store import open_store
from karavan.watch.config import Settings


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - yields the running site
    loopback_only(monkeypatch)
    monkeypatch.setattr("karavan.watch.ingest.URL_SETTINGS", Settings(per_host_delay=0, retries=0))
    with Site() as s:
        s.add("/robots.txt", "User-agent: *\nDisallow: /closed/\n", "text/plain")
        s.add("/amp/kz-uz", article_html("ru", 1, canonical="/ru/news/kz-uz"))
        s.add("/kk/1", article_html("kk", 2, meta_charset=None), "text/html")  # charset from detection
        s.add("/ru/1251", article_html("ru", 3, meta_charset="windows-1251").encode("cp1251"), "text/html")
        s.add("/closed/x", article_html("en", 4))
        s.add("/doc.pdf", b"%PDF-1.5 ...", "application/pdf")
        s.add("/loop", b"", status=301, headers={"Location": "/loop"})
        yield s


def stored(db: Path) -> dict[str, dict]:
    with open_store(db) as store:
        return {r["url"]: dict(r) for r in store.conn.execute("SELECT * FROM documents")}


def test_ingest_url_stores_the_page_under_its_canonical_url(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "k.db"
    assert (
        main(["ingest", "--db", str(db), site.url("/amp/kz-uz"), site.url("/kk/1"), site.url("/ru/1251")])
        == 0
    )
    out = capsys.readouterr().out
    assert "3 documents read: 3 new" in out
    docs = stored(db)
    doc = docs[site.url("/ru/news/kz-uz")]
    meta = json.loads(doc["meta"])
    assert doc["path"] == site.url("/amp/kz-uz") and meta["fetched_url"] == site.url("/amp/kz-uz")
    assert doc["published"] == "2025-03-14" and doc["lang"] == "ru" and doc["n_facts"] >= 1
    assert "Поделиться" not in doc["text"] and "межправительственной комиссии" in doc["text"]
    with open_store(db) as store:
        raw = store.conn.execute("SELECT * FROM raw_pages WHERE sha256 = ?", (meta["raw_sha256"],)).fetchone()
    assert zlib.decompress(raw["body"]).decode("utf-8") == article_html("ru", 1, canonical="/ru/news/kz-uz")
    assert raw["fetched_at"] == meta["fetched_at"] and raw["url"] == site.url("/amp/kz-uz")
    assert (
        docs[site.url("/ru/1251")]["encoding"] == "cp1251"
        and json.loads(docs[site.url("/ru/1251")]["meta"])["charset_from"] == "meta"
    )
    assert docs[site.url("/kk/1")]["lang"] == "kk"


def test_ingest_url_again_is_unchanged_and_force_replaces(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "k.db"
    main(["ingest", "--db", str(db), site.url("/amp/kz-uz")])
    capsys.readouterr()
    assert main(["ingest", "--db", str(db), site.url("/amp/kz-uz")]) == 0
    assert "1 documents read: 0 new, 1 unchanged" in capsys.readouterr().out
    assert main(["ingest", "--force", "--db", str(db), site.url("/amp/kz-uz")]) == 0
    assert "0 new, 0 unchanged, 1 replaced" in capsys.readouterr().out
    assert len(stored(db)) == 1


def test_ingest_urls_and_files_together(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "k.db"
    text = tmp_path / "note.txt"
    text.write_text(
        "Товарооборот Казахстана и Кыргызстана в 2024 году составил 2,5 млрд долларов.", encoding="utf-8"
    )
    assert main(["ingest", "--db", str(db), str(text), site.url("/amp/kz-uz")]) == 0
    assert "2 documents read: 2 new" in capsys.readouterr().out


# (path, words of the error line)
BAD_URLS = [
    ("/missing", "HTTP 404 Not Found"),
    ("/closed/x", "robots.txt forbids this path to karavan"),
    ("/doc.pdf", "not an HTML page: Content-Type application/pdf"),
    ("/loop", "redirect loop: "),
]


@pytest.mark.parametrize(("path", "words"), BAD_URLS)
def test_ingest_url_that_cannot_be_read_is_one_line_and_the_others_go_on(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, words: str
) -> None:
    db = tmp_path / "k.db"
    assert main(["ingest", "--db", str(db), site.url(path), site.url("/kk/1")]) == 0
    captured = capsys.readouterr()
    line = next(line for line in captured.err.splitlines() if site.url(path) in line)
    assert line.startswith(f"karavan: error: {site.url(path)}: ") and words in line
    assert "1 documents read: 1 new" in captured.out and "1 errors" in captured.out
    assert main(["ingest", "--db", str(tmp_path / "other.db"), site.url(path)]) == 2  # nothing could be read


def test_ingest_urls_from_python(site: Site, tmp_path: Path) -> None:
    from karavan.watch import ingest_urls

    problems = []
    report = ingest_urls(
        [site.url("/amp/kz-uz"), site.url("/missing")], tmp_path / "k.db", report=problems.append
    )
    assert (report.new, report.errors) == (1, 1) and "HTTP 404" in str(problems[0])
