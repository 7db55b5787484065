"""A news site on 127.0.0.1 for the watch tests and bench: feeds, sitemaps, listing pages and articles in
Russian, Kazakh and English with page chrome, and the bad cases (304 after an ETag, 404, 500, a slow body,
a redirect loop, a wrong charset, one article under two URLs, robots.txt, an oversized body).

    with Site() as site:
        site.add("/rss.xml", rss(site, [...]), "application/rss+xml", etag='"v1"')
        site.url("/rss.xml")
        site.hits("/news/1")       # how many times it was requested

Every text here was written for these tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

CHROME = {
    "ru": (
        "Главная | Политика | Экономика | Общество | Спорт",
        "USD 478,50 (+0,3) EUR 521,30 (-0,1) RUB 5,40",  # cp1251 has no arrows
        "Поделиться: Telegram WhatsApp VK",
        "Читайте также: Погода на выходные; Новый мост через Иртыш",
        "© 2025 Новостной портал. Все права защищены.",
    ),
    "kk": (
        "Басты бет | Саясат | Экономика | Қоғам | Спорт",
        "USD 478,50 ▲ EUR 521,30 ▼",
        "Бөлісу: Telegram WhatsApp",
        "Тағы оқыңыз: Ауа райы; Ертіс үстіндегі жаңа көпір",
        "© 2025 Жаңалықтар порталы.",
    ),
    "en": (
        "Home | Politics | Economy | Society | Sport",
        "USD 478.50 ▲ EUR 521.30 ▼",
        "Share: Telegram WhatsApp X",
        "Read also: Weekend weather; A new bridge over the Irtysh",
        "© 2025 News portal. All rights reserved.",
    ),
}

# (language, title, paragraphs): {n} makes each of a series different.
STORIES = {
    "ru": (
        "Казахстан и Узбекистан обсудили торговлю (выпуск {n})",
        [
            "В Ташкенте прошло заседание межправительственной комиссии Казахстана и Узбекистана.",
            "По итогам 2024 года товарооборот двух стран составил {value} млрд долларов США, сообщили в министерстве торговли.",
            "Стороны договорились довести взаимную торговлю до 10 млрд долларов к 2030 году.",
        ],
    ),
    "kk": (
        "Қазақстан мен Қырғызстан сауданы талқылады (шығарылым {n})",
        [
            "Астанада Қазақстан мен Қырғызстан үкіметаралық кеңесінің отырысы өтті.",
            "2024 жылы екі елдің тауар айналымы {value} млрд АҚШ долларын құрады.",
            "Тараптар өзара сауданы 2030 жылға қарай 5 млрд долларға жеткізуге келісті.",
        ],
    ),
    "en": (
        "Kazakhstan and Tajikistan review trade (issue {n})",
        [
            "The intergovernmental commission of Kazakhstan and Tajikistan met in Dushanbe on Tuesday.",
            "Trade between the two countries reached {value} billion US dollars in 2024, the ministry said.",
            "The sides agreed to raise mutual trade to 3 billion dollars by 2030.",
        ],
    ),
}


def article_html(
    lang: str,
    n: int,
    canonical: str | None = None,
    meta_charset: str | None = "utf-8",
    published: str | None = "2025-03-14T09:30:00+05:00",
    nav_note: str = "",
) -> str:
    """An article page with a menu, a currency ticker, share buttons, a read-also block and a footer."""
    title, paras = STORIES[lang]
    value = f"{1 + n / 10:.1f}".replace(".", "," if lang != "en" else ".")
    menu, ticker, share, also, foot = CHROME[lang]
    head = [f'<meta charset="{meta_charset}">' if meta_charset else ""]
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    body = "".join(f"<p>{p.format(n=n, value=value)}</p>\n" for p in paras)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head>{"".join(head)}<title>{title.format(n=n)}</title></head>\n'
        f"<body><header><nav>{menu}{nav_note}</nav><div class='rates'>{ticker}</div></header>\n"
        f"<main><article><h1>{title.format(n=n)}</h1>\n{body}</article>\n"
        f"<div class='share'>{share}</div><aside>{also}</aside></main>\n<footer>{foot}</footer></body></html>\n"
    )


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (url, title, RFC 822 date) items."""
    parts = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link><guid>{escape(u)}</guid>"
        f"<pubDate>{d}</pubDate></item>\n"
        for u, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Новости</title>'
        f"<link>http://127.0.0.1/</link><description>Лента</description>\n{parts}</channel></rss>\n"
    ).encode()


def atom(items: list[tuple[str, str, str]]) -> bytes:
    """An Atom feed of (url, title, ISO date) entries."""
    parts = "".join(
        f'<entry><title>{escape(t)}</title><link rel="alternate" href="{escape(u)}"/><id>{escape(u)}</id>'
        f"<updated>{d}</updated><published>{d}</published></entry>\n"
        for u, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>'
        f"<id>urn:test</id><updated>2025-03-14T00:00:00Z</updated>\n{parts}</feed>\n"
    ).encode()


def urlset(items: list[tuple[str, str | None]], news: bool = False) -> bytes:
    """A sitemap of (url, date) entries; with `news`, the date is a Google News publication date."""
    rows = []
    for u, d in items:
        extra = ""
        if d and news:
            extra = f"<news:news><news:publication_date>{d}</news:publication_date><news:title>T</news:title></news:news>"
        elif d:
            extra = f"<lastmod>{d}</lastmod>"
        rows.append(f"<url><loc>{escape(u)}</loc>{extra}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(rows) + "\n</urlset>\n"
    ).encode()


def sitemap_index(items: list[tuple[str, str | None]]) -> bytes:
    rows = "".join(
        f"<sitemap><loc>{escape(u)}</loc>{f'<lastmod>{d}</lastmod>' if d else ''}</sitemap>\n"
        for u, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{rows}</sitemapindex>\n"
    ).encode()


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def loopback_only(monkeypatch: Any) -> None:
    """Host names under .test fail to resolve without any resolver being asked (a DNS failure); any other
    name than the loopback's fails the test: nothing here may reach beyond 127.0.0.1."""
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kw: Any) -> Any:
        if isinstance(host, str) and host.endswith(".test"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        assert host in LOOPBACK, f"a test tried to reach {host!r}"
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None  # answers 304 to If-None-Match with it
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    behaviour: str = "plain"  # plain, slow, huge_length, endless


class Site:
    """A threaded HTTP server on 127.0.0.1 (a free port) serving the routes added to it."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.log: list[tuple[float, str, dict[str, str]]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.on_request: Callable[[str], None] | None = None
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                site.serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(
        self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **kw: Any
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, content_type=content_type, **kw)

    def hits(self, path: str) -> int:
        with self.lock:
            return self.counts[path]

    def requested(self) -> Counter[str]:
        with self.lock:
            return Counter(self.counts)

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        with self.lock:
            self.counts[path] += 1
            self.log.append((time.monotonic(), path, {k.lower(): v for k, v in h.headers.items()}))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.on_request is not None:
                self.on_request(path)
            route = self.routes.get(path)
            if route is None:
                self.send(h, 404, b"<html><body>Not found</body></html>", "text/html")
                return
            if route.delay:
                time.sleep(route.delay)
            if route.etag and h.headers.get("If-None-Match") == route.etag:
                h.send_response(304)
                h.send_header("ETag", route.etag)
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            extra = dict(route.headers)
            if route.etag:
                extra["ETag"] = route.etag
            if route.behaviour == "slow":
                self.slow(h, route, extra)
            elif route.behaviour == "huge_length":
                self.huge(h, route, extra)
            elif route.behaviour == "endless":
                self.endless(h, route, extra)
            else:
                self.send(h, route.status, route.body, route.content_type, extra)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.lock:
                self.in_flight -= 1

    @staticmethod
    def send(
        h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
    ) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    @staticmethod
    def slow(h: BaseHTTPRequestHandler, route: Route, extra: dict[str, str]) -> None:
        """The whole Content-Length announced, then one byte every 50 ms (for at most 10 s)."""
        h.send_response(200)
        h.send_header("Content-Type", route.content_type)
        h.send_header("Content-Length", str(len(route.body)))
        h.end_headers()
        ends = time.monotonic() + 10
        for i in range(len(route.body)):
            if time.monotonic() > ends:
                break
            h.wfile.write(route.body[i : i + 1])
            h.wfile.flush()
            time.sleep(0.05)

    @staticmethod
    def huge(h: BaseHTTPRequestHandler, route: Route, extra: dict[str, str]) -> None:
        """A 2 GB Content-Length; only the first 64 KB are ever written."""
        h.send_response(200)
        h.send_header("Content-Type", route.content_type)
        h.send_header("Content-Length", str(2_000_000_000))
        h.end_headers()
        h.wfile.write(b"<html>" + b" " * 65536)
        h.wfile.flush()
        time.sleep(0.5)
        h.close_connection = True

    @staticmethod
    def endless(h: BaseHTTPRequestHandler, route: Route, extra: dict[str, str]) -> None:
        """No Content-Length, chunks of 64 KB until the client hangs up (at most 64 MB)."""
        h.send_response(200)
        h.send_header("Content-Type", route.content_type)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        chunk = b"<p>" + b"x" * 65533
        for _ in range(1024):
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        h.wfile.write(b"0\r\n\r\n")
