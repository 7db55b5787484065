#!/usr/bin/env python3
"""Fuzz karavan's input paths with hostile inputs; not part of the test suite (it takes minutes).

    .venv/bin/python scripts/fuzz.py [--inputs 200000] [--seed 17] [--out fuzz-failures.jsonl]

Five targets, each input checked against what karavan promises:
- records: JSONL lines (valid records mutated: bytes flipped, cut, lone surrogates, deep nesting,
  huge numbers, control characters in ids, odd types) -> a Doc or one KaravanError, never anything else;
- bytes: whole files (UTF-8, windows-1251, UTF-16 with and without a BOM, mutated, truncated, binary)
  -> decoded text or one KaravanError;
- pipeline: texts built from the pieces the rules react to (numbers, scale words, countries, quotes,
  dashes, NBSP, combining accents, speech verbs, line breaks), up to 20 KB -> no exception, every span
  inside the text, every fact's quote equal to the text at its offsets;
- store: processed documents put and read back -> the same text, metadata and facts;
- http: requests to the app (paths, ids, cursors, query values, POST bodies) -> never a 500, always the
  security headers.
Failures are written one JSON line each to --out; the summary is printed at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from karavan.doc import Doc  # noqa: E402
from karavan.errors import KaravanError  # noqa: E402
from karavan.ingest.decode import decode_bytes  # noqa: E402
from karavan.ingest.records import read_record  # noqa: E402
from karavan.pipeline import process  # noqa: E402
from karavan.store import open_store  # noqa: E402

PIECES = [
    "Товарооборот", " между ", "Казахстаном", " и ", "Узбекистаном", "Таджикистаном", "Кыргызстаном", " в ",
    "2023", " году ", "составил", " 1,5", " 200", " 3,7", " млрд", " млн", " тыс.", " долларов", " тонн", "%",
    " вырос на ", " до ", " к 2030 году", " довести ", " экспорт ", " зерна ", " муки ", "Қазақстан",
    " тауар айналымы ", "trade", " between ", "Kazakhstan", " and ", "Uzbekistan", " reached ", " $1.5 billion",
    ". ", "! ", "? ", "…", "; ", ", ", "«", "»", "“", "”", '"', " — ", " – ", "-", "\u00a0", "\u0301", "\u200b",
    "\n", "\n\n", "\t", "  ", ", — сказал ", "Касым-Жомарт Токаев", " отметил, что ", " по его словам, ",
    " atap ótti.", "Президент", "глава государства", "т.д.", "млрд.", "долл.", "(", ")", "[1]", "1.", "а)",
    "ß", "İ", "ﬁ", "\ufffd", "😀", "١٢٣", "0", "9" * 30, "1e999", "<b>", "&amp;", "\x0b", "\r\n",
]  # fmt: skip
CONTROL = [chr(c) for c in (0, 1, 7, 8, 27, 127, 0x85, 0x9F)]
SURROGATES = ["\\ud800", "\\udfff", "\\udbff\\udbff", "\\ud83d\\ude00"]


def text_of(rng: random.Random, max_pieces: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, max_pieces)))


def record_bytes(rng: random.Random) -> bytes:
    """A JSONL line: a record, then hostile changes."""
    obj: dict[str, Any] = {"id": f"d{rng.randint(0, 10**6)}", "text": text_of(rng, 40)}
    for key in rng.sample(["url", "published", "source", "author", "tags"], rng.randint(0, 3)):
        obj[key] = rng.choice(
            ["2024-03-01", "2024-13-45T10:00", "x", 5, None, [1, 2], {"a": 1}, "", "\u202e"]
        )
    line = json.dumps(obj, ensure_ascii=rng.random() < 0.5)
    kind = rng.randrange(12)
    if kind == 0:
        depth = rng.choice([50, 101, 1000, 100_000])
        line = line[:-1] + ', "m": ' + "[" * depth + "]" * depth + "}"
    elif kind == 1:
        line = line.replace('"id": "', '"id": "' + rng.choice(SURROGATES), 1)
    elif kind == 2:
        line = line.replace('"text": "', '"text": "' + rng.choice(SURROGATES), 1)
    elif kind == 3:
        line = line.replace(
            f'"{obj["id"]}"', rng.choice(["9" * rng.choice([20, 600, 5000]), "1e999", "NaN", "-0"]), 1
        )
    elif kind == 4:
        line = line.replace('"id": "', '"id": "' + rng.choice(CONTROL).encode("unicode_escape").decode(), 1)
    elif kind == 5:
        line = line[: rng.randint(0, len(line))]
    elif kind == 6:
        line = rng.choice(
            ["[]", "null", "5", '"x"', "{}", '{"id": null}', '{"id": "a", "text": {}}', "{" * 5000]
        )
    data = bytearray(line.encode("utf-8", "surrogatepass"))
    if kind == 7 and data:
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 8:
        data[rng.randint(0, len(data)) : rng.randint(0, len(data))] = bytes(
            rng.randrange(256) for _ in range(8)
        )
    elif kind == 9:
        data = bytearray(b"\xef\xbb\xbf") + data
    return bytes(data)


def file_bytes(rng: random.Random) -> bytes:
    text = text_of(rng, 200)
    enc = rng.choice(["utf-8", "utf-8", "cp1251", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
    data = bytearray(text.encode(enc, errors="replace"))
    kind = rng.randrange(8)
    if kind == 0 and data:
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(128, 256)
    elif kind == 1:
        data = data[: rng.randint(0, len(data))]
    elif kind == 2:
        data = bytearray(rng.randrange(256) for _ in range(rng.randint(0, 300)))
    elif kind == 3:
        data = (
            bytearray(rng.choice([b"\x89PNG\r\n\x1a\n", b"%PDF-1.4", b"PK\x03\x04", b"\x00" * 10, b""]))
            + data
        )
    return bytes(data)


def check_doc(doc: Doc) -> list[str]:
    """Every span inside the text; every fact's quote is the text at its offsets."""
    n = len(doc.text)
    bad = []
    for group, spans in (
        ("excluded", doc.excluded),
        ("articles", doc.articles),
        ("sentences", doc.sentences),
    ):
        bad += [
            f"{group} span {s.start}-{s.end} outside 0-{n}" for s in spans if not 0 <= s.start <= s.end <= n
        ]
    bad += [f"paragraph {p.start}-{p.end}" for p in doc.paragraphs if not 0 <= p.start <= p.end <= n]
    bad += [f"mention {m.kind} {m.start}-{m.end}" for m in doc.mentions if not 0 <= m.start <= m.end <= n]
    for f in doc.facts:
        if not 0 <= f.start <= f.end <= n:
            bad.append(f"fact {f.type} {f.start}-{f.end} outside 0-{n}")
        elif doc.text[f.start : f.end] != f.quote:
            bad.append(f"fact {f.type} quote {f.quote!r} != text {doc.text[f.start : f.end]!r}")
    return bad


class Run:
    def __init__(self, out: Path) -> None:
        self.counts: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.slowest: dict[str, float] = {}
        self.out = open(out, "w", encoding="utf-8")

    def fail(self, target: str, what: str, data: Any) -> None:
        self.failures[target] += 1
        self.out.write(json.dumps({"target": target, "what": what, "input": repr(data)[:2000]}) + "\n")
        self.out.flush()

    def timed(self, target: str, began: float) -> None:
        self.counts[target] += 1
        self.slowest[target] = max(self.slowest.get(target, 0.0), time.perf_counter() - began)


def fuzz_record(run: Run, rng: random.Random) -> None:
    raw = record_bytes(rng)
    began = time.perf_counter()
    notes: list[KaravanError] = []
    try:
        read_record(raw, "fuzz.jsonl", 1, notes.append)
        run.outcomes["records: read"] += 1
    except KaravanError as e:
        run.outcomes[f"records: refused {e.code}"] += 1
    except Exception as e:
        run.fail("records", f"{type(e).__name__}: {e}", raw)
    run.timed("records", began)


def fuzz_bytes(run: Run, rng: random.Random) -> None:
    data = file_bytes(rng)
    began = time.perf_counter()
    try:
        decoded = decode_bytes(data, "fuzz.txt")
        run.outcomes[f"bytes: {decoded.encoding}{' + warning' if decoded.warning else ''}"] += 1
    except KaravanError as e:
        run.outcomes[f"bytes: refused {e.code}"] += 1
    except Exception as e:
        run.fail("bytes", f"{type(e).__name__}: {e}", data)
    run.timed("bytes", began)


def fuzz_pipeline(run: Run, rng: random.Random, store: Any) -> None:
    text = text_of(rng, rng.choice([5, 50, 400, 2000]))
    doc = Doc(
        id=f"p{rng.randrange(10**9)}", text=text, published=rng.choice([None, "2024-05-01", "2019-12-31"])
    )
    began = time.perf_counter()
    try:
        done = process(doc, budget=10)
    except Exception:
        run.fail("pipeline", traceback.format_exc(limit=3), text)
        return
    run.timed("pipeline", began)
    run.outcomes["pipeline: facts"] += len(done.facts)
    if done.meta.get("over_budget"):
        run.fail("pipeline", "over its 10 s budget", text)
    for problem in check_doc(done):
        run.fail("pipeline", problem, text)
    if rng.random() < 0.05:  # the store round trip of a processed document
        began = time.perf_counter()
        try:
            store.put(done)
            back = store.get_doc(done.id)
            if (back.text, back.published, [f.to_dict() for f in back.facts]) != (
                done.text, done.published, [f.to_dict() for f in done.facts],
            ):  # fmt: skip
                run.fail("store", "read back differs", text)
        except Exception as e:
            run.fail("store", f"{type(e).__name__}: {e}", text)
        run.timed("store", began)


def http_request(rng: random.Random) -> tuple[str, str, dict[str, Any]]:
    ident = rng.choice(
        ["1", "0", "-1", "9" * rng.randint(1, 40), "x", "%00", "..%2f..%2fetc", "%F0%9F%98%80"]
    )
    cursor = rng.choice(["", "ZjE", "ZjA", "Zjk5OTk5OTk5OTk5OTk5OTk5OTk5", "!!!", "Zi0x", "x" * 99])
    value = rng.choice(["KZ-TJ", "kz", "x" * 25, "2022", "2022-13", "%FF", "\u202e", "1e999", ""])
    method, path, kw = "GET", "/", {}
    kind = rng.randrange(9)
    if kind == 0:
        path = f"/facts/{ident}"
    elif kind == 1:
        path = f"/api/facts?cursor={cursor}&limit={rng.choice(['1', '0', '1000', '1001', 'x', '-5'])}"
    elif kind == 2:
        param = rng.choice(
            ["pair", "type", "period_from", "period_to", "lang", "doc", "claimant", "q", "format"]
        )
        path = f"/api/facts?{param}={value}"
    elif kind == 3:
        path = rng.choice(
            [f"/api/documents/{ident}", f"/documents/{ident}", f"/clusters/{ident}", f"/api/clusters/{ident}"]
        )
    elif kind == 4:
        path = rng.choice(
            [f"/pairs/{value}", f"/api/pairs/{value}/series", f"/search?q={value}", f"/people/{value}"]
        )
    elif kind == 5:
        method = rng.choice(["HEAD", "DELETE", "PUT", "OPTIONS", "PATCH"])
        path = rng.choice(["/", "/api/facts", "/static/style.css", "/api/pairs", "/nothing"])
    elif kind == 6:
        method, path = "POST", "/api/documents"
        kw = {
            "content": record_bytes(rng),
            "headers": {"Content-Type": "application/json", "Authorization": "Bearer fuzz"},
        }
    elif kind == 7:
        method, path = "POST", "/api/documents"
        name = rng.choice(["a.txt", "a.jsonl", "a.html", "a.pdf", "", "../x.txt", ".hidden.txt"])
        kw = {
            "files": {"file": (name, file_bytes(rng), "text/plain")},
            "headers": {"Authorization": "Bearer fuzz"},
        }
    else:
        path = rng.choice(["/static", "/docs/", "/api/pairs/", "//evil.example/", "/static/../karavan.db"])
        kw = {"headers": {"Host": rng.choice(["evil.example", "x:1", "[::1]", "a" * 300])}}
    return method, path, kw


def fuzz_http(run: Run, rng: random.Random, client: Any) -> None:
    method, path, kw = http_request(rng)
    began = time.perf_counter()
    try:
        r = client.request(method, path, follow_redirects=False, **kw)
    except Exception as e:
        run.fail("http", f"{method} {path}: {type(e).__name__}: {e}", kw)
        return
    run.timed("http", began)
    run.outcomes[f"http: {r.status_code}"] += 1
    if r.status_code >= 500:
        run.fail("http", f"{method} {path}: {r.status_code} {r.text[:200]}", kw)
    if "default-src 'none'" not in r.headers.get("content-security-policy", ""):
        run.fail("http", f"{method} {path}: {r.status_code} without the security headers", kw)
    location = r.headers.get("location", "")
    if location and not location.startswith("/") or location.startswith("//"):
        run.fail("http", f"{method} {path}: redirect to {location}", kw)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=200_000, help="inputs in all (default: 200000)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures.jsonl"))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    run = Run(args.out)
    from fastapi.testclient import TestClient

    from karavan import api
    from karavan.serve.app import create_app

    shares = [("records", 0.45), ("bytes", 0.2), ("pipeline", 0.3), ("http", 0.05)]
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "fuzz.db"
        api.ingest_paths([Path(__file__).resolve().parents[1] / "examples"], db)
        with (
            open_store(db) as store,
            TestClient(create_app(db, token="fuzz"), raise_server_exceptions=False) as client,
        ):
            for i in range(args.inputs):
                target = rng.choices([t for t, _ in shares], [w for _, w in shares])[0]
                if target == "records":
                    fuzz_record(run, rng)
                elif target == "bytes":
                    fuzz_bytes(run, rng)
                elif target == "pipeline":
                    fuzz_pipeline(run, rng, store)
                else:
                    fuzz_http(run, rng, client)
                if (i + 1) % 20_000 == 0:
                    print(f"  {i + 1} inputs, {sum(run.failures.values())} failures, "
                          f"{time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)  # fmt: skip
    run.out.close()
    total = sum(n for target, n in run.counts.items() if target != "store")
    print(f"{total} inputs (and {run.counts['store']} store round trips) in {time.perf_counter() - began:.0f} s (seed {args.seed}); "
          f"failures: {sum(run.failures.values())} -> {args.out}")  # fmt: skip
    for target, n in sorted(run.counts.items()):
        print(
            f"  {target:9s} {n:7d} inputs, {run.failures[target]:4d} failures, slowest {run.slowest[target] * 1000:.0f} ms"
        )
    for outcome, n in sorted(run.outcomes.items()):
        print(f"    {outcome}: {n}")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
