"""URLs as the watch compares them: normalised, their host, and the document id they give.

normalise("HTTPS://WWW.Inform.kz:443/ru/news/1?utm_source=rss#top") == "https://www.inform.kz/ru/news/1"
doc_id_for("https://www.inform.kz/ru/news/1") == "inform.kz-<12 hex digits>"
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Query keys that only say where a reader came from: the same article with or without them is one URL.
TRACKING_PREFIXES = ("utm_",)
TRACKING_KEYS = frozenset(
    {"fbclid", "gclid", "yclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid", "_openstat"}
)


def is_url(text: str) -> bool:
    """True for an absolute http(s) URL (what `karavan ingest` fetches instead of reading a file)."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.hostname)


def _tracking(key: str) -> bool:
    low = key.lower()
    return low in TRACKING_KEYS or low.startswith(TRACKING_PREFIXES)


def normalise(url: str, base: str | None = None) -> str | None:
    """The URL resolved against `base`, scheme and host in lower case, default port, fragment and tracking
    parameters dropped; None when it is not an http(s) URL."""
    try:
        joined = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(joined)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def host_key(url: str) -> str:
    """What per-host limits count by: host and port (`inform.kz`, `127.0.0.1:8080`)."""
    parts = urlsplit(url)
    return parts.netloc.lower()


def site_of(url: str) -> str:
    """The site a document comes from, as `source` names it: the host without a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def doc_id_for(canonical: str) -> str:
    """A stable document id from the canonical URL: the site, then 12 hex digits of the URL's SHA-256."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
    return f"{site_of(canonical) or 'web'}-{digest}"


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
