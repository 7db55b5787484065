"""The country a document's site speaks from, read off its address (data/sites.toml): what "our country"
and "the head of state" stand for when the text names no one.

Reads: doc.url, else doc.source (a host name or an address). Sets nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from karavan.annotate.people_data import load_data
from karavan.doc import Doc

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class Sites:
    tld: dict[str, str]
    editions: dict[str, str]  # first label -> country


@cache
def sites() -> Sites:
    raw = load_data("sites.toml")
    tld = {k.lower(): v for k, v in raw["tld"].items()}
    extra = raw["editions"].get("extra", {})
    editions = {x: tld.get(x) or extra[x] for x in raw["editions"]["labels"]}
    return Sites(tld, editions)


def host_country(address: str) -> str | None:
    """'https://uz.sputniknews.ru/x' -> 'UZ'; 'akorda.kz' -> 'KZ'; 'timesca.com' -> None."""
    host = _SCHEME.sub("", address.strip().lower()).split("/", 1)[0].split(":", 1)[0]
    labels = [x for x in host.split(".") if x]
    if len(labels) < 2:
        return None
    data = sites()
    if len(labels) > 2 and labels[0] in data.editions:
        return data.editions[labels[0]]
    return data.tld.get(labels[-1])


def site_country(doc: Doc) -> str | None:
    """The country of the document's site: by its url, else its source."""
    for address in (doc.url or "", doc.source or ""):
        if address:
            code = host_country(address)
            if code is not None:
                return code
    return None
