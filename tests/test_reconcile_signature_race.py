"""A document ingested again while reconcile runs never keeps the signature of its old text.

Reconcile reads the documents, computes the missing near-duplicate signatures, and writes them later;
each is written only onto the text it was computed from (`WHERE id = ? AND sha256 = ?`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from karavan import api
from karavan.doc import Doc
from karavan.reconcile import dupes_store
from karavan.reconcile.neardup import minhash_signature
from karavan.reconcile.results_store import pack_signature
from karavan.store import open_store

OLD = "Товарооборот между Казахстаном и Узбекистаном в 2023 году составил 4,5 млрд долларов. " * 3
NEW = "Экспорт зерна из Казахстана в Таджикистан за 2022 год вырос до 1,2 млн тонн, сообщили в министерстве."
OTHER = "Товарооборот Кыргызстана и Казахстана в 2021 году составил 1 млрд долларов."


def signature(db: Path, doc_id: str) -> bytes | None:
    with open_store(db) as store:
        return store.conn.execute("SELECT minhash FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]


@pytest.mark.parametrize("when", ["while reconciling", "never"])
def test_reconcile_signature_of_a_document_ingested_again_meanwhile_is_not_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_fake_pipeline, when: str
) -> None:  # noqa: ANN001
    db = tmp_path / "k.db"
    with open_store(db) as store:
        for ident, text in (("a", OLD), ("b", OTHER)):
            store.put(with_fake_pipeline(Doc(id=ident, text=text)))
    real = dupes_store.minhash_signature

    def reingest_meanwhile(text: str) -> tuple[int, ...]:
        if when == "while reconciling" and text == OLD:  # another process stores a new text of "a" meanwhile
            with open_store(db) as other:
                other.put(with_fake_pipeline(Doc(id="a", text=NEW)))
        return real(text)

    monkeypatch.setattr(dupes_store, "minhash_signature", reingest_meanwhile)
    with open_store(db) as store:
        # the signatures of a reconcile, read and written outside its transaction here, so that another
        # process can store a document between the read and the write (inside a reconcile the write lock
        # makes it wait)
        dupes_store.signatures(store.conn, ["a", "b"])
    assert signature(db, "b") == pack_signature(minhash_signature(OTHER))
    if when == "never":
        assert signature(db, "a") == pack_signature(minhash_signature(OLD))
        return
    assert signature(db, "a") in (None, pack_signature(minhash_signature(NEW)))  # never the old text's
    monkeypatch.setattr(dupes_store, "minhash_signature", real)
    api.reconcile(db)
    assert signature(db, "a") == pack_signature(minhash_signature(NEW))
