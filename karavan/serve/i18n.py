"""Interface text in English, Russian and Kazakh (karavan/serve/strings.toml) and the language of a request."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from starlette.requests import Request

LANGS = ("en", "ru", "kk")  # in the order the language links show them
DEFAULT_LANG = "en"
COOKIE = "karavan_lang"


@cache
def strings() -> dict[str, dict[str, str]]:
    with open(Path(__file__).with_name("strings.toml"), "rb") as f:
        return tomllib.load(f)


def translator(lang: str):  # noqa: ANN201 - returns a small callable
    table = strings()[lang]
    fallback = strings()[DEFAULT_LANG]

    def t(key: str, **values: object) -> str:
        text = table.get(key) or fallback.get(key) or key
        return text % values if values else text

    return t


def accept_language(header: str) -> str | None:
    """The best of LANGS in an Accept-Language header, by q weight."""
    best: tuple[float, str] | None = None
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower()[:2]
        if code not in LANGS:
            continue
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if q > 0 and (best is None or q > best[0]):
            best = (q, code)
    return best[1] if best else None


def request_lang(request: Request) -> tuple[str, bool]:
    """(language, chosen explicitly by ?lang=): query, then cookie, then Accept-Language."""
    asked = request.query_params.get("lang", "").lower()
    if asked in LANGS:
        return asked, True
    cookie = request.cookies.get(COOKIE, "")
    if cookie in LANGS:
        return cookie, False
    return accept_language(request.headers.get("accept-language", "")) or DEFAULT_LANG, False
