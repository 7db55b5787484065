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
