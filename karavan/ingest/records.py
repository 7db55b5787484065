"""JSON objects to documents: JSONL input lines and the `meta.jsonl` files beside .txt documents."""

from __future__ import annotations

import json
import re
import sys
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
    RepairedInput,
)

Report = Callable[[KaravanError], None]

MAX_DEPTH = 100  # JSON nested deeper than this is refused (no crawler record needs it; 100k would crash)
MAX_ID = 500  # characters in a document id (the HTTP API's filters take ids up to this length)
MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300  # longer integers are kept as their text
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads joins pairs: what is left is half of none
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class _TooDeep(Exception):
    pass


class NumberText(str):
    """A JSON number kept as its text (too large for a float or an integer, or NaN/Infinity): a string when
    stored in `meta`, but never taken for an id or a text."""


class _Repairs:
    """What parsing changed in a record so it could be stored: counted, then reported as one warning."""

    def __init__(self) -> None:
        self.surrogates = 0
        self.numbers: list[str] = []

    def number(self, literal: str) -> str:
        self.numbers.append(literal if len(literal) <= 20 else literal[:12] + f"... ({len(literal)} chars)")
        return NumberText(literal)

    def parse_int(self, literal: str) -> int | str:
        if len(literal) - literal.startswith("-") > MAX_INT_DIGITS:
            return self.number(literal)
        return int(literal)

    def parse_float(self, literal: str) -> float | str:
        value = float(literal)
        return self.number(literal) if value in (float("inf"), float("-inf")) else value

    def clean(self, value: Any, depth: int = 0, top: bool = False) -> Any:
        """`value` with every lone surrogate replaced by U+FFFD (one character for one: offsets hold), except
        the top-level 'id', which `record_id` refuses instead; deeper than MAX_DEPTH raises _TooDeep."""
        if depth > MAX_DEPTH:
            raise _TooDeep
        if isinstance(value, str):
            if LONE_SURROGATE.search(value) is None:
                return value
            self.surrogates += len(LONE_SURROGATE.findall(value))
            return LONE_SURROGATE.sub("\ufffd", value)
        if isinstance(value, list):
            return [self.clean(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {
                self.clean(k, depth + 1): v if top and k == "id" else self.clean(v, depth + 1)
                for k, v in value.items()
            }
        return value

    def report(self, report: Report | None, path: str, line: int) -> None:
        if report is None:
            return
        if self.surrogates:
            report(
                RepairedInput(
                    f"{self.surrogates} lone surrogate(s) (a \\uD800-\\uDFFF escape that is not half of a pair) "
                    "replaced by U+FFFD; no offset moves",
                    path,
                    line,
                )
            )
        if self.numbers:
            report(
                RepairedInput(
                    f"number(s) beyond what a float or an integer holds kept as text: {', '.join(self.numbers[:3])}",
                    path,
                    line,
                )
            )


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


def parse_object(raw: bytes, path: str, line: int, report: Report | None = None) -> dict[str, Any]:
    """One JSONL line as a JSON object, or a BadJsonLine error saying what is wrong.

    Repaired, with a warning to `report`: lone surrogates (U+FFFD instead, outside 'id'), numbers too
    large for a float or an integer (kept as their text; so are NaN and Infinity, which JSON does not have).
    Refused: nesting deeper than MAX_DEPTH.
    """
    try:
        text = raw.decode("utf-8-sig" if line == 1 else "utf-8")
    except UnicodeDecodeError as e:
        raise BadJsonLine(f"not UTF-8 at byte {e.start} of the line ({e.reason})", path, line) from None
    repairs = _Repairs()
    try:
        obj = json.loads(
            text, parse_int=repairs.parse_int, parse_float=repairs.parse_float, parse_constant=repairs.number
        )
    except json.JSONDecodeError as e:
        what = e.msg.removesuffix(" at")  # "Unterminated string starting at" + " at column 5"
        raise BadJsonLine(f"malformed JSON: {what} at column {e.colno}", path, line) from None
    except RecursionError:
        raise BadJsonLine(f"JSON nested more than {MAX_DEPTH} levels deep", path, line) from None
    if not isinstance(obj, dict):
        raise BadJsonLine(f"expected a JSON object, got {type(obj).__name__}", path, line)
    try:
        obj = repairs.clean(obj, top=True)
    except _TooDeep:
        raise BadJsonLine(f"JSON nested more than {MAX_DEPTH} levels deep", path, line) from None
    repairs.report(report, path, line)
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


def id_problem(ident: str) -> str | None:
    """Why `ident` cannot be a document id (it is stored, printed and put in URLs), or None."""
    if len(ident) > MAX_ID:
        return f"is {len(ident)} characters long, more than {MAX_ID}"
    lone = LONE_SURROGATE.search(ident)
    if lone:
        return f"holds a lone surrogate (U+{ord(lone.group()):04X}), which is not a character"
    ctrl = CONTROL.search(ident)
    if ctrl:
        return f"holds a control character (U+{ord(ctrl.group()):04X})"
    return None


def record_id(obj: dict[str, Any], path: str, line: int) -> str:
    if "id" not in obj or obj["id"] is None:
        raise MissingField("missing 'id'", path, line)
    value = obj["id"]
    if isinstance(value, NumberText):
        raise BadJsonLine(f"'id' must be a string, got the number {value[:20]}", path, line)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadJsonLine(f"'id' must be a string, got {type(value).__name__}", path, line)
    ident = str(value).strip()
    if not ident:
        raise MissingField("empty 'id'", path, line)
    problem = id_problem(ident)
    if problem:
        raise BadJsonLine(f"'id' {problem}", path, line)
    return ident


def doc_from_record(obj: dict[str, Any], path: str, line: int, report: Report) -> Doc:
    ident = record_id(obj, path, line)
    if "text" not in obj or obj["text"] is None:
        raise MissingField(f"missing 'text' (id {ident!r})", path, line)
    text = obj["text"]
    if not isinstance(text, str) or isinstance(text, NumberText):
        kind = "a number" if isinstance(text, str) else type(text).__name__
        raise BadJsonLine(f"'text' must be a string, got {kind} (id {ident!r})", path, line)
    if not text.strip():
        raise EmptyInput(f"empty 'text' (id {ident!r})", path, line)
    doc = Doc(id=ident, text=text, encoding="utf-8", path=path)
    apply_metadata(doc, obj, report, line)
    return doc


def read_record(raw: bytes, path: str, line: int, report: Report) -> Doc:
    """One JSONL line as a document; its warnings (repairs, metadata) are reported only when it is read, so
    a bad record is one error line."""
    notes: list[KaravanError] = []
    doc = doc_from_record(parse_object(raw, path, line, notes.append), path, line, notes.append)
    for note in notes:
        report(note)
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
            doc = read_record(raw, path, line, report)
        except KaravanError as e:
            report(e)
            continue
        except Exception as e:  # whatever one record does, it is that record's error: the others are read
            report(BadJsonLine(f"cannot read this line ({type(e).__name__}: {e})", path, line))
            continue
        yield doc
    if not seen_any:
        report(EmptyInput("empty file: no JSON lines", path))


def read_meta_index(stream: BinaryIO, path: str, report: Report, limit: int) -> dict[str, dict[str, Any]]:
    """`meta.jsonl`: id -> metadata record (published, source, url, anything else)."""
    index: dict[str, dict[str, Any]] = {}
    for line, raw in limited_lines(stream, limit):
        if raw is None or not raw.strip():
            continue
        try:
            notes: list[KaravanError] = []
            obj = parse_object(raw, path, line, notes.append)
            index[record_id(obj, path, line)] = obj
            for note in notes:
                report(note)
        except KaravanError as e:
            report(e)
        except Exception as e:
            report(BadMetadata(f"cannot read this line ({type(e).__name__}: {e})", path, line))
    return index
