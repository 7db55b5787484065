"""Schemathesis against the published OpenAPI schema: no generated request makes the server fail (5xx)."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from karavan.serve.app import create_app
from tests.serve_store import reconciled_store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"  # our own corpus: runs on a plain clone too


def make_app():  # noqa: ANN201
    import tempfile

    db = reconciled_store(Path(tempfile.mkdtemp(prefix="karavan-schema-")) / "k.db", EXAMPLES)
    return create_app(db, token="schema-token", max_bytes=20_000)


schema = schemathesis.openapi.from_asgi("/openapi.json", make_app())


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_serve_no_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error], headers={"Authorization": "Bearer schema-token"})
