"""Terminal rendering: fixed-width tables, amounts, fact lines and highlighted document text."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from karavan.doc import Doc, Fact
from karavan.store import FACT_COMMON, FACT_FIELDS

DIM, FACT, RESET = "\x1b[2m", "\x1b[30;43m", "\x1b[0m"


def table(rows: list[dict[str, Any]], columns: list[str], out: TextIO, max_width: int = 60) -> None:
    cells = [[cell(r.get(c), max_width) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(), file=out)
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip(), file=out)


def cell(value: Any, max_width: int) -> str:
    if value is None:
        return "-"
    text = " ".join(str(value).split())
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


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
    return " ".join(parts)


def write_facts(facts: Iterator[dict[str, Any]], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        for f in facts:
            f.pop("fact_id", None)
            out.write(json.dumps(f, ensure_ascii=False) + "\n")
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
    else:
        rows = [
            {"#": f["fact_id"], "doc": f.get("doc"), "type": f.get("type"), "countries": countries_of(f),
             "details": details(f), "quote": f.get("quote")}
            for f in facts
        ]  # fmt: skip
        table(rows, ["#", "doc", "type", "countries", "details", "quote"], out)
        print(f"{len(rows)} facts", file=out)


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
