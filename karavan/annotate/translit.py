"""Kazakh Latin -> Cyrillic transliteration as a View with an exact map back to the original.

    view = latin_to_cyrillic("Qazaqstan - Tájikstannyń tórtinshi iri saýda seriktesi")
    view.text                 # 'Қазақстан - Тәжікстанның төртінші ірі сауда серіктесі'
    view.orig_span(12, 24)    # (12, 24): 'Tájikstannyń'

Design: Kazakh written in Latin letters is read through its Cyrillic transliteration, so the
Kazakh grammar of the lexicon (karavan/data/lexicon/kk.toml) is written once, in Cyrillic. The
three alphabets in use (2017 apostrophes, 2018 acute accents, 2021 Turkic letters) are tables in
karavan/data/kk_latin.toml; the alphabet is chosen per paragraph by its marker letters (2018 when
none). Each Cyrillic character stands for a contiguous run of Latin characters (`sh` -> ш and
`ıa` -> я are n:1, everything else 1:1), so `TranslitView.orig_span` is exact. The letter written
for both и and й (2018 `ı`, 2021 `i`, 2017 `i'`) is й after a vowel and и elsewhere.

Kept as written: URLs, domains and e-mail addresses, words with a capital after a small letter
(`eGOV`), acronyms without Kazakh letters (`IT`, `USD`, `IRBP`; `AÓK` is transliterated to АӨК),
and the brand words listed in the data file (`Smart Bridge`).

Only paragraphs identified as Kazakh Latin are transliterated (doc.paragraphs' lang/script from
the clean stage; our own letter check when the clean stage left them unset).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from karavan.clean.langid import kazakh_apostrophes
from karavan.data import load_toml
from karavan.doc import Doc, RunView, View

LATIN_LETTER = "A-Za-z\u00c0-\u024f\u0130\u0131"
WORD = re.compile(
    f"[{LATIN_LETTER}](?:[{LATIN_LETTER}]|'(?=[{LATIN_LETTER}])|(?<=[A-Za-z])'(?![{LATIN_LETTER}]))*"
)
URL = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}(?:/\S*)?(?![\w])"
)
CYRILLIC_VOWELS = "аәеёиіоөұүуыэюя"
# Every URL or e-mail match holds one of these, and no match holds a space: only the runs of non-space
# characters around them need the (slow) URL regex.
URL_HINT = re.compile(r"://|www\.|@|\.[a-z]")
NON_SPACE = re.compile(r"\S+")
KAZAKH_LATIN_MARKS = re.compile("[áǵńóúýäğñöūüşçıÁǴŃÓÚÝÄĞÑÖŪÜŞÇİ]")


class TranslitView(RunView):
    """A View whose characters each cover a contiguous run of the original, in order.

    The end of a span is the start of the next character's run, so a span ending on `ш` (from
    `sh`) covers both Latin letters.
    """

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Alphabet:
    name: str
    markers: str
    vowels: str
    semivowel: str
    after_vowel: str
    default: str
    capital_i_before: str
    capitals: dict[str, str]
    digraphs: dict[str, str]  # longest first
    letters: dict[str, str]


@cache
def _data() -> dict:
    return load_toml("kk_latin.toml")


@cache
def alphabets() -> dict[str, Alphabet]:
    out = {}
    for key, body in _data().items():
        if not key.startswith("a"):
            continue
        digraphs = dict(sorted(body["digraphs"].items(), key=lambda kv: -len(kv[0])))
        out[key[1:]] = Alphabet(
            key[1:],
            body["markers"],
            body["vowels"],
            body["semivowel"],
            body["semivowel_after_vowel"],
            body["semivowel_default"],
            body.get("capital_i_as_semivowel_before", ""),
            body.get("capitals", {}),
            digraphs,
            body["letters"],
        )
    return out


@cache
def _keep_words() -> frozenset[str]:
    return frozenset(w.lower() for w in _data()["keep"]["words"])


def detect_alphabet(text: str) -> str:
    """'2017', '2018' or '2021': the alphabet whose marker letters the text uses most (2018 if none)."""
    counts = {}
    for name, a in alphabets().items():
        if name == "2017":
            counts[name] = kazakh_apostrophes(text)
        else:
            counts[name] = sum(text.count(ch) + text.count(ch.upper()) for ch in a.markers)
    best = max(counts, key=lambda n: (counts[n], n == "2018"))
    return best if counts[best] else "2018"


def looks_kazakh_latin(text: str) -> bool:
    """Our own check when the clean stage gave no language: Latin text with Kazakh Latin letters."""
    latin = len(re.findall(f"[{LATIN_LETTER}]", text))
    cyr = len(re.findall("[\u0400-\u04ff]", text))
    if latin < 12 or cyr > latin:
        return False
    marks = len(KAZAKH_LATIN_MARKS.findall(text)) + kazakh_apostrophes(text)
    return marks / latin >= 0.01


def _keep(word: str) -> bool:
    if re.search(r"[a-z][A-Z]", word):
        return True  # eGOV, iPhone
    if len(word) >= 2 and word.isupper() and word.isascii() and "Q" not in word and "'" not in word:
        return True  # IT, USD, IRBP; AÓK and QR are Kazakh
    return word.lower() in _keep_words()


# (word, alphabet) -> the word's Cyrillic and, for each of its letters, the offset of the Latin letters it
# stands for; None for a word kept as written. Words recur across documents, so this is kept (bounded).
_WORDS: dict[tuple[str, str], tuple[str, list[int]] | None] = {}
_WORDS_MAX = 200_000


def _word_view(word: str, a: Alphabet) -> tuple[str, list[int]] | None:
    key = (word, a.name)
    if key in _WORDS:
        return _WORDS[key]
    if len(_WORDS) >= _WORDS_MAX:
        _WORDS.clear()
    if _keep(word):
        hit = None
    else:
        offsets = []
        at = 0
        runs = _word_runs(word, a)
        for _cyr, n in runs:
            offsets.append(at)
            at += n
        hit = ("".join(cyr for cyr, _n in runs), offsets)
    _WORDS[key] = hit
    return hit


def _word_runs(word: str, a: Alphabet) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    low = "".join(a.capitals.get(ch) or (ch.lower() if len(ch.lower()) == 1 else ch) for ch in word)
    if a.capital_i_before and word[:1] == "I" and word[1:2] in a.capital_i_before:
        low = a.semivowel + low[1:]
    i = 0
    prev_vowel = False
    while i < len(low):
        upper = word[i].isupper()
        hit = next((d for d in a.digraphs if low.startswith(d, i)), None)
        if hit is not None:
            cyr, n = a.digraphs[hit], len(hit)
        elif low.startswith(a.semivowel, i):
            cyr, n = (a.after_vowel if prev_vowel else a.default), len(a.semivowel)
        elif low[i] in a.letters:
            cyr, n = a.letters[low[i]], 1
        else:
            cyr, n, upper = word[i], 1, False
        out.append((cyr.upper() if upper else cyr, n))
        prev_vowel = cyr.lower() in CYRILLIC_VOWELS
        i += n
    return out


def _urls(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses (kept as written), in order: URL.finditer run only on the
    non-space runs that hold a hint of one."""
    out: list[tuple[int, int]] = []
    done = 0
    for hint in URL_HINT.finditer(text):
        if hint.start() < done:
            continue
        lo = hint.start()
        while lo > done and not text[lo - 1].isspace():
            lo -= 1
        hi = NON_SPACE.match(text, hint.start())
        done = hi.end() if hi else hint.end()
        out.extend((m.start(), m.end()) for m in URL.finditer(text, lo, done))
    return out


def latin_to_cyrillic(
    text: str, alphabet: str | None = None, spans: list[tuple[int, int]] | None = None
) -> TranslitView:
    """Transliterate the Kazakh Latin of `text` (only inside `spans` when given) into Cyrillic."""
    a = alphabets()[alphabet or detect_alphabet(text)]
    ranges = spans if spans is not None else [(0, len(text))]
    keep = _urls(text)
    keep_starts = [s for s, _ in keep]
    pieces: list[str] = []
    to_orig: list[int] = []
    pos = 0

    def copy(upto: int) -> None:
        nonlocal pos
        if upto > pos:
            pieces.append(text[pos:upto])
            to_orig.extend(range(pos, upto))
            pos = upto

    for lo, hi in ranges:
        for m in WORD.finditer(text, lo, hi):
            start = m.start()
            if keep:
                k = bisect_right(keep_starts, start) - 1
                if k >= 0 and start < keep[k][1]:
                    continue  # inside a URL or an e-mail address
            word = _word_view(m.group(0), a)
            if word is None:
                continue
            copy(start)
            pieces.append(word[0])
            to_orig.extend([start + off for off in word[1]])
            pos = m.end()
    copy(len(text))
    to_orig.append(len(text))
    return TranslitView("".join(pieces), to_orig)


def kazakh_latin_spans(doc: Doc, text: str, view: View) -> list[tuple[int, int]]:
    """View ranges of the paragraphs that are Kazakh in Latin script."""
    inv = view.inverse(len(doc.text))
    spans: list[tuple[int, int]] = []
    if doc.paragraphs and any(p.lang for p in doc.paragraphs):
        for p in doc.paragraphs:
            if p.lang == "kk" and p.script == "Latn":
                spans.append((inv[p.start], inv[p.end]))
        return spans
    if doc.lang == "kk" and doc.script == "Latn":
        return [(0, len(text))]
    if doc.lang is not None and doc.script is not None:
        return []
    for m in re.finditer(r"[^\n]+", text):
        if looks_kazakh_latin(m.group(0)):
            spans.append((m.start(), m.end()))
    return spans


def kazakh_latin_view(doc: Doc, view: View) -> View:
    """`view` with its Kazakh Latin paragraphs read as Cyrillic, mapped to the original text.

    Returns `view` itself when the document has no Kazakh Latin or was transliterated already.
    """
    if isinstance(view, TranslitView):
        return view
    spans = kazakh_latin_spans(doc, view.text, view)
    if not spans:
        return view
    alphabet = detect_alphabet("".join(view.text[s:e] for s, e in spans))
    return view.compose(latin_to_cyrillic(view.text, alphabet, spans))


def cyrillic_to_latin(text: str, alphabet: str = "2018") -> str:
    """Kazakh Cyrillic written in a Latin alphabet (no offset map: for rendering and tests)."""
    a = alphabets()[alphabet]
    inverse: dict[str, str] = {}
    for lat, cyr in [*a.letters.items(), *a.digraphs.items()]:
        if cyr not in inverse or inverse[cyr] in ("w", "x", "sh", "ch"):
            inverse[cyr] = lat
    inverse["и"] = inverse["й"] = a.semivowel
    inverse.update({"э": "e", "ь": "", "ъ": "", "щ": inverse["ш"]})
    out = []
    for ch in text:
        lat = inverse.get(ch.lower())
        if lat is None:
            out.append(ch)
        elif ch.isupper():
            up = {"i": "İ", "ı": "I"}.get(lat[:1], lat[:1].upper()) if alphabet == "2021" else lat[:1].upper()
            out.append(up + lat[1:])
        else:
            out.append(lat)
    return "".join(out)
