"""Serialising check-then-insert: a transaction-scoped lock on a name, held until commit or rollback.

PostgreSQL: ``pg_advisory_xact_lock`` on a 64-bit hash of the name (other names are not blocked). SQLite: a no-op
write as the transaction's first write makes it the single writer before it reads (the pysqlite driver starts
the transaction at the first write; reads before it run outside it), so a second request waits for the first
to commit and then reads what it wrote. Take the lock before the read that the check depends on.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession


async def lock_name(session: AsyncSession, name: str) -> None:
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(name, 0))))
    else:
        await session.execute(text("UPDATE tenant SET name = name WHERE 1 = 0"))
