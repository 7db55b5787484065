"""Clauses: a sentence cut into the stretches that each state one figure, with their constituents.

A sentence is first cut into pieces at its clause boundaries: `,` `;` `:`, brackets, and the conjunctions
of the lexicon (и, а, and, while, ал, ...) where a new figure or flow follows them (never between two
countries: "между Казахстаном и Узбекистаном"). Amounts get a role from the words around them:

- `value`: a figure the clause states;
- `from`: "с 500 млн до 700 млн", "from $13 million ... to $362 million": the first figure of a from-to
  pair (a fact of its own, with its own period);
- `base`: the figure compared with ("compared to $1.245 billion", "по сравнению с ...", a bracketed figure
  right after a comparison: "to the same period in 2022 ($518.1 million)");
- `abs`: an absolute change ("на 45 млн больше", "increased by $136.5 million", "(+$2.8 billion)",
  "200 тоннаға қысқарды"): no fact;
- `price`: a unit price ("430 долларға" after "бір тоннасын", "per tonne"): no fact.
- `conv`: the figure before it in another currency ("22,8 млрд тенге ($51 млн)"): no second fact.

Pieces are then joined left to right into clauses: a piece that opens a new frame (a flow word, a country,
a pointer to one) after the clause already holds its figure, or a second figure, or a second change,
starts a new clause; other pieces (a change in apposition, a period, a comparison) stay with the clause
before them. Values standing side by side with nothing between them ("72 млн долларға 616 мың тонна") are
one item stated in two units: one clause, two values.

Reads: a `Sentence` and its phrases (karavan.annotate.phrases). Sets nothing: returns the clauses, in view
offsets like the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from karavan.annotate.lexicon import ending, word_set
from karavan.annotate.phrases import Phrase
from karavan.annotate.sentence import Sentence
from karavan.annotate.spans import SpanGrid

FIGURES = ("amount", "quantity")
OPENERS = ("flow", "flow_verb", "country", "pointer", "bloc", "subnational")
PUNCTUATION = re.compile(r"[,;:()]")  # a spaced dash is no boundary: "Россия – 2,9 млрд", "цель – довести"


@dataclass(slots=True)
class Piece:
    start: int
    end: int
    opened_by: str  # start, comma, semicolon, colon, paren, and, or
    paren: bool
    phrases: list[Phrase] = field(default_factory=list)

    def has(self, *kinds: str) -> bool:
        return any(p.kind in kinds for p in self.phrases)

    def opens_frame(self) -> bool:
        """A flow word, a name or a pointer to a country starts a new frame; a pointer back to the figure
        ("бұл ... 20%-ға көп", "что на 5% больше") does not."""
        own = [
            p for p in self.phrases if p.kind in OPENERS and not (p.kind == "pointer" and p.value == "figure")
        ]
        if self.paren:
            return any(p.kind in ("flow", "flow_verb") for p in own)
        return bool(own)


@dataclass(slots=True)
class Clause:
    """One stretch of a sentence and its constituents; `values` are the figures it states."""

    sentence: int
    start: int  # view offsets
    end: int
    phrases: list[Phrase]
    values: list[Phrase] = field(default_factory=list)
    roles: dict[int, str] = field(
        default_factory=dict
    )  # an amount's start -> its role (the whole sentence's)
    opened_by: str = "start"  # how its first piece opens: start, comma, and, or, paren, ...
    pieces: list[tuple[int, int]] = field(default_factory=list)

    def of(self, *kinds: str) -> list[Phrase]:
        return [p for p in self.phrases if p.kind in kinds]

    def has(self, *kinds: str) -> bool:
        return any(p.kind in kinds for p in self.phrases)

    def figures(self, role: str) -> list[Phrase]:
        return [p for p in self.phrases if p.kind in FIGURES and self.roles.get(p.start) == role]


def _boundaries(s: Sentence, phrases: list[Phrase]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every clause boundary, in order."""
    inside = SpanGrid((p.start, p.end) for p in phrases if p.kind not in ("conj",))
    out: list[tuple[int, int, str]] = []
    for m in PUNCTUATION.finditer(s.text):
        at = s.start + m.start()
        if inside.any(at, at + 1):  # a place inside a phrase
            continue  # a comma inside "1,2 млрд", a bracket inside a period
        ch = m.group(0).strip()
        kind = {",": "comma", ";": "semicolon", ":": "colon", "(": "paren", ")": "close"}[ch]
        out.append((at, s.start + m.end(), kind))
    countries = [p for p in phrases if p.kind in ("country", "pointer", "bloc")]
    for p in phrases:
        if p.kind != "conj":
            continue
        if _between_names(p, countries, s):
            continue
        if not _opens_figure(p, phrases) or not s.text[: p.start - s.start].strip(" «\"'(-–—"):
            continue  # a conjunction opening the sentence cuts nothing off
        out.append((p.start, p.end, str(p.value)))
    out.sort()
    return out


def _between_names(conj: Phrase, countries: list[Phrase], s: Sentence) -> bool:
    """A conjunction right between two names ("Казахстан и Узбекистан") joins them: no boundary."""
    before = [
        c
        for c in countries
        if c.end <= conj.start and not s.text[c.end - s.start : conj.start - s.start].strip(" ,")
    ]
    after = [
        c
        for c in countries
        if c.start >= conj.end and not s.text[conj.end - s.start : c.start - s.start].strip()
    ]
    return bool(before and after) and not _name_then_figure(after[0], s)


def _name_then_figure(country: Phrase, s: Sentence) -> bool:
    """ "and Turkey $1.0bn": a name that opens a list item (a figure follows it at once)."""
    rest = s.text[country.end - s.start : country.end - s.start + 4]
    return bool(re.match(r"\s*(?:[–—-]\s*|\(|at\s|with\s)?[$€\d]", rest))


def _opens_figure(conj: Phrase, phrases: list[Phrase]) -> bool:
    """A conjunction is a boundary where a figure, a flow, a name, a period or a change follows it before
    the next boundary-like word."""
    for p in phrases:
        if p.start < conj.end:
            continue
        if p.kind == "conj":
            return False
        if p.kind in (
            *FIGURES,
            "flow",
            "flow_verb",
            "country",
            "pointer",
            "period",
            "percent",
            "factor",
            "product",
        ):
            return p.start - conj.end < 60
    return False


def _pieces(s: Sentence, phrases: list[Phrase]) -> list[Piece]:
    cuts = _boundaries(s, phrases)
    pieces: list[Piece] = []
    start, opened, depth = s.start, "start", 0
    for a, b, kind in cuts:
        if a > start:
            pieces.append(Piece(start, a, opened, depth > 0))
        if kind == "paren":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        # a conjunction belongs to the piece it opens ("при этом" also says the sentence continues)
        start = a if kind in ("and", "or") else b
        opened = "paren" if kind == "paren" else ("comma" if kind == "close" else kind)
    if start < s.end:
        pieces.append(Piece(start, s.end, opened, depth > 0))
    j = 0
    for piece in pieces:
        while j < len(phrases) and phrases[j].start < piece.start:
            j += 1
        k = j
        while k < len(phrases) and phrases[k].start < piece.end:
            piece.phrases.append(phrases[k])
            k += 1
    return [p for p in pieces if p.end > p.start and s.text[p.start - s.start : p.end - s.start].strip()]


def amount_roles(s: Sentence, phrases: list[Phrase], pieces: list[Piece]) -> dict[int, str]:
    """The role of every amount and quantity (by start): value, from, base, abs, price, conv (the figure
    before it in another currency)."""
    roles: dict[int, str] = {}
    figures = [p for p in phrases if p.kind in FIGURES]
    piece_of = {p.start: i for i, piece in enumerate(pieces) for p in piece.phrases}
    for n, f in enumerate(figures):
        before = s.text[max(0, f.start - s.start - 30) : f.start - s.start]
        word_before = _last_word(before)
        i = piece_of.get(f.start)
        piece = pieces[i] if i is not None else None
        nxt = figures[n + 1] if n + 1 < len(figures) else None
        role = "value"
        prior = figures[n - 1] if n else None
        if prior is not None and _converts(s, prior, f):
            role = "conv"  # "22.8 billion tenge ($51 million)": the figure before, in another currency
        elif _is_price(f, phrases):
            role = "price"
        elif s.lang == "kk" and _kk_abs(s, f, phrases):
            role = "abs"
        elif _signed_figure(before):
            role = "abs"
        elif word_before in word_set("amount_role.by") and _changes_around(f, phrases, piece):
            role = "abs"
        elif _more_less_after(s, f, phrases):
            role = "abs"
        elif word_before in word_set("amount_role.from") and nxt is not None and _to_follows(s, f, nxt):
            role = "from"
        elif _compared(f, phrases, piece):
            role = "base"
        elif (
            piece is not None
            and ((piece.paren and not piece.has(*OPENERS)) or piece.opened_by == "when")
            and i
            and _ends_comparison(pieces[i - 1])
        ):
            role = "base"  # "... the same period in 2022 ($518.1 million)", "... in 2022 when imports were $2.2bn"
        elif piece is not None and piece.paren and i and _dated_after_change(s, pieces[i - 1], piece):
            role = (
                "base"  # "... a decline of 30.6 percent ($24.2 million in 10M2022)": the figure compared with
            )
        roles[f.start] = role
    return roles


def _converts(s: Sentence, prior: Phrase, f: Phrase) -> bool:
    """A bracket holding only an amount in another currency right after an amount: the same figure."""
    if prior.kind != "amount" or f.kind != "amount":
        return False
    unit = (prior.attrs["mention"].attrs.get("unit"), f.attrs["mention"].attrs.get("unit"))
    if None in unit or unit[0] == unit[1]:
        return False
    gap = s.text[prior.end - s.start : f.start - s.start]
    after = s.text[f.end - s.start : f.end - s.start + 3]
    return bool(re.fullmatch(r"\s*\(\s*", gap)) and after.lstrip().startswith(")")


def _last_word(text: str) -> str:
    m = re.search(r"(\w+)\W*$", text)
    return m.group(1).lower() if m and not text[m.end() :].strip(" ") else ""


def _is_price(f: Phrase, phrases: list[Phrase]) -> bool:
    """A unit price: "430 долларға" after "бір тоннасын", "$250 per tonne"; "бір тонна" itself is its unit."""
    for p in phrases:
        if p.kind != "per_unit":
            continue
        if (
            0 <= f.start - p.end < 30
            or 0 <= p.start - f.end < 4
            or (f.start <= p.start and p.end <= f.end + 3)
        ):
            return True
    return False


def _signed_figure(before: str) -> bool:
    """ "(+$2.8 billion)", "(-15 млн)": a signed figure is a change."""
    return bool(re.search(r"\(\s*[+\-−]\s*[$€₸]?\s*$", before))


def _changes_around(f: Phrase, phrases: list[Phrase], piece: Piece | None) -> bool:
    """A change verb in the figure's piece, before it ("увеличился ... на 769,5 млн", "rose by $1 bn")."""
    if piece is None:
        return False
    flows = [p for p in piece.phrases if p.kind in ("flow_verb", "worth") and p.end <= f.start]
    changes = [p for p in piece.phrases if p.kind == "change" and p.end <= f.start]
    return bool(changes) and not (flows and flows[-1].start > changes[-1].start)


def _more_less_after(s: Sentence, f: Phrase, phrases: list[Phrase]) -> bool:
    """ "на 45 млн больше", "$100 million more than": a difference."""
    for p in phrases:
        if not 0 <= p.start - f.end < 3 or s.text[f.end - s.start : p.start - s.start].strip():
            continue  # right after it, nothing but a space between: "$1.5 billion, up 3%" states the figure
        if p.kind == "more_less":
            return True
        if p.kind == "change" and p.value == 1 and p.end - p.start <= 6:
            return True  # "больше", "выше" as the change word right after; "(өсім 18 есе)" is the change
    return False


def _kk_abs(s: Sentence, f: Phrase, phrases: list[Phrase]) -> bool:
    """Kazakh "200 тоннаға қысқарды", "307,7 млн долларға аз": a dative figure followed by a change word."""
    text = s.text[f.start - s.start : f.end - s.start]
    if not ending("grammar.dative").search(text):
        return False
    for p in phrases:
        if p.kind in ("change", "more_less") and 0 <= p.start - f.end < 3:
            return True
    return False


def _to_follows(s: Sentence, f: Phrase, nxt: Phrase) -> bool:
    """ "с 500 млн до 700 млн", "from $13 million in 2014 to $362 million": a "to" word before the next figure."""
    gap = s.text[f.end - s.start : nxt.start - s.start]
    if len(gap) > 45 or re.search(r"[;.]", gap):
        return False
    words = {w.lower() for w in re.findall(r"\w+", gap)}
    return bool(words & word_set("amount_role.to"))


def _compared(f: Phrase, phrases: list[Phrase], piece: Piece | None) -> bool:
    """ "compared to $298.428 million", "против 1,147 млн. тонн": a comparison word right before the figure."""
    for p in phrases:
        if p.kind == "compare" and p.value == "before" and 0 <= f.start - p.end < 12:
            return True
    return False


def _ends_comparison(piece: Piece) -> bool:
    """The piece before a bracketed figure compares ("... to the same period in 2022 (574,500 tons)")."""
    kinds = [p.kind for p in piece.phrases]
    if "compare" not in kinds:
        return any(p.kind == "period" and p.attrs.get("anchor") == "fact" for p in piece.phrases)
    return not any(k in FIGURES for k in kinds[kinds.index("compare") :])


def _dated_after_change(s: Sentence, before: Piece, paren: Piece) -> bool:
    """A bracket with a figure and a period of its own right after a change in percent: the figure the change
    is measured from, unless the bracket opens with a "to" word ("(до 1,2 млрд в 2023 году)")."""
    if not before.phrases or before.phrases[-1].kind != "percent" or not before.has("change"):
        return False
    if not paren.has("period") or paren.has("flow", "flow_verb", "country"):
        return False
    first = re.match(r"\W*(\w+)", s.text[paren.start - s.start : paren.end - s.start])
    return not (first and first.group(1).lower() in word_set("amount_role.to"))


def split_clauses(s: Sentence, phrases: list[Phrase]) -> list[Clause]:
    """The sentence's clauses, in order."""
    pieces = _pieces(s, phrases)
    roles = amount_roles(s, phrases, pieces)
    clauses: list[Clause] = []
    cur: Clause | None = None
    for piece in pieces:
        values = [p for p in piece.phrases if p.kind in FIGURES and roles.get(p.start) == "value"]
        opener = piece.opens_frame()
        change = _piece_states_change(s, piece)
        if cur is None:
            cur = _clause(s, piece, roles)
        elif values and (cur.values or (opener and _states_change(cur) and cur.has("flow", "flow_verb"))):
            clauses.append(cur)
            cur = _clause(s, piece, roles)
        elif opener and (cur.values or (_states_change(cur) and piece.has("flow", "flow_verb"))):
            clauses.append(cur)
            cur = _clause(s, piece, roles)
        elif (
            piece.opened_by == "and"
            and cur.values
            and not values
            and piece.has("period")
            and not any(p.kind == "pointer" and p.value == "figure" for p in piece.phrases)
        ):
            clauses.append(cur)  # "..., а за четыре месяца 2022 года — уже на 24,5%, до 1,4 млрд"
            cur = _clause(s, piece, roles)
        elif change and not values and _states_change(cur) and not cur.values:
            clauses.append(cur)
            cur = _clause(s, piece, roles)
        else:
            _extend(cur, piece)
        if values:
            cur.values.extend(values)
    if cur is not None:
        clauses.append(cur)
    return clauses


def _piece_states_change(s: Sentence, piece: Piece) -> bool:
    """A percent or factor with a change word, or after "на"/"by" ("за 5 месяцев — на 8,8%")."""
    for p in piece.phrases:
        if p.kind == "factor":
            return True
        if p.kind == "percent":
            if piece.has("change"):
                return True
            if _last_word(s.text[max(0, p.start - s.start - 12) : p.start - s.start]) in word_set(
                "change.by"
            ):
                return True
    return False


def _states_change(c: Clause) -> bool:
    return any(p.kind in ("percent", "factor") for p in c.phrases) and c.has("change", "factor")


def _clause(s: Sentence, piece: Piece, roles: dict[int, str]) -> Clause:
    return Clause(
        s.index,
        piece.start,
        piece.end,
        list(piece.phrases),
        [],
        roles,
        piece.opened_by,
        [(piece.start, piece.end)],
    )


def _extend(c: Clause, piece: Piece) -> None:
    c.end = piece.end
    c.phrases.extend(piece.phrases)
    c.pieces.append((piece.start, piece.end))


def group_values(c: Clause, s: Sentence) -> list[list[Phrase]]:
    """The clause's values as items: figures side by side with nothing between them are one item in two units."""
    items: list[list[Phrase]] = []
    for v in c.values:
        if items:
            gap = s.text[items[-1][-1].end - s.start : v.start - s.start]
            if not gap.strip() and v.attrs.get("mention") is not None:
                items[-1].append(v)
                continue
        items.append([v])
    return items
