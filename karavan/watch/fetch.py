"""HTTP GET as a polite crawler does it, on urllib3 (already installed with trafilatura).

    fetcher = Fetcher(settings)
    response = fetcher.get(url, etag=..., last_modified=...)   # Response, status 200 or 304
    fetcher.close()

- robots.txt of each host is read first (RFC 9309 through Protego: wildcards, longest match, crawl-delay);
  a forbidden URL raises Disallowed without being requested;
- per host: at most `per_host_connections` requests at once, `per_host_delay` seconds between two starts
  (a longer Crawl-delay in robots.txt wins, up to a minute);
- a conditional GET (If-None-Match, If-Modified-Since) when validators are given: 304 is a Response;
- redirects are followed by hand (each hop checked against robots.txt), at most 5, and a loop is named;
- a Content-Length over the limit is refused before any of the body is read; a body without one is read
  in pieces and abandoned as soon as it passes the limit or the time limit (a slow body);
- timeouts, resets, 429 and 5xx are retried with exponential backoff (Retry-After honoured, capped);
  everything else raises at once.

Every failure is a FetchError naming the URL and what went wrong, with a `kind` for the counters.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from karavan.watch.config import Settings
from karavan.watch.errors import BadRedirect, Disallowed, FetchError, HttpStatus, NotFetched, TooLarge
from karavan.watch.urls import host_key, normalise, robots_url

log = logging.getLogger("karavan.watch")

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 65536
ROBOTS_MAX_BYTES = 512_000  # RFC 9309: a crawler must parse at least 500 KiB
ROBOTS_TTL = 86400.0
ROBOTS_RETRY = 600.0  # an unreachable robots.txt forbids the host for this long, then is asked again
MAX_CRAWL_DELAY = 60.0
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class Response:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int  # 200 (any 2xx) or 304
    headers: dict[str, str]  # names in lower case
    body: bytes
    fetched_at: str  # ISO time (UTC) the response arrived
    seconds: float
    attempts: int = 1
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
        return None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Stopped(FetchError):
    """The watch is stopping: the request was not made or was abandoned."""

    kind = "stopped"


class HostGate:
    """Per host: a limit on requests in flight and a minimum delay between two starts."""

    def __init__(self, connections: int, delay: float, stop: threading.Event) -> None:
        self.connections = connections
        self.delay = delay
        self.stop = stop
        self.lock = threading.Lock()
        self.slots: dict[str, threading.BoundedSemaphore] = {}
        self.next_start: dict[str, float] = {}
        self.delays: dict[str, float] = {}

    def set_delay(self, host: str, seconds: float) -> None:
        with self.lock:
            self.delays[host] = max(self.delay, min(seconds, MAX_CRAWL_DELAY))

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self.lock:
            sem = self.slots.setdefault(host, threading.BoundedSemaphore(self.connections))
        while not sem.acquire(timeout=0.2):
            if self.stop.is_set():
                raise Stopped("stopping: not requested", None)
        try:
            with self.lock:
                now = time.monotonic()
                start = max(now, self.next_start.get(host, now))
                self.next_start[host] = start + self.delays.get(host, self.delay)
            if start > now and self.stop.wait(start - now):
                raise Stopped("stopping: not requested", None)
            yield
        finally:
            sem.release()


@dataclass(slots=True)
class RobotsEntry:
    rules: object | None  # a Protego parser; None: everything allowed
    allow_all: bool
    expires: float
    problem: FetchError | None = None  # why everything is forbidden (robots.txt unreachable)


class Fetcher:
    """GET with robots.txt, per-host limits, conditional requests, size and time limits, retries."""

    def __init__(self, settings: Settings, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.stop = stop or threading.Event()
        self.gate = HostGate(settings.per_host_connections, settings.per_host_delay, self.stop)
        self.pool = urllib3.PoolManager(
            num_pools=64,
            maxsize=settings.per_host_connections,
            retries=False,
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        )
        self.agent_token = settings.user_agent.split("/")[0].split()[0] or "karavan"
        self.robots_lock = threading.Lock()
        self.robots_locks: dict[str, threading.Lock] = {}
        self.robots: dict[str, RobotsEntry] = {}
        self.requests = 0  # made, every attempt and hop counted (robots.txt too)

    def close(self) -> None:
        self.pool.clear()

    # -- the public call ---------------------------------------------------------------------------

    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        check_robots: bool | None = None,
    ) -> Response:
        """The response to GET `url` (2xx with its body, or 304), retried as the settings say."""
        s = self.settings
        check = s.robots if check_robots is None else check_robots
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limit = max_bytes or s.max_bytes
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._follow(url, headers, limit, check)
                response.attempts = attempt
                return response
            except FetchError as e:
                if not e.retry or attempt > s.retries or self.stop.is_set():
                    if attempt > 1:
                        e.message += f" ({attempt} attempts)"
                        e.args = (e.message,)
                    raise
                wait = min(s.max_backoff, s.backoff * 2 ** (attempt - 1))
                if isinstance(e, HttpStatus) and e.retry_after is not None:
                    wait = min(s.max_backoff, max(wait, e.retry_after))
                log.info("retry %s in %.2f s after: %s", url, wait, e.message)
                if self.stop.wait(wait):
                    raise Stopped("stopping: retry abandoned", url) from None

    # -- robots.txt ---------------------------------------------------------------------------------

    def allowed(self, url: str) -> None:
        """Raise Disallowed when robots.txt forbids `url` (or cannot be read: RFC 9309 says assume so)."""
        entry = self._robots_for(url)
        if isinstance(entry.problem, NotFetched):  # no answer from the host at all: say why, for this URL
            raise NotFetched(entry.problem.message, url, kind=entry.problem.kind, retry=False)
        if entry.problem is not None:
            raise Disallowed(
                f"robots.txt could not be read ({entry.problem.message}); the host is not crawled for now",
                url,
            )
        if entry.allow_all or entry.rules is None:
            return
        if not entry.rules.can_fetch(url, self.agent_token):  # type: ignore[attr-defined]
            raise Disallowed(f"robots.txt forbids this path to {self.agent_token}", url)

    def _robots_for(self, url: str) -> RobotsEntry:
        host = host_key(url)
        with self.robots_lock:
            lock = self.robots_locks.setdefault(host, threading.Lock())
        with lock:
            entry = self.robots.get(host)
            if entry is None or entry.expires < time.monotonic():
                entry = self._read_robots(url)
                self.robots[host] = entry
            return entry

    def _read_robots(self, url: str) -> RobotsEntry:
        from protego import Protego  # 1 ms to import: only a watch or URL ingest needs it

        where = robots_url(url)
        now = time.monotonic()
        try:
            response = self._follow(where, {}, ROBOTS_MAX_BYTES, check=False)
        except HttpStatus as e:
            if 400 <= e.status < 500:  # RFC 9309: unavailable, so no rules
                return RobotsEntry(None, True, now + ROBOTS_TTL)
            return RobotsEntry(None, False, now + ROBOTS_RETRY, problem=e)
        except TooLarge:
            return RobotsEntry(None, True, now + ROBOTS_TTL)
        except Stopped:
            raise
        except FetchError as e:
            return RobotsEntry(None, False, now + ROBOTS_RETRY, problem=e)
        text = response.body.decode("utf-8", "replace")
        rules = Protego.parse(text)
        delay = rules.crawl_delay(self.agent_token)
        if delay:
            self.gate.set_delay(host_key(url), float(delay))
        log.info("robots.txt %s: %d bytes", where, len(response.body))
        return RobotsEntry(rules, False, now + ROBOTS_TTL)

    # -- one attempt: redirects followed ---------------------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], limit: int, check: bool) -> Response:
        chain = [url]
        current = url
        began = time.monotonic()
        for _ in range(MAX_REDIRECTS + 1):
            if check:
                self.allowed(current)
            status, got, body, location = self._request(current, headers, limit)
            if status in REDIRECTS:
                target = normalise(location, current) if location else None
                if target is None:
                    raise BadRedirect(f"HTTP {status} without a usable Location ({location!r})", current)
                if target in chain:
                    loop = " -> ".join([*chain[chain.index(target) :], target])
                    raise BadRedirect(f"redirect loop: {loop}", url)
                chain.append(target)
                current = target
                continue
            return Response(
                url, current, status, got, body, now_iso(), time.monotonic() - began, 1, chain[1:]
            )
        raise BadRedirect(f"more than {MAX_REDIRECTS} redirects: {' -> '.join(chain)}", url)

    def _request(
        self, url: str, headers: dict[str, str], limit: int
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """(status, headers, body, Location) of one GET; the body only for 2xx."""
        s = self.settings
        if self.stop.is_set():
            raise Stopped("stopping: not requested", url)
        with self.gate.slot(host_key(url)):
            began = time.monotonic()
            deadline = began + s.timeout
            timeout = urllib3.Timeout(connect=s.connect_timeout, read=s.timeout)
            self.requests += 1
            try:
                r = self.pool.request(
                    "GET", url, headers=headers, preload_content=False, redirect=False, timeout=timeout
                )
            except HTTPError as e:
                raise transport_error(e, url, s) from None
            try:
                got = {k.lower(): r.headers.get(k, "") for k in r.headers}
                status = r.status
                if status in REDIRECTS:
                    return status, got, b"", got.get("location")
                if status == 304:
                    return status, got, b"", None
                if not 200 <= status < 300:
                    raise HttpStatus(status, r.reason or "", url, retry_after(got.get("retry-after")))
                body = self._read_body(r, got, url, limit, deadline)
                log.info(
                    "GET %s %d %d bytes %.0f ms", url, status, len(body), (time.monotonic() - began) * 1000
                )
                return status, got, body, None
            except HTTPError as e:
                raise transport_error(e, url, s) from None
            finally:
                if not r.isclosed():
                    r.close()  # a body left unread (redirect, error, over the limit) must not be reused
                r.release_conn()

    def _read_body(
        self, r: urllib3.BaseHTTPResponse, headers: dict[str, str], url: str, limit: int, deadline: float
    ) -> bytes:
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(
                f"Content-Length is {int(declared) / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit; not read",
                url,
            )
        parts: list[bytes] = []
        total = 0
        while True:
            if self.stop.is_set():
                raise Stopped("stopping: body abandoned", url)
            if time.monotonic() > deadline:
                raise NotFetched(
                    f"body not received within {self.settings.timeout:g} s ({total} bytes read); abandoned",
                    url,
                    kind="timeout",
                    retry=True,
                )
            chunk = r.read1(CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise TooLarge(f"body is over the {limit / 1e6:g} MB limit; stopped reading", url)
            parts.append(chunk)
        return b"".join(parts)


def transport_error(e: HTTPError, url: str, s: Settings) -> FetchError:
    """A urllib3 exception as a FetchError with a plain message and a kind."""
    if isinstance(e, NameResolutionError):
        host = getattr(getattr(e, "conn", None), "host", None) or host_key(url)
        return NotFetched(f"DNS: cannot resolve host {host!r}", url, kind="dns", retry=False)
    if isinstance(e, NewConnectionError):
        reason = str(e).split(": ", 1)[-1]
        return NotFetched(f"cannot connect: {reason}", url, kind="connect", retry=True)
    if isinstance(e, ConnectTimeoutError):
        return NotFetched(f"connect timed out after {s.connect_timeout:g} s", url, kind="timeout", retry=True)
    if isinstance(e, ReadTimeoutError):
        return NotFetched(f"no data for {s.timeout:g} s; timed out", url, kind="timeout", retry=True)
    if isinstance(e, SSLError):
        return NotFetched(f"TLS: {e}", url, kind="tls", retry=False)
    if isinstance(e, ProtocolError):
        return NotFetched(f"connection broken: {e}", url, kind="connect", retry=True)
    return NotFetched(f"{type(e).__name__}: {e}", url, kind="connect", retry=True)
