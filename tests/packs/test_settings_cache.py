"""The per-worker cache of settings chains (``govhall.packs.cache``): a cached tenant resolves without SQL, a save
drops the chains of the tenant and every tenant below it at once, a future-dated version applies on its date
without any invalidation, and one tenant's chain is never served for another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from govhall.packs import cache as chain_cache
from govhall.packs.cache import CACHE_KEY, ChainCache, Entry
from govhall.packs.services import (
    Actor,
    enabled_hooks,
    hooks_by_span,
    load_chain,
    resolved_settings,
    save_version,
)
from govhall.tenancy import tenant_scope
from tests.packs.conftest import make_tree

ADMIN = Actor(None, "test")
JAN = dt.date(2026, 1, 1)


@contextmanager
def sql_log(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every statement the engine sends while the block runs."""
    statements: list[str] = []

    def on_execute(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", on_execute)


def sessions_with(engine: AsyncEngine, cache: ChainCache) -> async_sessionmaker[AsyncSession]:
    """Sessions that read through ``cache``, as the app's sessions do."""
    return async_sessionmaker(engine, expire_on_commit=False, info={CACHE_KEY: cache})


async def _save(session, tenant, *, on=JAN, overrides=None, enabled=True, locks=()):  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        await save_version(session, tenant.id, "probe", effective_from=on, enabled=enabled, overrides=overrides or {},
                           locks=list(locks), actor=ADMIN, can_lock=True, allow_past=True)
        await chain_cache.commit(session)


async def test_a_second_resolution_for_the_same_tenant_issues_no_sql(probe, tree, owner_session, app_engine) -> None:  # type: ignore[no-untyped-def]
    await _save(owner_session, tree.province, enabled=False, overrides={"a": 10})
    await _save(owner_session, tree.township, overrides={"b": "town"})
    cache = ChainCache(16)
    async with sessions_with(app_engine, cache)() as s:
        with tenant_scope(tree.township.id):
            with sql_log(app_engine) as first:
                settings = await resolved_settings(s, tree.township.id, "probe", JAN)
            with sql_log(app_engine) as second:
                again = await resolved_settings(s, tree.township.id, "probe", JAN)
                later = await resolved_settings(s, tree.township.id, "probe", dt.date(2026, 7, 1))
                hooks = await enabled_hooks(s, tree.township.id, JAN)
                spans = await hooks_by_span(s, tree.township.id, JAN, dt.date(2026, 1, 31))
                chain = await load_chain(s, tree.township.id, {"probe"})
    assert (settings.a, settings.b) == (10, "town") and again is settings and later.a == 10
    assert "probe" in hooks.enabled and len(spans) == 1 and len(chain.levels) == 4
    assert len(first) >= 5  # the tenant path, then one read per level (province, city, county, township)
    assert second == []
    async with sessions_with(app_engine, cache)() as other:  # another request of the same worker
        with tenant_scope(tree.township.id), sql_log(app_engine) as third:
            assert (await resolved_settings(other, tree.township.id, "probe", JAN)).b == "town"
    assert third == [] and cache.hits >= 6


async def test_a_province_change_drops_the_cached_chains_below_it_and_no_others(probe, owner_session, owner_engine) -> None:  # type: ignore[no-untyped-def]
    tree, elsewhere = await make_tree(owner_session), await make_tree(owner_session)
    cache = ChainCache(16)
    async with sessions_with(owner_engine, cache)() as s:
        await _save(s, tree.township, overrides={"d": True})
        for t in (*tree.levels, elsewhere.county):
            await resolved_settings(s, t.id, "probe", JAN)
        assert all(t.id in cache for t in (*tree.levels, elsewhere.county))

        await _save(s, tree.city, enabled=False, overrides={"a": 20})
        assert tree.province.id in cache and elsewhere.county.id in cache  # above and beside: untouched
        assert not any(t.id in cache for t in (tree.city, tree.county, tree.township))
        assert (await resolved_settings(s, tree.township.id, "probe", JAN)).a == 20
        assert (await resolved_settings(s, elsewhere.county.id, "probe", JAN)).a == 1


async def test_a_future_version_applies_on_its_date_from_the_cached_chain(probe, tree, owner_engine) -> None:  # type: ignore[no-untyped-def]
    """What is cached is the chain of versions, not today's settings: resolving a date is a pure function of it."""
    cache = ChainCache(16)
    june = dt.date(2026, 6, 1)
    async with sessions_with(owner_engine, cache)() as s:
        await _save(s, tree.county, overrides={"a": 3})
        await _save(s, tree.county, on=june, overrides={"a": 4})
        assert (await resolved_settings(s, tree.county.id, "probe", JAN)).a == 3
        with sql_log(owner_engine) as statements:
            assert (await resolved_settings(s, tree.county.id, "probe", june - dt.timedelta(days=1))).a == 3
            assert (await resolved_settings(s, tree.county.id, "probe", june)).a == 4
    assert statements == []


async def test_one_tenants_chain_is_never_served_for_another(probe, tree, owner_engine) -> None:  # type: ignore[no-untyped-def]
    cache = ChainCache(16)
    async with sessions_with(owner_engine, cache)() as s:
        await _save(s, tree.county, overrides={"a": 3})
        await _save(s, tree.township, overrides={"a": 4, "b": "town"})
        county = await resolved_settings(s, tree.county.id, "probe", JAN)
        township = await resolved_settings(s, tree.township.id, "probe", JAN)
        assert (county.a, county.b, township.a, township.b) == (3, "default", 4, "town")
        county_chain = cache.get(tree.county.id).chain  # type: ignore[union-attr]
        assert county_chain.tenant.tenant_id == tree.county.id
        assert cache.get(tree.township.id).chain.tenant.tenant_id == tree.township.id  # type: ignore[union-attr]
        # Storing a chain under another tenant's key is refused; one that got there anyway is never served.
        with pytest.raises(ValueError):
            cache.put(tree.township.id, county_chain, cache.generation)
        cache._entries[tree.township.id] = Entry(county_chain)
        assert cache.get(tree.township.id) is None
        assert (await resolved_settings(s, tree.township.id, "probe", JAN)).b == "town"


async def test_a_session_that_saves_reads_its_own_transaction_and_a_rollback_keeps_the_cache(probe, tree, owner_engine) -> None:  # type: ignore[no-untyped-def]
    cache = ChainCache(16)
    async with sessions_with(owner_engine, cache)() as s:
        await _save(s, tree.county, overrides={"a": 3})
        assert (await resolved_settings(s, tree.county.id, "probe", JAN)).a == 3
        with tenant_scope(tree.county.id):
            await save_version(s, tree.county.id, "probe", effective_from=JAN, enabled=True, overrides={"a": 9},
                               actor=ADMIN, can_lock=True, allow_past=True)
            assert (await resolved_settings(s, tree.county.id, "probe", JAN)).a == 9  # uncommitted, its own
            await s.rollback()
        assert tree.county.id in cache  # nothing was committed: nothing to drop
        assert (await resolved_settings(s, tree.county.id, "probe", JAN)).a == 3


def test_the_cache_keeps_the_most_recently_used_tenants() -> None:
    from uuid import uuid4

    from govhall.packs.resolve import Chain, ChainLevel

    cache = ChainCache(2)
    ids = [uuid4() for _ in range(3)]
    for i in ids:
        cache.put(i, Chain((ChainLevel(i, "t", "county"),)), cache.generation)
        cache.get(ids[0])
    assert ids[0] in cache and ids[1] not in cache and ids[2] in cache and len(cache) == 2
    stale = cache.generation
    cache.forget_subtree(ids[2])
    cache.put(ids[2], Chain((ChainLevel(ids[2], "t", "county"),)), stale)  # read before the invalidation
    assert ids[2] not in cache
    assert len(ChainCache(0).put(ids[1], Chain((ChainLevel(ids[1], "t", "county"),)), 0).chain.levels) == 1
