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
from bisect import insort
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import takewhile

from karavan.annotate.people_context import doc_month, view_of
from karavan.annotate.people_data import (
    PeopleData,
    Person,
    doc_caseless,
    fold,
    people_data,
    place_data,
    scan,
    word_starts,
)
from karavan.annotate.people_titles import Titled, find_titled
from karavan.annotate.site import site_country
from karavan.annotate.spans import SpanGrid
from karavan.doc import Doc, Mention

_W = r"[\w\u0300-\u036f]"
_TOKEN = re.compile(_W + r"+(?:[-'’]" + _W + r"+)*")


@cache
def _capital_token() -> re.Pattern[str]:
    """A token as _TOKEN cuts the text from its start, when its first character may be upper case:
    it starts after no letter (and after no letter + hyphen/apostrophe, which would join it to the
    word before); the class of upper-case characters is exact in the BMP and takes all beyond."""
    upper = [i for i in range(0x10000) if chr(i).isupper()]
    ranges = []
    for i in upper:
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    cls = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    first = "[" + cls + "\U00010000-\U0010ffff]"
    return re.compile(
        first + r"(?<=" + _W + r")(?<!" + _W + r".)(?<!" + _W + r"[-'’].)" + _W + r"*(?:[-'’]" + _W + r"+)*"
    )


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


@cache
def _before_rx(link: str, adjective: bool) -> re.Pattern[str]:
    """A country name (or adjective) then `link` at the end of a window: "Қазақстан Республикасының "."""
    places = place_data()
    rx = places.country_adj if adjective else places.country
    return re.compile("(?:" + rx.pattern + ")" + link + r"$", re.IGNORECASE)


def _country_before(
    text: str, start: int, data: PeopleData, adjective_only: bool = False
) -> tuple[str | None, int]:
    window = text[max(0, start - 60) : start]
    base = start - len(window)
    for link in data.link_before[:1] if adjective_only else data.link_before:
        for adjective in (True,) if adjective_only else (False, True):
            m = _before_rx(link, adjective).search(window)
            if m:
                code = next((k for k, v in m.groupdict().items() if v), None)
                return code, base + m.start()
    return None, start


# a role word in Kazakh or English order takes its country before it ("Tájikstan ... Prezıdenti")
_COUNTRY_FIRST_ROLE = re.compile(r"(?:[іиiy]|[А-Яа-я]*[ӘәҒғҚқҢңӨөҰұҮүҺһІі]\w*|[A-Za-z]\w*)$")


def _roles(text: str, data: PeopleData, low: str | None, starts: list[int] | None) -> list[_Role]:
    """Role phrases with their countries. `low`, `starts`: caseless(text) and `word_starts` when known."""
    at = data.gate.positions(text, low, starts)
    n = len(data.role_patterns)
    found: list[tuple[int, int, str, bool]] = []
    for i, (key, rx) in enumerate(data.role_patterns):
        if at[i] == []:  # no word start where the pattern can begin: scan would try nothing and find nothing
            continue
        found += [(m.start(), m.end(), key, False) for m in scan(rx, text, at[i])]
    if at[n + 1] != []:
        found += [(m.start(), m.end(), "president", True) for m in scan(data.generic_head, text, at[n + 1])]
    if at[n] != []:
        found += [(m.start(), m.end(), "head", False) for m in scan(data.country_only, text, at[n])]
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
        if not codes and key != "head":
            # Kazakh and English order put the country before the role; Russian an adjective ("российский лидер")
            code, rstart = _country_before(
                text, start, data, adjective_only=not _COUNTRY_FIRST_ROLE.search(text, start, end)
            )
            codes, cend = ([code], end) if code else ([], end)
        if not codes:
            continue
        out.append(_Role(rstart, cend, "president" if key == "head" else key, codes))
        last_end = cend
    return out


@lru_cache(maxsize=1 << 16)
def _firsts(key: str, strip: bool) -> tuple[Person, ...]:
    data = people_data()
    return _lookup(data.by_first, key, data.suffixes if strip else ())


@lru_cache(maxsize=1 << 16)
def _lasts(key: str, strip: bool) -> tuple[Person, ...]:
    data = people_data()
    return _lookup(data.by_last, key, data.suffixes if strip else ())


@lru_cache(maxsize=1 << 16)
def _known(key: str) -> bool:
    """Can a token of this folded form begin a name (a first name, or a surname in any order)?"""
    return bool(_firsts(key, False) or _lasts(key, False) or _lasts(key, True))


@lru_cache(maxsize=1 << 16)
def _name_key(token: str) -> str | None:
    """The folded form of a capitalised token that can begin a name; None for any other token (most of
    them: one cached lookup per token instead of three)."""
    if not token[:1].isupper():
        return None
    key = fold(token)
    return key if _known(key) else None


_SPACES = re.compile(r"\s+")
_GAP_CHARS = " \t\n,–-"  # what may stand between a role and the name it stands before


def _names(text: str) -> list[tuple[int, int, tuple[Person, ...], str]]:
    out: list[tuple[int, int, tuple[Person, ...], str]] = []
    taken = 0  # end of the last full name: its second token is not looked at again
    tokens = list(_capital_token().finditer(text))
    # _name_key of every token in one C-level pass (map), Python work only for the few that can begin a
    # name; asking the key before `taken` changes nothing, as _name_key is a pure function of the token
    for m, key in zip(tokens, map(_name_key, map(re.Match.group, tokens)), strict=True):
        if key is None:
            continue
        t_start, t_end = m.span()
        if t_start < taken:
            continue
        nxt = _TOKEN.search(text, t_end)
        if nxt is not None:
            n_start, n_end = nxt.span()
            n_text = nxt.group()
            if n_text[:1].isupper() and _SPACES.fullmatch(text, t_end, n_start):
                nkey = fold(n_text)
                lasts_next = _lasts(nkey, True)
                full = [p for p in _firsts(key, False) if p in lasts_next and not p.last_first]
                firsts_next = _firsts(nkey, True)
                full += [p for p in _lasts(key, False) if p in firsts_next and p.last_first]
                if full:
                    out.append((t_start, n_end, tuple(full), "full"))
                    taken = n_end
                    continue
        cands = tuple(p for p in _lasts(key, True) if p.surname_alone)
        if cands:
            out.append((t_start, t_end, cands, "surname"))
    return out


@lru_cache(maxsize=1 << 10)
def _holders(role: str, code: str) -> tuple[Person, ...]:
    """Everyone of country `code` who ever held `role`, in data order: a pure function of the data, so
    looked for once per (role, country) instead of over all people at every role phrase."""
    return tuple(p for p in people_data().people if p.country == code and p.holds(role, None))


def _resolve_role(
    role: str, code: str, ym: str | None, named: set[str], titled: list[Titled]
) -> tuple[str | None, str | None]:
    """(the person a title without a name stands for, the office holder on the document's date).

    The first is someone the document names with that office (in the lexicon, or by title and name); the
    second is only who held the office then, which the text does not say: a claimant is never that one."""
    holders = _holders(role, code)
    in_doc = [p for p in holders if p.name in named]
    holder = None
    if ym:
        active = [p for p in holders if p.holds(role, ym)]
        if active:
            holder = max(active, key=lambda p: max(r.start for r in p.roles if r.role == role)).name
    else:
        current = [p for p in holders if any(r.role == role and not r.end for r in p.roles)]
        holder = current[0].name if len(current) == 1 else None
    if len(in_doc) > 1 and ym:
        active = [p for p in in_doc if p.holds(role, ym)]
        if len(active) == 1:
            return active[0].name, holder
    if len(in_doc) == 1:
        return in_doc[0].name, holder
    same = {t.name for t in titled if t.role == role and t.country == code}
    return (same.pop() if len(same) == 1 and not in_doc else None), holder


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
    """The people the document names (lexicon and pattern), once per document: annotate's mentions, and
    again for an extractor run on a document in which annotate found no one (Doc.derive)."""
    return doc.derive("find_people", doc.text, lambda: _find_people(doc))


def _find_people(doc: Doc) -> list[Mention]:
    data = people_data()
    view = view_of(doc)
    text = view.text
    ym = doc_month(doc)
    home = site_country(doc)
    names = _names(text)
    roles = _roles(text, data, doc_caseless(doc, text), word_starts(doc, text))
    named = {c[2][0].name for c in names if c[3] == "full" and len(c[2]) == 1}
    titled = _titled(doc, text, names)
    phrases = SpanGrid((t.start, t.end) for t in titled)
    roles = [r for r in roles if not phrases.any(r.start, r.end)]
    # a role right before a name: looked up by where it ends, from the gap before the name (a scan of every
    # role for each name, of every title for each name and of every mention for each role grew with the
    # square of a long document)
    roles_by_end: dict[int, list[int]] = {}
    for i, r in enumerate(roles):
        roles_by_end.setdefault(r.end, []).append(i)
    out: list[tuple[int, int, str | None, str, str | None, str]] = []  # view start, end, name, cc, role, form
    used_roles: set[int] = set()
    holders: dict[
        tuple[int, str], str
    ] = {}  # (start, country) of a title no one is named for -> office holder
    inner = SpanGrid((t.start, t.name_start) for t in titled)
    for start, end, cands, form in names:
        if inner.covers(start, end):
            continue  # a name inside another's title is an institution's («при Фонде Нурсултана Назарбаева»)
        before = _roles_before(roles_by_end, text, start)
        role = next((roles[i] for i in reversed(before) if len(roles[i].countries) == 1), None)
        person = _resolve_surname(cands, role.role if role else None, ym, named, data)
        if role is not None:
            used_roles.add(id(role))
        # "Мемлекет басшысы Қасым-Жомарт Тоқаев": a generic head right before a name is that name
        generic = next((roles[i] for i in before if roles[i].generic), None)
        if generic is not None and person.holds("president", None):
            used_roles.add(id(generic))
            out.append((generic.start, generic.end, person.name, person.country, "president", "role"))
        role_name = role.role if role and person.holds(role.role, None) else None
        out.append((start, end, person.name, person.country, role_name, form))
    taken = SpanGrid((o[0], o[1]) for o in out)
    heads = sorted((o[0], i) for i, o in enumerate(out) if o[2] and o[2] in _head_names())

    def add(o: tuple[int, int, str | None, str, str | None, str]) -> None:
        out.append(o)
        taken.add(o[0], o[1])
        if o[2] and o[2] in _head_names():
            insort(heads, (o[0], len(out) - 1))

    for r in roles:
        if id(r) in used_roles or taken.any(r.start, r.end):
            continue
        codes = r.countries
        if r.generic:
            # "глава государства" / "мемлекет басшысы": the head of state the document names first (of
            # those ending before the role, the one starting first, the first made of equals); with none
            # named before, the head of state of the country the site speaks from (annotate/site.py)
            first = _first_ending_by(out, heads, r.start)
            if first is not None:
                add((r.start, r.end, first[2], first[3], "president", "role"))
                continue
            codes = [home] if home is not None else []
        for code in codes:
            name, holder = _resolve_role(r.role, code, ym, named, titled)
            add((r.start, r.end, name, code, r.role, "role"))
            if name is None and holder:
                holders[(r.start, code)] = holder
    phrase = {}
    for t in titled:
        out.append((t.name_start, t.name_end, t.name, t.country, t.role, "pattern"))
        phrase[t.name_start] = view.orig_span(t.start, t.end)
    out += _surnames_again(text, titled, out)
    mentions = []
    for start, end, name, code, role, form in sorted(out, key=lambda o: (o[0], str(o[3]))):
        a, b = view.orig_span(start, end)
        if doc.is_excluded(a, b):
            continue
        source = "pattern" if form in ("pattern", "pattern_surname") else "lexicon"
        attrs = {"country": code, "role": role, "form": form, "source": source}
        if form == "pattern":
            attrs["phrase"] = phrase[start]
        if (start, code) in holders:
            attrs["holder"] = holders[(start, code)]
        mentions.append(Mention(a, b, "person", name, attrs))
    return mentions


def _titled(doc: Doc, text: str, names: list[tuple[int, int, tuple[Person, ...], str]]) -> list[Titled]:
    """People named by title and name that the lexicon does not know (a lexicon name is never one)."""
    countries = doc.derive("country_spans", text, lambda: None)  # annotate's, when it ran; else looked up
    return find_titled(text, countries, [(a, b) for a, b, *_ in names])


def _first_ending_by(out: list[tuple], heads: list[tuple[int, int]], pos: int) -> tuple | None:
    """Of the entries of `out` that `heads` lists ((start, index), sorted) and that end by `pos`, the one
    starting first (the first of equals): min() of them by start."""
    for _, i in takewhile(lambda h: h[0] <= pos, heads):
        if out[i][1] <= pos:
            return out[i]
    return None


def _roles_before(by_end: dict[int, list[int]], text: str, start: int) -> list[int]:
    """The indexes (ascending) of the roles (filed by their end) with only gap characters between their
    end and `start`: those a fullmatch of [ \\t\\n,–-]* from their end to `start` accepts."""
    gap = start
    while gap > 0 and text[gap - 1] in _GAP_CHARS:
        gap -= 1
    return sorted(i for end in range(gap, start + 1) for i in by_end.get(end, ()))


_SURNAME_END = re.compile(r"(?:а|у|ом|ым|ой|ым|е|ым|ев|тың|тің|дың|дің|ның|нің|қа|ке|ға|ге|ты|ті|ды|ді|ны|ні|"
                          r"пен|бен|мен|тан|тен|дан|ден|нан|нен|та|те|да|де|'s|’s)?$")  # fmt: skip


def _surnames_again(text: str, titled: list[Titled], taken: list[tuple]) -> list[tuple]:
    """A titled person's surname standing alone elsewhere in the document («По словам Головченко»,
    "Bekar also emphasized", «М. Абылкасымова»): the same person.

    Surnames are looked up by their first four letters and overlaps with what is taken by bisection, and
    a short surname's whole name is searched once however often it is titled (each token asked every
    surname, and every taken span, grew with the square of a long document)."""
    by_surname: dict[str, Titled] = {}
    spans = SpanGrid((o[0], o[1]) for o in taken)
    out: list[tuple] = []
    whole: dict[str, list[tuple[int, int]]] = {}
    for t in titled:
        surname = t.native.split()[-1]
        if len(surname) >= 4:
            by_surname.setdefault(fold(surname), t)
        else:  # a short surname ("Шен") only with the whole name
            if t.native not in whole:
                rx = re.compile(r"(?<!\w)" + re.escape(t.native) + r"(?!\w)")
                whole[t.native] = [(m.start(), m.end()) for m in rx.finditer(text)]
            for a, b in whole[t.native]:
                if not spans.any(a, b):
                    out.append((a, b, t.name, t.country, t.role, "pattern_surname"))
    if not by_surname:
        return out
    by_prefix: dict[str, list[tuple[str, Titled]]] = {}
    for s, t in by_surname.items():  # in the order of by_surname: the first that fits is taken
        by_prefix.setdefault(s[:4], []).append((s, t))
    for m in _capital_token().finditer(text):
        key = fold(m.group())
        hit = next(
            (
                t
                for s, t in by_prefix.get(key[:4], ())
                if key.startswith(s) and _SURNAME_END.match(key, len(s))
            ),
            None,
        )
        if hit is None or spans.any(m.start(), m.end()):
            continue
        out.append((m.start(), m.end(), hit.name, hit.country, hit.role, "pattern_surname"))
    return out


@cache
def _head_names() -> frozenset[str]:
    """The names of everyone who ever was president: `_is_head` asked any() over all people for each."""
    return frozenset(p.name for p in people_data().people if p.holds("president", None))
