"""Loaded language data for people, roles and places (data/people.toml, roles.toml, places.toml).

Everything here is immutable and cached once per process; matching is on folded
forms: lower case, no diacritics, Kazakh Cyrillic letters mapped to their Russian
neighbours (`Тоқаев` -> `токаев`), Kazakh Latin `q` -> `k`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from karavan.annotate.countries import country_entries
from karavan.data import load_toml
from karavan.doc import Doc

_FOLD = str.maketrans(
    {
        "ё": "е", "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ә": "а",
        "ı": "i", "ǵ": "g", "ń": "n", "q": "k", "’": "'",
    }
)  # fmt: skip


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Lower case, diacritics removed, Kazakh letters mapped to Russian/Latin neighbours."""
    low = unicodedata.normalize("NFD", word.lower())
    low = "".join(ch for ch in low if not unicodedata.combining(ch))
    # NFD turns й into и + breve: keep й
    return unicodedata.normalize("NFC", low).translate(_FOLD).replace("и\u0306", "й")


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    start: str  # "YYYY-MM"
    end: str  # "" = still in office

    def active(self, ym: str) -> bool:
        return self.start <= ym and (not self.end or ym <= self.end)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    country: str
    first: frozenset[str]
    last: frozenset[str]
    roles: tuple[Role, ...]
    last_first: bool = False
    surname_alone: bool = True

    def holds(self, role: str, ym: str | None) -> bool:
        return any(r.role == role and (ym is None or r.active(ym)) for r in self.roles)

    def rank(self, ranks: dict[str, int], ym: str | None) -> int:
        live = [ranks.get(r.role, 9) for r in self.roles if ym is None or r.active(ym)]
        return min(live) if live else 99


def load_data(name: str) -> dict[str, Any]:
    """A TOML file of karavan/data, parsed."""
    return load_toml(name)


@dataclass(frozen=True, slots=True)
class PeopleData:
    people: tuple[Person, ...]
    by_first: dict[str, tuple[Person, ...]]
    by_last: dict[str, tuple[Person, ...]]
    suffixes: tuple[str, ...]
    role_ranks: dict[str, int]
    role_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    country_only: re.Pattern[str]
    generic_head: re.Pattern[str]
    join: re.Pattern[str]
    link_after: re.Pattern[str]
    link_before: tuple[str, ...]
    gate: PrefixGate  # role_patterns in order, then country_only, then generic_head


@cache
def people_data() -> PeopleData:
    raw = load_data("people.toml")
    people = []
    by_first: dict[str, list[Person]] = {}
    by_last: dict[str, list[Person]] = {}
    for p in raw["person"]:
        person = Person(
            name=p["name"],
            country=p["country"],
            first=frozenset(fold(x) for x in p["first"]),
            last=frozenset(fold(x) for x in p["last"]),
            roles=tuple(Role(r["role"], r["from"], r.get("to", "")) for r in p["roles"]),
            last_first=p.get("order") == "last_first",
            surname_alone=p.get("surname_alone", True),
        )
        people.append(person)
        for f in person.first:
            by_first.setdefault(f, []).append(person)
        for f in person.last:
            by_last.setdefault(f, []).append(person)
    roles = load_data("roles.toml")
    ranks = {k: v.get("rank", 9) for k, v in roles["role"].items()}
    pats = []
    sources: list[tuple[list[str], int]] = []
    for key, spec in roles["role"].items():
        for pat in spec.get("patterns", []):
            pats.append((key, re.compile(r"(?<!\w)(?:" + pat + r")(?!\w)", re.IGNORECASE)))
            sources.append(([pat], re.IGNORECASE))
    pres = roles["role"]["president"]
    sources += [(pres["country_only"], re.IGNORECASE), (pres["generic"], re.IGNORECASE)]
    return PeopleData(
        people=tuple(people),
        by_first={k: tuple(v) for k, v in by_first.items()},
        by_last={k: tuple(v) for k, v in by_last.items()},
        suffixes=tuple(sorted({fold(s) for s in raw["kazakh"]["suffixes"]}, key=len, reverse=True)),
        role_ranks=ranks,
        role_patterns=tuple(pats),
        country_only=re.compile(r"(?<!\w)(?:" + "|".join(pres["country_only"]) + r")(?!\w)", re.IGNORECASE),
        generic_head=re.compile(r"(?<!\w)(?:" + "|".join(pres["generic"]) + r")(?!\w)", re.IGNORECASE),
        join=re.compile("(?:" + "|".join(roles["join"]["patterns"]) + ")", re.IGNORECASE),
        link_after=re.compile("(?:" + "|".join(roles["link"]["after"]) + ")", re.IGNORECASE),
        link_before=tuple(roles["link"]["before"]),
        gate=PrefixGate(sources),
    )


@dataclass(frozen=True, slots=True)
class PlaceData:
    country: re.Pattern[str]  # one group per country: (?P<KZ>...)
    country_adj: re.Pattern[str]
    city: re.Pattern[str]  # one group per city index: c0, c1, ...
    cities: tuple[tuple[str, str], ...]  # (English name, ISO2) by index
    city_gate: PrefixGate
    country_starts: tuple[
        frozenset[str], ...
    ] = ()  # the folded first letters (1 to 4) country forms begin with

    def may_start_country(self, low: str) -> bool:
        """Some country form of `country` or `country_adj` can begin at a word whose lower case is `low`: its
        first letters, folded as (?i) compares them, begin one of the forms (a cheap test before the regex)."""
        if any(low[:n] in starts for n, starts in enumerate(self.country_starts, 1)):
            return True
        raw = low[: len(self.country_starts) + 1]
        folded = _fold(raw)
        return folded != raw and any(folded[:n] in starts for n, starts in enumerate(self.country_starts, 1))


def _fold(low: str) -> str:
    """Lower-case letters as IGNORECASE matches them: the dotted and dotless i as i, the long s as s."""
    return low.replace("i\u0307", "i").replace("ı", "i").replace("ſ", "s")


def _country_starts(letters: int = 4) -> tuple[frozenset[str], ...]:
    """The folded first word of every country form people read (names, abbreviations, adjectives), cut to
    `letters` letters; set n holds the words of n letters (a shorter word is filed whole: РК, US)."""
    firsts = {
        _fold(form.split(" ")[0].lower())
        for _c, kind, _l, form in country_entries()
        if kind not in ("not", "capital")
    }
    return tuple(
        frozenset(w[:letters] for w in firsts if min(len(w), letters) == n) for n in range(1, letters + 1)
    )


def _alt(pats: list[str]) -> str:
    return "|".join(sorted(pats, key=len, reverse=True))


def _gate(pats: list[str]) -> str:
    """A look-ahead for the first letters of a country's forms (any case), put before its group: a position
    where none of them stands skips the country in one step instead of trying each of its forms (the
    matches are the same: the look-ahead only turns away positions no form could match)."""
    firsts = {p[0] for p in pats}
    if not firsts or not all(c.isalnum() for c in firsts):
        return ""
    return "(?i:(?=[" + "".join(sorted(firsts)) + "]))"


def _country_forms() -> dict[str, dict[str, list[str]]]:
    """Per country code, the regexes of its names (any case ending on every word), abbreviations and
    adjectives, from data/countries.tsv: the one list of country forms the country annotator reads too.
    Capitals are left out: "президент Астаны" is no country's president."""
    out: dict[str, dict[str, list[str]]] = {}
    for code, kind, _lang, form in country_entries():
        spec = out.setdefault(code, {"names": [], "exact": [], "adj": []}) if kind != "not" else None
        if spec is None or kind == "capital":
            continue
        if kind == "exact":
            spec["exact"].append(form)
        else:
            regex = r"\s+".join(re.escape(word) + r"\w*" for word in form.split(" "))
            spec["adj" if kind == "adj" else "names"].append(regex)
    return {code: spec for code, spec in out.items() if spec["names"] or spec["exact"]}


@cache
def place_data() -> PlaceData:
    raw = load_data("places.toml")
    names, adjs = [], []
    for code, spec in _country_forms().items():
        alts = [r"(?i:" + _alt(spec["names"]) + ")"] if spec["names"] else []  # (?i:) would match anywhere
        if spec.get("exact"):
            alts.append(_alt([re.escape(x) for x in spec["exact"]]))
        names.append(_gate([*spec["names"], *spec["exact"]]) + f"(?P<{code}>" + "|".join(alts) + ")")
        if spec["adj"]:
            adjs.append(_gate(spec["adj"]) + f"(?P<{code}>(?i:" + _alt(spec["adj"]) + "))")
    cities = tuple((c["name"], c["country"]) for c in raw["city"])
    city_alts = [f"(?P<c{i}>" + _alt(c["forms"]) + ")" for i, c in enumerate(raw["city"])]
    return PlaceData(
        country=re.compile(r"(?<!\w)(?:" + "|".join(names) + r")(?!\w)"),
        country_adj=re.compile(r"(?<!\w)(?:" + "|".join(adjs) + r")(?!\w)"),
        city=re.compile(r"(?<!\w)(?:" + "|".join(city_alts) + r")(?![\w-])", re.IGNORECASE),
        cities=cities,
        city_gate=PrefixGate([([f for c in raw["city"] for f in c["forms"]], re.IGNORECASE)]),
        country_starts=_country_starts(),
    )


# --- Matching only where a pattern can start -------------------------------------------------------
#
# The patterns above start with (?<!\w) and a literal word ("президент\w*", "Астан[аыеуой]\w*"). Rather
# than run every pattern over every character of a document, one case-sensitive scan finds the word
# starts where some pattern's first letters stand (each letter given as the exact set of characters
# the case-insensitive pattern accepts for it); there, the KEY_LEN characters tell which patterns can
# start (cached across documents: a pure function of those characters), and a pattern is tried at
# those positions only. The matches are the very ones `finditer` gives: a match can start nowhere else.

_META = frozenset(".^$*+?{}[]\\|()")
_GATE_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")  # letters of the languages we read
KEY_LEN = 3
_WORD_CHAR = re.compile(r"\w")


def literal_prefix(pattern: str) -> str:
    """The characters every match of `pattern` starts with ("президент\\w*" -> "президент"); "" if unknown."""
    depth = 0
    escaped = False
    for ch in pattern:  # a top-level alternation has no common prefix
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            return ""
    out: list[str] = []
    for ch in pattern:
        if ch in _META:
            if ch in "*?{" and out:  # the character before is optional or repeated
                out.pop()
            break
        out.append(ch)
    return "".join(out)


@cache
def _bmp() -> str:
    return "".join(chr(i) for i in range(0x10000) if not 0xD800 <= i < 0xE000)


@cache
def _same_chars(ch: str, flags: int) -> tuple[str, ...]:
    """Every character (of the BMP) that `ch` matches under `flags`."""
    return tuple(sorted(set(re.compile(re.escape(ch), flags).findall(_bmp()))))


@cache
def _letter_class(ch: str, flags: int) -> str | None:
    """A character class of every character `ch` matches under `flags`; None if one is not a word letter."""
    same = _same_chars(ch, flags)
    if not all(x.isalpha() for x in same):
        return None
    return "[" + "".join(re.escape(x) for x in same) + "]"


def _gate_prefix(pattern: str) -> str:
    """The first KEY_LEN letters of the pattern's literal prefix, when they are letters we can gate on."""
    prefix = literal_prefix(pattern)[:KEY_LEN]
    letters = ""
    for ch in prefix:
        if not _GATE_LETTER.match(ch):
            break
        letters += ch
    return letters


class PrefixGate:
    """Tells, for several patterns starting with (?<!\\w), where in a text each can start.

    `members` gives each pattern's alternatives (their source) and its flags; a pattern with an
    alternative that has no literal prefix of two letters or more is scanned everywhere.
    """

    def __init__(self, members: list[tuple[list[str], int]]) -> None:
        gates: list[re.Pattern[str] | None] = []
        union: set[str] = set()
        for alternatives, flags in members:
            prefixes = [_gate_prefix(a) for a in alternatives]
            classes = [[_letter_class(ch, flags) for ch in p] for p in prefixes]
            if all(len(p) >= 2 for p in prefixes) and all(c for cs in classes for c in cs):
                gates.append(re.compile("|".join(re.escape(p) for p in prefixes), flags))
                union.update("".join(cs) for cs in classes)  # type: ignore[arg-type]
            else:
                gates.append(None)
        self.gates = tuple(gates)
        # leftmost-first over letters only: no word start is skipped inside a hit
        self.union = re.compile(r"(?<!\w)(?:" + "|".join(sorted(union)) + ")") if union else None
        gated = [alt for (alts, _), g in zip(members, gates, strict=True) if g is not None for alt in alts]
        flags = {f for (_, f), g in zip(members, gates, strict=True) if g is not None}
        self.literal = LiteralGate(gated, flags.pop()) if len(flags) == 1 else None
        self._members_at = lru_cache(maxsize=1 << 16)(self._members_for_key)

    def _members_for_key(self, key: str) -> tuple[int, ...]:
        return tuple(i for i, g in enumerate(self.gates) if g is not None and g.match(key))

    def positions(
        self, text: str, low: str | None = None, starts: list[int] | None = None
    ) -> list[list[int] | None]:
        """Per pattern: the word starts where it can match, or None when it must be scanned everywhere.
        `low`: caseless(text) when the caller has it (a faster scan). `starts`: word starts of `text`
        known to include every word start where one of the patterns' prefixes stands (see
        `word_starts`); more are harmless, as each is checked against the patterns' prefixes."""
        out: list[list[int] | None] = [[] if g is not None else None for g in self.gates]
        if self.union is None:
            return out
        if starts is not None:
            if low is not None and self.literal is not None and self.literal.rx is not None:
                # the shared word starts of several gates: keep those where one of this gate's words begins
                # (as the literal scan below finds them), not only its first KEY_LEN letters
                rx = self.literal.rx
                starts = [p for p in starts if rx.match(low, p)]
        elif low is not None and self.literal is not None and self.literal.rx is not None:
            # hits span letters only, so no word start hides inside one
            starts = [m.start() for m in self.literal.rx.finditer(low)]
            starts = [p for p in starts if not p or not _WORD_CHAR.match(text, p - 1)]
        else:
            starts = [m.start() for m in self.union.finditer(text)]
        members_at = self._members_at
        for p in starts:
            for i in members_at(text[p : p + KEY_LEN]):
                out[i].append(p)  # type: ignore[union-attr]
        return out


def scan(rx: re.Pattern[str], text: str, positions: list[int] | None) -> list[re.Match[str]]:
    """rx.finditer(text) as a list, trying only `positions` (all when None); rx never matches empty."""
    if positions is None:
        return list(rx.finditer(text))
    out = []
    last = 0
    for p in positions:
        if p < last:
            continue
        m = rx.match(text, p)
        if m:
            out.append(m)
            last = m.end()
    return out


# --- Skipping sentences that cannot match ------------------------------------------------------------
#
# A case-insensitive alternation ("сказал[аи]?|отметил[аи]?|...") matches in a sentence only if one of
# its alternatives' literal beginnings is there. `caseless(text)` lower-cases a text once so that every
# pair of characters the regex engine takes as one letter becomes the same character (I, i and ı all
# turn into i); a plain case-sensitive scan of it then tells which sentences can hold a match.


@cache
def _caseless_table() -> dict[str, str]:
    """Lower-case characters whose upper case lowers to a Latin or Cyrillic letter: ı -> i, ſ -> s,
    ᲀ -> в (others are left: a gate on a letter they stand for is not built, see _caseless_safe)."""
    out = {}
    for ch in _bmp():
        back = ch.upper().lower()
        if back != ch and len(back) == 1 and ch.lower() == ch and _GATE_LETTER.match(back):
            out[ch] = back
    return out


def caseless(text: str) -> str | None:
    """The text in one case (same offsets), or None when lower-casing would change its length (İ)."""
    low = text.lower()
    if len(low) != len(text):
        return None
    for ch, letter in _caseless_table().items():
        if ch in low:
            low = low.replace(ch, letter)
    return low


# --- Once per document ------------------------------------------------------------------------------
#
# Several annotators and extractors gate their patterns on the caseless form of the same text (doc.text or
# the normalised view's): it is computed once per document and kept in doc.derived, keyed by what it is and
# by the text object (kept in the entry, so an identity is never mistaken for another text's).


def doc_caseless(doc: Doc, text: str) -> str | None:
    """caseless(text) for a text of `doc` (doc.text or a view's text), computed once per document."""
    return doc.derive("caseless", text, lambda: caseless(text))


@cache
def _word_start_gate() -> re.Pattern[str] | None:
    """One scan for the word starts both the role gate (people_data) and the city gate (place_data) need:
    `\b` + the literal beginnings of all their patterns (None when one gate has no literal form)."""
    gates = [people_data().gate.literal, place_data().city_gate.literal]
    words: set[str] = set()
    for gate in gates:
        if gate is None or gate.rx is None:
            return None
        words.update(gate.words)
    return re.compile(r"\b(?:" + _trie(_shortest(words)) + ")")


@cache
def _word_start_scan() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """_word_start_gate as a non-word character + the words (the engine jumps from one non-word character
    to the next instead of testing \b at every position), and the words alone for the text's start."""
    gate = _word_start_gate()
    if gate is None:
        return None
    words = gate.pattern[len(r"\b") :]
    return re.compile(r"\W" + words), re.compile(words)


def _gate_word_starts(low: str) -> list[int]:
    """[m.start() for m in _word_start_gate().finditer(low)], found faster: the words begin with a letter,
    so `\b` before one means the text's start or a non-word character before it; a hit spans letters only,
    so consuming that character never hides another hit (tests/test_people_names_speed_equivalence.py)."""
    scan_rx, at_start = _word_start_scan()  # type: ignore[misc]
    out = [0] if at_start.match(low) else []
    out += [m.start() + 1 for m in scan_rx.finditer(low)]
    return out


def word_starts(doc: Doc, text: str) -> list[int] | None:
    """Word starts of `text` (a text of `doc`) where a role or city pattern's literal beginning stands,
    once per document; None when the text has no caseless form (the gates then scan it themselves).

    Every start each gate's own scan finds is here: a word of a gate begins with one of the union's
    shortest words, and a hit of the union scan, spanning letters only, hides no word start. `\b` on the
    caseless text is a word start of `text`: lower-casing keeps whether a character is a word character
    (tests/test_people_speed_equivalence.py)."""
    rx = _word_start_gate()
    low = doc_caseless(doc, text)
    if rx is None or low is None:
        return None
    return doc.derive("word_starts", text, lambda: _gate_word_starts(low))


def _caseless_char(ch: str) -> str:
    low = ch.lower()
    return _caseless_table().get(low, low) if len(low) == 1 else low


@cache
def _caseless_safe(ch: str, flags: int) -> bool:
    """True when every character the regex engine takes for `ch` has the same caseless form (a text
    with a character whose lower case is longer, İ, has no caseless form at all)."""
    if not flags & re.IGNORECASE or len(ch.lower()) != 1:
        return False
    key = _caseless_char(ch)
    return all(_caseless_char(x) == key for x in _same_chars(ch, flags) if len(x.lower()) == 1)


def caseless_needles(words: list[str], flags: int) -> tuple[str, ...] | None:
    """Plain words matched with `flags` (IGNORECASE) in their caseless form: `n in caseless(text)` holds
    wherever the regex engine finds the word. None when a letter's case forms do not share one caseless
    form (then the words cannot be looked for this way)."""
    if not all(_caseless_safe(ch, flags) for w in words for ch in w):
        return None
    return tuple("".join(_caseless_char(ch) for ch in w) for w in words)


class Hits:
    """Spans of a document where some alternative of an alternation begins; None = anywhere."""

    def __init__(self, spans: list[tuple[int, int]] | None) -> None:
        self.spans = spans
        self.ends = [e for _, e in spans] if spans is not None else []

    def within(self, start: int, end: int) -> bool:
        """Can a match lie inside [start, end)?"""
        if self.spans is None:
            return True
        i = bisect_right(self.ends, start)
        return i < len(self.spans) and self.spans[i][0] < end

    def first(self, start: int, end: int) -> int | None:
        """Where in [start, end) the first match can start (start itself when unknown), None if nowhere."""
        if self.spans is None:
            return start
        i = bisect_right(self.ends, start)
        if i < len(self.spans) and self.spans[i][0] < end:
            return max(start, self.spans[i][0])
        return None

    def word_starts(self, text: str, start: int, end: int) -> list[int] | None:
        """Where in text[start:end] (offsets from `start`) a gated pattern that begins with (?<!\\w) and a
        gate word can match: the hits beginning in the slice at one of its word starts. None when unknown.

        A hit spans letters only, so no word start hides inside one: every word start of the text where a
        gate word begins is a hit's start. The slice's first character is a word start of the slice even
        when the text has a letter before it (a sentence split inside a word): then it is a candidate too
        (trying more positions than needed never changes what `scan` finds)."""
        spans = self.spans
        if spans is None:
            return None
        out: list[int] = []
        if start > 0 and _WORD_CHAR.match(text, start - 1):
            out.append(0)
        i = bisect_left(spans, (start,))
        while i < len(spans) and spans[i][0] < end:
            s = spans[i][0]
            if s == start:
                if not out:
                    out.append(0)
            elif not _WORD_CHAR.match(text, s - 1):
                out.append(s - start)
            i += 1
        return out

    def mapped(self, to_orig: list[int]) -> Hits:
        """View hits in original offsets, for `within` on a sentence's original span without mapping it.

        With vs, ve = inverse[s], inverse[e] (the first view offsets at or after s and e) and a view hit
        [a, b) (a < b <= len(view text)): a < ve iff to_orig[a] < e, and b > vs iff to_orig[b - 1] >= s, as
        to_orig never decreases. So hits.within(vs, ve) == hits.mapped(to_orig).within(s, e); the mapped
        spans stay in order, as `within` needs."""
        if self.spans is None:
            return self
        return Hits([(to_orig[a], to_orig[b - 1] + 1) for a, b in self.spans])


def _shortest(words: set[str]) -> list[str]:
    """The words that do not start with another of them: enough to tell where any of them begins."""
    out: list[str] = []
    for w in sorted(words, key=len):
        if not any(w.startswith(o) for o in out):
            out.append(w)
    return out


def _trie(words: list[str]) -> str:
    """An alternation of words none of which starts another, as a trie: the regex engine tries fewer
    branches ("заявил|заключ" -> "з(?:аявил|аключ)")."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w[1:])
    alts = []
    for first, rests in sorted(groups.items()):
        if len(rests) == 1:
            alts.append(re.escape(first + rests[0]))
        else:
            alts.append(re.escape(first) + "(?:" + _trie(rests) + ")")
    return "|".join(alts)


def _longest_word(pattern: str) -> str:
    """The longest word of a pattern made of plain words joined by \\s+; "" for any other pattern."""
    words = pattern.split(r"\s+")
    return max(words, key=len) if all(w.isalpha() for w in words) else ""


def _leading_letters(prefix: str) -> str:
    out = ""
    for ch in prefix:
        if not ch.isalpha():
            break
        out += ch
    return out


class LiteralGate:
    """The literal beginnings of an alternation's alternatives, to find where it cannot match.

    `alternatives` are regex sources, all compiled with `flags` (IGNORECASE); if one does not begin
    with two literal letters, every span may hold a match. A hit spans letters only. With `inner`,
    an alternative of plain words ("по\\s+его\\s+словам") is known by its longest word instead
    ("словам"): more telling, but then a hit is not where the match begins (use Hits.within only).
    """

    def __init__(self, alternatives: list[str], flags: int, inner: bool = False) -> None:
        words: set[str] = set()
        self.rx: re.Pattern[str] | None = None
        self.words: frozenset[str] = frozenset()  # the caseless literal beginnings, when rx is set
        for alt in alternatives:
            word = _longest_word(alt) if inner else ""
            word = word or _leading_letters(literal_prefix(alt))
            if len(word) < 2 or not all(_caseless_safe(ch, flags) for ch in word):
                return
            words.add("".join(_caseless_char(ch) for ch in word))
        self.rx = re.compile(_trie(_shortest(words)))
        self.words = frozenset(words)
        # a scan of the regex engine costs the same for two words as for forty: `str.find` is faster
        self._few = tuple(_shortest(words)) if len(_shortest(words)) <= _FEW_WORDS else None

    def hits(self, low: str | None) -> Hits:
        """Where in the caseless text (see `caseless`) an alternative can begin."""
        if self.rx is None or low is None:
            return Hits(None)
        if self._few is not None:
            return Hits(_find_words(self._few, low))
        return Hits([m.span() for m in self.rx.finditer(low)])


_FEW_WORDS = 6


def _find_words(words: tuple[str, ...], low: str) -> list[tuple[int, int]]:
    """The spans `re.finditer` of the words' trie gives, found with `str.find`: every occurrence of each
    word, then left to right those not overlapping the one kept before. The words are prefix-free, so
    at most one begins at a position: the one the trie matches there."""
    found: list[tuple[int, int]] = []
    for w in words:
        i = low.find(w)
        while i >= 0:
            found.append((i, i + len(w)))
            i = low.find(w, i + 1)
    found.sort()
    out: list[tuple[int, int]] = []
    last = 0
    for s, e in found:
        if s >= last:
            out.append((s, e))
            last = e
    return out
