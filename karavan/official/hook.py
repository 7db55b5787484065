"""What runs after the store's facts or official figures change: the verdicts, then the promise ledger.

Called by the reconciliation (karavan.reconcile.store_bridge.reconcile_store, once its results are written),
by `karavan official import` and by `karavan promises`. Cheap when nothing changed: only new facts are
compared; the ledger is a few rows a target.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from karavan.store import Store


def refresh_all(
    store: Store, full: bool = False, today: date | None = None, pairs: Iterable[str] | None = None
) -> dict[str, Any]:
    """`pairs`: only these pairs' facts changed (a reconcile's redone blocks), so only their promises are
    computed again; None: all."""
    from karavan.official.verdicts import refresh_verdicts
    from karavan.promises.store import refresh_promises

    return {
        "verdicts": refresh_verdicts(store, full=full),
        "promises": refresh_promises(store, today, None if full else pairs),
    }
