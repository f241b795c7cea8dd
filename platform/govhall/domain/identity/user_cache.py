"""The session user of each request, kept per worker process and dropped in every worker when the account changes.

Every logged-in request needs its account: is it active, since when are its sessions void (disable, password reset,
password change), its tenant, staff link and name. Reading that row was one statement (a database round trip) in
every request, a fifth of a clock-in's statements on PostgreSQL. This cache keeps the columns ``AuthUser`` needs and
the two revocation columns (never the password hash) by user id, least recently used dropped first.

It is exact, not a time-limited guess. Every change of a ``user_account`` row is seen wherever it is made:

- **ORM changes** (a changed or deleted ``User`` in any session) and **bulk ``UPDATE``/``DELETE``** on the table
  (then every cached account is dropped) are noted by session events in the transaction that makes them.
- **Announcing.** ``commit(session)`` (disable, enable, password reset and change, a returned staff member's
  accounts) commits through the app's change bus (topic ``session_users``, keys = user ids): every live worker has
  applied the notice before the response leaves, as for role changes. Any other commit that changed an account
  (tenants as code, profile edits, a script) still sends the notice inside its transaction (``pg_notify`` on
  PostgreSQL, also from sessions that belong to no app, e.g. the CLI), then appends it to the SQLite journal and
  drops this process's copies after the commit; it does not wait for the peers' acknowledgements.
- **Fail closed.** While the bus is not listening (a lost connection), the cache is not used: every request reads
  its account, as before. A read that overlaps an invalidation is not stored (``generation``), and a session that
  changed accounts reads them from its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from govhall.bus import RowCache, RowWatch
from govhall.domain.identity.models import User
from govhall.domain.identity.sessions import AuthUser

TOPIC = "session_users"
CACHE_KEY = "govhall.session_user_cache"
"""``session.info`` key of the app's cache (the app's session maker puts it into every session)."""
WATCH = RowWatch(TOPIC, User, lambda u: str(u.id) if u.id is not None else None, CACHE_KEY)
"""Every change of a ``user_account`` row, announced (``govhall.bus.RowWatch``); installed on import, so processes
without an app (the CLI) announce their changes too."""
WATCH.install()


@dataclass(frozen=True, slots=True)
class CachedUser:
    user: AuthUser
    is_active: bool
    sessions_valid_after: float | None  # epoch seconds

    def valid_for(self, issued_at: float) -> AuthUser | None:
        """The user, or None when the account is disabled or the session predates its revocation time."""
        if not self.is_active:
            return None
        if self.sessions_valid_after is not None and self.sessions_valid_after > issued_at:
            return None
        return self.user


class SessionUserCache(RowCache):
    """Accounts by id, at most ``size`` (0: nothing is kept)."""

    def __init__(self, size: int) -> None:
        super().__init__(size, WATCH)

    def get(self, user_id: UUID) -> CachedUser | None:
        entry: CachedUser | None = super().get(user_id)
        return entry

    def key_of(self, raw: Any) -> UUID:
        return raw if isinstance(raw, UUID) else UUID(str(raw))

    def fits(self, key: Any, value: Any) -> bool:
        return bool(value.user.id == key)


def session_cache(session: Any) -> SessionUserCache | None:
    """The cache to read through: none for a session without one (CLI, tests), none while the bus is deaf, none
    for a transaction that changed accounts (it must read its own writes and not publish them early)."""
    cache = session.info.get(CACHE_KEY)
    return cache.for_session(session) if cache is not None else None


async def commit(session: Any) -> None:
    """Commit a transaction that changed accounts (disable, password reset or change): every live worker has
    dropped its copy before this returns (through the app's bus; a plain commit without an app)."""
    await WATCH.commit(session)
