"""The shared key-value store: sessions and login counters that every worker sees, in the database.

Litestar keeps server-side sessions, the login rate limit and the login throttle in a ``Store``. With
``GOVHALL_REDIS_URL`` that is Redis; without it, this store: one table ``store_entry`` (key, value, expires_at),
which every worker process and replica reads, so ``govhall serve --workers N`` needs nothing else.

Reads must stay cheap, since every logged-in request loads its session:

- **A per-worker cache** (``CACHE_SECONDS``) for the namespaces that ask for one (``sessions``). A hit runs no
  statement. What may be stale in it for those seconds is harmless (the session's ``seen`` time); what must not
  be — a session that was deleted (logout, the id rotated at login) — is dropped in every worker before the
  deleting request answers: the delete announces the key on the change bus (``STORE_TOPIC``; PostgreSQL NOTIFY
  in the delete's transaction, acknowledged by every live worker; the SQLite journal, read at the start of each
  request). A deleted key is remembered (``TOMBSTONES``), so a request of that session still in flight in another
  worker cannot write it back. Revoking a user's sessions (disable, password reset) is not a delete: every
  request checks the account, which says since when its sessions are void (from the worker's account cache,
  ``domain/identity/user_cache.py``, which every change of the account drops in every worker).
- **Writes only when something changed**: the session backend writes the session after each request and renews
  its expiry on each read; both are skipped while the value is the cached one and the expiry is less than
  ``RENEW_SLACK`` seconds behind (the idle and absolute timeouts are checked from the session's own times).
- Reads and writes run in autocommit (one statement, no ``BEGIN``/``ROLLBACK`` around it).

Counters (``login_rate_limit``, ``login_throttle``) are not cached: every worker counts on the same rows.
Expired rows are deleted at most every ``PURGE_SECONDS`` by whichever worker writes next.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from advanced_alchemy.types import DateTimeUTC
from litestar.stores.base import NamespacedStore
from sqlalchemy import Column, LargeBinary, String, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from govhall.db.base import Base

if TYPE_CHECKING:
    from typing_extensions import Self

    from govhall.bus import ChangeBus

STORE_TOPIC = "store"
CACHE_SECONDS = 5.0
RENEW_SLACK = 300.0
PURGE_SECONDS = 300.0
TOMBSTONES = 10_000
CACHE_ENTRIES = 50_000
KEY_LENGTH = 255

store_entry = Table(
    "store_entry",
    Base.metadata,
    Column("key", String(KEY_LENGTH), primary_key=True),
    Column("value", LargeBinary, nullable=False),
    Column("expires_at", DateTimeUTC(timezone=True), nullable=True, index=True),
    comment="Shared key-value store (sessions, login counters): not tenant-owned, no row-level security",
)


@dataclass(slots=True)
class _Cached:
    value: bytes
    expires_at: float | None  # epoch seconds
    fetched: float  # monotonic


def _seconds(value: int | timedelta | None) -> float | None:
    if value is None:
        return None
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _epoch(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _when(epoch: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


class StoreState:
    """What the namespaces of one app share: the engine, the bus, the cache and the tombstones."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.bus: ChangeBus | None = None
        self.cache: OrderedDict[str, _Cached] = OrderedDict()
        self.tombstones: OrderedDict[str, None] = OrderedDict()
        self.last_purge = 0.0
        self.statements = 0  # for tests and the bench: statements this worker's store ran

    def connect(self, bus: ChangeBus) -> None:
        """Deletes from other workers (and this one) drop the key here too."""
        self.bus = bus
        bus.subscribe(STORE_TOPIC, self.forget, self.cache.clear)

    def forget(self, key: str) -> None:
        self.cache.pop(key, None)
        self.tombstones[key] = None
        while len(self.tombstones) > TOMBSTONES:
            self.tombstones.popitem(last=False)

    def remember(self, key: str, value: bytes, expires_at: float | None) -> None:
        self.cache[key] = _Cached(value, expires_at, time.monotonic())
        self.cache.move_to_end(key)
        while len(self.cache) > CACHE_ENTRIES:
            self.cache.popitem(last=False)

    async def run(self, statement: Any) -> Any:
        """One statement in autocommit: no transaction around it."""
        self.statements += 1
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            return await conn.execute(statement)

    def upsert(self, key: str, value: bytes, expires_at: float | None) -> Any:
        values = {"key": key, "value": value, "expires_at": _when(expires_at)}
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            pg = pg_insert(store_entry).values(**values)
            return pg.on_conflict_do_update(index_elements=["key"], set_={
                "value": pg.excluded.value, "expires_at": pg.excluded.expires_at})
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        lite = sqlite_insert(store_entry).values(**values)
        return lite.on_conflict_do_update(index_elements=["key"], set_={
            "value": lite.excluded.value, "expires_at": lite.excluded.expires_at})

    async def purge_expired(self) -> int:
        """Delete every expired row (any namespace); returns how many."""
        self.last_purge = time.monotonic()
        result = await self.run(delete(store_entry).where(store_entry.c.expires_at <= datetime.now(UTC)))
        return int(result.rowcount or 0)


class DatabaseStore(NamespacedStore):
    """A Litestar ``Store`` on the ``store_entry`` table; ``cache_seconds`` > 0 keeps hits in this worker."""

    __slots__ = ("cache_seconds", "state")

    def __init__(self, state: StoreState, namespace: str = "govhall", cache_seconds: float = 0.0) -> None:
        self.state = state
        self.namespace = namespace
        self.cache_seconds = cache_seconds

    def with_namespace(self, namespace: str) -> Self:
        return type(self)(self.state, f"{self.namespace}:{namespace}", self.cache_seconds)

    def cached(self, seconds: float) -> Self:
        """The same namespace, with a per-worker cache of ``seconds``."""
        return type(self)(self.state, self.namespace, seconds)

    def _key(self, key: str) -> str:
        full = f"{self.namespace}:{key}"
        if len(full) > KEY_LENGTH:
            raise ValueError("store key too long")
        return full

    def _poll(self) -> None:
        if self.state.bus is not None:
            self.state.bus.poll()

    async def _load(self, full: str) -> _Cached | None:
        now = time.time()
        if self.cache_seconds > 0:
            self._poll()
            hit = self.state.cache.get(full)
            if hit is not None and time.monotonic() - hit.fetched < self.cache_seconds:
                if hit.expires_at is None or hit.expires_at > now:
                    return hit
                self.state.cache.pop(full, None)
                return None
        row = (await self.state.run(select(store_entry.c.value, store_entry.c.expires_at)
                                    .where(store_entry.c.key == full))).first()
        expires_at = _epoch(row.expires_at) if row is not None else None
        if row is None or (expires_at is not None and expires_at <= now):
            self.state.cache.pop(full, None)
            return None
        entry = _Cached(bytes(row.value), expires_at, time.monotonic())
        if self.cache_seconds > 0:
            self.state.remember(full, entry.value, entry.expires_at)
        return entry

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        full = self._key(key)
        entry = await self._load(full)
        if entry is None:
            return None
        renew = _seconds(renew_for)
        if renew and entry.expires_at is not None:
            target = time.time() + renew
            if target - entry.expires_at > RENEW_SLACK:
                await self.state.run(update(store_entry).where(store_entry.c.key == full)
                                     .values(expires_at=_when(target)))
                entry.expires_at = target
        return entry.value

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        full = self._key(key)
        data = value.encode() if isinstance(value, str) else bytes(value)
        if full in self.state.tombstones:
            return  # deleted (logout, rotation) while a request of it was still running: never written back
        seconds = _seconds(expires_in)
        expires_at = time.time() + seconds if seconds else None
        if self.cache_seconds > 0:
            hit = self.state.cache.get(full)
            if hit is not None and hit.value == data and (
                    (expires_at is None and hit.expires_at is None)
                    or (expires_at is not None and hit.expires_at is not None
                        and expires_at - hit.expires_at <= RENEW_SLACK)):
                return  # nothing changed that matters
        await self.state.run(self.state.upsert(full, data, expires_at))
        if self.cache_seconds > 0:
            self.state.remember(full, data, expires_at)
        if time.monotonic() - self.state.last_purge > PURGE_SECONDS:
            await self.state.purge_expired()

    async def delete(self, key: str) -> None:
        full = self._key(key)
        await self._delete(delete(store_entry).where(store_entry.c.key == full), full)

    async def delete_all(self) -> None:
        prefix = f"{self.namespace}:"
        await self._delete(delete(store_entry).where(store_entry.c.key.startswith(prefix, autoescape=True)), "*")

    async def _delete(self, statement: Any, announced: str) -> None:
        bus = self.state.bus
        if self.cache_seconds <= 0 or bus is None:
            await self.state.run(statement)
            if announced == "*":
                self.state.cache.clear()
            else:
                self.state.cache.pop(announced, None)
            return
        # Cached namespaces: every worker drops the key before this request answers.
        self.state.statements += 1
        async with AsyncSession(self.state.engine) as session:
            result: Any = await session.execute(statement)
            if not result.rowcount:  # nothing stored under it (a planted or never-saved id): nothing to announce
                await session.rollback()
                self.state.forget(announced) if announced != "*" else None
                return
            await bus.announce(session, STORE_TOPIC, announced)
            await bus.commit(session)

    async def exists(self, key: str) -> bool:
        return await self._load(self._key(key)) is not None

    async def expires_in(self, key: str) -> int | None:
        entry = await self._load(self._key(key))
        if entry is None or entry.expires_at is None:
            return None
        return int(entry.expires_at - time.time())
