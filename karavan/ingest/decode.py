"""Bytes to text: strict UTF-8 first, then detection (Russian sites still serve windows-1251).

Decisions, documented in the README:

- a byte-order mark picks the encoding (utf-8-sig, utf-16) and is not part of the text;
- NUL bytes, known binary signatures (PNG, PDF, ZIP, GIF, JPEG) or mostly control
  characters make the input binary: refused;
- UTF-8 that is valid up to an incomplete character at the very end (a download cut
  short) is kept up to that character and reported as a warning: nothing before the
  cut changes, so every offset stays valid;
- UTF-16 without a byte-order mark (NUL bytes in every other place, which text in
  UTF-16 has wherever it is ASCII) is decoded as UTF-16 when that gives text;
- UTF-8 with a few stray bytes (at most MAX_STRAY, and many more well-formed UTF-8
  characters around them) keeps its text, each stray byte read as U+FFFD, with a warning;
- anything else that is not UTF-8 goes to charset-normalizer; if it finds no
  encoding the input is refused.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from karavan.errors import (
    BinaryInput,
    EmptyInput,
    KaravanError,
    RepairedInput,
    TruncatedUtf8,
    UndecodableInput,
)

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx)"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"SQLite format 3\x00", "SQLite database"),
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)  # deleted to count control bytes fast
MAX_STRAY = 16  # stray bytes a UTF-8 text may hold and still be read as UTF-8
STRAY_RATIO = 10  # ... with at least this many well-formed non-ASCII characters for each


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warning: KaravanError | None = None


def binary_kind(data: bytes) -> str | None:
    """What kind of binary `data` looks like, or None when it may be text."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    head = data[:65536]
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    if head and len(head.translate(None, _NOT_CONTROL)) * 10 > len(head):
        return "binary data (control characters)"
    return None


def utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text without a byte-order mark, or None.

    Text in UTF-16 has a NUL byte in every ASCII character (spaces, digits, punctuation, Latin letters),
    always on the same side of each byte pair: NULs almost only at odd places is little-endian, at even
    places big-endian. The decoded text must then be text (few control characters).
    """
    head = data[:65536]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even + odd < len(head) // 20 or min(even, odd) * 10 > max(even, odd):
        return None
    enc = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data[: len(data) - len(data) % 2].decode(enc)
    except UnicodeDecodeError:
        return None
    sample = text[:32768]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls * 20 > len(sample) or not text.strip():
        return None
    return Decoded(text, enc)


def with_stray_bytes(data: bytes, path: str | None) -> Decoded | None:
    """UTF-8 with a few stray bytes (a bad copy, a cut-and-paste from another encoding) as text: each stray
    byte becomes U+FFFD, one character, so every other character stays where it was. None when the bytes
    are not mostly well-formed UTF-8 (then another encoding is more likely)."""
    stray: list[int] = []
    pos = 0
    while len(stray) <= MAX_STRAY:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as e:
            stray.append(pos + e.start)
            pos += e.end
    if not stray or len(stray) > MAX_STRAY:
        return None
    text = data.decode("utf-8", errors="replace")
    wide = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if wide < STRAY_RATIO * len(stray):
        return None
    where = ", ".join(str(b) for b in stray[:5]) + (", ..." if len(stray) > 5 else "")
    note = RepairedInput(
        f"{len(stray)} byte(s) that are not UTF-8 (at byte {where}) read as U+FFFD; the rest is UTF-8", path
    )
    return Decoded(text, "utf-8", note)


def decode_bytes(data: bytes, path: str | None = None) -> Decoded:
    """Decode a whole input; raise a KaravanError naming `path` when it is not text."""
    if not data.strip():
        raise EmptyInput("empty file: no text to read", path)
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError as e:
                raise UndecodableInput(
                    f"starts with a {enc} byte-order mark but is not {enc}: {e.reason}", path
                ) from None
    kind = binary_kind(data)
    if kind == "binary data (NUL bytes)":
        utf16 = utf16_without_bom(data)
        if utf16 is not None:
            return utf16
    if kind:
        raise BinaryInput(f"not a text document: looks like {kind}", path)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.end == len(data):
            kept = data[: e.start].decode("utf-8")
            if not kept.strip():
                raise EmptyInput("no text before a truncated UTF-8 character", path) from None
            cut = TruncatedUtf8(
                f"truncated UTF-8: the input ends inside a character; kept the first {e.start} of {len(data)} bytes",
                path,
            )
            return Decoded(kept, "utf-8", cut)
    repaired = with_stray_bytes(data, path)
    if repaired is not None:
        return repaired
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableInput("not UTF-8 and no other text encoding fits", path)
    return Decoded(str(best), best.encoding)
