"""Watch speed: articles per second of fetch + ingest + extract from a local server, beside `karavan ingest`
of the same files.

    .venv/bin/python bench/watch.py [--docs 300] [--seeds ../shared/seeds] [--connections 4] [--repeat 2]

The seeds are wrapped in HTML page chrome (menu, ticker, share buttons, footer) and repeated to N pages with
unique titles, written to a temporary folder and served by a threaded HTTP server on 127.0.0.1 with an RSS
feed of them all. In the same run, each into a fresh database:
- ingest:        `karavan.api.ingest_paths` of the folder (read, trafilatura, pipeline, store);
- ingest + reconcile: the same, then `karavan reconcile` once (the watch reconciles after each batch);
- watch:         one `karavan watch --once` round over the feed (robots.txt, fetch in threads, charset,
                 trafilatura, the same pipeline and store path, reconcile after each batch);
- watch, no extraction: the same round with the pipeline replaced by nothing (what the network, the
                 page reading and the store cost on their own);
- fetch only:    the pages fetched by the watch's fetcher and thrown away.
Prints articles per second (the best of --repeat runs) and the ratio to `karavan ingest`. No politeness
delay (the server is local).
"""

from __future__ import annotations

import argparse
import functools
import html
import io
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from karavan import api  # noqa: E402
from karavan.doc import Doc  # noqa: E402
from karavan.watch.config import Settings, parse_sources  # noqa: E402
from karavan.watch.fetch import Fetcher  # noqa: E402
from karavan.watch.runner import Watcher  # noqa: E402

CHROME_TOP = (
    "<header><nav>Главная | Политика | Экономика | Общество</nav>"
    "<div class='rates'>USD 478,50 EUR 521,30 RUB 5,40</div></header>"
)
CHROME_BOTTOM = (
    "<div class='share'>Поделиться: Telegram WhatsApp</div><aside>Читайте также: Погода; Спорт</aside>"
    "<footer>© 2025 Новостной портал</footer>"
)


def make_site(seeds: Path, n: int, folder: Path) -> int:
    """N HTML pages from the seeds (unique titles) and rss.xml; the bytes written."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt seeds in {seeds}")
    (folder / "news").mkdir()
    size = 0
    for i in range(n):
        lines = [line for line in texts[i % len(texts)].splitlines() if line.strip()]
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        page = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Выпуск {i}</title></head><body>{CHROME_TOP}"
            f"<main><article><h1>Выпуск {i}</h1>{body}</article>{CHROME_BOTTOM}</main></body></html>"
        )
        data = page.encode("utf-8")
        (folder / "news" / f"{i:05d}.html").write_bytes(data)
        size += len(data)
    return size


def write_feed(folder: Path, base: str, n: int) -> None:
    items = "".join(
        f"<item><title>Выпуск {i}</title><link>{base}/news/{i:05d}.html</link>"
        "<pubDate>Fri, 14 Mar 2025 09:30:00 +0500</pubDate></item>"
        for i in range(n)
    )
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>b</title>{items}</channel></rss>'
    (folder / "rss.xml").write_text(feed, encoding="utf-8")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return


def best_of(repeat: int, run) -> float:  # noqa: ANN001 - a callable
    """The shortest of `repeat` runs: other work on the machine only ever makes a run slower."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def report(label: str, n: int, seconds: float, baseline: float | None) -> float:
    rate = n / seconds
    ratio = f"{rate / baseline:6.2f}x ingest" if baseline else "  (baseline)"
    print(f"{label:<28} {n:>6} articles {seconds:8.2f} s {rate:9.1f} articles/s  {ratio}", flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--connections", type=int, default=4, help="per-host connections of the watch")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best is shown")
    args = parser.parse_args()
    n = args.docs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        folder.mkdir()
        size = make_site(args.seeds, n, folder)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        write_feed(folder, base, n)
        print(f"{n} pages, {size / 1e6:.1f} MB of HTML, served from {base}")
        toml = (
            f"[watch]\nper_host_delay = 0\nper_host_connections = {args.connections}\nworkers = {args.connections}\n"
            f'max_per_round = {n}\n\n[[source]]\nname = "bench"\nkind = "feed"\nurl = "{base}/rss.xml"\n'
        )
        sources = parse_sources(toml, "bench.toml")

        def watch(db: str, process=None) -> None:  # noqa: ANN001 - a pipeline or None
            Watcher(sources, db, out=io.StringIO(), err=sys.stderr, quiet=True, process=process).run(
                once=True
            )

        def fetch_only() -> None:
            fetcher = Fetcher(Settings(per_host_delay=0, per_host_connections=args.connections))
            with ThreadPoolExecutor(args.connections) as pool:
                list(pool.map(lambda i: fetcher.get(f"{base}/news/{i:05d}.html"), range(n)))

        def nothing(doc: Doc) -> Doc:
            return doc

        api.ingest_paths([folder / "news"], Path(tmp) / "warm.db", jobs=1)  # imports and caches loaded once
        runs = [0]

        def fresh(name: str) -> Path:
            runs[0] += 1
            return Path(tmp) / f"{name}{runs[0]}.db"

        def ingest_and_reconcile() -> None:
            db = fresh("r")
            api.ingest_paths([folder / "news"], db)
            api.reconcile(db)

        rows = [
            ("karavan ingest (files)", lambda: api.ingest_paths([folder / "news"], fresh("i"))),
            ("ingest + reconcile (files)", ingest_and_reconcile),
            ("karavan watch --once", lambda: watch(str(fresh("w")))),
            ("watch, no extraction", lambda: watch(str(fresh("x")), nothing)),
            ("fetch only", fetch_only),
        ]
        baseline = None
        for label, run in rows:
            rate = report(label, n, best_of(args.repeat, run), baseline)
            baseline = baseline or rate
        server.shutdown()


if __name__ == "__main__":
    main()
