"""A synthetic press archive for the scale benchmarks, written as JSONL and filled into a store through ingest.

    from corpus import Archive
    archive = Archive(seed=7)
    archive.write(path, first=0, count=2000)        # documents first..first+count-1 as one JSONL file
    archive.fill(db, facts=100_000, work=folder)    # ingest batches until the store holds that many facts

The archive is a stream of official visits. A visit has a pair of countries (a few pairs are far more
frequent than the rest, as in real press: most of it is about Kazakhstan and its big neighbours), a host
city and a date, and is reported by one to five documents on different sites and in Russian, English or
Kazakh: each report names the meeting, the documents signed, last year's trade figures (from one hidden
series per pair and flow, so that reports agree, with roundings, hedges and now and then the other side's
statistics), part-year figures, exports, imports, a target, a partner rank, a joint project, and filler
and page chrome. About a third of the reports after the first are reposts of an earlier one (the same text
with another title, source and chrome): near-duplicates. The words are in bench/corpus.toml, in our own
phrasings. Document k of a seed is always the same text, so a store can be grown in steps.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

WORDS = tomllib.loads((Path(__file__).with_name("corpus.toml")).read_text(encoding="utf-8"))
CENTRAL = ["KZ", "UZ", "KG", "TJ", "TM"]
FIRST_PAIRS = [("KZ", "RU"), ("KZ", "CN"), ("KZ", "UZ"), ("UZ", "RU"), ("KG", "KZ"), ("TJ", "UZ")]
MONTHS_END = {  # a part of a year in corpus.toml's lists, by position: its last month
    "ru": [6, 6, 9, 9, 3],
    "en": [6, 6, 9, 3],
    "kk": [6, 6, 9],
}
LANGS = [("ru", 0.6), ("en", 0.25), ("kk", 0.15)]
SLOT = re.compile(r"\{([A-Za-z]+)(?:\.([a-z]+))?\}")


def _rng(*key: object) -> random.Random:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _pairs(seed: int) -> tuple[list[tuple[str, str]], list[float]]:
    """Every pair with a Central Asian country, the frequent ones first; Zipf weights (rank^-1.1)."""
    others = sorted(WORDS["country"])
    pairs = list(FIRST_PAIRS)
    rest = sorted(
        {tuple(sorted((a, b))) for a in CENTRAL for b in others if a != b} - {tuple(sorted(p)) for p in pairs}
    )
    _rng(seed, "pairs").shuffle(rest)
    pairs += [(a, b) for a, b in rest]
    return pairs, [1 / (rank + 1) ** 1.1 for rank in range(len(pairs))]


@dataclass(frozen=True, slots=True)
class Visit:
    index: int
    host: str
    guest: str
    day: date
    reports: int


class Archive:
    """Documents of visits, numbered: document ids are `bench-VVVVVVV-K` (visit V, report K)."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed
        self.pairs, self.weights = _pairs(seed)

    # --- the hidden truth
    def level(self, a: str, b: str, flow: str, year: int) -> float:
        """The pair's true figure for a flow and year (USD): one series per pair, growing about 6% a year."""
        x, y = sorted((a, b))
        base = 10 ** _rng(self.seed, "level", x, y).uniform(7.8, 10.3)
        share = {"turnover": 1.0, "export": 0.0, "import": 0.0}
        if flow != "turnover":
            out = _rng(self.seed, "split", x, y).uniform(0.25, 0.75)  # x's share of the turnover as exports
            share[flow] = out if (flow == "export") == (a == x) else 1 - out
        noise = _rng(self.seed, "noise", x, y, year).uniform(0.92, 1.08)
        return base * share[flow] * 1.06 ** (year - 2015) * noise

    def visit(self, index: int) -> Visit:
        rng = _rng(self.seed, "visit", index)
        a, b = rng.choices(self.pairs, self.weights)[0]
        host, guest = (a, b) if rng.random() < 0.5 else (b, a)
        day = date(2016, 1, 1) + timedelta(days=rng.randrange(365 * 10))
        return Visit(index, host, guest, day, rng.choice([1, 1, 2, 2, 3, 4, 5]))

    # --- documents
    def documents(self, first: int, count: int) -> Iterator[dict[str, Any]]:
        """Documents first .. first+count-1 (in visit order), as ingest's JSONL records."""
        n = 0
        visit = self._visit_of(first)
        while n < count:
            v = self.visit(visit)
            made: list[dict[str, Any]] = []
            for k in range(v.reports):
                record = self._report(v, k, made)
                made.append(record)
                if self._number(visit, k) >= first:
                    yield record
                    n += 1
                    if n == count:
                        return
            visit += 1

    def _number(self, visit: int, k: int) -> int:
        """The position of report k of a visit in the stream: reports of earlier visits come first."""
        return self._starts(visit) + k

    def _starts(self, visit: int) -> int:
        cache = self.__dict__.setdefault("_start_cache", [0])
        while len(cache) <= visit:
            cache.append(cache[-1] + self.visit(len(cache) - 1).reports)
        return cache[visit]

    def _visit_of(self, number: int) -> int:
        lo = 0
        while self._starts(lo + 1) <= number:
            lo += 1
        return lo

    def write(self, path: Path, first: int, count: int) -> int:
        with path.open("w", encoding="utf-8") as out:
            for record in self.documents(first, count):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return count

    def _report(self, v: Visit, k: int, made: list[dict[str, Any]]) -> dict[str, Any]:
        rng = _rng(self.seed, "report", v.index, k)
        published = v.day + timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))
        site = rng.randrange(60)
        record = {
            "id": f"bench-{v.index:07d}-{k}",
            "published": published.isoformat(),
            "source": f"site{site}.example",
            "url": f"https://site{site}.example/news/{v.index}-{k}",
        }
        if made and rng.random() < 0.35:  # a repost of an earlier report: another title and chrome
            body = made[rng.randrange(len(made))]["text"].split("\n\n", 1)[1]
            lang = made[0]["lang"]
            body = "\n\n".join(p for p in body.split("\n\n") if p not in WORDS[lang]["chrome"])
            text = self._title(v, lang, rng) + "\n\n" + body + "\n\n" + rng.choice(WORDS[lang]["chrome"])
            return {**record, "text": text, "lang": lang}
        lang = rng.choices([lg for lg, _ in LANGS], [w for _, w in LANGS])[0]
        return {**record, "text": self._text(v, lang, rng), "lang": lang}

    def _title(self, v: Visit, lang: str, rng: random.Random) -> str:
        return self._fill(rng.choice(WORDS[lang]["title"]), lang, v.host, v.guest, {})

    def _text(self, v: Visit, lang: str, rng: random.Random) -> str:
        w = WORDS[lang]
        a, b = (v.host, v.guest) if rng.random() < 0.6 else (v.guest, v.host)
        year = v.day.year - 1
        slots: dict[str, str] = {
            "LA": WORDS["country"][v.host]["leader"][lang],
            "LB": WORDS["country"][v.guest]["leader"][lang],
            "city": WORDS["country"][v.host]["city"][lang],
            "year": str(year),
        }
        paragraphs = [self._title(v, lang, rng)]
        said = [self._fill(rng.choice(w["meeting"]), lang, a, b, slots)]
        said += rng.sample(w["filler"], k=min(len(w["filler"]), rng.choice([1, 2])))
        said.append(self._trade(rng.choice(w["trade_year"]), lang, a, b, "turnover", year, 12, rng, slots))
        ends = [(i, m) for i, m in enumerate(MONTHS_END[lang]) if m < v.day.month]
        if ends and rng.random() < 0.5:
            i, m = rng.choice(ends)
            part = {**slots, "year": str(v.day.year), "months": w["months"][i]}
            said.append(
                self._trade(rng.choice(w["trade_part"]), lang, a, b, "turnover", v.day.year, m, rng, part)
            )
        for flow in ("export", "import"):
            if w[f"{flow}_year"] and rng.random() < 0.4:
                said.append(
                    self._trade(rng.choice(w[f"{flow}_year"]), lang, a, b, flow, year, 12, rng, slots)
                )
        if rng.random() < 0.6:
            level = self.level(a, b, "turnover", year)
            t = max(
                1,
                round(
                    level
                    * _rng(self.seed, "target", *sorted((a, b)), v.day.year // 3).choice([1.5, 2, 3])
                    / 1e9
                ),
            )
            said.append(
                self._fill(
                    rng.choice(w["target"]),
                    lang,
                    a,
                    b,
                    {**slots, "t": str(t), "by": str(v.day.year + rng.choice([2, 3, 5]))},
                )
            )
        if w["rank"] and rng.random() < 0.15:
            said.append(self._fill(rng.choice(w["rank"]), lang, a, b, slots))
        if rng.random() < 0.7:
            n = _rng(self.seed, "signed", v.index).randint(3, 25)
            said.append(self._fill(rng.choice(w["agreement"]), lang, a, b, {**slots, "n": str(n)}))
        if w["project"] and rng.random() < 0.2:
            said.append(rng.choice(w["project"]))
        said.append(rng.choice(w["filler"]))
        body = [" ".join(said[i : i + 2]) for i in range(0, len(said), 2)]
        return "\n\n".join(paragraphs + body + rng.sample(w["chrome"], k=rng.choice([1, 2])))

    def _trade(
        self, template: str, lang: str, a: str, b: str, flow: str, year: int, months: int,
        rng: random.Random, slots: dict[str, str],
    ) -> str:  # fmt: skip
        value = self.level(a, b, flow, year) * months / 12
        if rng.random() < 0.06:
            value *= 1.08  # the other side's statistics
        written = self._money(value, lang, rng)
        if rng.random() < 0.1:
            written = {"ru": "около ", "en": "about ", "kk": "шамамен "}[lang] + written
        pct = f"{rng.uniform(2, 35):.1f}".replace(".", "," if lang != "en" else ".")
        return self._fill(template, lang, a, b, {**slots, "v": written, "pct": pct, "year": str(year)})

    def _money(self, value: float, lang: str, rng: random.Random) -> str:
        scale = WORDS[lang]["scale"]
        if value >= 1e9:
            x, word = value / 1e9, scale["billion"]
        else:
            x, word = value / 1e6, scale["million"]
        digits = 1 if rng.random() < 0.8 else 2
        if x >= 100:
            digits = 0 if rng.random() < 0.5 else 1
        number = f"{x:.{digits}f}"
        if lang == "en":
            return f"${number} {word}"
        return number.replace(".", ",") + " " + word

    def _fill(self, template: str, lang: str, a: str, b: str, slots: dict[str, str]) -> str:
        forms = {"A": WORDS["country"][a][lang], "B": WORDS["country"][b][lang]}

        def one(m: re.Match[str]) -> str:
            name, case = m.group(1), m.group(2)
            if name in forms and case:
                return forms[name][case]
            return slots[name]

        return SLOT.sub(one, template)

    # --- filling a store
    def fill(self, db: Path, facts: int, work: Path, batch: int = 2000, jobs: int = 2,
             progress: bool = True) -> dict[str, int]:  # fmt: skip
        """Ingest batches of documents into `db` until it holds at least `facts` facts (a store already
        filled with this archive goes on where it stopped); {'documents': n, 'facts': m, 'seconds': s}."""
        import time

        from karavan import api

        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        while True:
            docs, have = counts(db)
            if have >= facts:
                return {"documents": docs, "facts": have, "seconds": round(time.perf_counter() - started)}
            path = work / f"batch-{docs:08d}.jsonl"
            self.write(path, docs, batch)
            api.ingest_paths([path], db, jobs=jobs, report=lambda problem: None)
            path.unlink()
            if progress:
                print(f"  ingested {docs + batch} documents ...", flush=True)


def counts(db: Path) -> tuple[int, int]:
    """(documents, facts) of the store at `db` (0, 0 before it exists)."""
    if not Path(db).exists():
        return 0, 0
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM facts)").fetchone()
    return int(row[0]), int(row[1])
