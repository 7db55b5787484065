"""First draft of karavan/data/countries.tsv rows, and a check of the curated table.

Not part of the product (karavan reads only the TSV). Needs, in a throwaway venv:
    pip install pycountry==26.2.16 babel==2.18.0

    python scripts/countries_draft.py draft > /tmp/draft.tsv
        Rows for every sovereign state of ISO 3166-1: English, Russian and Kazakh short names from
        CLDR (Babel), the ISO names (pycountry / Debian iso-codes) where they differ, each Russian name cut
        to the stem its case endings follow (Франция -> Франци, Канада -> Канад); names a stem would
        confuse with ordinary words are marked for whole-word rows. A draft to curate by hand.
    python scripts/countries_draft.py missing
        The sovereign states the curated table has no row for, per language.
    python scripts/countries_draft.py collisions [--dict-ru F] [--dict-kk F] [--dict-en F]
        Dictionary words (hunspell lists: apt-get install hunspell-ru hunspell-kk wamerican) that begin
        like a stem of the table and are not covered by a longer row or a `not` row: candidates for
        `not` rows or whole-word (`word`) rows.
"""

from __future__ import annotations

import argparse
import gettext
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "karavan" / "data" / "countries.tsv"

# ISO 3166-1 entries that are territories of another state, not states the press names as trade partners
DEPENDENT = set(
    "AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY MF MO MP MQ MS "
    "NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT".split()
)
VOWELS = "аеёиоуыэюя"
SHORT = 5  # a Russian stem this short is written as whole words (Куба, Кубы, ...), not as a stem


def _sovereign() -> list[str]:
    import pycountry

    return sorted({c.alpha_2 for c in pycountry.countries} - DEPENDENT) + ["XK"]


def ru_stem(word: str) -> str:
    """The part of a Russian name its case endings follow: Франция -> Франци, Канада -> Канад,
    Беларусь -> Беларус, Парагвай -> Парагва, Иран -> Иран, Перу -> Перу (indeclinable)."""
    low = word.lower()
    if low.endswith(("ая", "ий", "ое", "ые", "яя")) and len(word) > 4:  # an adjective: Южная, Саудовская
        return word[:-2]
    if low.endswith(("а", "я", "ь", "й")):
        return word[:-1]
    return word


def draft() -> None:
    import pycountry
    from babel import Locale

    iso_ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    iso_kk = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["kk"])
    cldr = {lang: Locale(lang).territories for lang in ("en", "ru", "kk")}
    measured = {"states": 0, "en": 0, "ru": 0, "kk": 0, "iso_ru": 0, "iso_kk": 0}
    for code in _sovereign():
        measured["states"] += 1
        iso = pycountry.countries.get(alpha_2=code)
        names = {lang: cldr[lang].get(code) for lang in cldr}
        for lang in cldr:
            measured[lang] += bool(names[lang])
        print(f"# {code} {names['en']}")
        if names["en"]:
            print(f"{code}\tname\ten\t{names['en']}")
        if iso and iso.name != names["en"]:
            print(f"{code}\tname\ten\t{iso.name}\t# ISO")
        for lang, tr in (("ru", iso_ru), ("kk", iso_kk)):
            seen = set()
            for source, name in (("CLDR", names[lang]), ("ISO", tr.gettext(iso.name) if iso else None)):
                if not name or name in seen or (iso and name == iso.name):
                    continue
                measured[f"iso_{lang}"] += source == "ISO"
                seen.add(name)
                form = " ".join(ru_stem(w) for w in name.split()) if lang == "ru" else name
                kind = "word" if lang == "ru" and len(form) <= SHORT and " " not in form else "name"
                print(f"{code}\t{kind}\t{lang}\t{form}\t# {source}: {name}")
    print("# measured: " + ", ".join(f"{k} {v}" for k, v in measured.items()), file=sys.stderr)


def _table() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, kind, lang, form = (x.strip() for x in line.split("\t"))
            rows.append((code, kind, lang, form))
    return rows


def missing() -> None:
    have: dict[str, set[str]] = {}
    for code, kind, lang, _form in _table():
        if kind in ("name", "word", "exact"):
            have.setdefault(lang, set()).add(code)
    for lang in ("ru", "kk", "en"):
        lack = [c for c in _sovereign() if c not in have.get(lang, set())]
        print(f"{lang}: {len(lack)} states without a name row: {' '.join(lack)}")


def _words(path: str) -> list[str]:
    out = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
        word = line.split("/")[0].strip().lstrip("\ufeff")
        if word and word.isalpha():
            out.append(word)
    return out


def collisions(dicts: dict[str, str]) -> None:
    rows = _table()
    nots = {lang: [f.lower() for c, k, la, f in rows if k == "not" and la == lang] for lang in dicts}
    forms = {
        lang: [f.lower() for c, k, la, f in rows if k not in ("not", "exact") and la == lang]
        for lang in dicts
    }
    for lang, path in dicts.items():
        if not Path(path).exists():
            print(f"{lang}: no dictionary at {path}")
            continue
        words = _words(path)
        for code, kind, la, form in rows:
            if la != lang or kind in ("not", "exact", "personal") or " " in form or "|" in form:
                continue
            stem = form.lower()
            hits = [
                w
                for w in words
                if w.lower().startswith(stem)
                and not any(w.lower().startswith(n) for n in nots[lang])
                and not any(len(f) > len(stem) and w.lower().startswith(f) for f in forms[lang])
                and (kind != "name" or w[:1].isupper() == form[:1].isupper() or w.islower())
            ]
            if hits:
                print(f"{lang}\t{code}\t{kind}\t{form}\t{len(hits)}\t{' '.join(hits[:12])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["draft", "missing", "collisions"])
    ap.add_argument("--dict-ru", default="/usr/share/hunspell/ru_RU.dic")
    ap.add_argument("--dict-kk", default="/usr/share/hunspell/kk_KZ.dic")
    ap.add_argument("--dict-en", default="/usr/share/dict/american-english")
    args = ap.parse_args()
    if args.what == "draft":
        draft()
    elif args.what == "missing":
        missing()
    else:
        collisions({"ru": args.dict_ru, "kk": args.dict_kk, "en": args.dict_en})


if __name__ == "__main__":
    main()
