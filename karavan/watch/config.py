"""SOURCES.toml: the sources `karavan watch` follows, and how politely it fetches them.

    [watch]                      # optional; every key has a default
    interval = "15m"             # how often a source is polled (seconds, or "90s", "15m", "2h", "1d")
    per_host_delay = 1.0         # seconds between two requests to one host
    per_host_connections = 2     # requests in flight to one host at once

    [[source]]
    name = "inform-ru"           # letters, digits, '.', '_', '-'; unique
    kind = "feed"                # feed (RSS/Atom), sitemap (or sitemap index), listing (an HTML page of links)
    url = "https://www.inform.kz/rss/rus.xml"
    lang = "ru"                  # optional hint, kept in the documents' meta
    interval = "30m"             # optional, overrides [watch]

Every problem is a BadSources error naming the file and the source.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from karavan.watch.errors import BadSources
from karavan.watch.urls import is_url, normalise

KINDS = ("feed", "sitemap", "listing")
LANGS = ("ru", "kk", "en")
NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
DEFAULT_AGENT = (
    "karavan/0.1 (follows official and news feeds; set user_agent in SOURCES.toml to add a contact)"
)


@dataclass(slots=True, frozen=True)
class Settings:
    """How the watch fetches: limits, politeness, batching. Units: seconds, bytes."""

    interval: float = 900.0
    user_agent: str = DEFAULT_AGENT
    timeout: float = 30.0  # the whole response, body included
    connect_timeout: float = 10.0
    max_bytes: int = 20_000_000
    retries: int = 2  # attempts after the first, for timeouts, resets, 429 and 5xx
    backoff: float = 2.0  # first wait before a retry; doubles each time
    max_backoff: float = 60.0
    per_host_delay: float = 1.0
    per_host_connections: int = 2
    workers: int = 8
    max_per_round: int = 200  # article fetches per source per round; the rest wait for the next round
    max_attempts: int = 3  # rounds an article is tried in before it is given up
    max_sitemaps: int = 20  # child sitemaps of an index fetched per round (newest first)
    batch: int = 50  # reconcile after this many new documents, and at the end of each round
    robots: bool = True


@dataclass(slots=True, frozen=True)
class SourceSpec:
    name: str
    kind: str
    url: str
    lang: str | None = None
    interval: float = 900.0
    match: re.Pattern[str] | None = None  # listing pages: which links are articles
    since: str | None = None  # ISO date: entries published (or modified) earlier are skipped
    max_per_round: int = 200


@dataclass(slots=True)
class Sources:
    path: str
    settings: Settings
    sources: list[SourceSpec] = field(default_factory=list)


def duration(value: Any, where: str, path: str) -> float:
    """Seconds from a number or "90s", "15m", "2h", "1d"."""
    if isinstance(value, bool):
        raise BadSources(f"{where}: expected seconds or a duration like '15m', got {value!r}", path)
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        m = DURATION.match(str(value))
        if not m:
            raise BadSources(f"{where}: expected seconds or a duration like '15m', got {value!r}", path)
        seconds = float(m[1]) * UNITS[m[2]]
    if seconds < 0:
        raise BadSources(f"{where}: must not be negative", path)
    return seconds


def _number(value: Any, where: str, path: str, kind: type, low: float) -> Any:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (kind is int and isinstance(value, float))
    ):
        raise BadSources(f"{where}: expected a {'whole ' if kind is int else ''}number, got {value!r}", path)
    if value < low:
        raise BadSources(f"{where}: must be at least {low}", path)
    return kind(value)


SETTING_KEYS: dict[str, tuple[type, float]] = {
    "timeout": (float, 0.01),
    "connect_timeout": (float, 0.01),
    "retries": (int, 0),
    "backoff": (float, 0),
    "max_backoff": (float, 0),
    "per_host_delay": (float, 0),
    "per_host_connections": (int, 1),
    "workers": (int, 1),
    "max_per_round": (int, 1),
    "max_attempts": (int, 1),
    "max_sitemaps": (int, 1),
    "batch": (int, 1),
}


def parse_settings(table: Any, path: str) -> Settings:
    if not isinstance(table, dict):
        raise BadSources("[watch] must be a table", path)
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"[watch] {key}"
        if key == "interval":
            values[key] = duration(value, where, path)
        elif key == "max_mb":
            values["max_bytes"] = int(_number(value, where, path, float, 0.001) * 1_000_000)
        elif key == "user_agent":
            if not isinstance(value, str) or not value.strip() or "\n" in value:
                raise BadSources(f"{where}: expected one line of text", path)
            values[key] = value.strip()
        elif key == "robots":
            if not isinstance(value, bool):
                raise BadSources(f"{where}: expected true or false", path)
            values[key] = value
        elif key in SETTING_KEYS:
            kind, low = SETTING_KEYS[key]
            values[key] = _number(value, where, path, kind, low)
        else:
            raise BadSources(f"[watch]: unknown key {key!r}", path)
    return Settings(**values)


SOURCE_KEYS = frozenset({"name", "kind", "url", "lang", "interval", "match", "since", "max_per_round"})


def _since(value: Any, where: str, path: str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise BadSources(f"{where}: expected a date like 2025-01-01, got {value!r}", path) from None


def parse_source(n: int, table: Any, settings: Settings, path: str) -> SourceSpec:
    if not isinstance(table, dict):
        raise BadSources(f"source {n}: [[source]] must be a table", path)
    name = table.get("name")
    where = f"source {n}" + (f" ({name!r})" if isinstance(name, str) else "")
    unknown = sorted(set(table) - SOURCE_KEYS)
    if unknown:
        raise BadSources(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(SOURCE_KEYS))})", path
        )
    if not isinstance(name, str) or not NAME.match(name):
        raise BadSources(f"{where}: 'name' must be 1-64 letters, digits, '.', '_' or '-'", path)
    kind = table.get("kind")
    if kind not in KINDS:
        raise BadSources(f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}", path)
    url = table.get("url")
    if not isinstance(url, str) or not is_url(url):
        raise BadSources(f"{where}: 'url' must be an http(s) URL, got {url!r}", path)
    lang = table.get("lang")
    if lang is not None and lang not in LANGS:
        raise BadSources(f"{where}: 'lang' must be one of {', '.join(LANGS)}, got {lang!r}", path)
    match = table.get("match")
    pattern = None
    if match is not None:
        if kind != "listing":
            raise BadSources(f"{where}: 'match' applies to listing pages only", path)
        try:
            pattern = re.compile(str(match))
        except re.error as e:
            raise BadSources(f"{where}: 'match' is not a regular expression: {e}", path) from None
    interval = duration(table["interval"], f"{where}: 'interval'", path) if "interval" in table else None
    per_round = table.get("max_per_round")
    return SourceSpec(
        name=name,
        kind=kind,
        url=normalise(url) or url,
        lang=lang,
        interval=settings.interval if interval is None else interval,
        match=pattern,
        since=_since(table["since"], f"{where}: 'since'", path) if "since" in table else None,
        max_per_round=settings.max_per_round
        if per_round is None
        else _number(per_round, f"{where}: 'max_per_round'", path, int, 1),
    )


def parse_sources(text: str, path: str) -> Sources:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BadSources(f"not valid TOML: {e}", path) from None
    unknown = sorted(set(data) - {"watch", "source"})
    if unknown:
        raise BadSources(f"unknown table {unknown[0]!r}: expected [watch] and [[source]]", path)
    settings = parse_settings(data.get("watch", {}), path)
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise BadSources("'source' must be an array of tables: write [[source]]", path)
    sources = [parse_source(n, t, settings, path) for n, t in enumerate(tables, 1)]
    seen: set[str] = set()
    for spec in sources:
        if spec.name in seen:
            raise BadSources(f"two sources are named {spec.name!r}", path)
        seen.add(spec.name)
    return Sources(path, settings, sources)


def load_sources(path: str | Path) -> Sources:
    """Read and check SOURCES.toml; a missing or unreadable file is a BadSources error too."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadSources("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise BadSources(f"cannot read: {e}", str(path)) from None
    return parse_sources(text, str(path))
