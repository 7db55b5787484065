"""Language and script of a piece of text: ru, kk (Cyrillic or Latin), en.

    guess("Qazaqstan - Tájikstannyń tórtinshi iri saýda seriktesi")
    # Guess(lang='kk', script='Latn', letters=46, sure=True)

Our own small detector: letters decide the script; within Cyrillic, the Kazakh letters
(ә ғ қ ң ө ұ ү һ і) and function words tell Kazakh from Russian; within Latin, the letters of
the Kazakh Latin alphabets (2018 acute á ǵ ı ń ó ú ý, 2021 ä ğ ñ ö ū ü ş ç, 2017 apostrophes)
and function words tell Kazakh from English. General detectors read Kazakh Latin as Slovak.
Cues are data: karavan/data/langid.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from karavan.clean.scripts import count_chars, script_counts
from karavan.data import load_toml

_CUES = load_toml("langid.toml")
_C = _CUES["cyrl"]
_L = _CUES["latn"]


_KK_APOS = re.compile(_L["kk_apostrophe"], re.IGNORECASE)
_KK_CYR_WORDS = frozenset(_C["kk_words"])
_RU_WORDS = frozenset(_C["ru_words"])
_KK_LAT_WORDS = frozenset(_L["kk_words"])
_EN_WORDS = frozenset(_L["en_words"])
_KK_SUFFIX = re.compile(f"[^\\W\\d_]{{3,}}{_L['kk_suffix']}")

SAMPLE = 600  # function words are counted in the first characters only
_PUNCT = "\"'.,:;!?()[]-%"
MIN_LETTERS = 12  # below this a guess is not sure (a title word, a name)


@dataclass(slots=True, frozen=True)
class Guess:
    lang: str | None  # ru, kk, en; None when the text has no letters of either script
    script: str | None  # Cyrl, Latn
    letters: int  # letters of the winning script: the weight of this guess
    sure: bool  # enough letters or cues to trust it on its own

    @property
    def key(self) -> tuple[str, str] | None:
        """(lang, script) when the guess can be trusted on its own, else None."""
        return (self.lang, self.script) if self.sure and self.lang else None  # type: ignore[return-value]


def _count(rx: re.Pattern[str], text: str) -> int:
    return rx.subn("", text)[1]


def kazakh_apostrophes(text: str) -> int:
    """How many letters of the 2017 apostrophe alphabet (a' g' n' ...) the text holds."""
    return _count(_KK_APOS, text) if "'" in text else 0


def _tokens(text: str) -> list[str]:
    return [w.strip(_PUNCT) for w in text.lower().split()]


def _hits(tokens: list[str], words: frozenset[str]) -> int:
    return sum(map(words.__contains__, tokens))  # True counts 1


def guess(text: str) -> Guess:
    """Language and script of `text` (best read on the normalised view)."""
    cyr, lat = script_counts(text)
    if cyr == 0 and lat == 0:
        return Guess(None, None, 0, False)
    tokens = _tokens(text[:SAMPLE])
    if cyr >= lat:
        return _guess_cyrillic(text, tokens, cyr)
    return _guess_latin(text, tokens, lat)


def _guess_cyrillic(text: str, tokens: list[str], letters: int) -> Guess:
    share = count_chars(text, _C["kk_letters"]) / letters
    kk_words = _hits(tokens, _KK_CYR_WORDS)
    ru_words = _hits(tokens, _RU_WORDS)
    if share >= _C["kk_letter_share_sure"]:
        lang = "kk"
    elif share >= _C["kk_letter_share_min"]:
        lang = "kk" if kk_words >= ru_words else "ru"
    else:
        lang = "kk" if kk_words > ru_words + 1 else "ru"
    sure = letters >= MIN_LETTERS or kk_words + ru_words > 0 or share >= _C["kk_letter_share_sure"]
    return Guess(lang, "Cyrl", letters, sure)


def _guess_latin(text: str, tokens: list[str], letters: int) -> Guess:
    kk_marks = count_chars(text, _L["kk_letters"])
    kk_marks += kazakh_apostrophes(text)
    share = kk_marks / letters
    kk_words = _hits(tokens, _KK_LAT_WORDS)
    en_words = _hits(tokens, _EN_WORDS)
    if share >= _L["kk_letter_share_min"] and kk_words * 2 >= en_words:
        lang = "kk"
    elif kk_words != en_words:
        lang = "kk" if kk_words > en_words else "en"
    elif kk_marks:
        lang = "kk"
    else:
        long_words = [t for t in tokens if len(t) >= 5]
        suffixed = sum(1 for t in long_words if _KK_SUFFIX.fullmatch(t))
        lang = "kk" if long_words and suffixed * 2 > len(long_words) else "en"
    sure = letters >= MIN_LETTERS or kk_words + en_words > 0 or kk_marks > 0
    return Guess(lang, "Latn", letters, sure)
