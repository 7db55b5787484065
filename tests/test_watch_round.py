"""karavan watch over a local site (127.0.0.1 only): feeds, sitemaps and a listing page in ru/kk/en, and every
bad case beside them. Asserted: the documents stored, nothing fetched twice, each error reported with its
source and counted, the other sources unaffected, and the second round conditional."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from watch_site import Site, article_html, atom, loopback_only, rss, sitemap_index, urlset

from karavan.store import open_store
from karavan.watch.config import parse_sources
from karavan.watch.runner import Watcher

RFC822 = "Fri, 14 Mar 2025 09:30:00 +0500"
ISO = "2025-03-14T09:30:00+05:00"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def build(site: Site) -> str:
    """Every route of the test press, and the SOURCES.toml that follows it."""
    u = site.url
    site.add(
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n",
        "text/plain",
    )
    # ru feed (with an ETag): a tracking link, one article under two URLs that name one canonical URL, a path
    # robots.txt forbids, an article that is gone, a PDF
    for n in (1, 2):
        site.add(f"/ru/news/{n}", article_html("ru", n, canonical=u(f"/ru/news/{n}")))
    site.add("/ru/print/2", article_html("ru", 2, canonical=u("/ru/news/2"), nav_note=" | Версия для печати"))
    site.add("/private/secret", article_html("ru", 9))
    site.add("/ru/report.pdf", PDF, "application/pdf")
    ru_items = [
        (u("/ru/news/1?utm_source=rss&utm_medium=feed"), "Новость 1", RFC822),
        (u("/ru/news/2"), "Новость 2", RFC822),
        (u("/ru/print/2"), "Новость 2, печать", RFC822),
        (u("/private/secret"), "Закрыто", RFC822),
        (u("/ru/news/gone"), "Удалено", RFC822),
        (u("/ru/report.pdf"), "Отчёт", RFC822),
    ]
    site.add("/ru/rss.xml", rss(ru_items), "application/rss+xml; charset=utf-8", etag='"ru-v1"')
    # en Atom: a redirect to the article, the same bytes under a second URL, the same text with other chrome
    site.add("/en/a1", article_html("en", 1, published=None))
    site.add("/en/copy/a1", article_html("en", 1, published=None))
    site.add("/en/mirror/a1", article_html("en", 1, published=None, nav_note=" | Mirror menu"))
    site.add("/en/short/3", b"", status=301, headers={"Location": "/en/a3"})
    site.add("/en/a3", article_html("en", 3))
    en_items = [(u(p), "Story", ISO) for p in ("/en/a1", "/en/copy/a1", "/en/mirror/a1", "/en/short/3")]
    site.add("/en/atom.xml", atom(en_items), "application/atom+xml", etag='"en-v1"')
    # kk sitemap index -> a news sitemap; a Russian page whose header charset is wrong both ways
    for n in (4, 5):
        site.add(f"/kk/{n}", article_html("kk", n))
    site.add("/ru/cp1251", article_html("ru", 6, meta_charset="windows-1251").encode("cp1251"))
    site.add("/ru/utf8-as-1251", article_html("ru", 7, meta_charset=None), "text/html; charset=windows-1251")
    news = [
        (u("/kk/4"), "2025-03-14"),
        (u("/kk/5"), "2025-03-13"),
        (u("/ru/cp1251"), None),
        (u("/ru/utf8-as-1251"), None),
    ]
    site.add("/sitemaps/news.xml", urlset(news, news=True), "application/xml")
    site.add("/sitemap.xml", sitemap_index([(u("/sitemaps/news.xml"), "2025-03-14")]), "application/xml")
    # a listing page: two article links among menu links
    for n in (8, 10):
        site.add(f"/ru/events/{n}-vstrecha-v-astane", article_html("ru", n))
    listing = (
        "<html><body><nav><a href='/'>Главная</a> <a href='/ru/events'>События</a> <a href='/ru/events/page-2'>2</a>"
        " <a href='https://elsewhere.example/ru/1-x'>x</a></nav><ul>"
        "<li><a href='/ru/events/8-vstrecha-v-astane'>Встреча 8</a></li>"
        "<li><a href='/ru/events/10-vstrecha-v-astane#top'>Встреча 10</a></li></ul></body></html>"
    )
    site.add("/ru/events", listing)
    # the bad sources
    site.add("/bad/500.xml", b"oops", "text/plain", status=500)
    site.add("/bad/slow.xml", rss(ru_items[:1]), "application/rss+xml", behaviour="slow")
    site.add("/bad/loop-a", b"", status=302, headers={"Location": "/bad/loop-b"})
    site.add("/bad/loop-b", b"", status=302, headers={"Location": "/bad/loop-a"})
    site.add("/bad/html.xml", "<!DOCTYPE html><html><body><p>Это не лента</p></body></html>")
    site.add("/bad/huge.xml", b"", "application/rss+xml", behaviour="huge_length")
    site.add("/bad/endless.xml", b"", "application/rss+xml", behaviour="endless")
    sources = [
        ("ru-feed", "feed", "/ru/rss.xml", "ru"),
        ("en-atom", "feed", "/en/atom.xml", "en"),
        ("kk-sitemap", "sitemap", "/sitemap.xml", "kk"),
        ("ru-listing", "listing", "/ru/events", "ru"),
        ("gone", "feed", "/bad/404.xml", None),
        ("broken", "feed", "/bad/500.xml", None),
        ("slow", "feed", "/bad/slow.xml", None),
        ("loop", "feed", "/bad/loop-a", None),
        ("not-a-feed", "feed", "/bad/html.xml", None),
        ("huge", "feed", "/bad/huge.xml", None),
        ("endless", "feed", "/bad/endless.xml", None),
    ]
    text = "[watch]\ninterval = 0\nper_host_delay = 0\nper_host_connections = 4\ntimeout = 3\nretries = 1\n"
    text += "backoff = 0.01\nmax_mb = 1\n"
    for name, kind, path, lang in sources:
        text += f'\n[[source]]\nname = "{name}"\nkind = "{kind}"\nurl = "{u(path)}"\n'
        text += f'lang = "{lang}"\n' if lang else ""
    text += '\n[[source]]\nname = "no-dns"\nkind = "feed"\nurl = "http://nowhere.test/rss.xml"\n'
    return text


def run_once(text: str, db: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = Watcher(parse_sources(text, "SOURCES.toml"), db, out=out, err=err).run(once=True)
    return code, out.getvalue(), err.getvalue()


# (source, error kind counted, words of its error line)
BAD_SOURCES = [
    ("gone", "http_404", "HTTP 404"),
    ("broken", "http_500", "HTTP 500 Internal Server Error (2 attempts)"),
    ("slow", "timeout", "body not received within 3 s"),
    ("loop", "redirect", "redirect loop: "),
    ("not-a-feed", "not_feed", "not a feed: the body is an HTML page"),
    ("huge", "too_large", "Content-Length is 2000.0 MB, over the 1 MB limit; not read"),
    ("endless", "too_large", "body is over the 1 MB limit; stopped reading"),
    ("no-dns", "dns", "DNS: cannot resolve host 'nowhere.test'"),
]

# (article path, source, error kind) of article URLs that fail
BAD_ARTICLES = [
    ("/ru/news/gone", "ru-feed", "http_404"),
    ("/ru/report.pdf", "ru-feed", "not_html"),
]


@pytest.fixture(scope="module")
def press(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - yields a small tuple
    mp = pytest.MonkeyPatch()
    loopback_only(mp)
    db = tmp_path_factory.mktemp("watch") / "press.db"
    with Site() as site:
        text = build(site)
        first = run_once(text, db)
        after_first = site.requested()
        # the slow source's timeout was seen; the second round need not wait for it again
        second = run_once(re.sub(r'\n\[\[source\]\]\nname = "slow"\n[^[]*', "\n", text), db)
        yield site, db, first, second, after_first
    mp.undo()


def docs(db: Path) -> dict[str, dict]:
    with open_store(db) as store:
        return {r["url"]: dict(r) for r in store.conn.execute("SELECT * FROM documents")}


def test_watch_stores_each_article_once(press) -> None:  # noqa: ANN001
    site, db, (code, out, err), _, _ = press
    u = site.url
    expected = {
        u("/ru/news/1"),  # the tracking parameters dropped
        u("/ru/news/2"),  # /ru/print/2 names it as canonical: the same document
        u("/en/a3"),  # reached through a 301
        u("/kk/4"),
        u("/kk/5"),
        u("/ru/cp1251"),
        u("/ru/utf8-as-1251"),
        u("/ru/events/8-vstrecha-v-astane"),
        u("/ru/events/10-vstrecha-v-astane"),
    }
    # /en/a1 and /en/copy/a1 serve the same bytes, /en/mirror/a1 the same text in other chrome: one document,
    # under whichever address arrived first (they are fetched at once)
    copies = {u("/en/a1"), u("/en/copy/a1"), u("/en/mirror/a1")}
    stored = docs(db)
    assert len(set(stored) & copies) == 1, out + err
    assert set(stored) - copies == expected, out + err
    assert code == 0


def test_watch_fetches_nothing_twice(press) -> None:  # noqa: ANN001
    site, _, _, _, after_first = press
    articles = {
        p: n
        for p, n in after_first.items()
        if p.startswith(("/ru/", "/en/", "/kk/", "/private/")) and "." not in p.rsplit("/", 1)[-1]
    }
    assert articles and all(n == 1 for n in articles.values()), articles
    assert after_first["/private/secret"] == 0  # robots.txt forbids it: never requested
    assert after_first["/bad/500.xml"] == 2  # one retry


def test_watch_second_round_is_conditional(press) -> None:  # noqa: ANN001
    site, db, _, (code, out, err), after_first = press
    now = site.requested()
    grew = {p: now[p] - after_first[p] for p in now if now[p] != after_first[p]}
    # the feeds and the index are asked again (304 for those with an ETag); no article is fetched again
    assert all(
        p.startswith(("/bad/", "/robots.txt", "/ru/rss.xml", "/en/atom.xml", "/sitemap.xml", "/ru/events"))
        for p in grew
    ), grew
    assert "/sitemaps/news.xml" not in grew  # its lastmod in the index did not change
    assert "[ru-feed] feed not modified (304)" in out
    conditional = [h for _, p, h in site.log if p == "/ru/rss.xml"]
    assert conditional[-1].get("if-none-match") == '"ru-v1"'
    assert len(docs(db)) == 10


@pytest.mark.parametrize(("source", "kind", "words"), BAD_SOURCES)
def test_watch_reports_and_counts_each_bad_source(press, source: str, kind: str, words: str) -> None:  # noqa: ANN001
    _, db, (_, _, err), _, _ = press
    lines = [line for line in err.splitlines() if f"[{source}]" in line]
    assert lines and words in lines[0], err
    assert lines[0].startswith("karavan: error: ")
    with open_store(db) as store:
        row = store.conn.execute("SELECT * FROM watch_sources WHERE name = ?", (source,)).fetchone()
    assert json.loads(row["error_kinds"]).get(kind, 0) >= 1
    assert words in row["last_error"] and row["last_success"] is None


@pytest.mark.parametrize(("path", "source", "kind"), BAD_ARTICLES)
def test_watch_reports_bad_articles_and_goes_on(press, path: str, source: str, kind: str) -> None:  # noqa: ANN001
    site, db, (_, _, err), _, _ = press
    assert any(f"[{source}]" in line and site.url(path) in line for line in err.splitlines()), err
    with open_store(db) as store:
        state = store.conn.execute(
            "SELECT state FROM watch_urls WHERE url = ?", (site.url(path),)
        ).fetchone()[0]
        kinds = json.loads(
            store.conn.execute("SELECT error_kinds FROM watch_sources WHERE name = ?", (source,)).fetchone()[
                0
            ]
        )
    assert state == "failed" and kinds.get(kind) == 1


def test_watch_robots_forbidden_path_is_skipped_and_counted(press) -> None:  # noqa: ANN001
    site, db, (_, _, err), _, _ = press
    assert "robots.txt forbids this path to karavan" in err
    with open_store(db) as store:
        state = store.conn.execute(
            "SELECT state FROM watch_urls WHERE url = ?", (site.url("/private/secret"),)
        ).fetchone()[0]
    assert state == "skipped"


@pytest.mark.parametrize(
    ("path", "encoding", "warned"),
    [
        ("/ru/cp1251", "cp1251", "declares charset 'utf-8'"),
        ("/ru/utf8-as-1251", "utf-8", "declares charset 'windows-1251'"),
    ],
)
def test_watch_reads_a_wrong_charset_right(press, path: str, encoding: str, warned: str) -> None:  # noqa: ANN001
    site, db, (_, _, err), _, _ = press
    doc = docs(db)[site.url(path)]
    assert doc["encoding"] == encoding
    assert "Казахстан и Узбекистан обсудили торговлю" in doc["text"]
    assert any(warned in line and site.url(path) in line for line in err.splitlines()), err


def test_watch_documents_keep_raw_page_and_fetch_metadata(press) -> None:  # noqa: ANN001
    site, db, _, _, _ = press
    doc = docs(db)[site.url("/en/a3")]
    meta = json.loads(doc["meta"])
    assert meta["fetched_url"] == site.url("/en/short/3") and meta["final_url"] == site.url("/en/a3")
    assert (
        meta["watch_source"] == "en-atom" and meta["lang_hint"] == "en" and meta["extractor"] == "trafilatura"
    )
    assert doc["published"] == "2025-03-14" and doc["source"] == "127.0.0.1" and doc["lang"] == "en"
    assert "Read also" not in doc["text"] and "USD 478.50" not in doc["text"]  # page chrome left out
    with open_store(db) as store:
        raw = store.conn.execute(
            "SELECT size, fetched_at FROM raw_pages WHERE sha256 = ?", (meta["raw_sha256"],)
        ).fetchone()
        facts = store.count("facts")
    assert raw is not None and raw["fetched_at"] == meta["fetched_at"]
    assert facts > 0


def test_watch_progress_line_per_source_and_round_summary(press) -> None:  # noqa: ANN001
    _, _, (_, out, _), _, _ = press
    for name in ("ru-feed", "en-atom", "kk-sitemap", "ru-listing"):
        assert any(line.startswith(f"karavan watch: [{name}] ") for line in out.splitlines()), out
    assert "karavan watch: [kk-sitemap] sitemapindex 200: 1 sitemaps; 4 new, 4 fetched, 4 stored" in out
    assert "round 1 done in" in out and "10 stored" in out
