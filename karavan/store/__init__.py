"""Store: documents and facts in SQLite, schema by numbered migrations, one transaction per document."""

from karavan.store.db import DEFAULT_DB, Store, open_store, parse_pair
from karavan.store.migrations import MIGRATIONS, migrate, schema_version
from karavan.store.rows import FACT_COMMON, FACT_FIELDS, text_hash

__all__ = [
    "DEFAULT_DB",
    "FACT_COMMON",
    "FACT_FIELDS",
    "MIGRATIONS",
    "Store",
    "migrate",
    "open_store",
    "parse_pair",
    "schema_version",
    "text_hash",
]
