"""A fetched page's bytes to text: the charset from the BOM, the Content-Type header or the meta tags.

Order: a byte-order mark; then the header's charset; then `<meta charset>` or `<meta http-equiv>`; then
karavan's own detection (strict UTF-8, else charset-normalizer). A declared charset that cannot decode the
bytes is skipped. Bytes that are valid UTF-8 with non-ASCII letters are read as UTF-8 even when a
single-byte charset is declared (a windows-1251 page almost never happens to be valid UTF-8, while a
UTF-8 page served with a stale `charset=windows-1251` header is common). Whenever the charset used is not
the one declared first, a warning says so.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from karavan.errors import KaravanError
from karavan.ingest.decode import BOMS, binary_kind, decode_bytes
from karavan.watch.errors import WrongContent

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
SNIFF_BYTES = 4096


class CharsetMismatch(KaravanError):
    """The page was read in another charset than it declares (handled; the text is right)."""

    code = "E509"
    warning = True


@dataclass(slots=True)
class PageText:
    text: str
    encoding: str  # Python codec name, e.g. 'utf-8', 'cp1251'
    source: str  # where the charset came from: bom, header, meta, detected
    warning: KaravanError | None = None


def codec_name(label: str | None) -> str | None:
    """Python's name for a charset label, None when Python does not know it."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def meta_charset(head: bytes) -> str | None:
    """The charset a page's `<meta>` tags declare in its first 4 KB."""
    m = META_CHARSET.search(head[:SNIFF_BYTES])
    return m[1].decode("ascii").lower() if m else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8_letters(data: bytes) -> str | None:
    """The text when `data` is valid UTF-8 and not plain ASCII."""
    if data.isascii():
        return None
    return _strict(data, "utf-8")


def decode_page(data: bytes, header: str | None, url: str) -> PageText:
    """The text of an HTML page (see the module's rules); WrongContent when it is not text at all."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            text = _strict(data, enc)
            if text is not None:
                return PageText(text.lstrip("\ufeff"), "utf-8" if enc == "utf-8-sig" else enc, "bom")
    kind = binary_kind(data)
    if kind:
        raise WrongContent(f"not an HTML page: the body looks like {kind}", url, kind="not_html")
    declared = [
        (codec_name(header), "header", header),
        (codec_name(meta_charset(data)), "meta", meta_charset(data)),
    ]
    first = next(((c, how, label) for c, how, label in declared if label), None)
    for codec, how, label in declared:
        if not label:
            continue
        if codec is None:
            continue
        if codec != "utf-8":
            utf8 = _utf8_letters(data)
            if utf8 is not None:
                return PageText(utf8, "utf-8", "detected", _mismatch(url, label, how, "utf-8"))
        text = _strict(data, codec)
        if text is not None:
            warning = None if first is None or first[1] == how else _mismatch(url, first[2], first[1], codec)
            return PageText(text, codec, how, warning)
    try:
        decoded = decode_bytes(data, url)
    except KaravanError as e:
        raise WrongContent(f"not a readable page: {e.message}", url, kind="undecodable") from None
    codec = codec_name(decoded.encoding) or decoded.encoding
    warning = decoded.warning
    if first is not None and first[0] != codec:
        warning = _mismatch(url, first[2], first[1], codec)
    return PageText(decoded.text, codec, "detected", warning)


def _mismatch(url: str, label: str | None, how: str, used: str) -> CharsetMismatch:
    return CharsetMismatch(
        f"the {how} declares charset {label!r} but the page is {used}; read as {used}", url
    )
