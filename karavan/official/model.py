"""Official figures and the verdicts of press facts against them.

A `Figure` is one number of one country's statistics: the reporter's exports to, imports from, or
turnover with a partner, for a product and a period, from a source (UN Comtrade, stat.gov.kz), as of a
revision (or download) date, perhaps preliminary. A `Verdict` says how one press trade fact stands against
the reporter's own figures and the partner's mirror figures (see compare.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from karavan.errors import KaravanError
from karavan.plain import as_plain

FLOWS = ("export", "import", "turnover")
VERDICTS = ("official", "mirror", "neither", "none")
CAUSES = ("rounding", "preliminary", "period", "flow", "currency", "mirror_gap", "unexplained")


class BadOfficialFile(KaravanError):
    """An official statistics file (or its mapping) that cannot be read: nothing of it is stored."""

    code = "E501"


@dataclass(frozen=True, slots=True)
class Figure:
    """One official figure. `derived` marks a turnover summed from the same release's exports and imports."""

    source: str
    reporter: str
    partner: str
    flow: str
    product: str
    period: str
    value: float
    unit: str
    preliminary: bool = False
    revised: str = ""
    line: int | None = None
    derived: bool = False
    id: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        """What the figure is of, whatever its source and release."""
        return (self.reporter, self.partner, self.flow, self.product, self.period, self.unit)

    def to_dict(self) -> dict[str, Any]:
        return as_plain(self)


@dataclass(slots=True)
class SideCheck:
    """The press figure against one side's statistics: `role` official (the fact's reporter) or mirror.

    `figure` is that side's current figure of the same flow, product and period (None when it has none);
    `matches` when the press figure is that figure (exactly, by rounding, or an earlier release of it);
    `cause` of the difference; `explained_by` the figure that explains it (another period, flow or release).
    """

    role: str
    country: str
    figure: Figure | None
    diff_pct: float | None
    matches: bool
    cause: str | None = None
    explained_by: Figure | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "country": self.country,
            "figure": self.figure.to_dict() if self.figure else None,
            "diff_pct": self.diff_pct,
            "matches": self.matches,
            "cause": self.cause,
            "explained_by": self.explained_by.to_dict() if self.explained_by else None,
        }


@dataclass(slots=True)
class Verdict:
    """How one press trade fact stands against the official statistics of both sides.

    `verdict`: official (matches the reporter's own data), mirror (matches the partner's), neither (by
    `diff_pct` against the nearer side's figure), none (no official figure yet). `cause` of the
    disagreement (or of the small difference of a match: rounding, preliminary); `gap_pct` the mirror gap
    the official data itself shows, (partner's figure - reporter's) / reporter's.
    """

    fact_id: int | None
    verdict: str
    cause: str | None
    diff_pct: float | None
    sides: list[SideCheck] = field(default_factory=list)
    gap_pct: float | None = None

    @property
    def matched(self) -> SideCheck | None:
        return next((s for s in self.sides if s.matches), None)

    def side(self, role: str) -> SideCheck | None:
        return next((s for s in self.sides if s.role == role), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "fact_id": self.fact_id,
            "verdict": self.verdict,
            "cause": self.cause,
            "diff_pct": self.diff_pct,
            "gap_pct": self.gap_pct,
            "sides": [s.to_dict() for s in self.sides],
        }


def figure_from_dict(d: dict[str, Any] | None) -> Figure | None:
    return None if d is None else Figure(**d)
