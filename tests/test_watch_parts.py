"""The watch's parts on their own: URLs, SOURCES.toml, charsets, canonical URLs, feeds, sitemaps, listing
pages, robots.txt, per-host limits, when a source is due."""

from __future__ import annotations

import gzip
import re
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from watch_site import Site, atom, loopback_only, rss, sitemap_index, urlset

from karavan.watch.charset import decode_page
from karavan.watch.config import Settings, parse_sources
from karavan.watch.discover import iso_day, read_feed, read_listing, read_sitemap
from karavan.watch.errors import BadSources, Disallowed, TooLarge, WrongContent
from karavan.watch.fetch import Fetcher, HostGate
from karavan.watch.page import Page, page_doc
from karavan.watch.runner import is_due
from karavan.watch.urls import doc_id_for, is_url, normalise, site_of

# -- URLs ------------------------------------------------------------------------------------------------

NORMALISED = [
    (
        "HTTPS://WWW.Inform.kz:443/ru/news/1?utm_source=rss&utm_medium=x#top",
        None,
        "https://www.inform.kz/ru/news/1",
    ),
    ("http://kun.uz:80/ru/news?id=5&fbclid=abc&yclid=1", None, "http://kun.uz/ru/news?id=5"),
    ("/ru/news/7", "https://akorda.kz/ru/events", "https://akorda.kz/ru/news/7"),
    ("../8", "https://akorda.kz/ru/events/1", "https://akorda.kz/ru/8"),
    ("https://24.kg", None, "https://24.kg/"),
    ("http://127.0.0.1:8080/a?page=2", None, "http://127.0.0.1:8080/a?page=2"),
    ("mailto:press@gov.kz", None, None),
    ("javascript:void(0)", "https://gov.kz/", None),
    ("ftp://example.kz/file", None, None),
    ("http://[::1]:9000/x", None, "http://[::1]:9000/x"),
    ("http://bad:port/x", None, None),
]


@pytest.mark.parametrize(("url", "base", "expected"), NORMALISED)
def test_watch_normalises_urls(url: str, base: str | None, expected: str | None) -> None:
    assert normalise(url, base) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("https://inform.kz/ru/1", True), ("http://127.0.0.1:1/", True), ("examples/", False), ("-", False),
     ("file:///etc/passwd", False), ("https://", False), ("news.html", False)],
)  # fmt: skip
def test_watch_tells_urls_from_paths(text: str, expected: bool) -> None:
    assert is_url(text) is expected


def test_watch_document_id_and_site_come_from_the_canonical_url() -> None:
    a = doc_id_for("https://www.zakon.kz/politika/1")
    assert a == doc_id_for("https://www.zakon.kz/politika/1") and re.fullmatch(r"zakon\.kz-[0-9a-f]{12}", a)
    assert a != doc_id_for("https://www.zakon.kz/politika/2")
    assert (
        site_of("https://www.zakon.kz/x") == "zakon.kz"
        and site_of("https://en.inform.kz/x") == "en.inform.kz"
    )


# -- SOURCES.toml ------------------------------------------------------------------------------------------

GOOD_SOURCE = '[[source]]\nname = "a"\nkind = "feed"\nurl = "https://inform.kz/rss.xml"\n'
BAD_SOURCES = [
    ("[watch]\ninterval = 'soon'\n" + GOOD_SOURCE, "[watch] interval: expected seconds or a duration"),
    ("[watch]\nspeed = 3\n" + GOOD_SOURCE, "[watch]: unknown key 'speed'"),
    ("[watch]\nper_host_connections = 0\n" + GOOD_SOURCE, "[watch] per_host_connections: must be at least 1"),
    ("[watch]\nretries = 1.5\n" + GOOD_SOURCE, "[watch] retries: expected a whole number"),
    ('[[source]]\nname = "a"\nkind = "rss"\nurl = "https://x.kz/"\n', "source 1 ('a'): 'kind' must be one of feed, sitemap, listing, got 'rss'"),
    ('[[source]]\nname = "a b"\nkind = "feed"\nurl = "https://x.kz/"\n', "'name' must be 1-64 letters"),
    ('[[source]]\nname = "a"\nkind = "feed"\nurl = "x.kz/rss"\n', "'url' must be an http(s) URL, got 'x.kz/rss'"),
    ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://x.kz/"\nlang = "de"\n', "'lang' must be one of ru, kk, en"),
    ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://x.kz/"\nmatch = "x"\n', "'match' applies to listing pages only"),
    ('[[source]]\nname = "a"\nkind = "listing"\nurl = "https://x.kz/"\nmatch = "("\n', "'match' is not a regular expression"),
    ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://x.kz/"\nsince = "yesterday"\n', "'since': expected a date"),
    ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://x.kz/"\nurls = 1\n', "unknown key 'urls'"),
    (GOOD_SOURCE + GOOD_SOURCE, "two sources are named 'a'"),
    ("[[source]\n", "not valid TOML"),
    ("[sources]\n", "unknown table 'sources'"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD_SOURCES)
def test_watch_refuses_a_bad_sources_file_naming_it(text: str, message: str) -> None:
    with pytest.raises(BadSources) as caught:
        parse_sources(text, "SOURCES.toml")
    assert message in str(caught.value) and str(caught.value).startswith("SOURCES.toml: ")


def test_watch_reads_settings_and_per_source_overrides() -> None:
    parsed = parse_sources(
        '[watch]\ninterval = "15m"\nmax_mb = 5\nper_host_delay = 0.5\n\n' + GOOD_SOURCE
        + '\n[[source]]\nname = "b"\nkind = "listing"\nurl = "HTTPS://Akorda.kz/ru/events"\ninterval = "2h"\n'
        'match = "/ru/events/\\\\d+"\nsince = 2025-01-01\nlang = "ru"\n',
        "S.toml",
    )  # fmt: skip
    a, b = parsed.sources
    assert parsed.settings.max_bytes == 5_000_000 and parsed.settings.per_host_delay == 0.5
    assert a.interval == 900 and b.interval == 7200
    assert b.url == "https://akorda.kz/ru/events" and b.since == "2025-01-01" and b.lang == "ru"
    assert b.match is not None and b.match.search("https://akorda.kz/ru/events/15")


def test_watch_example_sources_file_parses_with_every_source_commented_out() -> None:
    from pathlib import Path

    from karavan.watch.config import load_sources

    example = Path(__file__).resolve().parents[1] / "examples" / "SOURCES.toml"
    assert load_sources(example).sources == []
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and ("=" in line[2:] or line[2:].startswith("[[")) else line
        for line in example.read_text(encoding="utf-8").splitlines()
    )
    sources = parse_sources(uncommented, str(example)).sources
    assert len(sources) >= 10 and {s.kind for s in sources} == {"feed", "sitemap", "listing"}


# -- charsets --------------------------------------------------------------------------------------------

RU = "Товарооборот Казахстана и России вырос"
CHARSETS = [
    # (bytes, header charset, codec used, where from, warning words)
    (f"<meta charset='utf-8'><p>{RU}</p>".encode(), "utf-8", "utf-8", "header", None),
    (f"<meta charset='windows-1251'><p>{RU}</p>".encode("cp1251"), None, "cp1251", "meta", None),
    (f"<meta charset='windows-1251'><p>{RU}</p>".encode("cp1251"), "utf-8", "cp1251", "meta", "header declares charset 'utf-8'"),
    (f"<p>{RU}</p>".encode(), "windows-1251", "utf-8", "detected", "header declares charset 'windows-1251'"),
    (f"<meta http-equiv='Content-Type' content='text/html; charset=koi8-r'><p>{RU}</p>".encode("koi8-r"), None, "koi8-r", "meta", None),
    ("\ufeff<p>Қазақстан</p>".encode(), "windows-1251", "utf-8", "bom", None),
    (f"<p>{RU}</p>".encode("cp1251"), None, "cp1251", "detected", None),
    (f"<p>{RU}</p>".encode(), "x-unknown", "utf-8", "detected", "declares charset 'x-unknown'"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "header", "codec", "source", "warned"), CHARSETS)
def test_watch_finds_the_charset(
    data: bytes, header: str | None, codec: str, source: str, warned: str | None
) -> None:
    got = decode_page(data, header, "http://127.0.0.1/a")
    assert (got.encoding, got.source) == (codec, source)
    assert RU in got.text or "Қазақстан" in got.text
    assert (warned is None and got.warning is None) or (warned and got.warning and warned in str(got.warning))


def test_watch_refuses_a_binary_body_as_a_page() -> None:
    with pytest.raises(WrongContent, match="looks like PNG image"):
        decode_page(b"\x89PNG\r\n\x1a\n\x00\x00", "utf-8", "http://127.0.0.1/x.html")


# -- pages -------------------------------------------------------------------------------------------------

ARTICLE = "<p>Премьер-министр провёл переговоры о поставках зерна и нефти в соседние страны региона.</p>"
CANONICALS = [
    ("<link rel='canonical' href='/ru/news/5'>", "https://kapital.kz/amp/news/5", "https://kapital.kz/ru/news/5", "link"),
    ("<link rel='Canonical alternate' href='https://kapital.kz/x?utm_source=a'>", "https://kapital.kz/a/b", "https://kapital.kz/x", "link"),
    ("<meta property='og:url' content='https://kapital.kz/ru/news/6'>", "https://kapital.kz/amp/6", "https://kapital.kz/ru/news/6", "og"),
    ("<link rel='canonical' href='https://kapital.kz/'>", "https://kapital.kz/ru/news/7", "https://kapital.kz/ru/news/7", "fetched"),
    ("", "https://kapital.kz/ru/news/8#c", "https://kapital.kz/ru/news/8", "fetched"),
]  # fmt: skip


@pytest.mark.parametrize(("head", "final", "canonical", "how"), CANONICALS)
def test_watch_document_url_is_the_canonical_url(head: str, final: str, canonical: str, how: str) -> None:
    html = f"<html><head><meta charset='utf-8'>{head}<title>T</title></head><body><article>{ARTICLE}</article></body></html>"
    doc = page_doc(Page(html.encode(), final, final, "2025-06-01T10:00:00+00:00", "text/html"))
    assert doc.url == canonical and doc.meta["canonical_from"] == how and doc.id == doc_id_for(canonical)
    assert doc.source == "kapital.kz" and "переговоры" in doc.text


@pytest.mark.parametrize(
    ("content_type", "body", "words"),
    [("application/pdf", b"%PDF-1.4", "Content-Type application/pdf"),
     ("application/json", b'{"a": 1}', "Content-Type application/json"),
     ("", b"just some words", "Content-Type missing"),
     ("text/html", b"<html><body><nav></nav></body></html>", "without text")],
)  # fmt: skip
def test_watch_refuses_what_is_not_an_article_page(content_type: str, body: bytes, words: str) -> None:
    with pytest.raises(WrongContent, match=words):
        page_doc(
            Page(body, "http://127.0.0.1/a", "http://127.0.0.1/a", "2025-06-01T10:00:00+00:00", content_type)
        )


def test_watch_page_date_from_its_meta_never_after_the_fetch() -> None:
    def doc_for(published: str) -> str | None:
        html = (
            f"<html><head><meta property='article:published_time' content='{published}'></head>"
            f"<body><article>{ARTICLE}</article></body></html>"
        )
        return page_doc(
            Page(
                html.encode(),
                "http://127.0.0.1/a",
                "http://127.0.0.1/a",
                "2025-06-01T10:00:00+00:00",
                "text/html",
            )
        ).published

    assert doc_for("2025-05-30T08:00:00+05:00") == "2025-05-30"
    assert doc_for("2031-01-01T08:00:00+05:00") is None


# -- feeds, sitemaps, listing pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day"),
    [("Fri, 14 Mar 2025 01:30:00 +0500", "2025-03-14"), ("2025-03-14T01:30:00+05:00", "2025-03-14"),
     ("2025-03-14T22:00:00Z", "2025-03-14"), ("2025-03-14", "2025-03-14"), ("14.03.2025", None), ("", None)],
)  # fmt: skip
def test_watch_reads_feed_dates_in_their_own_time_zone(value: str, day: str | None) -> None:
    assert iso_day(value) == day


def test_watch_reads_rss_and_atom_entries() -> None:
    base = "http://127.0.0.1:1"
    r = read_feed(
        rss(
            [
                (f"{base}/a?utm_source=rss", "Один", "Fri, 14 Mar 2025 01:30:00 +0500"),
                ("/b", "Два", "bad date"),
            ]
        ),
        "application/rss+xml",
        f"{base}/rss.xml",
    )
    assert r.kind == "rss" and [(e.url, e.title, e.published) for e in r.entries] == [
        (f"{base}/a", "Один", "2025-03-14"),
        (f"{base}/b", "Два", None),
    ]
    a = read_feed(
        atom([(f"{base}/en/1", "One", "2025-03-13T23:00:00Z")]), "application/atom+xml", f"{base}/atom"
    )
    assert a.kind == "atom" and [(e.url, e.published) for e in a.entries] == [(f"{base}/en/1", "2025-03-13")]


@pytest.mark.parametrize(
    ("body", "words"),
    [(b"<!DOCTYPE html><html><body>menu</body></html>", "the body is an HTML page"),
     (b"not xml at all", "not a feed"),
     (b'{"items": 5}', "not a feed")],
)  # fmt: skip
def test_watch_refuses_what_is_not_a_feed(body: bytes, words: str) -> None:
    with pytest.raises(WrongContent, match=words) as caught:
        read_feed(body, "application/rss+xml", "http://127.0.0.1:1/rss")
    assert caught.value.kind == "not_feed"


def test_watch_reads_sitemaps_news_sitemaps_indexes_and_gzip() -> None:
    base = "http://127.0.0.1:1"
    plain = read_sitemap(
        urlset([(f"{base}/a", "2025-03-01"), (f"{base}/a", None), (f"{base}/b", None)]), f"{base}/s", 10**6
    )
    assert [(e.url, e.lastmod, e.published) for e in plain.entries] == [
        (f"{base}/a", "2025-03-01", None),
        (f"{base}/b", None, None),
    ]
    news = read_sitemap(urlset([(f"{base}/n", "2025-03-02T10:00:00+05:00")], news=True), f"{base}/s", 10**6)
    assert [(e.url, e.published, e.title) for e in news.entries] == [(f"{base}/n", "2025-03-02", "T")]
    index = read_sitemap(
        sitemap_index([(f"{base}/s1.xml", "2025-03-03"), ("/s2.xml", None)]), f"{base}/i", 10**6
    )
    assert index.kind == "sitemapindex" and [(c.url, c.lastmod) for c in index.children] == [
        (f"{base}/s1.xml", "2025-03-03"),
        (f"{base}/s2.xml", None),
    ]
    zipped = read_sitemap(gzip.compress(urlset([(f"{base}/z", None)])), f"{base}/s.xml.gz", 10**6)
    assert [e.url for e in zipped.entries] == [f"{base}/z"]
    text = read_sitemap(f"{base}/t1\n{base}/t2\n".encode(), f"{base}/s.txt", 10**6)
    assert [e.url for e in text.entries] == [f"{base}/t1", f"{base}/t2"]
    with pytest.raises(TooLarge):
        read_sitemap(gzip.compress(b"<urlset>" + b" " * 5000 + b"</urlset>"), f"{base}/bomb.xml.gz", 1000)


@pytest.mark.parametrize(
    ("body", "words"),
    [(b"<html><body>x</body></html>", "root element is <html>"),
     (b"<urlset><url><loc>x</url>", "not well-formed XML"),
     (rss([]), 'it is a feed (<rss>); use kind = "feed"'),
     (b"hello", "not XML"),
     (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>', "")],
)  # fmt: skip
def test_watch_refuses_what_is_not_a_sitemap(body: bytes, words: str) -> None:
    try:
        found = read_sitemap(body, "http://127.0.0.1:1/sitemap.xml", 10**6)
    except WrongContent as e:
        assert words in str(e) and e.kind == "not_xml"
        return
    assert words == "" and all(
        "passwd" not in e.url and "root:" not in e.url for e in found.entries
    )  # no entity read


def test_watch_listing_page_gives_its_article_links() -> None:
    page = (
        b"<html><body><nav><a href='/'>Home</a><a href='/ru/news'>News</a><a href='/ru/news/page-2'>2</a>"
        b"<a href='/ru/news/2'>2</a><a href='https://other.kz/ru/news/1-x'>x</a><a href='/files/report-2025.pdf'>pdf</a></nav>"
        b"<a href='/ru/news/1234-tovarooborot'>A</a><a href='/ru/news/kazakhstan-i-uzbekistan-obsudili-torgovlyu'>B</a>"
        b"<a href='/ru/news/1234-tovarooborot#comments'>A again</a></body></html>"
    )  # fmt: skip
    base = "https://www.gov.kz/ru/news"
    found = read_listing(page, "text/html", base)
    assert [e.url for e in found.entries] == [
        "https://www.gov.kz/ru/news/1234-tovarooborot",
        "https://www.gov.kz/ru/news/kazakhstan-i-uzbekistan-obsudili-torgovlyu",
    ]
    matched = read_listing(page, "text/html", base, re.compile(r"/news/\d+$"))
    assert [e.url for e in matched.entries] == ["https://www.gov.kz/ru/news/2"]


# -- fetching: robots.txt, limits ---------------------------------------------------------------------


def fetcher(**settings: object) -> Fetcher:
    return Fetcher(Settings(per_host_delay=0, retries=0, timeout=2, **settings))  # type: ignore[arg-type]


EVERYONE = "User-agent: *\nDisallow: /*?print=\nDisallow: /private/\nAllow: /private/open\n"
# A group for karavan replaces the * group for it (RFC 9309): only its own rules apply.
OURS = "User-agent: *\nDisallow: /\n\nUser-agent: karavan\nDisallow: /only-others-may/\n"
ROBOTS_CASES = [
    (EVERYONE, "/news/1", True),
    (EVERYONE, "/news/1?print=1", False),
    (EVERYONE, "/private/x", False),
    (EVERYONE, "/private/open/y", True),
    (OURS, "/news/1", True),
    (OURS, "/only-others-may/z", False),
]


@pytest.mark.parametrize(("robots", "path", "allowed"), ROBOTS_CASES)
def test_watch_honours_robots_txt(
    monkeypatch: pytest.MonkeyPatch, robots: str, path: str, allowed: bool
) -> None:
    loopback_only(monkeypatch)
    with Site() as site:
        site.add("/robots.txt", robots, "text/plain")
        site.add(path.split("?")[0], "<html><body><p>ok</p></body></html>")
        f = fetcher()
        if allowed:
            assert f.get(site.url(path)).status == 200
        else:
            with pytest.raises(Disallowed, match="robots.txt forbids"):
                f.get(site.url(path))
            assert site.hits(path.split("?")[0]) == 0
        assert site.hits("/robots.txt") == 1


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (503, False)])
def test_watch_robots_txt_missing_allows_unreachable_forbids(
    monkeypatch: pytest.MonkeyPatch, status: int, allowed: bool
) -> None:
    loopback_only(monkeypatch)
    with Site() as site:
        site.add("/robots.txt", b"", "text/plain", status=status)
        site.add("/a", "<html><body><p>ok</p></body></html>")
        if allowed:
            assert fetcher().get(site.url("/a")).status == 200
        else:
            with pytest.raises(Disallowed, match="HTTP 503"):
                fetcher().get(site.url("/a"))


def test_watch_conditional_get_answers_304(monkeypatch: pytest.MonkeyPatch) -> None:
    loopback_only(monkeypatch)
    with Site() as site:
        site.add("/rss.xml", rss([]), "application/rss+xml", etag='"x1"')
        f = fetcher(robots=False)
        first = f.get(site.url("/rss.xml"))
        assert first.status == 200 and first.headers["etag"] == '"x1"'
        again = f.get(site.url("/rss.xml"), etag='"x1"', last_modified="Fri, 14 Mar 2025 09:30:00 GMT")
        assert again.not_modified and again.body == b""
        assert site.log[-1][2]["if-modified-since"] == "Fri, 14 Mar 2025 09:30:00 GMT"


def test_watch_per_host_limits_connections_and_spaces_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    loopback_only(monkeypatch)
    with Site() as site:
        for i in range(6):
            site.add(f"/a{i}", "<html><body><p>x</p></body></html>", delay=0.4)
        f = Fetcher(Settings(per_host_delay=0.1, per_host_connections=2, robots=False, timeout=10))
        threads = [threading.Thread(target=f.get, args=(site.url(f"/a{i}"),)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        starts = sorted(t for t, p, _ in site.log)
    # two at once, never three; six starts at least 0.1 s apart (timed at the server: a little jitter allowed)
    assert site.max_in_flight == 2
    assert starts[-1] - starts[0] >= 5 * 0.1 * 0.8, starts


def test_watch_host_gate_waits_for_crawl_delay() -> None:
    gate = HostGate(connections=1, delay=0.0, stop=threading.Event())
    gate.set_delay("h", 0.1)
    began = time.monotonic()
    for _ in range(3):
        with gate.slot("h"):
            pass
    assert time.monotonic() - began >= 0.2


@pytest.mark.parametrize(
    ("minutes_ago", "interval", "due"),
    [(None, 900, True), (16, 900, True), (14.5, 900, True), (10, 900, False), (0, 0, True), (59, 3600, True), (50, 3600, False)],
)  # fmt: skip
def test_watch_source_is_due_after_its_interval(
    minutes_ago: float | None, interval: float, due: bool
) -> None:
    now = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    last = (
        None if minutes_ago is None else (now - timedelta(minutes=minutes_ago)).isoformat(timespec="seconds")
    )
    assert is_due(last, interval, now) is due
