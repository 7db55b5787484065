"""Scoring of predicted facts against gold facts, by the rules of shared/FACTS.md.

The figures are those of the reference scorer (shared/score.py) on the same
input: the same quote location, the same greedy matching order and the same
tolerances. A gold fact matches at most one prediction of its document: the
unused one of the same type and countries whose span overlaps the gold quote
most (the first such in prediction order on a tie); under the strict rule the
type's values must agree too. `meeting`, `agreement` and `project` are scored
on the lenient rule alone.

`run_eval` runs the pipeline over a directory of documents and scores what it
extracts; it is what `karavan eval` calls.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from karavan.doc import Doc

SOFT_TYPES = frozenset({"meeting", "agreement", "project"})
UNORDERED_TYPES = frozenset({"share", "meeting", "agreement", "project"})
ATTRIBUTES = ("claimant", "approx", "bound", "by", "factor")
MODES = ("strict", "lenient")
META_KEYS = ("url", "published", "source")

VALUE_REL_TOL = 0.005
CHANGE_PCT_TOL = 0.05
SHARE_PCT_TOL = 0.5
QUOTE_SHOWN = 90

Fact = dict[str, Any]
Interval = tuple[int, int]

_SPACE = "[\\s\u00a0\u202f\u2009]+"
_SPACE_RE = re.compile(_SPACE)


def locate(text: str, quote: Any, near: Any = None) -> Interval | None:
    """Span of `quote` in `text`, any run of spaces matching any other; the one nearest `near`."""
    if not quote:
        return None
    words = _SPACE_RE.sub(" ", quote).strip().split(" ")
    pattern = _SPACE.join(re.escape(w) for w in words)
    found = [m.span() for m in re.finditer(pattern, text)]
    if not found:
        return None
    if near is not None:
        found.sort(key=lambda sp: abs(sp[0] - near))
    return found[0]


def predicted_span(text: str, fact: Fact) -> Interval | None:
    """A prediction's span: its quote located near its `start`, else its start/end."""
    span = locate(text, fact.get("quote"), fact.get("start"))
    if span is None and isinstance(fact.get("start"), int) and isinstance(fact.get("end"), int):
        span = (fact["start"], fact["end"])
    return span


def overlaps(a: Interval | None, b: Interval | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def country_key(fact: Fact) -> frozenset[Any] | tuple[Any, Any]:
    """The countries of a fact: a set where order does not matter, else (reporter, partner)."""
    kind = fact.get("type")
    if kind in ("meeting", "project"):
        return frozenset(fact.get("countries") or [])
    if kind == "agreement":
        return frozenset(fact.get("parties") or [])
    pair = (fact.get("reporter"), fact.get("partner"))
    if kind in UNORDERED_TYPES or fact.get("flow") == "turnover":
        return frozenset(pair)
    return pair


def _numbers_agree(a: Any, b: Any, tol: float, relative: bool) -> bool:
    """Two numbers within `tol` (relative to the larger one, or absolute); two nulls agree, one null does not."""
    if a is None or b is None:
        return a is None and b is None
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= (tol * max(abs(x), abs(y), 1e-12) if relative else tol)


def values_close(a: Any, b: Any) -> bool:
    return _numbers_agree(a, b, VALUE_REL_TOL, relative=True)


def values_near(a: Any, b: Any, tol: float) -> bool:
    return _numbers_agree(a, b, tol, relative=False)


def _same(gold: Fact, pred: Fact, *keys: str) -> bool:
    return all(gold.get(k) == pred.get(k) for k in keys)


STRICT_CHECKS: dict[str, Callable[[Fact, Fact], bool]] = {
    "trade": lambda g, p: (
        _same(g, p, "flow", "product", "period")
        and values_close(g.get("value"), p.get("value"))
        and values_near(g.get("change_pct"), p.get("change_pct"), CHANGE_PCT_TOL)
    ),
    "target": lambda g, p: _same(g, p, "flow", "product") and values_close(g.get("value"), p.get("value")),
    "export_offer": lambda g, p: _same(g, p, "positions") and values_close(g.get("value"), p.get("value")),
    "partner_rank": lambda g, p: _same(g, p, "rank", "flow"),
    "share": lambda g, p: _same(g, p, "product") and values_near(g.get("pct"), p.get("pct"), SHARE_PCT_TOL),
}


def strict_agrees(gold: Fact, pred: Fact) -> bool:
    """The strict rule's value checks for the gold fact's type (none for other types)."""
    check = STRICT_CHECKS.get(gold["type"])
    return check is None or check(gold, pred)


def match(gold: list[Fact], pred: list[Fact], texts: dict[str, str], strict: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one matching in gold order: (gold index, prediction index) pairs."""
    by_doc: dict[Any, list[int]] = {}
    for i, p in enumerate(pred):
        by_doc.setdefault(p.get("doc"), []).append(i)
    spans: dict[int, Interval | None] = {}
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        g_span = locate(texts.get(g["doc"], ""), g.get("quote"))
        g_countries = country_key(g)
        best: tuple[int, int] | None = None  # (overlap length, prediction index)
        for pi in by_doc.get(g["doc"], []):
            p = pred[pi]
            if pi in used or p.get("type") != g["type"] or country_key(p) != g_countries:
                continue
            if pi not in spans:
                spans[pi] = predicted_span(texts.get(p.get("doc"), ""), p)
            p_span = spans[pi]
            if g_span is None or p_span is None or not overlaps(g_span, p_span):
                continue
            if strict and g["type"] not in SOFT_TYPES and not strict_agrees(g, p):
                continue
            length = min(g_span[1], p_span[1]) - max(g_span[0], p_span[0])
            if best is None or length > best[0]:
                best = (length, pi)
        if best is not None:
            used.add(best[1])
            pairs.append((gi, best[1]))
    return pairs


@dataclass(slots=True)
class Figures:
    """Precision, recall and F1 of one type (or all) under one rule."""

    tp: int
    gold: int
    pred: int

    @property
    def p(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"p": self.p, "r": self.r, "f1": self.f1, "tp": self.tp, "gold": self.gold, "pred": self.pred}


@dataclass(slots=True)
class ModeReport:
    """The figures of one rule (strict or lenient): overall and per type."""

    overall: Figures
    per_type: dict[str, Figures]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "per_type": {t: f.to_dict() for t, f in self.per_type.items()},
        }


@dataclass(slots=True, frozen=True)
class FactRef:
    """A missed gold fact or a spurious prediction, with the rule it was scored by."""

    doc: str
    type: str
    quote: str
    mode: str

    def line(self) -> str:
        return f"{self.doc}: {self.quote[:QUOTE_SHOWN]}"

    def to_dict(self) -> dict[str, str]:
        return {"doc": self.doc, "type": self.type, "quote": self.quote, "mode": self.mode}


@dataclass(slots=True)
class Report:
    """Everything the scoring says: figures, attribute accuracy, missed and spurious facts.

    `missed` and `spurious` list the strict-scored types under the strict rule,
    then meeting/agreement/project under the lenient rule.
    """

    strict: ModeReport
    lenient: ModeReport
    attributes: dict[str, float]
    missed: list[FactRef] = field(default_factory=list)
    spurious: list[FactRef] = field(default_factory=list)

    def mode(self, name: str) -> ModeReport:
        return self.strict if name == "strict" else self.lenient

    def to_dict(self) -> dict[str, Any]:
        """The reference scorer's JSON (`missed` as its strings) plus the structured lists."""
        return {
            "strict": self.strict.to_dict(),
            "lenient": self.lenient.to_dict(),
            "attributes": dict(self.attributes),
            "missed": [m.line() for m in self.missed if m.mode == "strict"],
            "spurious": [s.line() for s in self.spurious if s.mode == "strict"],
            "missed_facts": [m.to_dict() for m in self.missed],
            "spurious_facts": [s.to_dict() for s in self.spurious],
        }


def _type_order(kinds: Iterable[Any]) -> list[Any]:
    return sorted(set(kinds), key=lambda t: (t is None, str(t)))


def mode_report(gold: list[Fact], pred: list[Fact], pairs: list[tuple[int, int]]) -> ModeReport:
    per_type: dict[str, Figures] = {}
    for kind in _type_order([g["type"] for g in gold] + [p.get("type") for p in pred]):
        per_type[kind] = Figures(
            tp=sum(1 for gi, _ in pairs if gold[gi]["type"] == kind),
            gold=sum(1 for g in gold if g["type"] == kind),
            pred=sum(1 for p in pred if p.get("type") == kind),
        )
    return ModeReport(Figures(len(pairs), len(gold), len(pred)), per_type)


def attribute_accuracy(gold: list[Fact], pred: list[Fact], pairs: list[tuple[int, int]]) -> dict[str, float]:
    """Share of strict matches whose prediction has the gold value of each attribute the gold states."""
    counts: dict[str, list[int]] = {}
    for gi, pi in pairs:
        for attr in ATTRIBUTES:
            if attr in gold[gi]:
                right_total = counts.setdefault(attr, [0, 0])
                right_total[0] += int(gold[gi][attr] == pred[pi].get(attr))
                right_total[1] += 1
    return {a: right / total for a, (right, total) in counts.items()}


def _ref(fact: Fact, texts: dict[str, str], mode: str, span: Interval | None = None) -> FactRef:
    quote = fact.get("quote")
    if not quote and span is not None:
        quote = texts.get(fact.get("doc"), "")[span[0] : span[1]]
    return FactRef(str(fact.get("doc")), str(fact.get("type")), str(quote or ""), mode)


def _listed(kind: Any, strict: bool) -> bool:
    """Misses and spurious facts are listed under the rule a type is scored by."""
    return (kind in SOFT_TYPES) != strict


def score(gold: list[Fact], pred: list[Fact], docs: dict[str, str], types: set[str] | None = None) -> Report:
    """Score predicted facts against gold facts; `docs` maps document ids to their original texts."""
    if types:
        gold = [g for g in gold if g["type"] in types]
        pred = [p for p in pred if p.get("type") in types]
    gold_docs = {g["doc"] for g in gold}
    pred = [p for p in pred if p.get("doc") in gold_docs or p.get("doc") in docs]
    modes: dict[str, ModeReport] = {}
    attributes: dict[str, float] = {}
    missed: list[FactRef] = []
    spurious: list[FactRef] = []
    for mode in MODES:
        strict = mode == "strict"
        g_mode = [g for g in gold if not strict or g["type"] not in SOFT_TYPES]
        p_mode = [p for p in pred if not strict or p.get("type") not in SOFT_TYPES]
        pairs = match(g_mode, p_mode, docs, strict)
        modes[mode] = mode_report(g_mode, p_mode, pairs)
        if strict:
            attributes = attribute_accuracy(g_mode, p_mode, pairs)
        matched_g, matched_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        missed += [
            _ref(g, docs, mode)
            for i, g in enumerate(g_mode)
            if i not in matched_g and _listed(g["type"], strict)
        ]
        spurious += [
            _ref(p, docs, mode, predicted_span(docs.get(p.get("doc"), ""), p))
            for i, p in enumerate(p_mode)
            if i not in matched_p and _listed(p.get("type"), strict)
        ]
    return Report(modes["strict"], modes["lenient"], attributes, missed, spurious)


class EvalInputError(ValueError):
    """A gold, document or meta file that cannot be read; the message names the file (and line)."""


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file, one a line; blank lines are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise EvalInputError(f"{path}: cannot read: {err}") from err
    objects = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise EvalInputError(f"{path}:{number}: not JSON: {err.msg}") from err
        if not isinstance(obj, dict):
            raise EvalInputError(f"{path}:{number}: not a JSON object")
        objects.append(obj)
    return objects


def read_gold(path: Path) -> list[Fact]:
    """Gold facts; each needs `doc`, `type` and a string `quote`."""
    facts = read_jsonl(path)
    for number, fact in enumerate(facts, start=1):
        for key in ("doc", "type", "quote"):
            if not isinstance(fact.get(key), str):
                raise EvalInputError(f"{path}: fact {number}: `{key}` missing or not a string")
    return facts


def apply_meta(docs: dict[str, Doc], meta: list[dict[str, Any]]) -> None:
    """Set url/published/source of the documents a meta line names (by `id`)."""
    for line in meta:
        doc = docs.get(str(line.get("id")))
        if doc is None:
            continue
        for key in META_KEYS:
            if key in line:
                setattr(doc, key, line[key])


def load_docs(path: Path, meta: Path | None = None) -> dict[str, Doc]:
    """Documents of a directory (or one file) by id, read as `karavan ingest` reads them.

    .txt (with the folder's meta.jsonl), .html (main text) and .jsonl lines; other encodings are
    decoded as ingest does. `meta`, a JSONL file of {"id", "published", "source"}, replaces meta.jsonl.
    """
    from karavan.errors import KaravanError
    from karavan.ingest import read_paths

    def fail(problem: KaravanError) -> None:
        if not problem.warning:
            raise EvalInputError(str(problem))

    if not path.exists():
        raise EvalInputError(f"{path}: no such file or directory")
    docs = {doc.id: doc for doc in read_paths([path], report=fail)}
    if meta is not None:  # it takes the place of the folder's meta.jsonl for the .txt/.html files
        for doc in docs.values():
            if not (doc.path or "").endswith(".jsonl"):
                doc.url = doc.published = doc.source = None
        apply_meta(docs, read_jsonl(meta))
    return docs


def predict(docs: Iterable[Doc]) -> list[Fact]:
    """The pipeline's facts for each document, as FACTS.md dicts."""
    from karavan.pipeline import process  # the extractor is loaded only when predictions are needed

    return [fact.to_dict() for doc in docs for fact in process(doc).facts]


def _figures_line(label: str, kind: str, f: Figures) -> str:
    return f"{label:8} {kind:13} P={f.p:.2f} R={f.r:.2f} F1={f.f1:.2f} ({f.tp}/{f.gold} gold, {f.pred} pred)"


def _one_line(s: str) -> str:
    return _SPACE_RE.sub(" ", s)


def format_text(report: Report) -> str:
    """The human report: per-type lines, overall, attributes, then missed and spurious facts."""
    lines = [_figures_line(m, t, f) for m in MODES for t, f in report.mode(m).per_type.items()]
    lines += [_figures_line("overall", m, report.mode(m).overall) for m in MODES]
    attrs = " ".join(f"{a}={v:.2f}" for a, v in report.attributes.items())
    lines.append(f"attributes: {attrs or '(no strict matches)'}")
    lines += [f"missed:   {r.type:13} {_one_line(r.line())}" for r in report.missed]
    lines += [f"spurious: {r.type:13} {_one_line(r.line())}" for r in report.spurious]
    s, le = report.strict.overall, report.lenient.overall
    lines.append(f"strict F1={s.f1:.3f} P={s.p:.3f} R={s.r:.3f}; lenient F1={le.f1:.3f}")
    return "\n".join(lines) + "\n"


def format_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"


def run_eval(
    gold: Path,
    docs: Path,
    meta: Path | None,
    as_json: bool,
    min_f1: float | None,
    types: set[str] | None,
    out: TextIO,
    explain: bool = False,
) -> int:
    """Run the pipeline on the documents, score it against the gold and print the report.

    Returns 1 when `min_f1` is given and the strict overall F1 is below it, 2 when
    an input cannot be read, else 0.
    """
    try:
        gold_facts = read_gold(gold)
        documents = load_docs(docs, meta)
    except EvalInputError as err:
        print(f"karavan eval: {err}", file=sys.stderr)
        return 2
    absent = sorted({g["doc"] for g in gold_facts} - documents.keys())
    if absent:
        print(
            f"karavan eval: {len(absent)} gold document(s) not in {docs}: {', '.join(absent)}",
            file=sys.stderr,
        )
    predicted = predict(documents.values())
    texts = {d.id: d.text for d in documents.values()}
    report = score(gold_facts, predicted, texts, types)
    if explain:
        from karavan.explain import explain as explain_facts
        from karavan.explain import format_explained, read_marks

        try:
            items, figures = explain_facts(gold_facts, predicted, texts, read_marks(gold), types)
        except EvalInputError as err:
            print(f"karavan eval: {err}", file=sys.stderr)
            return 2
        out.write(format_explained(items, figures))
    out.write(format_json(report) if as_json else format_text(report))
    f1 = report.strict.overall.f1
    if min_f1 is not None and f1 < min_f1:
        print(f"karavan eval: strict F1 {f1:.3f} is below --min-f1 {min_f1}", file=sys.stderr)
        return 1
    return 0
