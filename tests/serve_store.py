"""A store for the server tests: documents ingested from paths, then reconciled."""

from __future__ import annotations

from pathlib import Path

from karavan import api


def reconciled_store(db: Path, *paths: Path) -> Path:
    """Ingest `paths` into the store at `db`, reconcile it, and return `db`."""
    api.ingest_paths(list(paths), db)
    api.reconcile(db)
    return db
