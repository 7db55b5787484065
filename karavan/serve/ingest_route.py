"""POST /api/documents: ingest one document (JSON or a file upload) when a token is configured.

Off (403) without a token; the token is compared in constant time; the body is refused (413) from its
Content-Length, or while it streams in, as soon as it passes the limit: it is never read whole first.
Validation is the CLI's: karavan.ingest reads the record or the file, karavan.api stores it.
"""

from __future__ import annotations

import hmac
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from karavan.api import IngestReport, default_process, ingest_docs
from karavan.budget import DEFAULT_BUDGET
from karavan.doc import Doc
from karavan.ingest import read_paths
from karavan.ingest.errors import KaravanError
from karavan.ingest.records import read_record
from karavan.progress import Progress
from karavan.serve.errors import ApiError
from karavan.serve.queries import FactFilter, fact_page
from karavan.serve.state import StoreHandle
from karavan.store import Store

router = APIRouter(prefix="/api", tags=["ingest"])
REQUEST_NAME = "<request>"
FACTS_LISTED = 10_000  # facts a POST answer lists at most; the rest are linked (facts_rest)
FILE_KINDS = (".txt", ".html", ".htm", ".jsonl")
BODY_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["id", "text"],
                    "properties": {
                        "id": {"type": "string"},
                        "text": {"type": "string"},
                        "url": {"type": "string"},
                        "published": {"type": "string", "description": "ISO date"},
                        "source": {"type": "string"},
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


def check_token(request: Request) -> None:
    token: str | None = request.app.state.token
    if not token:
        raise ApiError(
            403, "ingest_disabled", "ingest over HTTP is off: start the server with KARAVAN_TOKEN set"
        )
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise ApiError(401, "unauthorized", "missing or wrong token (Authorization: Bearer <token>)",
                       {"WWW-Authenticate": "Bearer"})  # fmt: skip


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refused with 413 from Content-Length or as soon as the stream passes `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ApiError(400, "bad_request", "Content-Length is not a number") from None
        if size > limit:
            raise ApiError(413, "too_large", f"the body is {size} bytes, over the {limit} byte limit")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, "too_large", f"the body is over the {limit} byte limit")
    return bytes(body)


async def replayed_form(request: Request, body: bytes) -> Any:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    return await Request(request.scope, receive).form(max_files=1, max_fields=10)


def docs_from_json(body: bytes, problems: list[KaravanError]) -> list[Doc]:
    """The body as one record, read as a JSONL line is (so refused, or repaired, for the same reasons)."""
    return [read_record(body, REQUEST_NAME, 1, problems.append)]


async def docs_from_upload(
    upload: UploadFile, folder: Path, limit: int, problems: list[KaravanError]
) -> list[Doc]:
    name = Path(upload.filename or "").name
    if not name or Path(name).suffix.lower() not in FILE_KINDS or name.startswith("."):
        raise ApiError(422, "E108", "upload a .txt, .html, .htm or .jsonl file (field 'file')")
    path = folder / name
    path.write_bytes(await upload.read())
    docs = list(read_paths([path], problems.append, limit))
    for doc in docs:
        doc.path = name  # the server's temporary folder is nobody's business
    return docs


def store_docs(
    handle: StoreHandle, docs: list[Doc], problems: list[KaravanError], budget: float | None = DEFAULT_BUDGET
) -> tuple[IngestReport, dict[str, Any]]:
    """Run the pipeline and store (in a worker thread), reconcile, and read the documents' facts back.

    The pipeline runs before the server's write lock is taken (within its time budget), so a long
    document never holds up another writer: only storing is one writer at a time."""
    result = IngestReport()
    store = handle.store()
    process = default_process(budget)
    ready: dict[int, Doc | BaseException] = {}
    for doc in docs:
        if store.status(doc) != "unchanged":
            try:
                ready[id(doc)] = process(doc)
            except Exception as e:  # reported as ingest_docs reports a failing stage
                ready[id(doc)] = e

    def processed(doc: Doc) -> Doc:
        done = ready.pop(id(doc), None)
        if done is None:  # changed by another writer since: processed now
            return process(doc)
        if isinstance(done, BaseException):
            raise done
        return done

    with handle.lock:
        ingest_docs(docs, store, problems.append, result, Progress(None, enabled=False), process=processed)
    if result.failed is not None:
        raise result.failed
    handle.refresh(force=True)
    return result, listed_facts(store, [d.id for d in docs])


def listed_facts(store: Store, doc_ids: list[str], limit: int | None = None) -> dict[str, Any]:
    """The documents' facts, at most `limit` (FACTS_LISTED); a cut list says so and links to the rest."""
    limit = FACTS_LISTED if limit is None else limit
    facts: list[dict[str, Any]] = []
    rest: list[str] = []
    for doc_id in doc_ids:
        room = limit - len(facts)
        following: str | None = None
        if room > 0:
            page, following = fact_page(store, FactFilter(doc=doc_id), room, None)
            facts += page
        if room <= 0 or following:
            query = {"doc": doc_id, "limit": 1000, **({"cursor": following} if following else {})}
            rest.append(f"/api/facts?{urlencode(query)}")
    total = sum(
        store.conn.execute("SELECT count(*) FROM facts WHERE doc_id = ?", (d,)).fetchone()[0] for d in doc_ids
    )
    return {"facts": facts, "facts_total": total, "facts_cut": bool(rest), "facts_rest": rest}


@router.post(
    "/documents", status_code=201, summary="Ingest a document (needs the token)", openapi_extra=BODY_SCHEMA
)
async def post_document(request: Request) -> dict[str, Any]:
    check_token(request)
    limit: int = request.app.state.max_bytes
    body = await read_limited(request, limit)
    problems: list[KaravanError] = []
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    with tempfile.TemporaryDirectory(prefix="karavan-upload-") as tmp:
        if kind == "application/json":
            docs = docs_from_json(body, problems)
        elif kind == "multipart/form-data":
            form = await replayed_form(request, body)
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise ApiError(422, "E108", "no file in the form (field 'file')")
            docs = await docs_from_upload(upload, Path(tmp), limit, problems)
        else:
            raise ApiError(415, "unsupported_media_type", "send application/json or multipart/form-data")
    errors = [p for p in problems if not p.warning]
    if not docs:
        first = errors[0] if errors else None
        raise ApiError(
            422, first.code if first else "E102", first.message if first else "no document in the body"
        )
    result, listed = await run_in_threadpool(
        store_docs, request.app.state.handle, docs, problems, request.app.state.budget
    )
    if result.stored == 0 and result.unchanged == 0:
        failed = [p for p in problems if not p.warning] or problems
        raise ApiError(
            422, failed[0].code if failed else "E000", failed[0].message if failed else "not stored"
        )
    return {
        "documents": [d.id for d in docs],
        "new": result.new,
        "replaced": result.replaced,
        "unchanged": result.unchanged,
        **listed,
        "problems": [{"code": p.code, "message": p.message, "warning": p.warning} for p in problems],
    }
