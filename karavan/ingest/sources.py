"""Where documents come from: paths expanded into a sorted list of sources, each read lazily."""

from __future__ import annotations

import hashlib
import io
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from karavan.doc import Doc
from karavan.errors import (
    EmptyInput,
    InputNotFound,
    InputTooLarge,
    KaravanError,
    UnreadableInput,
    UnsupportedInput,
)
from karavan.ingest.decode import decode_bytes
from karavan.ingest.html import html_to_text
from karavan.ingest.records import (
    LONE_SURROGATE,
    Report,
    apply_metadata,
    id_problem,
    parse_object,
    read_jsonl,
    read_meta_index,
)

DEFAULT_MAX_BYTES = 20_000_000
KINDS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
META_NAME = "meta.jsonl"
FACTS_SUFFIX = ".facts.jsonl"  # facts (karavan extract output, gold files), not documents
STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass(slots=True, frozen=True)
class Source:
    """One input: a file of a known kind, or standard input (path None)."""

    kind: str  # txt, html, jsonl, stdin
    path: Path | None = None

    @property
    def name(self) -> str:
        return STDIN_NAME if self.path is None else str(self.path)


def _walk(root: Path) -> list[Path]:
    """Files under `root` sorted by path (folders and files alike); hidden files and folders are skipped."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found += [Path(dirpath) / name for name in filenames if not name.startswith(".")]
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def plan_sources(paths: Iterable[str | Path], report: Report) -> list[Source]:
    """Expand paths (files, directories recursively, '-' for standard input) into sources."""
    out: list[Source] = []
    for given in paths:
        if str(given) == STDIN:
            out.append(Source("stdin"))
            continue
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                kind = KINDS.get(file.suffix.lower())
                if kind and file.name != META_NAME and not file.name.endswith(FACTS_SUFFIX):
                    out.append(Source(kind, file))
        elif not path.exists():
            report(InputNotFound("no such file or directory", str(path)))
        elif path.name == META_NAME:
            continue  # metadata for the .txt files beside it, not documents
        elif path.name.endswith(FACTS_SUFFIX):
            report(UnsupportedInput(f"a {FACTS_SUFFIX} file holds facts, not documents", str(path)))
        elif path.suffix.lower() not in KINDS:
            report(UnsupportedInput("unsupported file type: expected .txt, .html, .htm or .jsonl", str(path)))
        else:
            out.append(Source(KINDS[path.suffix.lower()], path))
    return out


def estimate_count(sources: list[Source]) -> int | None:
    """How many documents the sources hold (JSONL lines counted), None when standard input is among them."""
    total = 0
    for src in sources:
        if src.path is None:
            return None
        if src.kind != "jsonl":
            total += 1
            continue
        try:
            with open(src.path, "rb") as f:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda f=f: f.read(1 << 20), b""))
        except OSError:
            continue
    return total


@dataclass(slots=True)
class MetaFiles:
    """The `meta.jsonl` beside each folder's documents, read once per folder."""

    report: Report
    limit: int
    by_dir: dict[Path, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def record(self, doc_path: Path, doc_id: str) -> dict[str, Any] | None:
        folder = doc_path.parent
        if folder not in self.by_dir:
            meta = folder / META_NAME
            index: dict[str, dict[str, Any]] = {}
            if meta.is_file():
                with open(meta, "rb") as f:
                    index = read_meta_index(f, str(meta), self.report, self.limit)
            self.by_dir[folder] = index
        return self.by_dir[folder].get(doc_id)


def read_bytes(path: Path, limit: int) -> bytes:
    """A whole file, refused unread when it is over `limit` bytes."""
    check_size(path.stat().st_size, path, limit)
    return path.read_bytes()


def check_size(size: int, path: Path | str, limit: int) -> None:
    """Refuse a file over `limit` bytes or empty, before reading it."""
    if size > limit:
        raise InputTooLarge(
            f"file is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit (--max-mb); not read",
            str(path),
        )
    if size == 0:
        raise EmptyInput("empty file: no text to read", str(path))


def file_id(path: Path) -> str:
    """The document id of a file: its name without the extension, when that can be an id."""
    ident = path.stem
    if LONE_SURROGATE.search(ident):  # bytes of the name that are not UTF-8 (os.fsdecode keeps them so)
        raise UnsupportedInput(
            "the file name is not UTF-8, so it cannot be a document id: rename the file", str(path)
        )
    problem = id_problem(ident)
    if problem:
        raise UnsupportedInput(
            f"the file name {problem}, so it cannot be a document id: rename the file", str(path)
        )
    return ident


def read_file_doc(src: Source, metas: MetaFiles, limit: int) -> Doc:
    assert src.path is not None
    file_id(src.path)  # a name that cannot be an id is refused before the file is read
    data = read_bytes(src.path, limit)
    return file_doc(data, src.path, src.kind, metas)


def file_doc(data: bytes, path: Path, kind: str, metas: MetaFiles) -> Doc:
    """The document of a .txt or .html file's bytes (also what karavan.spark calls on the bytes it reads)."""
    decoded = decode_bytes(data, str(path))
    if decoded.warning:
        metas.report(decoded.warning)
    doc = Doc(id=file_id(path), text=decoded.text, encoding=decoded.encoding, path=str(path))
    if kind == "html":
        text, info = html_to_text(decoded.text)
        if not text.strip():
            raise EmptyInput("HTML page without text", str(path))
        doc.text = text
        doc.meta.update({"raw_sha256": hashlib.sha256(data).hexdigest(), "raw_path": str(path), **info})
    record = metas.record(path, doc.id)
    if record:
        apply_metadata(doc, record, metas.report, None)
    return doc


def read_stdin(report: Report, limit: int) -> Iterator[Doc]:
    """Standard input: JSONL when its first line is a JSON object, else one text document whose id comes
    from its content ('stdin-' and 16 hex digits of the text's SHA-256), so a second pipe of another text
    is a second document, and the same text piped again is the same one."""
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(f"standard input is over the {limit / 1e6:.0f} MB limit (--max-mb)", STDIN_NAME)
    first = next((line for line in data.splitlines() if line.strip()), b"")
    if first.lstrip().startswith(b"{"):
        try:
            parse_object(first, STDIN_NAME, 1)
        except KaravanError:
            pass
        else:
            yield from read_jsonl(io.BytesIO(data), STDIN_NAME, report, limit)
            return
    decoded = decode_bytes(data, STDIN_NAME)
    if decoded.warning:
        report(decoded.warning)
    digest = hashlib.sha256(decoded.text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    yield Doc(id=f"stdin-{digest}", text=decoded.text, encoding=decoded.encoding, path=STDIN_NAME)


def read_source(src: Source, metas: MetaFiles, limit: int) -> Iterator[Doc]:
    """The documents of one source; a problem with the whole source is raised, one with a line reported."""
    try:
        if src.kind == "stdin":
            yield from read_stdin(metas.report, limit)
        elif src.kind == "jsonl":
            assert src.path is not None
            with open(src.path, "rb") as f:
                yield from read_jsonl(f, str(src.path), metas.report, limit)
        else:
            yield read_file_doc(src, metas, limit)
    except (IsADirectoryError, PermissionError, OSError) as e:
        raise UnreadableInput(f"cannot read: {e.strerror or e}", src.name) from None
