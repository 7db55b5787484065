"""What can go wrong fetching a page, a feed or a sitemap: each a KaravanError naming the URL, with a kind.

The kind is what the sources page counts (`timeout`, `http_404`, `too_large`, ...); `retry` says whether
another attempt may succeed (timeouts, resets, 429 and 5xx) or not (404, a redirect loop, a body over the
limit).
"""

from __future__ import annotations

from karavan.errors import KaravanError


class FetchError(KaravanError):
    """A URL could not be fetched or read; `path` is the URL."""

    code = "E501"
    kind = "fetch"
    retry = False

    def __init__(
        self, message: str, url: str | None = None, kind: str | None = None, retry: bool | None = None
    ):
        super().__init__(message, url)
        if kind is not None:
            self.kind = kind
        if retry is not None:
            self.retry = retry


class NotFetched(FetchError):
    """DNS, connection, TLS or timeout: no usable response."""

    code = "E502"


class HttpStatus(FetchError):
    """The server answered with a status that is not a page (4xx, 5xx)."""

    code = "E503"

    def __init__(self, status: int, reason: str, url: str, retry_after: float | None = None) -> None:
        text = f"HTTP {status}{' ' + reason if reason else ''}"
        super().__init__(text, url, kind=f"http_{status}", retry=status == 429 or 500 <= status < 600)
        self.status = status
        self.retry_after = retry_after


class BadRedirect(FetchError):
    code = "E504"
    kind = "redirect"


class TooLarge(FetchError):
    code = "E505"
    kind = "too_large"


class WrongContent(FetchError):
    """The body is not what the URL should hold: not HTML for an article, not a feed, not a sitemap."""

    code = "E506"


class Disallowed(FetchError):
    """robots.txt forbids the URL to our user agent."""

    code = "E507"
    kind = "robots"


class BadSources(KaravanError):
    """SOURCES.toml cannot be used: names the file and the source."""

    code = "E508"
