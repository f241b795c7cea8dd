"""Migrations form one line of history and match the models (no table or column left out)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

import govhall.models  # noqa: F401
from govhall.db.base import Base
from govhall.db.migrate import alembic_config


def test_one_base_and_every_head_upgraded() -> None:
    """Domain branches may add heads (``govhall db upgrade`` runs all heads, docs/CONVENTIONS.md); they all grow
    from the one base. (Was: exactly one head — several branches now land migrations after 0006 in parallel.)"""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_bases() == ["0001_core"], script.get_bases()
    assert script.get_heads(), "no head"


async def test_migrated_schema_matches_the_models(owner_engine: AsyncEngine) -> None:
    def diff(conn):  # type: ignore[no-untyped-def]
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        return [d for d in compare_metadata(ctx, Base.metadata) if d[0] in ("add_table", "add_column", "remove_table")]

    async with owner_engine.connect() as conn:
        missing = await conn.run_sync(diff)
    assert missing == [], missing
