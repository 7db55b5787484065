"""JSON objects to documents: JSONL input lines and the `meta.jsonl` files beside .txt documents."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, BinaryIO

from karavan.doc import Doc
from karavan.errors import (
    BadJsonLine,
    BadMetadata,
    EmptyInput,
    InputTooLarge,
    KaravanError,
    MissingField,
)

Report = Callable[[KaravanError], None]


def limited_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; None for a line longer than `limit`, which is skipped unread."""
    lineno = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, line


def parse_object(raw: bytes, path: str, line: int) -> dict[str, Any]:
    """One JSONL line as a JSON object, or a BadJsonLine error saying what is wrong."""
    try:
        text = raw.decode("utf-8-sig" if line == 1 else "utf-8")
    except UnicodeDecodeError as e:
        raise BadJsonLine(f"not UTF-8 at byte {e.start} of the line ({e.reason})", path, line) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadJsonLine(f"malformed JSON: {e.msg} at column {e.colno}", path, line) from None
    if not isinstance(obj, dict):
        raise BadJsonLine(f"expected a JSON object, got {type(obj).__name__}", path, line)
    return obj


def iso_date(value: Any) -> str | None:
    """'YYYY-MM-DD' from an ISO date or date-time, else None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def apply_metadata(doc: Doc, record: dict[str, Any], report: Report, line: int | None) -> None:
    """Set url, published, source from `record`; every other key (but id and text) goes to doc.meta."""
    for key, value in record.items():
        if key in ("id", "text"):
            continue
        if key == "published":
            if value is None:
                continue
            day = iso_date(value)
            if day is None:
                report(
                    BadMetadata(
                        f"'published' is not an ISO date: {value!r}; kept as meta.published_raw",
                        doc.path,
                        line,
                    )
                )
                doc.meta["published_raw"] = value
                continue
            doc.published = day
            if value != day:
                doc.meta["published_raw"] = value
        elif key in ("url", "source"):
            if value is not None:
                setattr(doc, key, str(value))
        else:
            doc.meta[key] = value


def record_id(obj: dict[str, Any], path: str, line: int) -> str:
    if "id" not in obj or obj["id"] is None:
        raise MissingField("missing 'id'", path, line)
    value = obj["id"]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadJsonLine(f"'id' must be a string, got {type(value).__name__}", path, line)
    ident = str(value).strip()
    if not ident:
        raise MissingField("empty 'id'", path, line)
    return ident


def doc_from_record(obj: dict[str, Any], path: str, line: int, report: Report) -> Doc:
    ident = record_id(obj, path, line)
    if "text" not in obj or obj["text"] is None:
        raise MissingField(f"missing 'text' (id {ident!r})", path, line)
    text = obj["text"]
    if not isinstance(text, str):
        raise BadJsonLine(f"'text' must be a string, got {type(text).__name__} (id {ident!r})", path, line)
    if not text.strip():
        raise EmptyInput(f"empty 'text' (id {ident!r})", path, line)
    doc = Doc(id=ident, text=text, encoding="utf-8", path=path)
    apply_metadata(doc, obj, report, line)
    return doc


def read_jsonl(stream: BinaryIO, path: str, report: Report, limit: int) -> Iterator[Doc]:
    """Documents of a JSONL stream; a bad line is reported and the others are still read."""
    seen_any = False
    for line, raw in limited_lines(stream, limit):
        if raw is None:
            seen_any = True
            report(InputTooLarge(f"line longer than the {limit // 1_000_000} MB limit; skipped", path, line))
            continue
        if not raw.strip():
            continue
        seen_any = True
        try:
            yield doc_from_record(parse_object(raw, path, line), path, line, report)
        except KaravanError as e:
            report(e)
    if not seen_any:
        report(EmptyInput("empty file: no JSON lines", path))


def read_meta_index(stream: BinaryIO, path: str, report: Report, limit: int) -> dict[str, dict[str, Any]]:
    """`meta.jsonl`: id -> metadata record (published, source, url, anything else)."""
    index: dict[str, dict[str, Any]] = {}
    for line, raw in limited_lines(stream, limit):
        if raw is None or not raw.strip():
            continue
        try:
            obj = parse_object(raw, path, line)
            index[record_id(obj, path, line)] = obj
        except KaravanError as e:
            report(e)
    return index
