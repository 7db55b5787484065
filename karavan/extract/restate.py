"""One fact per figure per document: a headline, a lead or a repeat that restates a fact is a mention of it.

Two numeric facts of one document state the same figure when they have the same type, countries, flow,
value and unit (for a change with no value: the same change) and their periods and products do not
contradict each other (equal, or one of them unstated). Of such a group the most complete statement is
kept (a body statement before a title; then the one with the most fields stated, the one naming its countries
itself, the earlier one, the one with a claimant), and the spans of the others become its `mentions` ({start, end} each), so
the dashboard can still highlight them.

Reads: the document's numeric facts. Sets: `mentions` on the kept facts.
"""

from __future__ import annotations

import re
from bisect import bisect_left

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
    itself (confidence), the earlier statement (the lead before a later repeat), a claimant. The kept fact
    takes the claimant of a restatement when it has none."""
    filled = sum(1 for k in INFORMATIVE if f.fields.get(k) not in (None, False))
    filled += int(f.fields.get("product") not in (None, "total"))
    has_value = int(f.fields.get("value") is not None)
    return int(not title), has_value + filled, f.confidence, -f.start, int(f.claimant is not None)


def is_title(text: str, start: int) -> bool:
    """The line holding `start` is a title: a line of its own ending with no full stop."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", start)
    return _line_is_title(text[lo : hi if hi >= 0 else len(text)])


def _line_is_title(line: str) -> bool:
    line = line.strip()
    return bool(line) and line[-1] not in '.!?…:;"»”)' and len(line) < 200


class _Titles:
    """is_title for many places of one text: the line breaks found once and each line judged once (a search
    and a strip of the whole line, per fact, was quadratic in a long line of many facts)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks: list[int] | None = None
        self.lines: dict[int, bool] = {}

    def at(self, start: int) -> bool:
        if self.breaks is None:
            self.breaks = [m.start() for m in re.finditer("\n", self.text)]
        k = bisect_left(self.breaks, start)  # the first break at or after start ends its line
        if k not in self.lines:
            lo = self.breaks[k - 1] + 1 if k else 0
            hi = self.breaks[k] if k < len(self.breaks) else len(self.text)
            self.lines[k] = _line_is_title(self.text[lo:hi])
        return self.lines[k]


def one_per_figure(facts: list[Fact], text: str = "") -> list[Fact]:
    """The facts with restatements folded into the most complete one (order of the kept facts preserved). A
    change stated with no figure ("тауар айналымы үш есеге өсті" in a headline) is a restatement of the
    figure stated with the same change."""
    groups: list[list[Fact]] = []
    by_figure: dict[tuple, list[list[Fact]]] = {}  # the groups of each figure, in the order made (a scan of
    # every group for each fact was quadratic in a document of thousands of figures)
    for f in facts:
        same = by_figure.setdefault(_figure(f), [])
        home = next((g for g in same if all(_agree(f, other) for other in g)), None)
        if home is not None:
            home.append(f)
        else:
            same.append([f])
            groups.append(same[-1])
    groups = _fold_changes(groups)
    titles = _Titles(text)
    kept: dict[int, Fact] = {}
    for g in groups:
        best = max(g, key=lambda f: _completeness(f, titles.at(f.start) if text else False))
        if len(g) > 1:
            others = [{"start": o.start, "end": o.end} for o in g if o is not best]
            best.fields["mentions"] = [*best.fields.get("mentions", []), *others]
            if best.claimant is None:
                best.claimant = next((o.claimant for o in g if o.claimant), None)
        kept[id(best)] = best
    return [f for f in facts if id(f) in kept]


def _fold_changes(groups: list[list[Fact]]) -> list[list[Fact]]:
    """Groups of a change with no figure joined to the group of a figure with the same change (the first
    such group that agrees, found through an index of the figures' changes: a scan of every group for
    each change was quadratic in a long document)."""
    out: list[list[Fact]] = []
    changes = []
    for g in groups:
        f = g[0]
        if f.type == "trade" and f.fields.get("value") is None:
            changes.append(g)
        else:
            out.append(g)
    index: dict[tuple, list[int]] = {}
    for i, g in enumerate(out):
        for key in _change_keys(g[0]):
            index.setdefault(key, []).append(i)
    for g in changes:
        f = g[0]
        candidates = sorted({i for key in _change_keys(f) for i in index.get(key, ())})
        home = next(
            (out[i] for i in candidates if _same_change(f, out[i][0]) and all(_agree(f, o) for o in out[i])),
            None,
        )
        if home is not None:
            home.extend(g)
        else:
            out.append(g)
    return out


def _change_keys(f: Fact) -> list[tuple]:
    """Where a fact's change is filed: (countries, flow, measure, value), for its change_pct and factor."""
    fields = f.fields
    countries, flow = _countries(f), fields.get("flow")
    return [
        (countries, flow, name, fields[name])
        for name in ("change_pct", "change_factor")
        if fields.get(name) is not None and fields[name] == fields[name]  # NaN equals nothing
    ]


def _same_change(change: Fact, figure: Fact) -> bool:
    a, b = change.fields, figure.fields
    if figure.type != "trade" or b.get("value") is None or _countries(change) != _countries(figure):
        return False
    if a.get("flow") != b.get("flow"):
        return False
    same_pct = a.get("change_pct") is not None and a.get("change_pct") == b.get("change_pct")
    same_factor = a.get("change_factor") is not None and a.get("change_factor") == b.get("change_factor")
    return same_pct or same_factor
