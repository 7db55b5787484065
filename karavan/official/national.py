"""A national statistics table (stat.gov.kz, stat.uz, stat.kg, a customs service) read through a mapping.

Tables differ in their columns, language, units and delimiters, so a small TOML file says how to read one:

    source = "stat.gov.kz"          # required: whose table it is
    reporter = "KZ"                 # whose statistics (or [columns] reporter)
    unit = "USD"                    # default USD
    scale = 1000                    # the table is in thousands (default 1)
    delimiter = ";"                 # default: found from the header
    encoding = "cp1251"             # default UTF-8
    period = "2024-01/2024-11"      # one period for every row (or [columns] period: 2023, январь-ноябрь 2024, ...)
    product = "total"               # default total (or [columns] product, read through [products])
    revised = "2024-12-20"          # the release date (or [columns] revised; else the --revised date)
    preliminary = false             # (or [columns] preliminary: да, yes, 1, ...)

    [columns]
    partner = "Страна"              # codes (CN, CHN, 156) or names in any language karavan reads
    [flows]                         # a value column per flow the table gives
    export = "Экспорт"
    import = "Импорт"
    turnover = "Товарооборот"
    [countries]                     # names to read as codes, where karavan's names fall short
    "КНР" = "CN"
    [products]                      # a product column's values as karavan products
    "Пшеница" = "wheat"

Rows whose partner is no one country (Всего, СНГ, ЕАЭС) are skipped and counted; an empty or `-` value
cell gives no figure. A wrong number, period or date stops the import, naming the line.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from karavan.data import load_toml
from karavan.official.comtrade import ReadResult
from karavan.official.countries import country_code
from karavan.official.model import FLOWS, BadOfficialFile, Figure
from karavan.official.periods import parse_period
from karavan.official.tables import Table, parse_number

FIELDS = ("reporter", "partner", "period", "product", "revised", "preliminary")
TOP_KEYS = {
    "source",
    "unit",
    "scale",
    "delimiter",
    "encoding",
    "columns",
    "flows",
    "countries",
    "products",
} | set(FIELDS)


@cache
def _yes() -> frozenset[str]:
    return frozenset(s.casefold() for s in load_toml("official.toml")["preliminary"]["yes"])


@dataclass(slots=True)
class Mapping:
    path: str
    source: str
    flows: dict[str, str]
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    unit: str = "USD"
    scale: float = 1.0
    delimiter: str | None = None
    encoding: str | None = None
    countries: dict[str, str] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)


def _text(data: dict[str, Any], key: str, path: str) -> str:
    v = data[key]
    if not isinstance(v, str) or not v.strip():
        raise BadOfficialFile(f"{key} must be a text, got {v!r}", path)
    return v.strip()


def load_mapping(path: str | Path) -> Mapping:
    """The mapping file, checked: an unknown key, a missing one or a wrong kind is an error naming it."""
    name = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadOfficialFile("no such mapping file", name) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise BadOfficialFile(f"not a TOML mapping: {e}", name) from None
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise BadOfficialFile(f"unknown key {unknown[0]!r}; the keys are {', '.join(sorted(TOP_KEYS))}", name)
    if "source" not in data:
        raise BadOfficialFile('no `source` (whose table it is, e.g. source = "stat.gov.kz")', name)
    tables: dict[str, dict[str, str]] = {}
    for key in ("columns", "flows", "countries", "products"):
        t = data.get(key, {})
        if not isinstance(t, dict) or not all(isinstance(v, str) for v in t.values()):
            raise BadOfficialFile(f"[{key}] must be a table of texts", name)
        tables[key] = {str(k): v for k, v in t.items()}
    bad = sorted(set(tables["columns"]) - set(FIELDS))
    if bad:
        raise BadOfficialFile(f"[columns] {bad[0]!r} is not one of {', '.join(FIELDS)}", name)
    bad = sorted(set(tables["flows"]) - set(FLOWS))
    if bad or not tables["flows"]:
        raise BadOfficialFile(f"[flows] must map some of {', '.join(FLOWS)} to value columns", name)
    constants = {k: data[k] for k in FIELDS if k in data}
    for k in ("reporter", "partner", "period"):
        if k not in constants and k not in tables["columns"]:
            raise BadOfficialFile(f"no {k}: give `{k} = ...` or a column in [columns]", name)
    scale = data.get("scale", 1)
    if isinstance(scale, bool) or not isinstance(scale, int | float) or scale <= 0:
        raise BadOfficialFile(f"scale must be a positive number, got {scale!r}", name)
    if "preliminary" in constants and not isinstance(constants["preliminary"], bool):
        raise BadOfficialFile("preliminary must be true or false", name)
    for k in ("reporter", "partner", "period", "product", "revised"):
        if k in constants:
            constants[k] = _text(constants, k, name)
    return Mapping(
        path=name,
        source=_text(data, "source", name),
        flows=tables["flows"],
        columns=tables["columns"],
        constants=constants,
        unit=_text(data, "unit", name) if "unit" in data else "USD",
        scale=float(scale),
        delimiter=_text(data, "delimiter", name).replace("\\t", "\t") if "delimiter" in data else None,
        encoding=_text(data, "encoding", name) if "encoding" in data else None,
        countries=tables["countries"],
        products=tables["products"],
    )


def iso_date(text: str, where: str, line: int | None) -> str:
    try:
        return date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        raise BadOfficialFile(f"revised {text!r} is not a date (YYYY-MM-DD)", where, line) from None


def read_national(table: Table, mapping: Mapping, revised: str) -> ReadResult:
    """The figures of a national table read through `mapping` (see the module doc)."""
    wanted = {**mapping.columns, **{f"flow {k}": v for k, v in mapping.flows.items()}}
    absent = [v for v in wanted.values() if v not in table.header]
    if absent:
        raise BadOfficialFile(
            f"the mapping {mapping.path} names column {absent[0]!r}, which the header does not have "
            f"(columns: {', '.join(table.header)})",
            table.path,
            1,
        )
    out = ReadResult([], len(table.rows))

    def field_of(row: dict[str, str], name: str) -> Any:
        return row[mapping.columns[name]] if name in mapping.columns else mapping.constants.get(name)

    for line, row in table.rows:
        reporter = country_code(field_of(row, "reporter"), mapping.countries)
        partner = country_code(field_of(row, "partner"), mapping.countries)
        if reporter is None or partner is None or reporter == partner:
            out.skipped["a row that is no one partner country (a total, a bloc, an unknown name)"] += 1
            continue
        text = field_of(row, "period")
        period = parse_period(text)
        if period is None:
            raise BadOfficialFile(f"period {text!r} cannot be read (2023, 2024-01/2024-11, январь-ноябрь 2024)",
                                  table.path, line)  # fmt: skip
        product = field_of(row, "product") or "total"
        if "product" in mapping.columns:
            product = mapping.products.get(product, product if product in mapping.products.values() else "")
            if not product:
                out.skipped["a product the mapping's [products] does not name"] += 1
                continue
        when = field_of(row, "revised")
        release = iso_date(when, table.path, line) if when else revised
        prelim = field_of(row, "preliminary")
        preliminary = prelim if isinstance(prelim, bool) else str(prelim or "").strip().casefold() in _yes()
        for flow, column in mapping.flows.items():
            try:
                value = parse_number(row[column])
            except ValueError:
                raise BadOfficialFile(f"{column} {row[column]!r} is not a number", table.path, line) from None
            if value is None:
                continue
            out.figures.append(Figure(mapping.source, reporter, partner, flow, product, period,
                                      value * mapping.scale, mapping.unit, preliminary, release, line))  # fmt: skip
    return out
