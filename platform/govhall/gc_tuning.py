"""Garbage collection that does not make requests wait for what a worker holds from its start.

``gc.freeze()`` moves every object the collector tracks into a permanent generation that collections no longer
visit. A worker freezes once, after startup (the app, the route table, the models, the pack plugins): what it
builds later stays collectable.

Measured (``bench/bench_authz.py``, in-process): with 1,000 or 10,000 tenants' Casbin enforcers held, one decision's
p99 was 60-70 µs unfrozen and about 30 µs after freezing them. The app does *not* freeze after each tenant's
policy load, although that is where the figure comes from: a freeze also freezes whatever garbage exists at that
moment, and frozen garbage is never freed. In the test suite (many apps in one process) freezing at every app
start kept the earlier apps' pooled PostgreSQL connections alive until the app role ran out of connections, and an
explicit ``gc.collect()`` before freezing made the change bus's watcher miss its connection's termination (its
30-s heartbeat still finds it). Freezing per load needs a collection first, which is the pause it is meant to
avoid; see the README's Performance section.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_frozen: list[bool] = []


def freeze_after_startup() -> None:
    """Freeze what the process holds, once per process (a test process starts many apps)."""
    if not _frozen:
        gc.freeze()
        _frozen.append(True)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic collector held off for one batch (a center's month close or in-memory evaluation): it allocates
    some 100k short-lived objects that reference counting frees anyway, and the collections they trigger (a full
    one among them, over the whole process heap, with the GIL held) cost up to a third of the batch and stall the
    event loop even when the batch runs in a worker thread. Resumed, with one young-generation collection, when
    the batch ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
            gc.collect(0)
