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

from karavan.annotate.countries import english_name
from karavan.annotate.people_context import Place, cities, countries, doc_pair, lang_at, sentences, view_of
from karavan.annotate.people_data import LiteralGate, doc_caseless, load_data, scan
from karavan.annotate.spans import ByStart
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
    project_noun: re.Pattern[str]  # a project noun, whole word ("проекта")
    kk_project: re.Pattern[str]  # a Kazakh project noun ("жобасына")
    kk_with: tuple[str, ...]  # Kazakh "with" endings
    en_passive: re.Pattern[str]  # English: facility (plural allowed), then a passive action
    port: re.Pattern[str]  # "в порту " before a port's name
    route: re.Pattern[str]  # a route of two or more names after a facility: group 1
    counts: dict[str, str]  # "трех" -> "three"
    kk_name_endings: tuple[str, ...]  # Kazakh case endings of a name, longest first


def _words(pats: list[str]) -> str:
    return "(?:" + "|".join(pats) + ")"


@cache
def _rules() -> _Rules:
    raw = load_data("projects.toml")
    specs = list(raw["facilities"].values())
    fac = "|".join(f"(?P<f{i}>" + _words(v[2:]) + ")" for i, v in enumerate(specs))
    ic = re.IGNORECASE
    name = _CAP + r"[\w-]*"
    return _Rules(
        action=re.compile(
            r"(?<!\w)(?:(?P<pn>" + _words(raw["project_nouns"]) + r")|" + _words(raw["actions"]) + r")(?!\w)",
            ic,
        ),
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
        gate=LiteralGate(
            [*raw["actions"], *raw["project_nouns"], *raw["kk_actions"], *raw["kk_project"]], ic
        ),
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
        project_noun=re.compile(_words(raw["project_nouns"]) + "$", ic),
        kk_project=re.compile(r"(?<![\w-])" + _words(raw["kk_project"]) + r"(?!\w)", ic),
        kk_with=tuple(raw["kk_with"]),
        en_passive=re.compile(r"(?<![\w-])(?:" + fac + r")s?\s+" + _words(raw["en_passive"]) + r"(?!\w)", ic),
        port=re.compile(r"\s+" + _words(raw["port"]) + r"\s+(?=" + _CAP + ")", ic),
        route=re.compile(
            r"\s+(?:" + _words(raw["route_before"]) + r"\s+)?"
            r'"?(' + name + r"(?:\s*[–—-]\s*" + name + r')+)"?'
        ),
        counts=raw["counts"],
        kk_name_endings=tuple(sorted(raw["kk_name_endings"], key=len, reverse=True)),
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
    owner: str | None = None  # a project noun's name, to join the facility phrase right after it
    weak: bool = False  # a name alone: a project only when a facility phrase joins it


_QUOTES = '«»"“”„'


@dataclass(slots=True)
class _Phrase:
    """A facility phrase being read: where it starts and ends (text offsets) and what names it."""

    start: int
    end: int
    facility: _Facility
    modifiers: list[str]
    joint: bool = False
    count: str | None = None
    quoted: bool = False
    suffix: str = ""


_QUOTED = re.compile(r"[«\"“„]\s*([^«»\"“”„\n]{1,60}?)\s*[»\"”“]")


def _read_modifiers(
    text: str, pos: int, rules: _Rules, places: list[Place], base: int
) -> tuple[int, re.Match[str] | None, list[str], bool, str | None, bool]:
    """From `pos` (after an action) to a facility: adjectives, skipped words, a count ("трех"), quotes and a
    place standing between ("по созданию в Акмолинской области предприятия"). A name in quotes with no
    facility inside is one modifier («Астана Моторс»). Returns the end of the last word read (at the
    facility when one is found), the facility match (None: none found), the modifiers, joint, count and
    quoted (a facility inside quotes: «зеленый коридор»)."""
    modifiers: list[str] = []
    joint, count, quoted = False, None, False
    fm = None
    for _ in range(8):
        last = pos
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        qm = _QUOTED.match(text, pos)
        if qm and not rules.facility.search(qm.group(1)):
            modifiers.append(qm.group(1))
            pos = qm.end()
            continue
        while pos < len(text) and text[pos] in _QUOTES:
            quoted = True
            pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
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
        if word.lower() in rules.counts and count is None and not modifiers:
            count = rules.counts[word.lower()]
            pos = wm.end()
            continue
        loc = rules.location.match(text, pos - 1) if pos else None
        if loc and not modifiers:
            region = _spot_at(places, base + loc.end())
            if region is not None:
                pos = region.end - base
                continue
        if rules.plural_adjective.match(word) or len(modifiers) >= 3:
            break
        latin = word[:1].isascii()
        if not (latin or rules.adjective.match(word)):
            break
        modifiers.append(word)
        pos = wm.end()
    return (pos if fm else last), fm, modifiers, joint, count, quoted


def _finish(
    text: str, base: int, places: list[Place], rules: _Rules, ph: _Phrase, named_only: bool = False
) -> _Found | None:
    """The tail after a facility (a product it makes, a proper name or route, a place, a river) and the
    project's English name; None when the phrase is not concrete. `named_only`: only a proper name, a route
    or a place after the phrase makes it concrete (a phrase read without an action of its own)."""
    facility = ph.facility
    modifiers = ph.modifiers
    products = [p for p in (_product(w, rules) for w in modifiers) if p]
    proper = [w for w in modifiers if w[:1].isupper() or (ph.quoted and not _product(w, rules))]
    end = ph.end
    tail = text[end:]
    route = None
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
        facility.english == "production" and (nxt := _NEXT_WORD.match(tail)) and _product(nxt.group(1), rules)
    ):
        products.append(_product(nxt.group(1), rules) or "")  # "производства автомобилей"
        end += nxt.end()
    elif (rm := rules.route.match(tail)) is not None and (
        route := _route(rm.group(1), base + end + rm.start(1), places, rules)
    ):
        end += rm.end()
    elif not proper:
        pm = _PROPER_AFTER.match(tail)
        if pm and not _spot_at(places, base + end + pm.start(1)):
            proper = [pm.group(1)]
            end += pm.end()
    place = None
    port = rules.port.match(text, end)
    loc = rules.location.match(text, end)
    if port and (pn := _WORD.match(text, port.end())):
        known = places_at(places, base + port.end())
        place = known.city if known is not None else _latin(pn.group(), rules)
        end = pn.end()
    elif loc and (city := places_at(places, base + loc.end())) is not None:
        place = city.city
        end = city.end - base
    river = rules.river.match(text, end)
    if named_only:
        if not (route or place or (proper and not ph.quoted)):
            return None
    elif not products and not proper and place is None and route is None and not ph.quoted:
        if ph.count is None or facility.needs_product:
            return None
    if facility.needs_product and not products:
        return None
    words = [_proper_name(w, rules) if not w.isascii() else w for w in proper]
    if proper and ph.suffix and not words[-1].endswith(ph.suffix):
        words[-1] += ph.suffix
    english = rules.joint_names.get(facility.english, facility.english) if ph.joint else facility.english
    if ph.count:
        english = english if english.endswith("s") else english + "s"
    lead = [ph.count] if ph.count else []
    if route:
        lead.append(route)
    name = " ".join([*lead, *words, *products, english])
    if river:
        name += f" on the {_latin(river.group(1), rules)} river"
        end = river.end()
    return _Found(base + ph.start, base + end, name, place)


_PROJECT = _Facility("project", False)


def _head_first(
    text: str, base: int, places: list[Place], rules: _Rules, cands: list[int] | None = None
) -> list[_Found]:
    """Russian and English: action, adjectives, facility, tail. `base`: view offset of `text`; `cands`:
    where in `text` a gate word begins at a word start (`Hits.word_starts`), None when unknown.

    An action begins with (?<!\\w) and a gate word, so `scan` at the candidates finds the actions
    `rules.action.finditer(text)` finds. A project noun with no facility after it is a project when a
    name follows it ("в рамках проекта CASA-1000", "проект компании X по переработке кукурузы")."""
    out: list[_Found] = []
    acts = rules.action.finditer(text) if cands is None else scan(rules.action, text, cands)
    for act in acts:
        start = act.start()
        before = _WORD.findall(text[max(0, start - 20) : start])
        joint = bool(rules.joint.match(act.group()))
        if before and rules.joint.match(before[-1]):
            start = text.rfind(before[-1], 0, start)
            joint = True
        pos, fm, modifiers, joint2, count, quoted = _read_modifiers(text, act.end(), rules, places, base)
        joint = joint or joint2
        if fm is None:
            if not act.group("pn"):
                continue
            named = [w for w in modifiers if w[:1].isupper() or any(c.isdigit() for c in w)]
            if not named:
                continue
            found = _finish(text, base, places, rules, _Phrase(start, pos, _PROJECT, modifiers, joint))
            if found is not None:
                found.owner = " ".join(_proper_name(w, rules) if not w.isascii() else w for w in named)
                # concrete alone: it makes a product ("по переработке кукурузы") or its name is a code
                # ("CASA-1000", "TAPI"); a plain name («Цифровой Шелковый путь») needs a facility after it
                coded = any(w.isascii() and (any(c.isdigit() for c in w) or w.isupper()) for w in named)
                found.weak = not coded and found.name == f"{found.owner} {_PROJECT.english}"
                out.append(found)
            continue
        i = int((fm.lastgroup or "f0")[1:])
        suffix = re.search(r"-\d+$", fm.group())
        end = fm.end()
        if end < len(text) and text[end] in _QUOTES:
            end += 1
        ph = _Phrase(
            start, end, rules.facilities[i], modifiers, joint, count, quoted, suffix.group() if suffix else ""
        )
        found = _finish(text, base, places, rules, ph)
        if found is not None:
            out.append(found)
    return out


def _standalone(
    text: str, base: int, places: list[Place], rules: _Rules, after: int, taken: list[tuple[int, int]]
) -> list[_Found]:
    """Facilities named without an action of their own in a sentence that has one before them ("работают
    над расширением сотрудничества, в частности, железнодорожной линии Казахстан – Туркменистан – Иран и
    транспортно-логистического центра в порту Бандар-Аббас"): a project only when a route, a proper name
    or a place follows. `after`: text offset of the sentence's first action; `taken`: view spans found."""
    out: list[_Found] = []
    for fm in rules.facility.finditer(text, after):
        a = fm.start()
        if any(s <= base + a < e for s, e in taken):
            continue
        if a and (text[a - 1].isalnum() or text[a - 1] == "-"):
            continue
        modifiers: list[str] = []
        start = a
        for wm in reversed(list(_WORD.finditer(text, max(0, a - 60), a))):
            if text[wm.end() : start].strip() or len(modifiers) >= 2:
                break
            word = wm.group()
            if not (rules.adjective.match(word) and _product(word, rules)):
                break
            modifiers.insert(0, word)
            start = wm.start()
        i = int((fm.lastgroup or "f0")[1:])
        ph = _Phrase(start, fm.end(), rules.facilities[i], modifiers)
        found = _finish(text, base, places, rules, ph, named_only=True)
        if found is not None:
            out.append(found)
    return out


def _passive_en(text: str, base: int, places: list[Place], rules: _Rules) -> list[_Found]:
    """English: modifiers, a facility (plural too), a passive action ("trade houses had been opened in
    Karachi and Tashkent", "a cement plant will be built in Osh")."""
    out: list[_Found] = []
    for m in rules.en_passive.finditer(text):
        facility = rules.facilities[int(next(k for k, v in m.groupdict().items() if v)[1:])]
        start = m.start()
        modifiers: list[str] = []
        for wm in reversed(list(_WORD.finditer(text, max(0, start - 60), start))):
            if text[wm.end() : start].strip() or len(modifiers) >= 3:
                break
            word = wm.group()
            if not word.isascii() or not _product(word, rules):
                break
            modifiers.insert(0, word)
            start = wm.start()
        products = [p for p in (_product(w, rules) for w in modifiers) if p]
        place = None
        loc = rules.location.match(text, m.end())
        end = m.end()
        if loc and (city := places_at(places, base + loc.end())) is not None:
            place, end = city.city, city.end - base
        if (not products and place is None) or (facility.needs_product and not products):
            continue
        out.append(_Found(base + start, base + end, " ".join([*products, facility.english]), place))
    return out


def _kk_stem(word: str, rules: _Rules) -> str:
    """A Kazakh name without its case ending ("Аралды" -> "Арал"), the stem kept at three letters or more."""
    low = word.lower()
    for end in rules.kk_name_endings:
        if low.endswith(end) and len(word) - len(end) >= 3:
            return word[: len(word) - len(end)]
    return word


def _kk_named(text: str, base: int, places: list[Place], nations: list[Place], rules: _Rules) -> list[_Found]:
    """Kazakh: a project noun after a proper name among the words before it ("Арал теңізін ... қалпына
    келтіру жобасы") or after a partner named with "with" ("Абу-Дабимен бірлескен жоба"). A country's name
    is a partner only in that form; the sentence's first word is no name."""
    out: list[_Found] = []
    first = _WORD.search(text)
    for m in rules.kk_project.finditer(text):
        start = m.start()
        words: list[re.Match[str]] = []
        for wm in reversed(list(_WORD.finditer(text, max(0, start - 100), start))):
            if text[wm.end() : start].strip(" " + _QUOTES) or len(words) >= 5:
                break
            if rules.kk_stop.match(wm.group()):
                break
            words.insert(0, wm)
            start = wm.start()
        name: str | None = None
        joint = any(rules.joint.match(w.group()) for w in words)
        for k, wm in enumerate(words):
            word = wm.group()
            if not word[:1].isupper() or (first is not None and wm.start() == first.start()):
                continue
            nation = next((p for p in nations if p.start == base + wm.start()), None)
            city = places_at(places, base + wm.start())
            if nation is not None or city is not None:
                later = words[k + 1 : k + 2]
                if word.lower().endswith(rules.kk_with) and later and rules.joint.match(later[0].group()):
                    stem = next((word[: -len(e)] for e in rules.kk_with if word.lower().endswith(e)), word)
                    partner = city.city if city is not None and city.city else _latin(stem, rules)
                    name = f"joint project with {partner}"
                    start = wm.start()
                    break
                continue
            name = _latin(_kk_stem(word, rules), rules) + (" joint project" if joint else " project")
            start = wm.start()
            break
        if name is not None:
            out.append(_Found(base + start, base + m.end(), name, None))
    return out


def places_at(places: list[Place], view_pos: int) -> Place | None:
    """The city that begins at `view_pos`."""
    return next((p for p in places if p.start == view_pos and p.city), None)


def _spot_at(places: list[Place], view_pos: int) -> Place | None:
    """The city, region or country that begins at `view_pos` (a country read from its capital has city "")."""
    return next((p for p in places if p.start == view_pos), None)


_SPACED_DASH = re.compile(r"\s[–—-]\s|[–—]")


def _route(chain: str, at: int, places: list[Place], rules: _Rules) -> str | None:
    """A route of two or more places ("Алматы — Иссык-Куль", "Казахстан – Туркменистан – Иран") in a
    chain of capitalised words joined by dashes at view offset `at`, in English ("Almaty–Issyk-Kul");
    None when it is one name. Where the dashes are unspaced hyphens ("Астана-Улан-Батор"), the parts
    begin where the places named begin."""
    if _SPACED_DASH.search(chain):
        cuts = [0, *(m.end() for m in _SPACED_DASH.finditer(chain))]
    else:
        cuts = sorted({p.start - at for p in places if at <= p.start < at + len(chain)})
        if cuts[:1] != [0] or len(cuts) < 2:
            return None
    names = []
    for a, b in zip(cuts, [*cuts[1:], len(chain) + 1], strict=True):
        part = _SPACED_DASH.sub("", chain[a:b]).strip(" -")
        spot = next((p for p in places if p.start == at + a and p.end - p.start == len(part)), None)
        if spot is not None and spot.city:
            names.append(spot.city)
        elif spot is not None and spot.city is None and (country := english_name(spot.code)):
            names.append(country)
        else:
            names.append(_latin(part, rules))
    return "–".join(names)


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
        city = next((p for p in places if p.city and base + cut <= p.start < base + m.start()), None)
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


def _clause_countries(
    text: str, base: int, found: _Found, nations: list[Place], rules: _Rules, bounds: tuple[int, int]
) -> set[str]:
    """Countries named in the project's clause, not as a destination or location ("в Китай"). `bounds`:
    view offsets the clause may not cross (the projects found before and after it in the sentence)."""
    a, b = found.start - base, found.end - base
    cut = max((m.end() for m in rules.boundary.finditer(text, 0, a)), default=0)
    cut = max(cut, bounds[0] - base)
    nxt = rules.boundary.search(text, b)
    stop = min(nxt.start() if nxt else len(text), bounds[1] - base)
    return {
        p.code
        for p in nations
        if base + cut <= p.start < base + stop and not rules.direction.search(text[: p.start - base])
    }


def _sentence_projects(
    text: str,
    vs: int,
    cands: list[int] | None,
    low: str | None,
    spots: list[Place],
    nations: list[Place],
    rules: _Rules,
) -> list[_Found]:
    """Every project phrase of one sentence (view text `text` at view offset `vs`), in text order, none
    overlapping another."""
    hits = _head_first(text, vs, spots, rules, cands)
    if _may_head_last(low, vs, cands, rules):
        hits += _head_last(text, vs, spots, rules)
    if rules.kk_project.search(text):
        hits += _kk_named(text, vs, spots, nations, rules)
    if text.isascii() or re.search(r"[A-Za-z]{3}", text):
        hits += _passive_en(text, vs, spots, rules)
    acts = rules.action.finditer(text) if cands is None else scan(rules.action, text, cands)
    first = next(iter(acts), None)
    if first is not None:
        hits += _standalone(text, vs, spots, rules, first.end(), [(f.start, f.end) for f in hits])
    out: list[_Found] = []
    for f in sorted(hits, key=lambda f: (f.start, -f.end)):
        if any(g.start < f.end and f.start < g.end for g in out):
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.owner and _joins(text[prev.end - vs : f.start - vs]):
            # "проект «Астана Моторс» и Hyundai по открытию автосборочного завода": one project, its name
            out[-1] = _Found(prev.start, f.end, f"{prev.owner} {f.name}", f.place)
            continue
        if prev is not None and prev.weak:
            out.pop()
        out.append(f)
    if out and out[-1].weak:
        out.pop()
    return out


_JOIN_GAP = re.compile(r"[^,;:.!?()«»\"]{0,30}")


def _joins(gap: str) -> bool:
    """A project noun's name and a facility phrase this close, with no punctuation between, are one."""
    return bool(_JOIN_GAP.fullmatch(gap))


def extract_projects(doc: Doc) -> list[Fact]:
    rules = _rules()
    view = view_of(doc)
    vtext = view.text
    inv = view.inverse(len(doc.text))
    places = cities(doc)
    pair: list[str] = []
    # view offsets of the cities and regions, as the rules see them: mapped once a sentence may hold a
    # project
    vspots: list[Place] | None = None
    # the document's countries and pair: read once a sentence may hold a project (a pure function of the
    # document, so when they are read changes nothing)
    vnations: list[Place] | None = None
    low = doc_caseless(doc, vtext)
    gate = rules.gate.hits(low)
    orig_gate = gate.mapped(view.to_orig)
    found: dict[str, Fact] = {}
    for sent in sentences(doc):
        if not orig_gate.within(sent.start, sent.end):
            continue
        vs, ve = inv[sent.start], inv[sent.end]
        if vspots is None or vnations is None:
            regions = [Place(m.start, m.end, str(m.value)) for m in doc.mentions_of("subnational")]
            nations = countries(doc)
            pair = doc_pair(doc, places=places, nations=nations)
            vnations = [Place(inv[p.start], inv[p.end], p.code, p.city) for p in nations]
            vspots = [Place(inv[p.start], inv[p.end], p.code, p.city) for p in [*places, *regions]]
            # a capital read as its country («Астана») names a place in a route, not the country
            capitals = {inv[m.start] for m in doc.mentions_of("country") if m.attrs.get("form") == "capital"}
            marked = [Place(p.start, p.end, p.code, "" if p.start in capitals else None) for p in vnations]
            vspots = sorted([*vspots, *marked], key=lambda p: (p.start, not p.city, p.city is None))
            spots_at, nations_at = ByStart(vspots), ByStart(vnations)
        text = vtext[vs:ve]
        cands = gate.word_starts(vtext, vs, ve)
        # the rules ask only for places starting inside the sentence or at its end: those, found by
        # bisection (each rule scanning the document's places grew with the square of a long document)
        here, here_nations = spots_at.between(vs, ve + 1), nations_at.between(vs, ve + 1)
        hits = _sentence_projects(text, vs, cands, low, here, here_nations, rules)
        for k, f in enumerate(hits):
            start, end = view.orig_span(f.start, f.end)
            same = found.get(f.name)
            if same is not None and same.end - same.start >= end - start:
                continue  # one project per document, quoted at its fullest statement
            bounds = (hits[k - 1].end if k else vs, hits[k + 1].start if k + 1 < len(hits) else ve)
            codes = set(pair) | _clause_countries(text, vs, f, here_nations, rules, bounds)
            if len(pair) < 2 and f.place:
                codes |= {p.code for p in vspots if p.city == f.place}
            if len(codes) < 2:
                continue
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
