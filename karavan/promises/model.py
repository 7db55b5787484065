"""What the ledger holds: statements of a target, yearly figures, promises and their status changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from karavan.plain import as_plain, fields_of
from karavan.promises.heads import promise_head, restated_cells

STATUSES = ("on_track", "off_track", "met", "missed", "no_deadline", "superseded", "awaiting_data")


@dataclass(frozen=True, slots=True)
class TargetFact:
    """One stored `target` fact with the date of its document (ISO date, a year "YYYY", or "" undated)."""

    fact_id: int
    doc: str
    date: str
    countries: tuple[str, ...]
    ordered: bool
    flow: str
    product: str
    unit: str
    value: float | None
    factor: float | None
    by: str | None
    reporter: str | None
    claimant: str | None
    quote: str | None


@dataclass(slots=True)
class Statement:
    """The statements of one promise on one date: who, in which documents, in which words."""

    date: str
    docs: list[str]
    fact_ids: list[int]
    claimants: list[str]
    quotes: list[str]
    reporters: list[str]
    sources: list[dict[str, Any]] = field(default_factory=list)  # {doc, quote, claimant, fact_id} a fact

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(frozen=True, slots=True)
class YearFigure:
    """A year's value of the promise's measure: from official statistics or the press, known from a date.
    `kind` year (full year) or ytd (January to some month: counts for `met` only)."""

    year: int
    value: float
    kind: str
    source: str  # "KZ statistics (stat.gov.kz)", "press"
    known_from: str
    rank: int = (
        2  # which to take when a year has several: 0 the declarer's statistics, 1 the partner's, 2 press
    )

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class StatusChange:
    at: str
    status: str
    previous: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class Promise:
    id: str
    pair: str
    countries: list[str]
    ordered: bool
    flow: str
    product: str
    unit: str
    level: float | None  # None for a factor target before its baseline is known
    factor: float | None
    by: str | None
    declared: Statement
    restatements: list[Statement]
    baseline: YearFigure | None = None
    latest: YearFigure | None = None
    required_growth_pct: float | None = None
    growth_since_pct: float | None = None
    progress_pct: float | None = None
    status: str = "awaiting_data"
    reason: str = ""
    superseded_by: str | None = None
    history: list[StatusChange] = field(default_factory=list)

    @property
    def statements(self) -> list[Statement]:
        return [self.declared, *self.restatements]

    @property
    def last_stated(self) -> str:
        return self.statements[-1].date

    def to_dict(self) -> dict[str, Any]:
        return self._dict(lambda part: part.to_dict())

    def to_json(self) -> str:
        """json.dumps(self.to_dict(), ensure_ascii=False) without copying: its statements, figures and
        changes hold plain values only (a big pair's 20 promises carry 2.2 MB of sources)."""
        return json.dumps(self._dict(fields_of), ensure_ascii=False)

    def stored_json(self) -> tuple[str, str, str]:
        """The promise's columns in the store, as JSON, from one view of it without copying: its data
        (to_json), its head (the list form, heads.promise_head) and its restatements' CSV cells
        (heads.restated_cells)."""
        d = self._dict(fields_of)
        data, head, restated = (
            json.dumps(x, ensure_ascii=False) for x in (d, promise_head(d), restated_cells(d))
        )
        return data, head, restated

    def _dict(self, part: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        """The promise as a dict, each statement, figure and change through `part`."""
        out = {k: getattr(self, k) for k in self.__slots__}
        for k in ("declared", "baseline", "latest"):
            out[k] = part(out[k]) if out[k] is not None else None
        out["restatements"] = [part(s) for s in self.restatements]
        out["history"] = [part(h) for h in self.history]
        out["last_stated"] = self.last_stated
        return out
