"""The worker's account cache (``govhall.domain.identity.user_cache``): a warm request reads no account, and every
change of an account, however it is made, reaches the cache before the next request; a deaf bus turns it off."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from sqlalchemy import select, update

from govhall.domain.identity.models import User
from govhall.domain.identity.user_cache import CachedUser, SessionUserCache, session_cache
from govhall.tenancy import system_scope
from tests.conftest import login


async def _uid(owner_session, username: str):  # type: ignore[no-untyped-def]
    with system_scope():
        return await owner_session.scalar(select(User.id).where(User.username == username))


async def test_orm_and_bulk_changes_of_an_account_reach_the_cache_at_once(client, owner_session) -> None:  # type: ignore[no-untyped-def]
    """Changes made outside the app (a script's session, here the test's own) drop the app's copy at once: an ORM
    change of the account (disabled) and a bulk UPDATE (sessions revoked) each make the very next request 401;
    enabling it again needs a new login, which is served from the cache afterwards."""
    cache: SessionUserCache = client.app.state.session_users
    await login(client, "luotian_clerk")
    uid = await _uid(owner_session, "luotian_clerk")
    assert uid in cache  # the login warmed it
    hits = cache.hits
    assert (await client.get("/api/auth/me")).status_code == 200
    assert cache.hits == hits + 1

    with system_scope():
        user = await owner_session.get(User, uid)
        user.display_name = "罗田窗口（改名）"
        await owner_session.commit()
    assert uid not in cache
    assert (await client.get("/api/auth/me")).json()["displayName"] == "罗田窗口（改名）"

    with system_scope():
        user = await owner_session.get(User, uid)
        user.is_active = False
        await owner_session.commit()
    assert (await client.get("/api/auth/me")).status_code == 401
    with system_scope():
        await owner_session.execute(update(User).where(User.id == uid).values(is_active=True))
        await owner_session.commit()
    await login(client, "luotian_clerk")
    assert (await client.get("/api/auth/me")).status_code == 200
    with system_scope():
        await owner_session.execute(update(User).where(User.id == uid).values(sessions_valid_after=datetime.now(UTC)))
        await owner_session.commit()
    assert len(cache) == 0  # a bulk statement names no rows: everything is dropped
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_disable_through_the_api_is_refused_at_once(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A center admin disables a clerk whose account this worker holds: the clerk's next request is 401."""
    from tests.conftest import csrf_headers

    uid = await _uid(owner_session, "luotian_clerk")
    tid = (await login(client, "luotian_clerk"))["tenant"]["id"]
    assert (await client.get("/api/auth/me")).status_code == 200
    assert uid in client.app.state.session_users
    clerk = dict(client.cookies.items())
    client.cookies.clear()
    await login(client, "luotian_admin")
    r = await client.post(f"/api/t/{tid}/users/{uid}/disable", headers=csrf_headers(client))
    assert r.status_code in (200, 204), r.text
    assert uid not in client.app.state.session_users
    admin = dict(client.cookies.items())
    client.cookies.clear()
    for name, value in clerk.items():
        client.cookies.set(name, value, domain="testserver.local")
    assert (await client.get("/api/auth/me")).status_code == 401
    client.cookies.clear()
    for name, value in admin.items():
        client.cookies.set(name, value, domain="testserver.local")
    r = await client.post(f"/api/t/{tid}/users/{uid}/enable", headers=csrf_headers(client))
    assert r.status_code in (200, 204), r.text


class _DeafBus:
    listening = False

    def subscribe(self, *_args: object) -> None:
        pass


def test_a_deaf_bus_turns_the_cache_off() -> None:
    """Fail closed: while the bus is not listening, every request reads its account from the database."""
    from uuid import uuid4

    from govhall.domain.identity.sessions import AuthUser

    cache = SessionUserCache(10)

    S = SimpleNamespace(info={"govhall.session_user_cache": cache})  # a session, as far as the cache looks

    assert session_cache(S) is cache
    cache.connect(_DeafBus())  # type: ignore[arg-type]  # a stand-in with the two members the cache uses
    assert session_cache(S) is None
    uid = uuid4()
    user = AuthUser(uid, uuid4(), "x", "x", False, False, None)
    stale = cache.generation
    cache.forget(uuid4())
    cache.put(uid, CachedUser(user, True, None), stale)  # a read that overlapped an invalidation is not kept
    assert uid not in cache
    assert CachedUser(user, True, 10.0).valid_for(5.0) is None and CachedUser(user, False, None).valid_for(5.0) is None
