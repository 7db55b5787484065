"""Terminal rendering: fixed-width tables, amounts, fact lines and highlighted document text."""

from __future__ import annotations

import csv
import json
import os
import shutil
import unicodedata
from collections.abc import Iterator
from typing import Any, TextIO

from karavan.doc import Doc, Fact
from karavan.store import FACT_COMMON, FACT_FIELDS

DIM, FACT, RESET = "\x1b[2m", "\x1b[30;43m", "\x1b[0m"


def terminal_width(out: TextIO) -> int | None:
    """The width to lay tables out in: $COLUMNS, else the terminal's when `out` is one, else None (no limit:
    a pipe or a file gets every row on one line)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        return shutil.get_terminal_size().columns
    return None


def text_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (East Asian) letters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


SHORT = 20  # a value this short is never broken across lines ("1.45 bn USD", "72.5% (70–75)")


def atoms(value: Any) -> list[str]:
    """A cell as the pieces a line may break between: a list's items, a short value whole, else words."""
    if value is None:
        return ["-"]
    if isinstance(value, list | tuple):
        return [" ".join(str(v).split()) for v in value if str(v).strip()] or ["-"]
    words = str(value).split()
    return [" ".join(words)] if len(" ".join(words)) <= SHORT else words or [""]


def wrap(pieces: list[str], width: int) -> list[str]:
    """Lines of at most `width` columns, broken between pieces; a piece wider than a line breaks between
    its words, and a word wider than a line is split (the only case where a line breaks inside a word)."""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if text_width(piece) > width and " " in piece:
            words = wrap(piece.split(), width)
            lines += ([line] if line else []) + words[:-1]
            line = words[-1]
            continue
        while text_width(piece) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(piece[:width])
            piece = piece[width:]
        if not line:
            line = piece
        elif text_width(line) + 1 + text_width(piece) <= width:
            line += " " + piece
        else:
            lines.append(line)
            line = piece
    return [*lines, line] if line or not lines else lines


def narrowest(piece: str) -> int:
    """The fewest columns `piece` can be wrapped into without splitting a word (a short value: itself)."""
    if text_width(piece) <= SHORT:
        return text_width(piece)
    return max(text_width(w) for w in piece.split())


GAP = 2
MIN_WRAPPED = 24  # a quote column narrower than this reads badly: the quote goes on a line of its own
INDENT = 4


def table(
    rows: list[dict[str, Any]],
    columns: list[str],
    out: TextIO,
    width: int | None = None,
    below: tuple[str, ...] = ("quote",),
) -> None:
    """Rows as aligned columns; no value is ever cut. In a limited width (`width`, else `terminal_width`),
    long cells wrap onto more lines (short values such as `1.45 bn USD` stay whole); when the table still
    does not fit, the `below` columns (the quote) leave the table and are printed, wrapped, under their
    row; when even that does not fit, each row becomes a block of `column: value` lines."""
    width = width or terminal_width(out)
    cells = [{c: atoms(r.get(c)) for c in columns} for r in rows]
    natural = {c: max([text_width(c)] + [text_width(" ".join(row[c])) for row in cells]) for c in columns}
    shortest = {c: max([text_width(c)] + [narrowest(a) for row in cells for a in row[c]]) for c in columns}
    shown = list(columns)
    under: list[str] = []
    widths = dict(natural)

    def total() -> int:
        return sum(widths[c] for c in shown) + GAP * (len(shown) - 1)

    if width is not None and total() > width:
        for c in [c for c in below if c in shown]:
            room = width - (total() - widths[c])
            if room >= max(MIN_WRAPPED, shortest[c]):
                widths[c] = room
            else:
                shown.remove(c)
                under.append(c)
        for c in sorted(shown, key=lambda c: widths[c] - shortest[c], reverse=True):
            widths[c] -= min(widths[c] - shortest[c], max(total() - width, 0))
        if total() > width:
            records(cells, columns, out, width)
            return

    def line(values: list[str]) -> str:
        return (" " * GAP).join(
            v + " " * (widths[c] - text_width(v)) for c, v in zip(shown, values, strict=True)
        )

    print(line(shown).rstrip(), file=out)
    for row in cells:
        wrapped = [wrap(row[c], widths[c]) for c in shown]
        for i in range(max(len(w) for w in wrapped)):
            print(line([w[i] if i < len(w) else "" for w in wrapped]).rstrip(), file=out)
        for c in under:
            text = " ".join(row[c])
            if text and text != "-":
                for piece in wrap(f"“{text}”".split(), (width or 80) - INDENT):
                    print(" " * INDENT + piece, file=out)


def records(cells: list[dict[str, list[str]]], columns: list[str], out: TextIO, width: int) -> None:
    """Rows too wide for `width` as blocks of `column: value` pieces, two spaces apart, continuation lines
    indented; a piece wider than a line wraps between its words."""
    for row in cells:
        lines: list[str] = []
        line = ""
        for piece in (f"{c}: {' '.join(row[c])}" for c in columns):
            room = width - (INDENT if lines else 0)
            if line and text_width(line) + GAP + text_width(piece) <= room:
                line += " " * GAP + piece
                continue
            if line:
                lines.append(line)
                room = width - INDENT
            parts = wrap(piece.split(), room) if text_width(piece) > room else [piece]
            lines += parts[:-1]
            line = parts[-1]
        lines.append(line)
        print(lines[0], file=out)
        for rest in lines[1:]:
            print(" " * INDENT + rest, file=out)


def say(text: str, out: TextIO, indent: int = 0, hang: int = INDENT) -> None:
    """A line of prose (a heading, a timeline entry) wrapped to the terminal's width, never cut: the first
    line at `indent` columns, the others `hang` further in."""
    width = terminal_width(out)
    if width is None:
        print(" " * indent + text, file=out)
        return
    lines = wrap(text.split(), max(width - indent - hang, 20))
    print(" " * indent + lines[0], file=out)
    for rest in lines[1:]:
        print(" " * (indent + hang) + rest, file=out)


def quoted_lines(text: str | None, indent: int, out: TextIO) -> list[str]:
    """A quote in “…”, whole, wrapped to the terminal's width at `indent` columns (one line when unlimited)."""
    words = f"“{' '.join((text or '').split())}”".split()
    width = terminal_width(out)
    if width is None:
        return [" " * indent + " ".join(words)]
    return [" " * indent + piece for piece in wrap(words, max(width - indent, 20))]


def amount(value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    for size, word in ((1e9, "bn"), (1e6, "mn")):
        if abs(value) >= size:
            return f"{value / size:.4g} {word}"
    return f"{value:,.6g}".replace(",", " ")


def countries_of(fact: dict[str, Any]) -> str:
    if fact.get("reporter") or fact.get("partner"):
        return f"{fact.get('reporter') or '?'}→{fact.get('partner') or '?'}"
    return ",".join(fact.get("countries") or fact.get("parties") or []) or "-"


def details(fact: dict[str, Any]) -> str:
    """The type-specific fields that are set, in FACTS.md order, money as '1.4 bn USD'."""
    return " ".join(detail_parts(fact))


def detail_parts(fact: dict[str, Any]) -> list[str]:
    """`details` as its pieces, each kept on one line by a wrapping table."""
    parts: list[str] = []
    for key in FACT_FIELDS:
        value = fact.get(key)
        if value is None or value is False or key in ("reporter", "partner", "countries", "parties", "unit"):
            continue
        if key == "value":
            parts.append(f"{amount(value)} {fact.get('unit') or ''}".strip())
        elif isinstance(value, list):
            parts.append(f"{key}={','.join(map(str, value))}")
        else:
            parts.append(f"{key}={value}")
    return parts


def write_facts(facts: Iterator[dict[str, Any]], fmt: str, out: TextIO) -> int:
    """Facts as JSON lines (FACTS.md dicts), CSV or a table; the number written."""
    n = 0
    if fmt == "json":
        for f in facts:
            f.pop("fact_id", None)
            out.write(json.dumps(f, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        columns = ["fact_id", "doc", "type", *FACT_FIELDS, *FACT_COMMON]
        writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for f in facts:
            writer.writerow(
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                    for k, v in f.items()
                }
            )
            n += 1
    else:
        rows = [
            {"#": f["fact_id"], "doc": f.get("doc"), "type": f.get("type"), "countries": countries_of(f),
             "details": detail_parts(f), "quote": f.get("quote")}
            for f in facts
        ]  # fmt: skip
        table(rows, ["#", "doc", "type", "countries", "details", "quote"], out)
        print(f"{len(rows)} facts", file=out)
        n = len(rows)
    return n


def render_text(doc: Doc, color: bool) -> str:
    """The text with chrome dimmed and fact spans highlighted (ANSI), or marked {{chrome}} [[fact]]#n."""
    size = len(doc.text)
    chrome = [(s.start, s.end) for s in doc.excluded]
    facts = [(f.start, f.end, n) for n, f in enumerate(doc.facts, 1) if f.end > f.start]
    cuts = sorted({0, size} | {p for s, e, *_ in chrome + facts for p in (s, e) if 0 <= p <= size})
    segments = [
        (a, b, any(s <= a < e for s, e in chrome), any(s <= a < e for s, e, _ in facts))
        for a, b in zip(cuts, cuts[1:], strict=False)
    ]
    parts: list[str] = []
    for i, (a, b, dim, lit) in enumerate(segments):
        _, _, dim_before, lit_before = segments[i - 1] if i else (0, 0, False, False)
        _, _, dim_after, lit_after = segments[i + 1] if i + 1 < len(segments) else (0, 0, False, False)
        piece = doc.text[a:b]
        if color:
            style = (DIM if dim else "") + (FACT if lit else "")
            parts.append(f"{style}{piece}{RESET}" if style else piece)
        else:
            opening = ("{{" if dim and not dim_before else "") + ("[[" if lit and not lit_before else "")
            closing = ("]]" if lit and not lit_after else "") + ("}}" if dim and not dim_after else "")
            parts.append(opening + piece + closing)
        ending = [str(n) for _, e, n in facts if e == b]
        if ending:
            parts.append("#" + ",".join(ending))
    return "".join(parts)


def fact_line(n: int, fact: Fact) -> str:
    d = fact.to_dict()
    who = f"  said by {fact.claimant}" if fact.claimant else ""
    head = (
        f"#{n} {fact.type} {countries_of(d)} {details(d)}{who}  [{fact.start}:{fact.end} {fact.rule or '-'}]"
    )
    return f"{head}\n    “{' '.join(fact.quote.split())}”"
