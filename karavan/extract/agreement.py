"""Agreement facts: a named document (declaration, roadmap, agreement, memorandum, programme, ...),
its parties (the document's pair of countries unless the sentence names two) and its status.

A head noun (data/agreements.toml) counts only with a complement ("о ...", "по ...", "между ...") or
a quoted name: "более 100 договоров" and "новыми важными соглашениями" are not agreements. The name
is given as written, its head and the adjectives before it turned to the nominative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from karavan.annotate.lexicon import fold
from karavan.annotate.people_context import Place, countries, doc_pair, lang_at, sentences, view_of
from karavan.annotate.people_data import LiteralGate, doc_caseless, load_data, scan
from karavan.annotate.spans import ByStart
from karavan.doc import Doc, Fact
from karavan.extract.meeting import group_members

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_Q_OPEN, _Q_CLOSE = '«“"„', '»”"'
# where a name can begin: after no word character, at an opening quote or the first character of a word
_NAME_START = re.compile(r"(?<!\w)[\w\-" + _Q_OPEN + "]")


@dataclass(frozen=True, slots=True)
class _Rules:
    head: re.Pattern[str]
    forms: dict[str, tuple[str, str]]  # folded form (lexicon.fold) -> (nominative, gender)
    complement: re.Pattern[str]
    lower_complement: re.Pattern[str]
    stop: re.Pattern[str]
    max_words: int
    adjectives: dict[str, dict[str, str]]
    status: tuple[tuple[str, re.Pattern[str]], ...]
    head_gate: LiteralGate  # sentences without the beginning of a head noun hold no agreement
    genitive: re.Pattern[str]
    max_genitive_words: int
    kk_head: re.Pattern[str]  # Kazakh: link word + head form (group "head")
    kk_forms: dict[str, str]  # folded form -> nominative
    kk_stop: re.Pattern[str]
    kk_max_words: int
    kk_gate: LiteralGate
    occasion: re.Pattern[str]  # a complement naming the occasion ("по итогам визита"), not the document
    documents: re.Pattern[str]  # a word for documents: a sentence before that signs them gives its status
    counted: re.Pattern[str]  # an exact count of signed documents ("34 құжатқа", "25 cooperation documents")
    counted_forms: dict[str, str]  # folded noun form -> nominative
    counted_nouns: re.Pattern[str]  # the nouns alone: a sentence without one holds no count of documents


@cache
def _rules() -> _Rules:
    raw = load_data("agreements.toml")
    forms: dict[str, tuple[str, str]] = {}
    for spec in raw["heads"].values():
        gender, nominative = spec[0], spec[1]
        for f in spec[1:]:
            forms[fold(f)] = (nominative, gender)
    kk_forms = {fold(f): nom for nom, fs in raw["kk_heads"].items() for f in fs}
    counted_forms = {fold(f): nom for nom, fs in raw["counted"]["nouns"].items() for f in fs}
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
            (
                "in_force" if k == "base" else k,
                re.compile(r"(?<!\w)(?:" + "|".join(raw["status"][k]) + r")(?!\w)", re.IGNORECASE),
            )
            for k in ("base", "planned", "signed", "in_force")
        ),
        head_gate=LiteralGate(alts, re.IGNORECASE),
        genitive=re.compile(r"\s+" + raw["genitive_complement"] + r"(?!\w)"),
        max_genitive_words=raw["max_genitive_words"],
        kk_head=re.compile(
            r"(?<!\w)(?:"
            + "|".join(raw["kk_links"] + raw["kk_event_links"])
            + r")\s+(?P<head>"
            + "|".join(sorted((re.escape(f).replace(r"\ ", r"\s+") for f in kk_forms), key=len, reverse=True))
            + r")(?!\w)",
            re.IGNORECASE,
        ),
        kk_forms=kk_forms,
        kk_stop=re.compile(r"(?:" + "|".join(raw["kk_stop"]) + r")$", re.IGNORECASE),
        kk_max_words=raw["kk_max_words"],
        kk_gate=LiteralGate(raw["kk_links"] + raw["kk_event_stems"], re.IGNORECASE),
        occasion=re.compile(r"\s+(?:" + "|".join(raw["occasion"]) + r")\s", re.IGNORECASE),
        documents=re.compile(r"(?<!\w)(?:" + "|".join(raw["counted"]["documents"]) + r")", re.IGNORECASE),
        counted=_counted_rx(raw["counted"], counted_forms),
        counted_forms=counted_forms,
        counted_nouns=re.compile(
            r"(?<!\w)(?:"
            + "|".join(sorted(map(re.escape, counted_forms), key=len, reverse=True))
            + r")(?!\w)",
            re.IGNORECASE,
        ),
    )


def _counted_rx(raw: dict, forms: dict[str, str]) -> re.Pattern[str]:
    """A count (digits or a number word, no "more than" before it), up to two words, a document noun."""
    nouns = sorted((re.escape(f) for f in forms), key=len, reverse=True)
    return re.compile(
        r"(?<![\w$€₸.,])(?<!"
        + r")(?<!".join(raw["not_after"])
        + r")(?P<count>\d+|"
        + "|".join(raw["numbers"])
        + r")\s+(?P<words>(?:(?!(?:"
        + "|".join(raw["not_words"])
        + r")(?!\w))[\w-]+\s+){0,2}?)(?P<noun>"
        + "|".join(nouns)
        + r")(?!\w)",
        re.IGNORECASE,
    )


def _nominative_adjective(word: str, gender: str, rules: _Rules) -> str:
    for ending, nom in sorted(rules.adjectives.get(gender, {}).items(), key=lambda kv: -len(kv[0])):
        if word.lower().endswith(ending):
            return word[: -len(ending)] + nom
    return word


_BETWEEN = ("между", "between")
_AND_NAME = re.compile(r"[\w-]+\s+(?:и|and)\s+(?:the\s+)?[\w-]+")


def _complement(text: str, pos: int, rules: _Rules, lower: bool) -> int:
    """End of the head's complement starting at pos (pos itself when there is none)."""
    starter = (rules.lower_complement if lower else rules.complement).match(text, pos)
    if not starter or rules.occasion.match(text, pos):
        return pos
    after = starter.end()
    if starter.group().strip().lower() in _BETWEEN:  # "между Казахстаном и Узбекистаном о ...": both sides
        pair = _AND_NAME.match(text, after)
        after = pair.end() if pair else after
    stop = rules.stop.search(text, after)
    end = stop.start() if stop else len(text)
    words = text[pos:end].split()
    if len(words) > rules.max_words:
        end = pos + len(" ".join(text[pos:end].split(maxsplit=rules.max_words)[: rules.max_words])) + 1
    return pos + len(_trim(text[pos:end])) + (1 if text[pos:end].rstrip().endswith("гг.") else 0)


def _trim(span: str, strip: str = " .") -> str:
    """A complement without trailing spaces, dots and closing quotes that close nothing inside it."""
    out = span.rstrip(strip)
    while out and out[-1] in '»”"':
        close = out[-1]
        balanced = (
            out.count('"') % 2 == 0
            if close == '"'
            else out.count("«" if close == "»" else "“") >= out.count(close)
        )
        if balanced:
            break
        out = out[:-1].rstrip(strip)
    return out


def _genitive_complement(text: str, start: int, pos: int, rules: _Rules) -> int:
    """End of a genitive complement after a capitalised head inside a sentence ("Программа
    экономического сотрудничества на 2025-2027 годы"); pos when there is none."""
    if not text[:start].strip(' «"„“') or not rules.genitive.match(text, pos):
        return pos
    stop = rules.stop.search(text, pos)
    end = stop.start() if stop else len(text)
    words = text[pos:end].split()[: rules.max_genitive_words]
    span = text[pos:end]
    cut = pos + span.find(words[-1]) + len(words[-1]) if words else pos
    return pos + len(_trim(text[pos:cut]))


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


class _Sides:
    """The parties of an agreement: the countries named in its sentence when two or more, else the
    document's pair. The document's countries and pair are read when a first agreement asks (most
    documents have none): a pure function of the document, so when they are read changes nothing."""

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._nations: list[Place] | None = None
        self._at = ByStart([])
        self._pair: list[str] = []

    def parties(self, start: int, end: int) -> list[str]:
        if self._nations is None:
            self._nations = countries(self._doc)
            self._pair = doc_pair(self._doc, nations=self._nations)
            self._at = ByStart(self._nations)  # the agreement's by bisection, not a scan of the document's
        here = sorted({p.code for p in self._at.between(start, end)})
        grouped = group_members(self._doc.text[start:end])  # «Central Asia + Italy» summit's declaration
        if grouped:
            return sorted(set(here) | set(grouped))
        if len(here) >= 3 and len(self._pair) == 2 and set(self._pair) <= set(here):
            return self._pair  # a third country said in passing ("a neighbour of Afghanistan like ...")
        return here if len(here) >= 2 else self._pair


def _heads(text: str, pos: int, heads: list[int] | None, rules: _Rules) -> list[re.Match[str]]:
    """`rules.head.finditer(text, pos)`, trying only where a name can begin before a head noun.

    `heads`: where in `text` a head noun can begin (`Hits.word_starts`; None = unknown, then the plain scan).
    A name with its head at h begins at h or before it: an opening quote and at most two adjectives, each
    followed by spaces, and `_name_start_bound` is at or before that beginning; a name begins with (?<!\\w)
    at a quote or a word character (`_NAME_START`). Every place a match can begin is thus tried, in order,
    each from the end of the last match on: the matches finditer gives (the head regex tries the optional
    adjectives at every character of the sentence, the costly part of this extractor)."""
    if heads is None:
        return list(rules.head.finditer(text, pos))
    starts: set[int] = set()
    for h in heads:
        lo = max(pos, _name_start_bound(text, h))
        starts.update(m.start() for m in _NAME_START.finditer(text, lo, h + 1))
    return scan(rules.head, text, sorted(starts))


def extract_agreements(doc: Doc) -> list[Fact]:
    rules = _rules()
    sides = _Sides(doc)
    head_at = rules.head_gate.hits(doc_caseless(doc, doc.text))
    found: dict[str, Fact] = {}
    sents = sentences(doc)
    for i, sent in enumerate(sents):
        at = head_at.first(sent.start, sent.end)
        if at is None:
            continue
        text = doc.text[sent.start : sent.end]
        heads = head_at.word_starts(doc.text, sent.start, sent.end)
        for m in _heads(text, _name_start_bound(text, at - sent.start), heads, rules):
            open_q, adjs, head, close_q = m.group(1), m.group(2), m.group(3), m.group(4)
            begin = m.start()
            if adjs[:1].isupper() and head[:1].isupper() and not open_q:
                # a name capitalises its first word only: «с Казахстаном Соглашение о ...» starts at the head
                adjs, begin = "", m.start(3)
            known = rules.forms.get(re.sub(r"\s+", " ", fold(head)))
            if known is None:
                continue
            nominative, gender = known
            if head.endswith(("ов", "ий", "ам", "ами", "ах")) and fold(head) not in rules.forms:
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
                if end == m.end() and not open_q and (head[:1].isupper() or adjs[:1].isupper()):
                    end = _genitive_complement(text, begin, m.end(), rules)
                if end == m.end() and not open_q:
                    continue
            status = next((k for k, rx in rules.status if rx.search(text)), None) or _status_before(
                doc, sents, i, rules
            )
            if status is None:
                continue
            words = [_nominative_adjective(w, gender, rules) for w in adjs.split()]
            name_head = nominative if head.lower() != nominative else head
            if head[:1].isupper() and name_head[:1].islower():
                name_head = name_head[:1].upper() + name_head[1:]
            rest = text[m.end() : end]
            name = " ".join([*words, name_head]) + rest
            name = re.sub(r"\s+", " ", name).strip()
            if name[:1] in _Q_OPEN and not any(q in name[1:] for q in _Q_CLOSE):
                name = name[1:]
            name = _trim(name, " ")
            name = name[:1].upper() + name[1:]
            key = name.lower()
            if key in found:
                continue
            qs = sent.start + begin + (1 if open_q else 0)
            # the quote: from the status verb when it stands before the name, to the end of the name
            verb = next(
                (mm for _, rx in rules.status[1:] for mm in rx.finditer(text) if mm.end() <= begin), None
            )
            if verb is not None and begin - verb.end() < 40:
                qs = sent.start + verb.start()
            qe = sent.start + end + (1 if quoted_inside else 0)
            parties = sides.parties(sent.start, sent.end)
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
    for fact in [*_kazakh(doc, sides, rules), *_counted(doc, sides, rules)]:
        found.setdefault(fact.fields["name"].lower(), fact)
    return sorted(found.values(), key=lambda f: f.start)


def _kazakh(doc: Doc, sides: _Sides, rules: _Rules) -> list[Fact]:
    """ "... орталық салу туралы келісімге қол қойылды": the name runs back from the link word."""
    view = view_of(doc)
    vtext = view.text
    gate = rules.kk_gate.hits(doc_caseless(doc, vtext))
    if gate.spans is not None and not gate.spans:
        return []
    inv = view.inverse(len(doc.text))
    orig_gate = gate.mapped(view.to_orig)
    out: list[Fact] = []
    sents = sentences(doc)
    for i, sent in enumerate(sents):
        if not orig_gate.within(sent.start, sent.end):
            continue
        vs, ve = inv[sent.start], inv[sent.end]
        text = vtext[vs:ve]
        for m in rules.kk_head.finditer(text):
            start = _kk_name_start(text, m.start(), rules)
            if start is None:
                continue
            status = next((k for k, rx in rules.status if rx.search(text, m.end())), None) or _status_before(
                doc, sents, i, rules
            )
            if status is None:
                continue
            verb = next((mm for _, rx in rules.status[1:] for mm in [rx.search(text, m.end())] if mm), None)
            head = m.group("head")
            nominative = rules.kk_forms.get(re.sub(r"\s+", " ", fold(head)))
            if nominative is None:
                continue
            hs = m.start("head")
            a, b = view.orig_span(vs + start, vs + hs)
            if head.lower().startswith(nominative):
                _, nb = view.orig_span(vs + hs, vs + hs + len(nominative))
                name = doc.text[a:nb]
            elif _CYRILLIC.match(doc.text, b):
                name = doc.text[a:b] + nominative
            else:  # Latin script: the head as written («deklaratsııasy»), not a Cyrillic nominative
                name = doc.text[a : view.orig_span(vs + hs, vs + m.end("head"))[1]]
            qe_v = verb.end() if verb is not None and verb.start() - m.end() < 30 else m.end()
            qs, qe = view.orig_span(vs + start, vs + qe_v)
            out.append(
                Fact(
                    type="agreement",
                    doc=doc.id,
                    start=qs,
                    end=qe,
                    quote=doc.text[qs:qe],
                    fields={
                        "name": re.sub(r"\s+", " ", name).strip(),
                        "parties": sides.parties(sent.start, sent.end),
                        "status": status,
                    },
                    lang=lang_at(doc, qs, qe),
                    rule="agreement.kk_named_document",
                )
            )
    return out


def _kk_name_start(text: str, link: int, rules: _Rules) -> int | None:
    """Where a Kazakh name ending before the link word at `link` starts; None when it is empty."""
    start = link
    count = 0
    in_quote = False
    for wm in reversed(list(re.finditer(r'[\w-]+|"[^"]*"|[«»“”„]|[^\w\s]', text[:link]))):
        tok = wm.group()
        if tok in "»”":
            in_quote = True
        elif tok in "«“„":
            in_quote = False
        elif not in_quote and not tok[0].isalnum() and not tok.startswith('"') and tok != "-":
            break
        elif not in_quote and rules.kk_stop.match(tok):
            break
        count += 1
        if count > rules.kk_max_words:
            return None
        start = wm.start()
    return start if start < link and text[start:link].strip() else None


def _status_before(doc: Doc, sents: list, i: int, rules: _Rules) -> str | None:
    """The status the sentence before gives a named document that has none of its own: that sentence
    speaks of documents and signs them or names them in force ("...signed an important document. The
    Treaty on X opens ...", "The founding documents are: - the Treaty on ...")."""
    if i == 0:
        return None
    before = doc.text[sents[i - 1].start : sents[i - 1].end]
    if not rules.documents.search(before):
        return None
    return next((k for k, rx in rules.status if rx.search(before)), None)


def _counted(doc: Doc, sides: _Sides, rules: _Rules) -> list[Fact]:
    """An exact count of documents signed or to be signed in the sentence ("34 құжатқа қол қойылды",
    "have signed 25 cooperation documents"): one agreement, named by the count and the noun."""
    view = view_of(doc)
    vtext = view.text
    if not rules.counted_nouns.search(vtext):  # most documents name no documents at all
        return []
    inv = view.inverse(len(doc.text))
    out: list[Fact] = []
    for sent in sentences(doc):
        vs, ve = inv[sent.start], inv[sent.end]
        text = vtext[vs:ve]
        if not rules.counted_nouns.search(text):
            continue
        for m in rules.counted.finditer(text):
            status = next((k for k, rx in rules.status[1:3] if rx.search(text)), None)
            nominative = rules.counted_forms.get(fold(m.group("noun")))
            if status is None or nominative is None:
                continue
            qs, qe = view.orig_span(vs + m.start(), vs + m.end())
            written = doc.text[qs:qe]
            name = written  # "34 құжатқа" -> "34 құжат" (a case ending after the nominative dropped)
            if m.group("noun").lower().startswith(nominative.lower()):
                _, ne = view.orig_span(vs + m.start("noun"), vs + m.start("noun") + len(nominative))
                name = doc.text[qs:ne]
            out.append(
                Fact(
                    type="agreement",
                    doc=doc.id,
                    start=qs,
                    end=qe,
                    quote=written,
                    fields={
                        "name": re.sub(r"\s+", " ", name).strip(),
                        "parties": sides.parties(sent.start, sent.end),
                        "status": status,
                    },
                    lang=lang_at(doc, qs, qe),
                    rule="agreement.counted_documents",
                )
            )
    return out
