"""UN Comtrade's CSV layout (the data API's and the web site's download) as official figures.

Comtrade returns one row per commodity, customs procedure and mode of transport; summing them counts
the same goods several times. Only the total rows count here: customs procedure C00 (all procedures),
mode of transport 0 (all modes), second partner 0 (world), flow X (exports) or M (imports), and commodity
TOTAL (all commodities), or an HS code that data/comtrade_commodities.tsv names (1001 is `wheat`). Every
other row is skipped and counted by its reason. The reporter is whose statistics a row is: China's
exports to Kazakhstan (reporter CHN, partner KAZ, X) mirror Kazakhstan's imports from China.

Columns (any order, case not minded): reporterCode or reporterISO, partnerCode or partnerISO, flowCode,
cmdCode, period (YYYY, or YYYYMM for monthly data), primaryValue (USD), customsCode, motCode; optional
partner2Code, mosCode, freqCode, isAggregate and the others Comtrade writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from karavan.official.countries import country_code
from karavan.official.model import BadOfficialFile, Figure
from karavan.official.periods import parse_period
from karavan.official.tables import Table, parse_number

SOURCE = "UN Comtrade"
REQUIRED = ("flowcode", "cmdcode", "period", "primaryvalue", "customscode", "motcode")
FLOWS = {"X": "export", "M": "import"}
TOTAL_CUSTOMS = "C00"
TOTAL_MOT = "0"
TOTAL_CMD = "TOTAL"


@dataclass(slots=True)
class ReadResult:
    """What a reader made of a file: its figures, how many data rows it had, the skipped rows by reason."""

    figures: list[Figure]
    rows: int
    skipped: Counter[str] = field(default_factory=Counter)


@cache
def hs_products() -> dict[str, str]:
    """Comtrade cmdCode -> karavan product (data/comtrade_commodities.tsv)."""
    from karavan.export import commodity_codes

    return {code.upper(): product for product, (code, _) in commodity_codes().items() if code}


def _cell(row: dict[str, str], *names: str) -> str:
    for n in names:
        if n in row and row[n] != "":
            return row[n]
    return ""


def _zero(value: str) -> bool:
    return value.strip() in ("", "0", "0.0")


def read_comtrade(table: Table, revised: str, preliminary: bool = False, source: str = SOURCE) -> ReadResult:
    """The total rows of a Comtrade CSV table as figures (see the module doc); a bad row raises, naming its line."""
    lower = {h.lower(): h for h in table.header}
    missing = [c for c in REQUIRED if c not in lower]
    if "reportercode" not in lower and "reporteriso" not in lower:
        missing.append("reporterCode or reporterISO")
    if "partnercode" not in lower and "partneriso" not in lower:
        missing.append("partnerCode or partnerISO")
    if missing:
        raise BadOfficialFile(
            f"not UN Comtrade's layout: no column {', '.join(missing)} in the header", table.path, 1
        )
    out = ReadResult([], len(table.rows))
    seen: dict[tuple[str, ...], tuple[float, int]] = {}
    for line, raw in table.rows:
        row = {k.lower(): v for k, v in raw.items()}
        if row["customscode"].upper() != TOTAL_CUSTOMS:
            out.skipped["one customs procedure (not C00)"] += 1
            continue
        if row["motcode"].strip() != TOTAL_MOT:
            out.skipped["one mode of transport (not 0)"] += 1
            continue
        if not _zero(row.get("partner2code", "")) or not _zero(row.get("moscode", "")):
            out.skipped["one second partner or mode of supply"] += 1
            continue
        flow = FLOWS.get(row["flowcode"].strip().upper())
        if flow is None:
            out.skipped[f"flow {row['flowcode'] or '(empty)'} (not X or M)"] += 1
            continue
        cmd = row["cmdcode"].strip().upper()
        product = "total" if cmd == TOTAL_CMD else hs_products().get(cmd)
        if product is None:
            out.skipped["a commodity karavan has no product for"] += 1
            continue
        reporter = country_code(_cell(row, "reporteriso", "reportercode"))
        partner = country_code(_cell(row, "partneriso", "partnercode"))
        if reporter is None or partner is None or reporter == partner:
            out.skipped["a reporter or partner that is no country karavan knows (World, areas nes)"] += 1
            continue
        period = parse_period(row["period"])
        if period is None:
            raise BadOfficialFile(f"period {row['period']!r} is neither YYYY nor YYYYMM", table.path, line)
        try:
            value = parse_number(row["primaryvalue"])
        except ValueError:
            raise BadOfficialFile(
                f"primaryValue {row['primaryvalue']!r} is not a number", table.path, line
            ) from None
        if value is None:
            out.skipped["a total row without a value"] += 1
            continue
        key = (reporter, partner, flow, product, period)
        if key in seen:
            if seen[key][0] != value:
                raise BadOfficialFile(
                    f"a second total row for {reporter}->{partner} {flow} {product} {period} with another value "
                    f"({value:g}; line {seen[key][1]} has {seen[key][0]:g})",
                    table.path,
                    line,
                )
            out.skipped["a repeated total row"] += 1
            continue
        seen[key] = (value, line)
        out.figures.append(
            Figure(source, reporter, partner, flow, product, period, value, "USD", preliminary, revised, line)
        )
    return out
