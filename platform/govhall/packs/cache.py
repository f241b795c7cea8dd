"""The settings chains of tenants, kept per worker process and dropped in every worker the moment a version is
saved at the tenant or above it.

What is kept is the chain (the tenant and its ancestors with *all* their settings versions), never "the rules
of today": resolving for a date stays a pure function of the chain, so a version saved earlier with a future
effective date applies on its date without any invalidation. Values computed from a chain (resolved settings
per pack and date) are kept with it and go with it.

Invalidation travels on the ``ChangeBus`` (``govhall.bus``) under the topic ``pack_settings``; a
notice names the tenant whose version was saved, and every cached chain that contains that tenant (the
tenant itself and every tenant below it) is dropped. A session that wrote settings reads them from its own
transaction and never fills the cache; a load that overlaps an invalidation is not stored (``generation``).
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from uuid import UUID, uuid4

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from govhall.bus import CHANNEL, ChangeBus, message
from govhall.packs.resolve import Chain

TOPIC = "pack_settings"
CACHE_KEY = "govhall.pack_chain_cache"
"""``session.info`` key of the app's cache (the app's session maker puts it into every session)."""
WRITTEN_KEY = "govhall.pack_settings_written"
"""``session.info`` key: tenants whose settings this session's transaction changed."""
DERIVED_PER_TENANT = 16
"""Values computed from one chain (per pack and date); beyond this they are recomputed from scratch."""

T = TypeVar("T")


class Entry:
    __slots__ = ("chain", "derived")

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.derived: dict[Hashable, Any] = {}

    def derive(self, key: Hashable, compute: Callable[[Chain], T]) -> T:
        """``compute(chain)``, kept with the chain: it must be a pure function of the chain."""
        try:
            return self.derived[key]
        except KeyError:
            pass
        value = compute(self.chain)
        if len(self.derived) >= DERIVED_PER_TENANT:
            self.derived.clear()
        self.derived[key] = value
        return value


class ChainCache:
    """Least-recently-used chains by tenant id, at most ``size`` tenants (0: nothing is kept)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[UUID, Entry] = OrderedDict()
        self.generation = 0
        """Bumped by every invalidation; a load stores its chain only if none happened while it read."""
        self.bus: ChangeBus | None = None
        self.hits = 0
        self.misses = 0
        _CACHES.add(self)
        _install_session_events()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, tenant_id: object) -> bool:
        return tenant_id in self._entries

    def connect(self, bus: ChangeBus) -> None:
        """Take invalidations from ``bus`` (every worker's saves) and announce this worker's saves on it."""
        self.bus = bus
        bus.subscribe(TOPIC, self.forget_subtree, self.clear)

    @property
    def usable(self) -> bool:
        """Not while the bus is not listening: notices sent meanwhile would be missed."""
        return self.size > 0 and (self.bus is None or self.bus.listening)

    def get(self, tenant_id: UUID) -> Entry | None:
        entry = self._entries.get(tenant_id)
        if entry is None or entry.chain.tenant.tenant_id != tenant_id:  # never another tenant's chain
            self.misses += 1
            return None
        self._entries.move_to_end(tenant_id)
        self.hits += 1
        return entry

    def put(self, tenant_id: UUID, chain: Chain, generation: int) -> Entry:
        """Keep ``chain`` unless an invalidation happened since ``generation`` was read (then the chain may
        predate a save; it is still right for the caller's own request, so it is returned either way)."""
        if chain.tenant.tenant_id != tenant_id:
            raise ValueError("the chain of another tenant")
        entry = Entry(chain)
        if generation == self.generation and self.size > 0:
            self._entries[tenant_id] = entry
            self._entries.move_to_end(tenant_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry

    def forget_subtree(self, tenant_id: UUID | str) -> None:
        """Drop the chains that contain ``tenant_id``: its own and those of every tenant below it."""
        self.generation += 1
        if str(tenant_id) == "*":
            self._entries.clear()
            return
        try:
            tid = tenant_id if isinstance(tenant_id, UUID) else UUID(str(tenant_id))
        except ValueError:  # an unreadable notice: drop everything rather than guess
            self._entries.clear()
            return
        for key in [k for k, e in self._entries.items() if any(lv.tenant_id == tid for lv in e.chain.levels)]:
            del self._entries[key]

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


_CACHES: weakref.WeakSet[ChainCache] = weakref.WeakSet()


def forget(tenant_id: UUID | None = None) -> None:
    """Drop cached chains in every cache of this process: for settings written by a session that does not
    belong to an app (the CLI, tests), whose commit the app's caches cannot see."""
    for cache in list(_CACHES):
        if tenant_id is None:
            cache.clear()
        else:
            cache.forget_subtree(tenant_id)


def session_cache(session: Any) -> ChainCache | None:
    """The cache to read through for this session: none when the session has none (CLI, tests) or when its
    transaction changed settings (it must see its own writes, and must not publish them before they commit)."""
    info = session.info
    cache = info.get(CACHE_KEY)
    if cache is None or info.get(WRITTEN_KEY) or not cache.usable:
        return None
    return cache


def mark_written(session: Any, tenant_id: UUID) -> None:
    session.info.setdefault(WRITTEN_KEY, set()).add(tenant_id)


# A commit however it is made (the bus's, Advanced Alchemy's autocommit, a plain ``session.commit()``) drops this
# process's own copies at once; other processes hear it from the bus.


def _after_commit(session: Session) -> None:
    written = session.info.pop(WRITTEN_KEY, None)
    cache = session.info.get(CACHE_KEY)
    if written and cache is not None:
        for tenant_id in written:
            cache.forget_subtree(tenant_id)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:  # the outermost transaction: nothing it wrote was committed
        session.info.pop(WRITTEN_KEY, None)


_installed: list[bool] = []


def _install_session_events() -> None:
    if not _installed:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
        _installed.append(True)


# ---- announcing and committing a save ---------------------------------------------------------------------


async def announce(session: AsyncSession, tenant_id: UUID) -> None:
    """Within the transaction that saves a version of ``tenant_id``: read settings uncached from now on, and tell
    every worker when it commits. Without an app (CLI, tests) on PostgreSQL the notice still goes out, so
    running servers drop their copies when, say, ``govhall demo`` saves settings."""
    mark_written(session, tenant_id)
    cache = session.info.get(CACHE_KEY)
    if cache is not None and cache.bus is not None:
        await cache.bus.announce(session, TOPIC, tenant_id)
    elif session.get_bind().dialect.name == "postgresql":
        payload = message(TOPIC, [str(tenant_id)], uuid4().hex, "no-app")
        await session.execute(select(func.pg_notify(CHANNEL, payload)))


async def commit(session: AsyncSession) -> None:
    """Commit a save: through the app's bus when there is one (this worker drops its copies at once and the
    response waits until the notice is on its way to every other worker), else a plain commit."""
    cache = session.info.get(CACHE_KEY)
    if cache is not None and cache.bus is not None:
        await cache.bus.commit(session)
    else:
        await session.commit()
