"""The pipeline pauses the cyclic garbage collector while a document is processed and restores it after,
in every thread, whatever the caller had set (karavan/gc_pause.py)."""

from __future__ import annotations

import gc
import threading

import pytest

from karavan.doc import Doc
from karavan.gc_pause import gc_paused
from karavan.pipeline import process


@pytest.fixture
def collector():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_pipeline_gc_paused_inside_and_restored_after(collector, enabled: bool) -> None:
    gc.enable() if enabled else gc.disable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: still paused when the inner one ends
            pass
        assert not gc.isenabled()
    assert gc.isenabled() == enabled


@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_pipeline_gc_restored_after_an_error(collector, enabled: bool) -> None:
    gc.enable() if enabled else gc.disable()
    with pytest.raises(ZeroDivisionError), gc_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled() == enabled


def test_pipeline_gc_paused_until_the_last_thread_is_done(collector) -> None:
    gc.enable()
    inside, leave = threading.Event(), threading.Event()

    def hold() -> None:
        with gc_paused():
            inside.set()
            leave.wait(10)

    other = threading.Thread(target=hold)
    other.start()
    inside.wait(10)
    with gc_paused():
        pass
    assert not gc.isenabled()  # the other thread is still inside
    leave.set()
    other.join(10)
    assert gc.isenabled()


def test_pipeline_gc_process_restores_the_collector(collector) -> None:
    gc.enable()
    done = process(
        Doc("gc", "Товарооборот Казахстана и Таджикистана в 2023 году составил 1,1 млрд долларов.")
    )
    assert done.facts and gc.isenabled()
