"""Why the extractor missed a gold fact or produced a spurious one: `karavan eval --explain`.

Every miss (a gold fact no prediction matched under its rule) and every spurious prediction is
put beside its nearest counterpart, the fact of the other side whose span overlaps it most (same
type first), and given a guessed cause:

- a field that differs from that counterpart: `period`, `countries`, `flow`, `value`, `product`,
  `change`, `rank`, `positions`, `pct`, or `type` (a fact of another type stands there);
- `restatement`: a prediction on a span that only restates a gold fact (a headline, a lead, a
  repeat), when the gold set lists such spans (`alt_mentions.jsonl` beside the gold file);
- `trap:<kind>`: a prediction on a span the gold set marks as giving no fact (`traps.jsonl`);
- `list`: a miss in a sentence where other gold facts of the same type stand (a list item);
- `not read`: nothing was predicted there; `no gold here`: nothing is expected there.

Figures are also given per language and type, so a user annotating their own articles sees where
the extractor is weak. Traps and restatements are optional: without those files the causes are
the field differences alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from karavan.evaluate import (
    MODES,
    SOFT_TYPES,
    Fact,
    Figures,
    Interval,
    country_key,
    locate,
    match,
    predicted_span,
    read_jsonl,
    strict_agrees,
    values_close,
    values_near,
)

SHOWN = 110  # characters of a quote shown on a line


@dataclass(slots=True, frozen=True)
class Mark:
    """A span of a document the gold set says something about: a trap or a restatement."""

    doc: str
    start: int
    end: int
    label: str


@dataclass(slots=True)
class Explained:
    """One miss or spurious fact, its cause and its nearest counterpart."""

    side: str  # missed, spurious
    cause: str
    fact: Fact
    span: Interval | None
    nearest: Fact | None
    differs: list[str]


def read_marks(gold_path: Path) -> list[Mark]:
    """Traps (`kind`) and restatements (`of`) listed beside the gold file, when there are any."""
    marks: list[Mark] = []
    for name, label_of in (("traps.jsonl", "kind"), ("alt_mentions.jsonl", None)):
        path = gold_path.parent / name
        if not path.is_file():
            continue
        for row in read_jsonl(path):
            if isinstance(row.get("start"), int) and isinstance(row.get("end"), int):
                label = f"trap:{row.get(label_of)}" if label_of else "restatement"
                marks.append(Mark(str(row.get("doc")), row["start"], row["end"], label))
    return marks


def differing_fields(gold: Fact, pred: Fact) -> list[str]:
    """The fields by which a prediction fails the strict rule against a gold fact."""
    out = []
    if gold.get("type") != pred.get("type"):
        return ["type"]
    if gold.get("flow") != pred.get("flow") and "flow" in gold:
        out.append("flow")  # the order of the countries follows the flow: compare them as a set
        if {gold.get("reporter"), gold.get("partner")} != {pred.get("reporter"), pred.get("partner")}:
            out.append("countries")
    elif country_key(gold) != country_key(pred):
        out.append("countries")
    checks = {
        "flow": gold.get("flow") == pred.get("flow"),
        "product": gold.get("product") == pred.get("product"),
        "period": gold.get("period") == pred.get("period"),
        "value": values_close(gold.get("value"), pred.get("value")),
        "change": values_near(gold.get("change_pct"), pred.get("change_pct"), 0.05),
        "rank": gold.get("rank") == pred.get("rank"),
        "positions": gold.get("positions") == pred.get("positions"),
        "pct": values_near(gold.get("pct"), pred.get("pct"), 0.5),
    }
    relevant = {
        "trade": ("flow", "product", "period", "value", "change"),
        "target": ("flow", "product", "value"),
        "export_offer": ("positions", "value"),
        "partner_rank": ("rank", "flow"),
        "share": ("product", "pct"),
    }.get(str(gold.get("type")), ())
    out += [name for name in relevant if not checks[name] and name not in out]
    return out


def _overlap(a: Interval | None, b: Interval | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _nearest(span: Interval | None, kind: Any, others: list[tuple[Fact, Interval | None]]) -> Fact | None:
    """The fact of the other side overlapping `span` most, one of the same type first."""
    best: tuple[tuple[int, int], Fact] | None = None
    for fact, other in others:
        ov = _overlap(span, other)
        if ov <= 0:
            continue
        key = (int(fact.get("type") == kind), ov)
        if best is None or key > best[0]:
            best = (key, fact)
    return best[1] if best else None


def _sentence_of(text: str, span: Interval) -> Interval:
    """The stretch between the sentence ends around a span (a cheap look, for the `list` cause)."""
    lo = max(text.rfind(ch, 0, span[0]) for ch in ".!?\n") + 1
    ends = [i for i in (text.find(ch, span[1]) for ch in ".!?\n") if i >= 0]
    return lo, (min(ends) if ends else len(text))


def explain(
    gold: list[Fact],
    pred: list[Fact],
    texts: dict[str, str],
    marks: list[Mark],
    types: set[str] | None = None,
) -> tuple[list[Explained], dict[tuple[str, str], Figures]]:
    """The explained misses and spurious facts, and figures per (language, type), each type scored by
    its own rule (strict, or lenient for meeting/agreement/project)."""
    if types:
        gold = [g for g in gold if g["type"] in types]
        pred = [p for p in pred if p.get("type") in types]
    gold_docs = {g["doc"] for g in gold}
    pred = [p for p in pred if p.get("doc") in gold_docs or p.get("doc") in texts]
    g_spans = [locate(texts.get(g["doc"], ""), g.get("quote")) for g in gold]
    p_spans = [predicted_span(texts.get(str(p.get("doc")), ""), p) for p in pred]
    matched_g: set[int] = set()
    matched_p: set[int] = set()
    for mode in MODES:
        strict = mode == "strict"
        gi_mode = [i for i, g in enumerate(gold) if (g["type"] in SOFT_TYPES) != strict]
        pi_mode = [i for i, p in enumerate(pred) if (p.get("type") in SOFT_TYPES) != strict]
        pairs = match([gold[i] for i in gi_mode], [pred[i] for i in pi_mode], texts, strict)
        matched_g |= {gi_mode[a] for a, _ in pairs}
        matched_p |= {pi_mode[b] for _, b in pairs}
    figures = _figures(gold, pred, matched_g, matched_p)
    by_doc_pred: dict[str, list[tuple[Fact, Interval | None]]] = defaultdict(list)
    by_doc_gold: dict[str, list[tuple[Fact, Interval | None]]] = defaultdict(list)
    for p, sp in zip(pred, p_spans, strict=True):
        by_doc_pred[str(p.get("doc"))].append((p, sp))
    for g, sp in zip(gold, g_spans, strict=True):
        by_doc_gold[g["doc"]].append((g, sp))
    marks_of: dict[str, list[Mark]] = defaultdict(list)
    for m in marks:
        marks_of[m.doc].append(m)
    out: list[Explained] = []
    for i, g in enumerate(gold):
        if i in matched_g:
            continue
        near = _nearest(g_spans[i], g["type"], by_doc_pred[g["doc"]])
        differs = differing_fields(g, near) if near is not None else []
        cause = differs[0] if differs else "not read"
        if near is not None and not differs and not strict_agrees(g, near):
            cause = "value"
        if near is None and g_spans[i] is not None:
            sent = _sentence_of(texts.get(g["doc"], ""), g_spans[i])
            siblings = [
                o
                for o, sp in by_doc_gold[g["doc"]]
                if o is not g and o["type"] == g["type"] and _overlap(sp, sent)
            ]
            if siblings:
                cause = "list"
        if near is not None and not differs:
            cause = "taken by another gold fact"
        out.append(Explained("missed", cause, g, g_spans[i], near, differs))
    for i, p in enumerate(pred):
        if i in matched_p:
            continue
        doc = str(p.get("doc"))
        near = _nearest(p_spans[i], p.get("type"), by_doc_gold[doc])
        hit = next((m for m in marks_of[doc] if _overlap(p_spans[i], (m.start, m.end)) > 0), None)
        differs = differing_fields(near, p) if near is not None else []
        if near is not None and near.get("type") == p.get("type") and differs:
            cause = differs[0]
        elif hit is not None:
            cause = hit.label
        elif near is not None and not differs:
            cause = "duplicate"
        elif near is not None:
            cause = "type"
        else:
            cause = "no gold here"
        out.append(Explained("spurious", cause, p, p_spans[i], near, differs))
    return out, figures


def _lang(fact: Fact, doc_lang: dict[str, str] | None = None) -> str:
    """A fact's language: its own `lang`, else (a gold file without it) the language the extractor gave
    the document's facts most often."""
    return str(fact.get("lang") or (doc_lang or {}).get(str(fact.get("doc"))) or "?")


def _figures(
    gold: list[Fact], pred: list[Fact], matched_g: set[int], matched_p: set[int]
) -> dict[tuple[str, str], Figures]:
    """Figures per (language, type) and per (language, "all"); a match counts under its gold's language."""
    table: dict[tuple[str, str], Figures] = defaultdict(lambda: Figures(0, 0, 0))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for p in pred:
        if p.get("lang"):
            counts[str(p.get("doc"))][str(p["lang"])] += 1
    doc_lang = {doc: c.most_common(1)[0][0] for doc, c in counts.items()}
    for i, g in enumerate(gold):
        for key in ((_lang(g, doc_lang), g["type"]), (_lang(g, doc_lang), "all")):
            table[key].gold += 1
            table[key].tp += int(i in matched_g)
    for p in pred:
        for key in ((_lang(p), str(p.get("type"))), (_lang(p), "all")):
            table[key].pred += 1
    return dict(table)


FIELDS_SHOWN = (
    "flow",
    "reporter",
    "partner",
    "product",
    "period",
    "value",
    "unit",
    "change_pct",
    "change_factor",
    "rank",
    "positions",
    "pct",
    "countries",
    "parties",
)


def _fields(fact: Fact | None, only: list[str] | None = None) -> str:
    if fact is None:
        return "-"
    keys = FIELDS_SHOWN
    if only:
        wanted = {"countries": ("reporter", "partner", "countries", "parties"), "change": ("change_pct",)}
        keys = tuple(k for k in FIELDS_SHOWN if any(k in wanted.get(o, (o,)) for o in only))
    shown = [f"{k}={fact.get(k)}" for k in keys if k in fact]
    return f"{fact.get('type')} " + " ".join(shown)


def _quote(fact: Fact | None) -> str:
    if fact is None:
        return ""
    return " ".join(str(fact.get("quote") or "").split())[:SHOWN]


def format_explained(items: list[Explained], figures: dict[tuple[str, str], Figures]) -> str:
    """The report: a table per language and type, then misses and spurious facts grouped by cause."""
    lines = [
        "figures per language and type (each type by its own rule):",
        f"  {'lang':5} {'type':13} {'P':>5} {'R':>5} {'F1':>5}  tp/gold pred",
    ]
    for (lang, kind), f in sorted(figures.items(), key=lambda kv: (kv[0][0], kv[0][1] == "all", kv[0][1])):
        lines.append(f"  {lang:5} {kind:13} {f.p:5.2f} {f.r:5.2f} {f.f1:5.2f}  {f.tp}/{f.gold} {f.pred}")
    for side in ("missed", "spurious"):
        group: dict[str, list[Explained]] = defaultdict(list)
        for item in items:
            if item.side == side:
                group[item.cause].append(item)
        total = sum(len(v) for v in group.values())
        lines.append("")
        lines.append(f"{side}: {total}")
        for cause, rows in sorted(group.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            lines.append(f"  {cause} ({len(rows)})")
            for row in rows:
                lines.append(f"    {row.fact.get('doc')}: {_quote(row.fact)}")
                lines.append(f"      this:    {_fields(row.fact, row.differs or None)}")
                if row.nearest is not None:
                    lines.append(
                        f"      nearest: {_fields(row.nearest, row.differs or None)}  «{_quote(row.nearest)}»"
                    )
    return "\n".join(lines) + "\n"
