"""Garbage collection that does not make decisions wait for the long-lived objects of a worker.

A worker holds many long-lived objects: the app, the route table, and one small Casbin enforcer per tenant held
(``govhall.authz.enforcer.Authorizer``, thousands of objects each). CPython's collector still visits them in its
older generations, and a decision that happens to trigger a collection pays for it: one decision's p99 was
60-70 µs with 1,000 or 10,000 tenants held, against about 30 µs after ``gc.freeze()`` (``bench/bench_authz.py``).
So the worker freezes what it holds after startup and after each tenant's policy is loaded (``gc.freeze`` moves
every tracked object into the permanent generation; it costs no traversal).

Frozen objects are never collected: a tenant's enforcer dropped later (evicted from the cache, reloaded after a
role change) and any cyclic garbage frozen with it would stay. So every ``REFREEZE_EVERY`` freezes the worker
unfreezes, collects once in full and freezes again: one full collection per that many tenant loads, where
without freezing the collector runs full collections over everything on its own schedule.
"""

from __future__ import annotations

import gc

REFREEZE_EVERY = 500


class Freezer:
    def __init__(self, refreeze_every: int = REFREEZE_EVERY) -> None:
        self.refreeze_every = refreeze_every
        self.freezes = 0
        self.full_collections = 0

    def freeze(self) -> None:
        """Freeze what the process holds now (after startup, after a tenant's policy load)."""
        self.freezes += 1
        if self.freezes % self.refreeze_every == 0:
            gc.unfreeze()
            gc.collect()
            self.full_collections += 1
        gc.freeze()

    def startup(self) -> None:
        gc.collect()  # what startup left behind is garbage, not something to keep forever
        gc.freeze()
