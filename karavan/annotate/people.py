"""People: officials named in any case and language, and role phrases that stand for them.

`find_people(doc)` returns Mention(kind="person", value="Kassym-Jomart Tokayev",
attrs={"country": "KZ", "role": "president" | None, "form": "full|surname|role"}).
A role phrase whose holder is unknown (a minister not in the lexicon) is kept with
value None: its country still tells a meeting's side.

Names come from data/people.toml with every written form; a surname alone
(`Жапаров`) resolves by the role written before it, by a full mention of one of
its bearers elsewhere in the document, then by the document's date
(people_context.doc_month) and rank of office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from karavan.annotate.people_context import doc_month, view_of
from karavan.annotate.people_data import PeopleData, Person, fold, people_data, place_data
from karavan.doc import Doc, Mention

_TOKEN = re.compile(r"[\w\u0300-\u036f]+(?:[-'’][\w\u0300-\u036f]+)*")


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    key: str


@dataclass(slots=True)
class _Role:
    start: int  # view offsets of role phrase + its country
    end: int
    role: str
    countries: list[str]
    generic: bool = False


def _lookup(index: dict[str, tuple[Person, ...]], key: str, suffixes: tuple[str, ...]) -> tuple[Person, ...]:
    hit = index.get(key)
    if hit:
        return hit
    for suf in suffixes:
        if key.endswith(suf) and len(key) - len(suf) >= 3:
            stem = key[: -len(suf)].rstrip("-'")
            if stem in index:
                return index[stem]
    return ()


def _country_run(text: str, pos: int, data: PeopleData) -> tuple[list[str], int]:
    """Countries written from `pos` on ("Казахстана и Таджикистана"): codes and the end offset."""
    places = place_data()
    codes: list[str] = []
    end = pos
    while True:
        link = data.link_after.match(text, end) if not codes else data.join.match(text, end)
        if not link:
            break
        m = places.country.match(text, link.end())
        if not m:
            break
        codes.append(m.lastgroup or "")
        end = m.end()
    return codes, end


def _country_before(text: str, start: int, data: PeopleData) -> tuple[str | None, int]:
    places = place_data()
    window = text[max(0, start - 60) : start]
    base = start - len(window)
    for link in data.link_before:
        for rx in (places.country, places.country_adj):
            m = re.search("(?:" + rx.pattern + ")" + link + r"$", window, re.IGNORECASE)
            if m:
                code = next((k for k, v in m.groupdict().items() if v), None)
                return code, base + m.start()
    return None, start


def _roles(text: str, data: PeopleData) -> list[_Role]:
    found: list[tuple[int, int, str, bool]] = []
    for key, rx in data.role_patterns:
        found += [(m.start(), m.end(), key, False) for m in rx.finditer(text)]
    found += [(m.start(), m.end(), "president", True) for m in data.generic_head.finditer(text)]
    found += [(m.start(), m.end(), "head", False) for m in data.country_only.finditer(text)]
    found.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    out: list[_Role] = []
    last_end = -1
    for start, end, key, generic in found:
        if start < last_end:
            continue
        if generic:
            out.append(_Role(start, end, key, [], generic=True))
            last_end = end
            continue
        codes, cend = _country_run(text, end, data)
        rstart = start
        if (
            not codes
            and key != "head"
            and re.search(r"(?:[іиiy]|[А-Яа-я]*[ӘәҒғҚқҢңӨөҰұҮүҺһІі]\w*|[A-Za-z]\w*)$", text[start:end])
        ):
            code, rstart = _country_before(text, start, data)
            codes, cend = ([code], end) if code else ([], end)
        if not codes:
            continue
        out.append(_Role(rstart, cend, "president" if key == "head" else key, codes))
        last_end = cend
    return out


def _names(text: str, data: PeopleData) -> list[tuple[int, int, tuple[Person, ...], str]]:
    toks = [_Tok(m.start(), m.end(), m.group(), fold(m.group())) for m in _TOKEN.finditer(text)]
    out: list[tuple[int, int, tuple[Person, ...], str]] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if not t.text[:1].isupper():
            i += 1
            continue
        nxt = (
            toks[i + 1]
            if i + 1 < len(toks) and re.fullmatch(r"\s+", text[t.end : toks[i + 1].start])
            else None
        )
        if nxt is not None and nxt.text[:1].isupper():
            firsts = _lookup(data.by_first, t.key, ())
            lasts_next = _lookup(data.by_last, nxt.key, data.suffixes)
            full = [p for p in firsts if p in lasts_next and not p.last_first]
            lasts = _lookup(data.by_last, t.key, ())
            firsts_next = _lookup(data.by_first, nxt.key, data.suffixes)
            full += [p for p in lasts if p in firsts_next and p.last_first]
            if full:
                out.append((t.start, nxt.end, tuple(full), "full"))
                i += 2
                continue
        cands = tuple(p for p in _lookup(data.by_last, t.key, data.suffixes) if p.surname_alone)
        if cands:
            out.append((t.start, t.end, cands, "surname"))
        i += 1
    return out


def _resolve_role(role: str, code: str, ym: str | None, named: set[str], data: PeopleData) -> Person | None:
    holders = [p for p in data.people if p.country == code and p.holds(role, None)]
    in_doc = [p for p in holders if p.name in named]
    if ym:
        active = [p for p in holders if p.holds(role, ym)]
        both = [p for p in active if p in in_doc]
        for group in (both, active):
            if len(group) == 1:
                return group[0]
            if group:
                return max(group, key=lambda p: max(r.start for r in p.roles if r.role == role))
    if len(in_doc) == 1:
        return in_doc[0]
    current = [p for p in holders if any(r.role == role and not r.end for r in p.roles)]
    return current[0] if len(current) == 1 else None


def _resolve_surname(
    cands: tuple[Person, ...], role: str | None, ym: str | None, named: set[str], data: PeopleData
) -> Person:
    if len(cands) == 1:
        return cands[0]
    pool = list(cands)
    if role:
        pool = [p for p in pool if p.holds(role, ym)] or [p for p in pool if p.holds(role, None)] or pool
    if len(pool) > 1:
        pool = [p for p in pool if p.name in named] or pool
    if len(pool) > 1 and ym:
        pool = [p for p in pool if any(r.active(ym) for r in p.roles)] or pool
    return min(pool, key=lambda p: p.rank(data.role_ranks, ym))


def find_people(doc: Doc) -> list[Mention]:
    data = people_data()
    view = view_of(doc)
    text = view.text
    ym = doc_month(doc)
    names = _names(text, data)
    roles = _roles(text, data)
    named = {c[2][0].name for c in names if c[3] == "full" and len(c[2]) == 1}
    out: list[tuple[int, int, str | None, str, str | None, str]] = []  # view start, end, name, cc, role, form
    used_roles: set[int] = set()
    for start, end, cands, form in names:
        before = [
            r
            for r in roles
            if r.end <= start and not text[r.end : start].strip(" \t\n,–-") and len(r.countries) == 1
        ]
        role = before[-1] if before else None
        person = _resolve_surname(cands, role.role if role else None, ym, named, data)
        if role is not None:
            used_roles.add(id(role))
        role_name = role.role if role and person.holds(role.role, None) else None
        out.append((start, end, person.name, person.country, role_name, form))
    for r in roles:
        if id(r) in used_roles or any(s < r.end and r.start < e for s, e, *_ in out):
            continue
        if r.generic:
            prev = [o for o in out if o[1] <= r.start and o[2] and _is_head(o[2], data)]
            if prev:
                last = max(prev, key=lambda o: o[1])
                out.append((r.start, r.end, last[2], last[3], "president", "role"))
            continue
        for code in r.countries:
            person = _resolve_role(r.role, code, ym, named, data)
            out.append((r.start, r.end, person.name if person else None, code, r.role, "role"))
    mentions = []
    for start, end, name, code, role, form in sorted(out, key=lambda o: (o[0], o[3])):
        a, b = view.orig_span(start, end)
        if doc.is_excluded(a, b):
            continue
        mentions.append(Mention(a, b, "person", name, {"country": code, "role": role, "form": form}))
    return mentions


def _is_head(name: str, data: PeopleData) -> bool:
    return any(p.name == name and p.holds("president", None) for p in data.people)
