"""Reading the press as it is published: `karavan watch SOURCES.toml` and `karavan ingest URL...`.

config.py    SOURCES.toml: sources (feed, sitemap, listing page) and the fetch settings
fetch.py     HTTP GET on urllib3: robots.txt, per-host limits, conditional GET, limits, retries
discover.py  article URLs from feeds (feedparser), sitemaps and listing pages (lxml)
charset.py   a page's bytes to text: BOM, Content-Type, meta tags, detection
page.py      a fetched page to a Doc: canonical URL, trafilatura's main text, date, raw hash
ingest.py    pages into the store through karavan.api.ingest_docs, duplicates set aside
state.py     the watch tables: sources, every URL seen, raw pages, rounds
runner.py    the rounds: threads fetch, this thread ingests and writes; signals; progress lines
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from karavan.api import IngestReport
    from karavan.ingest.records import Report

__all__ = ["ingest_urls", "watch"]


def watch(
    sources: str | Path,
    db: str | Path = "karavan.db",
    once: bool = True,
    quiet: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`karavan watch SOURCES.toml [--once]` from Python: the exit status (0, 1 when every source polled
    failed, 130 after Ctrl-C). Loaded lazily: importing karavan.watch costs nothing."""
    from karavan.watch.config import load_sources
    from karavan.watch.runner import Watcher

    return Watcher(load_sources(sources), db, out=out, err=err, quiet=quiet).run(once=once)


def ingest_urls(
    urls: Iterable[str], db: str | Path = "karavan.db", report: Report | None = None, force: bool = False
) -> IngestReport:
    """`karavan ingest URL...` from Python: what was read, stored and refused (problems go to `report`)."""
    from karavan.api import IngestReport
    from karavan.ingest import log_problem
    from karavan.watch.ingest import ingest_urls as fetch_and_ingest

    return fetch_and_ingest(list(urls), db, IngestReport(), report or log_problem, force)
