"""One fact per figure per document: a headline, a lead or a repeat that restates a fact is a mention of it.

Two numeric facts of one document state the same figure when they have the same type, countries, flow,
value and unit (for a change with no value: the same change) and their periods and products do not
contradict each other (equal, or one of them unstated). Of such a group the most complete statement is
kept (a body statement before a title; then the one with the most fields stated, the one naming its countries
itself, the one with a claimant, the earlier one), and the spans of the others become its `mentions` ({start, end} each), so
the dashboard can still highlight them.

Reads: the document's numeric facts. Sets: `mentions` on the kept facts.
"""

from __future__ import annotations

from karavan.doc import Fact

COMPARED = ("flow", "unit")
INFORMATIVE = ("period", "change_pct", "change_factor", "by", "positions", "rank", "pct")


def _countries(f: Fact) -> frozenset[str | None]:
    return frozenset((f.fields.get("reporter"), f.fields.get("partner")))


def _figure(f: Fact) -> tuple:
    fields = f.fields
    value = fields.get("value")
    if f.type == "partner_rank":
        return (f.type, id(f))  # a rank has no period to tell two statements apart: each is its own fact
    if value is None:
        return (
            f.type,
            _countries(f),
            fields.get("flow"),
            fields.get("change_pct"),
            fields.get("change_factor"),
            fields.get("factor"),
        )
    ordered = (
        (fields.get("reporter"), fields.get("partner"))
        if fields.get("flow") in ("export", "import")
        else _countries(f)
    )
    return (f.type, ordered, *[fields.get(k) for k in COMPARED], round(float(value), 6))


def _agree(a: Fact, b: Fact) -> bool:
    for key, empty in (("period", None), ("product", "total")):
        x, y = a.fields.get(key), b.fields.get(key)
        if x not in (None, empty) and y not in (None, empty) and x != y:
            return False
    return True


def _completeness(f: Fact, title: bool) -> tuple[int, int, float, int, int]:
    """A body statement before a title; then the most fields stated, the countries named in the statement
    itself (confidence), a claimant, and the earlier statement (the lead before a later repeat)."""
    filled = sum(1 for k in INFORMATIVE if f.fields.get(k) not in (None, False))
    filled += int(f.fields.get("product") not in (None, "total"))
    return int(not title), filled, f.confidence, int(f.claimant is not None), -f.start


def is_title(text: str, start: int) -> bool:
    """The line holding `start` is a title: the document's first line, or a line ending with no full stop."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", start)
    line = text[lo : hi if hi >= 0 else len(text)].strip()
    if not text[:lo].strip():
        return True
    return bool(line) and line[-1] not in '.!?…:;"»”)' and len(line) < 200


def one_per_figure(facts: list[Fact], text: str = "") -> list[Fact]:
    """The facts with restatements folded into the most complete one (order of the kept facts preserved)."""
    groups: list[list[Fact]] = []
    for f in facts:
        key = _figure(f)
        for g in groups:
            if _figure(g[0]) == key and all(_agree(f, other) for other in g):
                g.append(f)
                break
        else:
            groups.append([f])
    kept: dict[int, Fact] = {}
    for g in groups:
        best = max(g, key=lambda f: _completeness(f, is_title(text, f.start) if text else False))
        if len(g) > 1:
            others = [{"start": o.start, "end": o.end} for o in g if o is not best]
            best.fields["mentions"] = [*best.fields.get("mentions", []), *others]
            if best.claimant is None:
                best.claimant = next((o.claimant for o in g if o.claimant), None)
        kept[id(best)] = best
    return [f for f in facts if id(f) in kept]
