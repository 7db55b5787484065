"""Project facts: a concrete joint plant, railway, power station, hub or venture being built or launched.

"строительство ферросплавного завода в Таш-Кумыре" -> name "ferroalloy plant", place "Tash-Kumyr";
"совместному строительству Яванской ГЭС на реке Зеравшан" -> "Yavan hydropower plant on the Zeravshan
river"; Kazakh "жаңа логистикалық орталық салу" -> "logistics centre". Countries: the document's pair
and the countries named in the project's clause ("участие Узбекистана ... вместе с Казахстаном").

Matched on the normalised view (Kazakh Latin reads as Cyrillic), reported in original offsets.
Precision first (data/projects.toml): only adjectives stand between the action and a singular
facility, and the facility must be concrete (a product word, a proper name or a city).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from karavan.annotate.people_context import Place, cities, countries, doc_pair, lang_at, sentences, view_of
from karavan.annotate.people_data import LiteralGate, doc_caseless, load_data, scan
from karavan.doc import Doc, Fact

_WORD = re.compile(r"[\w-]+")
_SPACE = re.compile(r"\s*")
_CAP = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]"
# a proper name after the facility: "Дарбаза - Мактаарал", "Камбарата-1", "«Кызыл-Жар»"
_PROPER_AFTER = re.compile(
    r'\s+"?(' + _CAP + r"[\w]*(?:-[\w]+)*(?:\s+[-–—]\s+" + _CAP + r"[\w]*(?:-[\w]+)*)?)\"?"
)
_NEXT_WORD = re.compile(r"\s+([\w-]+)")


@dataclass(frozen=True, slots=True)
class _Facility:
    english: str
    needs_product: bool


@dataclass(frozen=True, slots=True)
class _Rules:
    action: re.Pattern[str]
    joint: re.Pattern[str]
    skip: re.Pattern[str]
    facility: re.Pattern[str]  # groups f0, f1, ...
    facilities: tuple[_Facility, ...]
    kk: re.Pattern[str]  # Kazakh: facility then action noun
    kk_stop: re.Pattern[str]
    adjective: re.Pattern[str]
    plural_adjective: re.Pattern[str]
    products: tuple[tuple[str, str], ...]
    proper: tuple[tuple[str, str], ...]
    latin: dict[str, str]
    joint_names: dict[str, str]
    gate: LiteralGate  # sentences with none of these literal beginnings hold no project
    kk_action: re.Pattern[str] | None  # the Kazakh action words' caseless beginnings (None: unknown)
    by_product: re.Pattern[str]  # "по производству X [Y]": groups 1 and 2
    location: re.Pattern[str]  # "в ", "near " before a city
    river: re.Pattern[str]  # "на реке Зеравшан": group 1
    boundary: re.Pattern[str]  # where a project's clause ends
    direction: re.Pattern[str]  # a preposition ending the text: the next country is a direction


def _words(pats: list[str]) -> str:
    return "(?:" + "|".join(pats) + ")"


@cache
def _rules() -> _Rules:
    raw = load_data("projects.toml")
    specs = list(raw["facilities"].values())
    fac = "|".join(f"(?P<f{i}>" + _words(v[2:]) + ")" for i, v in enumerate(specs))
    ic = re.IGNORECASE
    return _Rules(
        action=re.compile(r"(?<!\w)" + _words(raw["actions"]) + r"(?!\w)", ic),
        joint=re.compile(_words(raw["joint"]) + r"$", ic),
        skip=re.compile(_words(raw["skip"]) + r"$", ic),
        facility=re.compile(r"(?:" + fac + r")(?!\w)", ic),
        facilities=tuple(_Facility(v[0], v[1] == "product") for v in specs),
        kk=re.compile(
            r"(?<![\w-])(?:" + fac + r")\s+" + _words(raw["kk_actions"]) + r"(?!\w)",
            ic,
        ),
        kk_stop=re.compile(_words(raw["kk_stop"]) + r"$", ic),
        adjective=re.compile(raw["adjective"] + "$", ic),
        plural_adjective=re.compile(raw["plural_adjective"] + "$", ic),
        products=tuple(sorted(raw["products"].items(), key=lambda kv: -len(kv[0]))),
        proper=tuple(sorted(raw["proper"].items(), key=lambda kv: -len(kv[0]))),
        latin=raw["latin"],
        joint_names=raw["joint_names"],
        gate=LiteralGate([*raw["actions"], *raw["kk_actions"]], ic),
        kk_action=LiteralGate(raw["kk_actions"], ic).rx,
        by_product=re.compile(
            r"\s+" + _words(raw["by_product"]) + r"\s+([\w-]+)"
            r"(?:\s+(?!" + _words(raw["product_end"]) + r"\s)([\w-]+))?",
            ic,
        ),
        location=re.compile(r"\s+" + _words(raw["location"]) + r"\s+"),
        river=re.compile(
            r"\s+"
            + _words(raw["river"])
            + r"\s+("
            + _CAP
            + r"[\w-]*)(?:\s+"
            + _words(raw["river_after"])
            + ")?"
        ),
        boundary=re.compile(r"[,;:]|\s" + _words(raw["clause_break"]) + r"\s|\s-\s(?!\w+\s*[,.])"),
        direction=re.compile(r"(?:^|\s)" + _words(raw["direction"]) + r"\s*$", ic),
    )


def _product(word: str, rules: _Rules) -> str | None:
    low = word.lower()
    for stem, english in rules.products:
        if low.startswith(stem):
            return english
    if "-" in low:  # a compound not listed whole: its parts
        parts = [_product(p, rules) for p in low.split("-") if p]
        if parts and all(parts):
            return " ".join(p for p in parts if p)
    return None


def _latin(word: str, rules: _Rules) -> str:
    if not re.search(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]", word):
        return word
    out = []
    for ch in word:
        low = ch.lower()
        latin = rules.latin.get(low, ch)
        out.append(latin.capitalize() if ch != low else latin)
    return "".join(out)


def _proper_name(word: str, rules: _Rules) -> str:
    """ "Яванской" -> "Yavan", "Камбаратинской" -> "Kambarata", "Дарбаза" -> "Darbaza"."""
    low = word.lower()
    number = re.search(r"-\d+$", word)
    for stem, english in rules.proper:
        if low.startswith(stem):
            return english + (number.group() if number else "")
    stem = re.sub(r"(?:ин)?ск(?:ая|ой|ую|ий|ого|ому|им|ом|ое)$", "", word)
    return _latin(stem, rules)


@dataclass(slots=True)
class _Found:
    start: int  # view offsets
    end: int
    name: str
    place: str | None


def _head_first(
    text: str, base: int, places: list[Place], rules: _Rules, cands: list[int] | None = None
) -> list[_Found]:
    """Russian and English: action, adjectives, facility, tail. `base`: view offset of `text`; `cands`:
    where in `text` a gate word begins at a word start (`Hits.word_starts`), None when unknown.

    An action begins with (?<!\\w) and a gate word, so `scan` at the candidates finds the actions
    `rules.action.finditer(text)` finds."""
    out: list[_Found] = []
    acts = rules.action.finditer(text) if cands is None else scan(rules.action, text, cands)
    for act in acts:
        start = act.start()
        before = _WORD.findall(text[max(0, start - 20) : start])
        joint = bool(rules.joint.match(act.group()))
        if before and rules.joint.match(before[-1]):
            start = text.rfind(before[-1], 0, start)
            joint = True
        pos = act.end()
        modifiers: list[str] = []
        fm = None
        for _ in range(6):
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
            fm = rules.facility.match(text, pos)
            if fm:
                break
            wm = _WORD.match(text, pos)
            if not wm:
                break
            word = wm.group()
            if rules.joint.match(word) or rules.skip.match(word):
                joint = joint or bool(rules.joint.match(word))
                pos = wm.end()
                continue
            if rules.plural_adjective.match(word) or len(modifiers) >= 3:
                break
            latin = word[:1].isascii()
            if not (latin or rules.adjective.match(word)):
                break
            modifiers.append(word)
            pos = wm.end()
        if fm is None:
            continue
        i = int((fm.lastgroup or "f0")[1:])
        facility = rules.facilities[i]
        products = [p for p in (_product(w, rules) for w in modifiers) if p]
        proper = [w for w in modifiers if w[:1].isupper()]
        end = fm.end()
        suffix = re.search(r"-\d+$", fm.group())
        tail = text[end:]
        by = rules.by_product.match(tail)
        if by:
            two = f"{by.group(1)} {by.group(2)}" if by.group(2) else None
            if by.group(1).isascii():  # English: the words as written
                got, whole = (two or by.group(1)).lower(), True
            else:
                got, whole = (two and _product(two, rules)), True
                if not got:
                    got, whole = _product(by.group(1), rules), False
            if got:
                products.append(got)
                end += by.end() if whole else by.end(1)
        elif (
            facility.english == "production"
            and (nxt := _NEXT_WORD.match(tail))
            and _product(nxt.group(1), rules)
        ):
            products.append(_product(nxt.group(1), rules) or "")  # "производства автомобилей"
            end += nxt.end()
        elif not proper:
            pm = _PROPER_AFTER.match(tail)
            if pm and not places_at(places, base + end + pm.start(1)):
                proper = [pm.group(1)]
                end += pm.end()
        place = None
        loc = rules.location.match(text, end)
        if loc:
            city = places_at(places, base + loc.end())
            if city is not None:
                place = city.city
                end = city.end - base
        river = rules.river.match(text, end)
        if not products and not proper and place is None:
            continue
        if facility.needs_product and not products:
            continue
        words = [_proper_name(w, rules) if not w.isascii() else w for w in proper]
        if proper and suffix and not words[-1].endswith(suffix.group()):
            words[-1] += suffix.group()
        english = rules.joint_names.get(facility.english, facility.english) if joint else facility.english
        name = " ".join([*words, *products, english])
        if river:
            name += f" on the {_latin(river.group(1), rules)} river"
            end = river.end()
        out.append(_Found(base + start, base + end, name, place))
    return out


def places_at(places: list[Place], view_pos: int) -> Place | None:
    return next((p for p in places if p.start == view_pos), None)


def _head_last(text: str, base: int, places: list[Place], rules: _Rules) -> list[_Found]:
    """Kazakh: modifiers, facility, action noun ("сауда-логистикалық хабы құру")."""
    out: list[_Found] = []
    for m in rules.kk.finditer(text):
        facility = rules.facilities[int(next(k for k, v in m.groupdict().items() if v)[1:])]
        start = m.start()
        products: list[str] = []
        for wm in reversed(list(_WORD.finditer(text, max(0, start - 80), start))):
            gap = text[wm.end() : start]
            if gap.strip() not in ("", '"'):
                break
            word = wm.group()
            if rules.joint.match(word) or rules.skip.match(word):
                start = wm.start()
                continue
            if rules.kk_stop.match(word) or len(products) >= 3:
                break
            got = _product(word, rules)
            if got is None:
                break
            products.insert(0, got)
            start = wm.start()
        clause = text[: m.start()]
        cut = max((b.end() for b in rules.boundary.finditer(clause)), default=0)
        city = next((p for p in places if base + cut <= p.start < base + m.start()), None)
        if not products and city is None:
            continue
        if facility.needs_product and not products:
            continue
        out.append(
            _Found(
                base + start,
                base + m.end(),
                " ".join([*products, facility.english]),
                city.city if city else None,
            )
        )
    return out


def _may_head_last(low: str | None, base: int, cands: list[int] | None, rules: _Rules) -> bool:
    """False when the sentence at view offset `base` holds no Kazakh action word, so `_head_last` finds
    nothing: its pattern needs one after spaces, at a word start, where a gate word begins (a candidate)."""
    if cands is None or low is None or rules.kk_action is None:
        return True
    return any(rules.kk_action.match(low, base + c) for c in cands)


def _clause_countries(text: str, base: int, found: _Found, nations: list[Place], rules: _Rules) -> set[str]:
    """Countries named in the project's clause, not as a destination or location ("в Китай")."""
    a, b = found.start - base, found.end - base
    cut = max((m.end() for m in rules.boundary.finditer(text, 0, a)), default=0)
    nxt = rules.boundary.search(text, b)
    stop = nxt.start() if nxt else len(text)
    return {
        p.code
        for p in nations
        if base + cut <= p.start < base + stop and not rules.direction.search(text[: p.start - base])
    }


def extract_projects(doc: Doc) -> list[Fact]:
    rules = _rules()
    view = view_of(doc)
    vtext = view.text
    inv = view.inverse(len(doc.text))
    places = cities(doc)
    pair: list[str] = []
    # view offsets of the places, as the rules see them: mapped once a sentence may hold a project
    vplaces: list[Place] | None = None
    # the document's countries and pair: read once a project is found (most documents have none; a pure
    # function of the document, so when they are read changes nothing)
    vnations: list[Place] | None = None
    low = doc_caseless(doc, vtext)
    gate = rules.gate.hits(low)
    orig_gate = gate.mapped(view.to_orig)
    found: dict[str, Fact] = {}
    taken: list[tuple[int, int]] = []
    for sent in sentences(doc):
        if not orig_gate.within(sent.start, sent.end):
            continue
        vs, ve = inv[sent.start], inv[sent.end]
        if vplaces is None:
            vplaces = [Place(inv[p.start], inv[p.end], p.code, p.city) for p in places]
        text = vtext[vs:ve]
        cands = gate.word_starts(vtext, vs, ve)
        hits = _head_first(text, vs, vplaces, rules, cands)
        if _may_head_last(low, vs, cands, rules):
            hits += _head_last(text, vs, vplaces, rules)
        for f in sorted(hits, key=lambda f: f.start):
            if f.name in found or any(a < f.end and f.start < b for a, b in taken):
                continue
            if vnations is None:
                nations = countries(doc)
                pair = doc_pair(doc, places=places, nations=nations)
                vnations = [Place(inv[p.start], inv[p.end], p.code, p.city) for p in nations]
            codes = set(pair) | _clause_countries(text, vs, f, vnations, rules)
            if len(pair) < 2 and f.place:
                codes |= {p.code for p in vplaces if p.city == f.place}
            if len(codes) < 2:
                continue
            start, end = view.orig_span(f.start, f.end)
            taken.append((f.start, f.end))
            found[f.name] = Fact(
                type="project",
                doc=doc.id,
                start=start,
                end=end,
                quote=doc.text[start:end],
                fields={"name": f.name, "countries": sorted(codes), "place": f.place},
                lang=lang_at(doc, start, end),
                rule="project.facility",
            )
    return sorted(found.values(), key=lambda f: f.start)
