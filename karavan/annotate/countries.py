"""Countries in every case and form, from karavan/data/countries.tsv.

Kinds of form: `name` (a proper-noun stem with any inflection, first letter as
written), `exact` (an abbreviation as a whole token: РК, ҚР, USA), `adj` (an
adjective stem, any case: казахстанско-таджикский gives KZ and TJ), `capital`
(a capital standing for its government: Душанбе).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from karavan.annotate.lexicon import WORD_END, WORD_START


@dataclass(slots=True, frozen=True)
class CountryMatch:
    start: int
    end: int
    code: str
    form: str  # name, exact, adj, capital


@dataclass(frozen=True, slots=True)
class CountryGrammar:
    regex: re.Pattern[str]
    groups: dict[str, tuple[str, str]]  # regex group name -> (code, form)


def _entries() -> list[tuple[str, str, str, str]]:
    path = resources.files("karavan.data").joinpath("countries.tsv")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, kind, lang, form = line.split("\t")
        rows.append((code.strip(), kind.strip(), lang.strip(), form.strip()))
    return rows


def _form_regex(kind: str, form: str) -> str:
    words = [re.escape(w) for w in form.split(" ")]
    body = r"\s+".join(words)
    if kind == "exact":
        return WORD_START + body + WORD_END
    if kind == "adj":
        return WORD_START + "(?i:" + body + r")\w*"
    # name / capital: first letter as written (proper noun), the rest any case, any inflection
    head, rest = body[0], body[1:]
    return WORD_START + head + "(?i:" + rest + r")\w*"


@cache
def grammar() -> CountryGrammar:
    groups: dict[str, tuple[str, str]] = {}
    parts = []
    seen = set()
    for code, kind, _lang, form in sorted(_entries(), key=lambda r: -len(r[3])):
        if (kind, form) in seen:
            continue
        seen.add((kind, form))
        name = f"g{len(groups)}"
        groups[name] = (code, kind)
        parts.append(f"(?P<{name}>{_form_regex(kind, form)})")
    return CountryGrammar(re.compile("|".join(parts)), groups)


def read_countries(text: str) -> list[CountryMatch]:
    g = grammar()
    out = []
    for m in g.regex.finditer(text):
        code, form = g.groups[m.lastgroup or ""]
        out.append(CountryMatch(m.start(), m.end(), code, form))
    return out
