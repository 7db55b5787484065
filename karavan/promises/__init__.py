"""The promise ledger: every declared target as a promise, with its restatements, baseline, the growth it
needs against the growth since, and a status computed from the data, with its history.

    from karavan.promises.ledger import build_ledger      # pure: statements + yearly figures + a date
    from karavan.promises.store import refresh_promises, read_promises   # over a store
"""
