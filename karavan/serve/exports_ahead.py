"""Whole CSV exports written ahead, to files beside the store, and sent from there while the store is unchanged.

A whole export (every row, no ?limit= or ?cursor=) costs 0.1-0.3 ms a row to render: seconds for a big
pair's facts or every document. When the store has been still for a while (STILL_FOR seconds, its
reconciliation finished), the server's exports worker (a process of its own, at the lowest priority:
state.ExportsWriter) writes every whole export a route offers, as the route would stream it:

    <store>.exports/<data stamp>/facts.csv.gz                 /facts.csv
    <store>.exports/<data stamp>/facts.pair-KZ-RU.csv.gz      /facts.csv?pair=KZ-RU (or RU-KZ)
    <store>.exports/<data stamp>/facts.pair-KZ-RU.year-2024.csv.gz
                                                   /facts.csv?pair=KZ-RU&period_from=2024&period_to=2024
    <store>.exports/<data stamp>/documents.csv.gz             /documents.csv
    <store>.exports/<data stamp>/meetings[.pair-A-B].csv.gz   /meetings.csv[?pair=A-B]
    <store>.exports/<data stamp>/promises[.pair-A-B].csv.gz   /promises.csv[?pair=A-B]

gzipped (a big pair's facts are 38 MB of CSV, 1.4 kB a row: sent as they are, to a client that takes
gzip, with Content-Encoding, else unpacked on the way), each to a temporary name, then renamed. A pair's
facts export whose content the last complete stamp's folder already has (its facts, their documents,
clusters, flags and verdicts all as they were: `fingerprint`, read in SQL without rendering) is linked
from there instead of rendered again, and so are its years'. A pair's year is written for every year its
facts' periods reach (a big pair's year is 3-4 MB of CSV: 100 ms and more to render at each request). The
data stamp is the store's version, its last reconciliation, the official figures' and promise ledger's stamp,
karavan's version and the exports' LAYOUT: a request reads it (one row) and sends
the file of the current stamp when there is one (the same bytes as the live export). When there is none (the
store changed since: an ingest writing every few seconds leaves the writer no still moment), it sends the
file of the last stamp whose exports were all written, as a read serves the last finished reconcile, and
says how fresh it is: X-Karavan-Export-Of (the stamp the file is of), X-Karavan-Export-Current (yes/no)
and X-Karavan-Export-Changed-Documents (documents changed since that stamp), on every answer sent from a
file. A request with `Cache-Control: no-cache` takes only the current stamp's file, else the live export
of the store as it is; with no file at all the export is streamed live. A write stops as soon as the stamp
changes (looked at after each chunk); older stamps' folders are removed once a stamp's exports are all
written, and those of stopped writes when the next write starts: at most two stamps are kept.

A facts export's file is also where a page of it comes from (/facts.csv?pair=KZ-RU&limit=500&cursor=...):
beside it, `<name>.pages` keeps each row's fact id and place, and the gzip stream is fully flushed every
FLUSH_ROWS rows, so that a page is the header and one slice unpacked from the flush point before it (a big
pair's page of 500: 18 ms rendered at p50, 32 at p99; cut from the file, 1.8 and 6). Only the current
stamp's file serves a page (a page must be the live one, with the same next cursor); else, or when its pages
are missing or damaged, the page is rendered.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from starlette.responses import Response, StreamingResponse

from karavan import __version__
from karavan.official.store import stamp
from karavan.store import Store, parse_pair
from karavan.store.db import pair_key

STILL_FOR = 30.0  # seconds the store's data stamp must have stayed the same before exports are written
SEND_CHUNK = 1 << 18  # bytes read from an export's file at a time
GZIP_LEVEL = 6
COMPLETE = "complete.json"  # in a stamp's folder once all its exports are written
# Which files a stamp's folder holds (`planned`), part of the stamp: a folder written complete by a karavan
# that planned fewer is not taken for one that has them all. 2: a pair's years. 3: the facts exports' pages.
LAYOUT = 3
DATA_STAMP_SQL = (
    "SELECT (SELECT value FROM store_meta WHERE key = 'version'), (SELECT max(id) FROM recon_runs)"
)
log = logging.getLogger("karavan.serve")


def folder_of(db_path: str | Path) -> Path:
    """Where the exports of the store at `db_path` are written: beside it."""
    return Path(f"{db_path}.exports")


def data_stamp(store: Store) -> str:
    """What an export's content depends on, as a folder name: the store's version, its last reconciliation's
    id, the official figures' and promise ledger's stamp (official.store.stamp's rows), karavan's version and
    the exports' LAYOUT."""
    version, run = store.conn.execute(DATA_STAMP_SQL).fetchone()
    official = list(stamp(store))  # a list, as the stamps of exports already written were made of
    made = (__version__, LAYOUT, official)
    return f"v{version}-r{run}-{hashlib.sha1(repr(made).encode()).hexdigest()[:12]}"


# -- which file a request's export is ------------------------------------------------------------------------


def _pair_file(kind: str, pair: str | None) -> str | None:
    if pair is None:
        return f"{kind}.csv"
    try:
        a, b = parse_pair(pair)
    except Exception:  # the live export says what is wrong with it
        return None
    return f"{kind}.pair-{pair_key(f'{a}-{b}')}.csv" if a != b else None


def facts_file(flt: Any) -> str | None:
    """The file of /facts.csv with this FactFilter: all facts, a pair's, or a pair's of one year (period_from
    and period_to the same YYYY; no other filter); else None."""
    from karavan.serve.queries import FILTER_KEYS

    if any(getattr(flt, k) for k in FILTER_KEYS if k not in ("pair", "period_from", "period_to")):
        return None
    if not (flt.period_from or flt.period_to):
        return _pair_file("facts", flt.pair)
    year = (flt.period_from or "").strip()
    if not flt.pair or not YEAR.fullmatch(year) or (flt.period_to or "").strip() != year:
        return None
    pair_file = _pair_file("facts", flt.pair)
    return None if pair_file is None else pair_file.removesuffix(".csv") + f".year-{year}.csv"


YEAR = re.compile(r"[12]\d{3}")


def pair_years(store: Store, pair: str) -> list[str]:
    """Every year the periods of a pair's facts reach (fact_pairs' own rows; pair as stored, 'KZ-RU')."""
    first, last = store.conn.execute(
        "SELECT min(substr(period, 1, 4)), max(substr(period, 9, 4)) FROM fact_pairs"
        " WHERE pair = ? AND period IS NOT NULL",
        (pair,),
    ).fetchone()
    if not (first and last and YEAR.fullmatch(first) and YEAR.fullmatch(last)):
        return []
    return [str(y) for y in range(int(first), int(last) + 1)]


def list_file(name: str, pair: str | None) -> str | None:
    """The file of /documents.csv, /meetings.csv or /promises.csv (of a pair, for the last two)."""
    if name == "documents":
        return "documents.csv" if pair is None else None
    return _pair_file(name, pair)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (and not with q=0)."""
    for part in accept_encoding.lower().split(","):
        token, _, params = part.strip().partition(";")
        if token.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def wants_current(cache_control: str) -> bool:
    """Whether a Cache-Control request header asks for the store as it is (no-cache, max-age=0)."""
    parts = {p.strip().lower().replace(" ", "") for p in cache_control.split(",")}
    return bool(parts & {"no-cache", "no-store", "max-age=0"})


def version_of(stamp_name: str) -> int | None:
    """The store version a data stamp's folder name (v<version>-r<run>-<digest>) was taken at."""
    head = stamp_name.split("-", 1)[0]
    return int(head[1:]) if head[:1] == "v" and head[1:].isdigit() else None


def _open_file(
    store: Store, root: Path, name: str, current_only: bool
) -> tuple[BinaryIO, dict[str, str]] | None:
    """The file of `name` of the current stamp, else (unless `current_only`) of the last stamp whose
    exports were all written, held open (a folder removed meanwhile does not cut the answer short), with
    the headers saying which stamp it is of and how many documents changed since."""
    now = data_stamp(store)
    try:
        return open(root / now / (name + ".gz"), "rb"), {
            "X-Karavan-Export-Of": now,
            "X-Karavan-Export-Current": "yes",
            "X-Karavan-Export-Changed-Documents": "0",
        }
    except OSError:
        pass
    last = None if current_only or not root.is_dir() else _last_complete(root, now)
    version = None if last is None else version_of(last[0].name)
    if last is None or version is None:
        return None
    try:
        file = open(last[0] / (name + ".gz"), "rb")
    except OSError:
        return None
    (changed,) = store.conn.execute("SELECT count(*) FROM store_log WHERE version > ?", (version,)).fetchone()
    return file, {
        "X-Karavan-Export-Of": last[0].name,
        "X-Karavan-Export-Current": "no",
        "X-Karavan-Export-Changed-Documents": str(changed),
    }


def response(
    handle: Any, name: str | None, headers: dict[str, str], accept_encoding: str, cache_control: str = ""
) -> Response | None:
    """The export `name` sent from its file (of the store as it is now; else of the last stamp written whole,
    unless `cache_control` asks for the store as it is), else None: as it is stored (gzip:
    Content-Encoding, its length) to a client that takes gzip, else unpacked as it is sent."""
    if name is None or not getattr(handle, "exports_ahead", False):
        return None
    found = _open_file(handle.store(), folder_of(handle.path), name, wants_current(cache_control))
    if found is None:
        return None
    file, said = found
    extra = {"Vary": "Accept-Encoding", **said}
    if accepts_gzip(accept_encoding):
        extra |= {"Content-Encoding": "gzip", "Content-Length": str(os.fstat(file.fileno()).st_size)}
        body = _read(file)
    else:
        body = _unpacked(file)
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers={**headers, **extra})


def _read(file: BinaryIO) -> Iterator[bytes]:
    with file:
        while chunk := file.read(SEND_CHUNK):
            yield chunk


def _unpacked(file: BinaryIO) -> Iterator[bytes]:
    inflate = zlib.decompressobj(wbits=31)  # a gzip stream
    for chunk in _read(file):
        if out := inflate.decompress(chunk):
            yield out
    if rest := inflate.flush():
        yield rest


# -- writing them (in the exports worker process) --------------------------------------------------------------


PAIR_FACTS_SQL = """
SELECT x.fact_id, f.data, d.sha256, d.url, d.published, d.source, d.excluded, d.meta, c.cluster_id,
       (SELECT group_concat(g.code, ' ') FROM recon_flags g WHERE g.cluster_id = c.cluster_id),
       (SELECT v.data FROM official_verdicts v WHERE v.fact_id = x.fact_id AND v.verdict IS NOT NULL)
FROM fact_pairs x CROSS JOIN facts f ON f.id = x.fact_id CROSS JOIN documents d ON d.id = f.doc_id
LEFT JOIN recon_cluster_facts c ON c.fact_id = x.fact_id
WHERE x.pair = ? ORDER BY x.fact_id
"""


def fingerprint(store: Store, pair: str) -> str:
    """A digest of everything a pair's facts export is made of: each fact, its document's cited fields, its
    cluster, the cluster's flags and the fact's verdict. Read in SQL, hashed without rendering."""
    digest = hashlib.blake2b(digest_size=16)
    for row in store.conn.execute(PAIR_FACTS_SQL, (pair,)):
        digest.update(repr(tuple(row)).encode())  # (a Row's own repr is its address)
    return digest.hexdigest()


def planned(store: Store) -> Iterator[tuple[str, str | None, Callable[[], Iterator[Any]]]]:
    """(file name, fingerprint or None, its chunks) of every whole export, the cheapest first: text, or for
    the facts exports csv_bodies.FactRows (their pages are kept beside them: `page_of`)."""
    from karavan.serve.csv_bodies import CSV_BATCH, DOCUMENTS, MEETINGS, PROMISES, fact_row_chunks
    from karavan.serve.paging import MAX_LIMIT, Paging
    from karavan.serve.queries import FactFilter, fact_page

    def of_list(export: Any, pair: str | None) -> Callable[[], Iterator[str]]:
        return lambda: export.chunks(lambda: store, pair, export.read(store, Paging(MAX_LIMIT), pair))

    def of_facts(pair: str | None, year: str | None = None) -> Callable[[], Iterator[str]]:
        def chunks() -> Iterator[str]:
            flt = FactFilter(pair=pair, period_from=year, period_to=year)
            first, following = fact_page(store, flt, CSV_BATCH, None)
            yield from fact_row_chunks(lambda: store, flt, {}, first, following)

        return chunks

    q = store.conn.execute
    promise_pairs = [p for (p,) in q("SELECT DISTINCT pair FROM promises ORDER BY pair")]
    fact_pairs = [p for p, n in q("SELECT pair, count(*) FROM fact_pairs GROUP BY pair ORDER BY 2, 1")]
    pairs = [p for p in fact_pairs if p[:2] != p[3:]]
    yield "promises.csv", None, of_list(PROMISES, None)
    for p in promise_pairs:
        yield f"promises.pair-{p}.csv", None, of_list(PROMISES, p)
    yield "meetings.csv", None, of_list(MEETINGS, None)
    for p in pairs:
        yield f"meetings.pair-{p}.csv", None, of_list(MEETINGS, p)
    yield "documents.csv", None, of_list(DOCUMENTS, None)
    for p in pairs:
        digest = fingerprint(store, p)  # its years are made of its facts too
        yield f"facts.pair-{p}.csv", digest, of_facts(p)
        for year in pair_years(store, p):
            yield f"facts.pair-{p}.year-{year}.csv", digest, of_facts(p, year)
    yield "facts.csv", None, of_facts(None)


class Changed(Exception):
    """The store changed while its exports were written."""


def write_all(db_path: str, stamp: str) -> dict[str, Any]:
    """Write every whole export of the store at `db_path` for the data stamp `stamp` (in the exports
    worker); stop when the stamp is no longer the store's. {"stamp", "written", "linked", "stopped"}."""
    from karavan.store import open_store

    root = folder_of(db_path)
    here = root / stamp
    written: list[str] = []
    linked: list[str] = []
    with open_store(db_path, create=False) as store:
        if data_stamp(store) != stamp:
            return {"stamp": stamp, "written": written, "linked": linked, "stopped": True}
        if (here / COMPLETE).exists():
            return {"stamp": stamp, "written": written, "linked": linked, "stopped": False}
        here.mkdir(parents=True, exist_ok=True)
        before = _last_complete(root, stamp)
        _tidy(root, keep={here, *([before[0]] if before else [])})
        prints: dict[str, str] = {}

        def changed() -> bool:
            return data_stamp(store) != stamp

        try:
            for name, digest, chunks in planned(store):
                if digest is not None:
                    prints[name] = digest
                stored = name + ".gz"
                if (here / stored).exists():
                    pass
                elif (
                    digest is not None
                    and before is not None
                    and before[1].get(name) == digest
                    and _link_all(before[0], here, [stored, name + PAGES])
                ):
                    linked.append(name)
                else:
                    _write(here / stored, chunks(), changed)
                    written.append(name)
                if changed():  # the fingerprint, or what was linked, may be of the store before
                    raise Changed
        except Changed:
            return {"stamp": stamp, "written": written, "linked": linked, "stopped": True}
        tmp = here / f".{COMPLETE}.{os.getpid()}"
        tmp.write_text(json.dumps({"fingerprints": prints}, sort_keys=True))
        os.replace(tmp, here / COMPLETE)
    for other in root.iterdir():
        if other.name != stamp and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    return {"stamp": stamp, "written": written, "linked": linked, "stopped": False}


def _last_complete(root: Path, stamp: str) -> tuple[Path, dict[str, str]] | None:
    """Another stamp's folder whose exports were all written, with its fingerprints (the newest one)."""
    done = [p for p in root.iterdir() if p.name != stamp and (p / COMPLETE).exists()]
    if not done:
        return None
    last = max(done, key=lambda p: (p / COMPLETE).stat().st_mtime)
    try:
        return last, json.loads((last / COMPLETE).read_text())["fingerprints"]
    except (OSError, ValueError, KeyError):
        return None


def _tidy(root: Path, keep: set[Path]) -> None:
    """Remove the folders of stamps a write was stopped in (all but `keep`) and, in `keep`, the temporary
    files of a writer that ended mid-file (a server stopped while it wrote)."""
    for other in root.iterdir():
        if other.is_dir() and other not in keep:
            shutil.rmtree(other, ignore_errors=True)
    for folder in keep:
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _link_all(source: Path, target: Path, names: list[str]) -> bool:
    """Every file of `names` in the folder `source` linked into `target`, or none (False): a facts export
    with its pages, so that one written by a karavan that kept none (LAYOUT 2) is written again."""
    done: list[Path] = []
    for name in names:
        if not _link(source / name, target / name):
            for path in done:
                path.unlink(missing_ok=True)
            return False
        done.append(target / name)
    return True


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def _write(target: Path, chunks: Iterator[Any], changed: Callable[[], bool]) -> None:
    """`chunks` (UTF-8, as a response encodes them) gzipped to a temporary name, renamed to `target` at the
    end; Changed (and no file) as soon as `changed()` after a chunk. Chunks that are FactRows have their
    rows' places kept too (`Pages`, beside the file: `page_of` reads them)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pages_at = target.with_name(target.name.removesuffix(".gz") + PAGES)
    pages_tmp = pages_at.with_name(f".{pages_at.name}.{os.getpid()}.tmp")
    pages: Pages | None = None
    try:
        with (
            open(tmp, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0) as out,
        ):
            for chunk in chunks:
                if isinstance(chunk, str):
                    out.write(chunk.encode("utf-8"))
                else:
                    pages = pages or Pages()
                    pages.write(chunk, out, raw)
                if changed():
                    raise Changed
        if pages is not None:
            pages_tmp.write_bytes(pages.to_bytes())
            os.replace(pages_tmp, pages_at)
        os.replace(tmp, target)
    finally:
        for left in (tmp, pages_tmp):
            if left.exists():
                left.unlink()


# -- a page of a facts export, from its file -------------------------------------------------------------------

PAGES = ".pages"  # beside a facts export's file: where each of its rows is (`Pages`)
FLUSH_ROWS = 250
"""Rows between the points a page's reading can start unpacking from. Each flush costs packing: on the bench's
100k store, every 100 rows +19% on the facts files, every 250 +8% (a page of 500 then 1.8 ms at p50, 5.9 at
p99, with 250 rows at most unpacked in vain)."""
_MAGIC = b"karavan-pages-1\n"


class Pages:
    """Where the rows of a facts export's file are: each row's fact id (ascending) and where it starts in
    the unpacked text (bytes; one more: where the last ends), the header's bytes, and every FLUSH_ROWS rows
    a point the gzip stream was fully flushed at (zlib.Z_FULL_FLUSH: unpacking can start there), as
    (unpacked offset, packed offset). A page of rows is then the header and one slice, unpacked from the
    point before it: at most FLUSH_ROWS rows unpacked in vain."""

    def __init__(self) -> None:
        self.header = b""
        self.ids = array("q")
        self.starts = array("q")
        self.points = array("q")  # unpacked, packed, unpacked, packed, ...
        self.size = 0  # unpacked bytes written

    def write(self, chunk: Any, out: gzip.GzipFile, raw: BinaryIO) -> None:
        """Write a csv_bodies.FactRows to `out` (packing into `raw`), keeping where its rows are."""
        text, ends = chunk.text, chunk.ends
        head = text[: chunk.head].encode("utf-8")
        if head:
            self.header += head
            out.write(head)
            self.size += len(head)
        at = chunk.head
        for fact_id, end in zip(chunk.ids, ends, strict=True):
            if len(self.ids) % FLUSH_ROWS == 0:
                out.flush(zlib.Z_FULL_FLUSH)
                self.points.extend((self.size, raw.tell()))
            row = text[at:end].encode("utf-8")
            self.ids.append(fact_id)
            self.starts.append(self.size)
            out.write(row)
            self.size += len(row)
            at = end
        rest = text[at:].encode("utf-8")  # none: every chunk ends with its last row
        out.write(rest)
        self.size += len(rest)

    def to_bytes(self) -> bytes:
        starts = array("q", self.starts)
        starts.append(self.size)
        counts = array("q", [len(self.ids), len(self.points) // 2, len(self.header)])
        return b"".join(
            [
                _MAGIC,
                counts.tobytes(),
                self.header,
                self.ids.tobytes(),
                starts.tobytes(),
                self.points.tobytes(),
            ]
        )

    @classmethod
    def of_bytes(cls, data: bytes) -> Pages:
        if not data.startswith(_MAGIC):
            raise ValueError("not a pages file")
        at = len(_MAGIC)
        counts = array("q")
        counts.frombytes(data[at : at + 24])
        n, points, header = counts
        at += 24
        pages = cls()
        pages.header = data[at : at + header]
        at += header
        for name, length in (("ids", n), ("starts", n + 1), ("points", 2 * points)):
            part = array("q")
            part.frombytes(data[at : at + 8 * length])
            if len(part) != length:
                raise ValueError("a pages file cut short")
            setattr(pages, name, part)
            at += 8 * length
        pages.size = pages.starts[-1]
        return pages

    def page(self, packed: BinaryIO, after: int | None, limit: int) -> tuple[bytes, int | None]:
        """The header and the rows of the first `limit` facts after the fact id `after` (all when None),
        unpacked from `packed` (the file), and the id of the last row sent when more follow (else None)."""
        first = bisect_right(self.ids, after) if after is not None else 0
        last = min(first + limit, len(self.ids))
        if first >= last:
            return self.header, None
        start, end = self.starts[first], self.starts[last]
        unpacked_points = self.points[0::2]
        point = bisect_right(unpacked_points, start) - 1
        unpacked_at, packed_at = unpacked_points[point], self.points[2 * point + 1]
        packed.seek(packed_at)
        inflate = zlib.decompressobj(wbits=-15)  # raw deflate from a full flush point
        need = end - unpacked_at
        got = bytearray()
        while len(got) < need:
            block = packed.read(SEND_CHUNK)
            if not block:
                raise ValueError("an export's file cut short")
            got += inflate.decompress(block, need - len(got))
            while inflate.unconsumed_tail and len(got) < need:
                got += inflate.decompress(inflate.unconsumed_tail, need - len(got))
        body = bytes(got[start - unpacked_at : need])
        return self.header + body, (self.ids[last - 1] if last < len(self.ids) else None)


def page_of(handle: Any, name: str | None, limit: int, after: int | None) -> tuple[bytes, int | None] | None:
    """A page of the facts export `name` (`Pages.page`) from its file of the store as it is now (never of an
    earlier stamp: a page must be the live one), else None (no such file, or its pages are not kept)."""
    if name is None or not getattr(handle, "exports_ahead", False):
        return None
    here = folder_of(handle.path) / data_stamp(handle.store())
    try:
        with open(here / (name + ".gz"), "rb") as packed:
            pages = Pages.of_bytes((here / (name + PAGES)).read_bytes())
            return pages.page(packed, after, limit)
    except (OSError, ValueError, zlib.error) as e:
        if not isinstance(e, FileNotFoundError):
            log.warning("export %s: its pages unreadable (%s); sent live", name, e)
        return None
