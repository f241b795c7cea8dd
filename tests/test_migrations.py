"""Migrations form one line of history and match the models (no table or column left out)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

import govhall.models  # noqa: F401
from govhall.db.base import Base
from govhall.db.migrate import alembic_config


def test_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"merge the migration heads: {heads}"


async def test_migrated_schema_matches_the_models(owner_engine: AsyncEngine) -> None:
    def diff(conn):  # type: ignore[no-untyped-def]
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        return [d for d in compare_metadata(ctx, Base.metadata) if d[0] in ("add_table", "add_column", "remove_table")]

    async with owner_engine.connect() as conn:
        missing = await conn.run_sync(diff)
    assert missing == [], missing
