"""Agreement facts: a named document (declaration, roadmap, agreement, memorandum, programme, ...),
its parties (the document's pair of countries unless the sentence names two) and its status.

A head noun (data/agreements.toml) counts only with a complement ("о ...", "по ...", "между ...") or
a quoted name: "более 100 договоров" and "новыми важными соглашениями" are not agreements. The name
is given as written, its head and the adjectives before it turned to the nominative.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from karavan.annotate.people_context import countries, doc_pair, lang_at, sentences
from karavan.annotate.people_data import LiteralGate, caseless
from karavan.doc import Doc, Fact

_Q_OPEN, _Q_CLOSE = '«“"„', '»”"'


@dataclass(frozen=True, slots=True)
class _Rules:
    head: re.Pattern[str]
    forms: dict[str, tuple[str, str]]  # lower form -> (nominative, gender)
    complement: re.Pattern[str]
    lower_complement: re.Pattern[str]
    stop: re.Pattern[str]
    max_words: int
    adjectives: dict[str, dict[str, str]]
    status: tuple[tuple[str, re.Pattern[str]], ...]
    head_gate: LiteralGate  # sentences without the beginning of a head noun hold no agreement


@cache
def _rules() -> _Rules:
    with resources.files("karavan.data").joinpath("agreements.toml").open("rb") as fh:
        raw: dict[str, Any] = tomllib.load(fh)
    forms: dict[str, tuple[str, str]] = {}
    for spec in raw["heads"].values():
        gender, nominative = spec[0], spec[1]
        for f in spec[1:]:
            forms[f.lower()] = (nominative, gender)
    alts = sorted((re.escape(f).replace(r"\ ", r"\s+") for f in forms), key=len, reverse=True)
    adj = r"(?:[\w-]+(?:ой|ую|ей|ая|ого|ому|ым|ом|ый|ий|ое|ые|ых)\s+){0,2}"
    return _Rules(
        head=re.compile(
            r"(?<!\w)(["
            + _Q_OPEN
            + r"]?)("
            + adj
            + r")("
            + "|".join(alts)
            + r")(?!\w)(["
            + _Q_CLOSE
            + r"]?)",
            re.IGNORECASE,
        ),
        forms=forms,
        complement=re.compile(r"\s+(?:" + "|".join(raw["complement"]) + r")\s", re.IGNORECASE),
        lower_complement=re.compile(r"\s+(?:" + "|".join(raw["lower_complement"]) + r")\s", re.IGNORECASE),
        stop=re.compile("|".join(raw["stop"])),
        max_words=raw["max_words"],
        adjectives=raw["adjectives"],
        status=tuple(
            (k, re.compile(r"(?<!\w)(?:" + "|".join(raw["status"][k]) + r")(?!\w)", re.IGNORECASE))
            for k in ("planned", "signed", "in_force")
        ),
        head_gate=LiteralGate(alts, re.IGNORECASE),
    )


def _nominative_adjective(word: str, gender: str, rules: _Rules) -> str:
    for ending, nom in sorted(rules.adjectives.get(gender, {}).items(), key=lambda kv: -len(kv[0])):
        if word.lower().endswith(ending):
            return word[: -len(ending)] + nom
    return word


def _complement(text: str, pos: int, rules: _Rules, lower: bool) -> int:
    """End of the head's complement starting at pos (pos itself when there is none)."""
    starter = (rules.lower_complement if lower else rules.complement).match(text, pos)
    if not starter:
        return pos
    stop = rules.stop.search(text, starter.end())
    end = stop.start() if stop else len(text)
    words = text[pos:end].split()
    if len(words) > rules.max_words:
        end = pos + len(" ".join(text[pos:end].split(maxsplit=rules.max_words)[: rules.max_words])) + 1
    return pos + len(text[pos:end].rstrip(' .»”"')) + (1 if text[pos:end].rstrip().endswith("гг.") else 0)


def _name_start_bound(text: str, head: int) -> int:
    """Where a name whose head noun starts at `head` can start at the earliest: an opening quote and two
    adjectives before it ("«Новой экономической программы")."""
    i = head
    for _ in range(2):
        j = i
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j == i:
            break
        while j > 0 and not text[j - 1].isspace():
            j -= 1
        i = j
    return max(0, i - 1)


def extract_agreements(doc: Doc) -> list[Fact]:
    rules = _rules()
    nations = countries(doc)
    pair = doc_pair(doc, nations=nations)
    head_at = rules.head_gate.hits(caseless(doc.text))
    found: dict[str, Fact] = {}
    for sent in sentences(doc):
        at = head_at.first(sent.start, sent.end)
        if at is None:
            continue
        text = doc.text[sent.start : sent.end]
        for m in rules.head.finditer(text, _name_start_bound(text, at - sent.start)):
            open_q, adjs, head, close_q = m.group(1), m.group(2), m.group(3), m.group(4)
            nominative, gender = rules.forms[re.sub(r"\s+", " ", head.lower())]
            if head.endswith(("ов", "ий", "ам", "ами", "ах")) and head.lower() not in rules.forms:
                continue
            quoted_inside = False
            end = m.end()
            if open_q and not close_q:  # «Дорожная карта по ...»: the name runs to the closing quote
                close = min((i for i in (text.find(q, m.end()) for q in _Q_CLOSE) if i >= 0), default=-1)
                if close < 0 or close - m.end() > 200:
                    continue
                end, quoted_inside = close, True
            else:
                lower = not (head[:1].isupper() or adjs[:1].isupper() or open_q)
                end = _complement(text, m.end(), rules, lower)
                if end == m.end() and not open_q:
                    continue
            status = next((k for k, rx in rules.status if rx.search(text)), None)
            if status is None:
                continue
            words = [_nominative_adjective(w, gender, rules) for w in adjs.split()]
            name_head = nominative if head.lower() != nominative else head
            if head[:1].isupper() and name_head[:1].islower():
                name_head = name_head[:1].upper() + name_head[1:]
            rest = text[m.end() : end]
            name = " ".join([*words, name_head]) + rest
            name = re.sub(r"\s+", " ", name).strip(' «»"“”')
            name = name[:1].upper() + name[1:]
            key = name.lower()
            if key in found:
                continue
            qs = sent.start + m.start() + (1 if open_q else 0)
            # the quote: from the status verb when it stands before the name, to the end of the name
            verb = next(
                (mm for _, rx in rules.status for mm in rx.finditer(text) if mm.end() <= m.start()), None
            )
            if verb is not None and m.start() - verb.end() < 40:
                qs = sent.start + verb.start()
            qe = sent.start + end + (1 if quoted_inside else 0)
            here = sorted({p.code for p in nations if sent.start <= p.start < sent.end})
            parties = here if len(here) >= 2 else pair
            found[key] = Fact(
                type="agreement",
                doc=doc.id,
                start=qs,
                end=qe,
                quote=doc.text[qs:qe],
                fields={"name": name, "parties": parties, "status": status},
                lang=lang_at(doc, qs, qe),
                rule="agreement.named_document",
            )
    return sorted(found.values(), key=lambda f: f.start)
