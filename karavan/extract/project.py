"""Project facts: a concrete joint plant, deposit or power station being built, launched or opened.

"строительство ферросплавного завода в Таш-Кумыре" -> name "ferroalloy plant", place "Tash-Kumyr",
countries the document's pair. Precision first: the facility must be singular and named by a product
(data/projects.toml) or a proper name ("ГЭС Камбарата-1"); plural and vague phrases are skipped.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from karavan.annotate.people_context import cities, doc_pair, lang_at, sentences
from karavan.annotate.people_data import LiteralGate, caseless
from karavan.doc import Doc, Fact


@dataclass(frozen=True, slots=True)
class _Rules:
    action: re.Pattern[str]
    facility: tuple[tuple[str, re.Pattern[str]], ...]
    products: tuple[tuple[str, str], ...]
    action_gate: LiteralGate  # sentences without the beginning of an action noun hold no project


@cache
def _rules() -> _Rules:
    with resources.files("karavan.data").joinpath("projects.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return _Rules(
        action=re.compile(
            r"(?<!\w)(?:" + "|".join(raw["actions"]) + r")(?:\s+(?:" + "|".join(raw["joint"]) + r"))?",
            re.IGNORECASE,
        ),
        facility=tuple(
            (v[0], re.compile(r"(?<!\w)(?:" + "|".join(v[1:]) + r")(?!\w)"))
            for v in raw["facilities"].values()
        ),
        products=tuple(sorted(raw["products"].items(), key=lambda kv: -len(kv[0]))),
        action_gate=LiteralGate(raw["actions"], re.IGNORECASE),
    )


_WORD = re.compile(r"[\w-]+")


def _product(words: list[str], rules: _Rules) -> str | None:
    for w in words:
        low = w.lower()
        for stem, english in rules.products:
            if low.startswith(stem):
                return english
    return None


def extract_projects(doc: Doc) -> list[Fact]:
    rules = _rules()
    places = cities(doc)
    pair = doc_pair(doc, places=places)
    action_at = rules.action_gate.hits(caseless(doc.text))
    found: dict[str, Fact] = {}
    for sent in sentences(doc):
        at = action_at.first(sent.start, sent.end)
        if at is None:
            continue
        text = doc.text[sent.start : sent.end]
        for act in rules.action.finditer(text, at - sent.start):
            window = text[act.end() : act.end() + 80]
            for english, frx in rules.facility:
                fm = frx.search(window)
                if not fm:
                    continue
                between = window[: fm.start()]
                words = _WORD.findall(between)
                if len(words) > 3 or re.search(r"[,.;]", between):
                    continue
                after = window[fm.end() :]
                by_product = re.match(r"\s+по\s+(?:производству|выпуску|переработке)\s+([\w-]+)", after)
                product = _product(words, rules) or (
                    _product([by_product.group(1)], rules) if by_product else None
                )
                proper = re.match(r"\s+[«\"]?([A-ZА-ЯЁ][\w-]*(?:-\d+)?)", after)
                if product is None and proper is None:
                    continue
                name = f"{product} {english}" if product else f"{proper.group(1)} {english}"  # type: ignore[union-attr]
                if product and product.endswith(("refinery", "smelter", "processing")):
                    name = product
                tail = by_product.end() if by_product else (proper.end() if proper and not product else 0)
                end = act.end() + fm.end() + tail
                place = None
                loc = re.match(r"\s+(?:в|во|in)\s+", text[end:])
                if loc:
                    city = next((p for p in places if p.start == sent.start + end + loc.end()), None)
                    if city:
                        place = city.city
                        end = city.end - sent.start
                if name in found:
                    break
                start = sent.start + act.start()
                countries = (
                    pair if len(pair) == 2 else sorted({*pair, *([city.code] if loc and place else [])})
                )
                if len(countries) < 2:
                    break
                found[name] = Fact(
                    type="project",
                    doc=doc.id,
                    start=start,
                    end=sent.start + end,
                    quote=doc.text[start : sent.start + end],
                    fields={"name": name, "countries": countries, "place": place},
                    lang=lang_at(doc, start, sent.start + end),
                    rule="project.facility",
                )
                break
    return sorted(found.values(), key=lambda f: f.start)
