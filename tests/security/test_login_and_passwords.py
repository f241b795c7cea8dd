"""Lockout, enumeration (issue 8 item 9) and passwords (item 10)."""

from __future__ import annotations

import uuid

import pytest
from litestar.stores.memory import MemoryStore
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.cli import DEMO_PASSWORD
from govhall.domain.identity import services
from govhall.domain.identity.passwords import is_common
from govhall.domain.identity.throttle import (
    ACCOUNT_FREE_FAILURES,
    ACCOUNT_MAX_DELAY,
    PAIR_FAILURES,
    LoginThrottle,
)
from govhall.errors import AppError
from tests.conftest import csrf_headers, login

COUNTY = "421121"


async def _new_account(client, demo) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    await login(client, "county_admin")
    t = demo[COUNTY].id
    username = f"sec_{uuid.uuid4().hex[:8]}"
    r = await client.post(f"/api/t/{t}/users", json={"username": username, "displayName": "安全测试", "roles": ["clerk"]},
                          headers=csrf_headers(client))
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    return username, r.json()["oneTimePassword"], r.json()["user"]["id"]


async def _try(client, username: str, password: str):  # type: ignore[no-untyped-def]
    return await client.post("/api/auth/login", json={"username": username, "password": password},
                             headers=csrf_headers(client))


async def test_known_and_unknown_usernames_get_the_same_answers(client, demo) -> None:  # type: ignore[no-untyped-def]
    """Seven wrong passwords for an existing and for a made-up name: the same statuses, codes and messages."""
    known, _otp, _ = await _new_account(client, demo)
    unknown = f"sec_{uuid.uuid4().hex[:8]}"
    answers = {}
    for name in (known, unknown):
        seq = []
        for _ in range(PAIR_FAILURES + 2):
            r = await _try(client, name, "Wrong#Pass123")
            seq.append((r.status_code, r.json()["code"], r.json()["message"]["zh"].split("，")[0]))
        answers[name] = seq
    assert answers[known] == answers[unknown]
    assert [s for s, _, _ in answers[known]] == [401] * PAIR_FAILURES + [429, 429]
    assert answers[known][-1][1] == "login_throttled"


async def test_a_guesser_does_not_lock_the_owner_out(owner_engine, demo, client) -> None:  # type: ignore[no-untyped-def]
    """Five failures from the guesser's address refuse that address only; the owner, elsewhere, logs in. Many
    addresses slow every attempt on the name down, never for more than ACCOUNT_MAX_DELAY seconds."""
    username, otp, _ = await _new_account(client, demo)
    store = MemoryStore()
    sessions = async_sessionmaker(owner_engine, expire_on_commit=False)
    guesser = LoginThrottle(store, "203.0.113.66")
    for _ in range(PAIR_FAILURES):
        async with sessions() as s:
            with pytest.raises(AppError) as info:
                await services.authenticate(s, username, "Wrong#Pass123", guesser)
            assert info.value.code == "bad_credentials"
    async with sessions() as s:
        with pytest.raises(AppError) as info:
            await services.authenticate(s, username, otp, guesser)  # even the right password: refused there
        assert info.value.code == "login_throttled"
    async with sessions() as s:
        user = await services.authenticate(s, username, otp, LoginThrottle(store, "198.51.100.7"))
        assert user.username == username
    # a distributed guess: one failure from each of many addresses -> a delay that grows, capped
    name = f"sec_{uuid.uuid4().hex[:8]}"
    for i in range(ACCOUNT_FREE_FAILURES):
        async with sessions() as s:
            with pytest.raises(AppError):
                await services.authenticate(s, name, "x", LoginThrottle(store, f"192.0.2.{i}"))
    async with sessions() as s:
        with pytest.raises(AppError) as info:
            await services.authenticate(s, name, "x", LoginThrottle(store, "192.0.2.200"))
    assert info.value.code == "login_throttled"
    assert 0 < info.value.details["retryAfterSeconds"] <= ACCOUNT_MAX_DELAY


async def test_usernames_of_other_tenants_are_not_disclosed(client, demo) -> None:  # type: ignore[no-untyped-def]
    """A center admin learns only "not available" for a name used in another tenant — the same answer as a reserved
    name; a name used in the own center is named as such."""
    await login(client, "county_admin")
    t = demo[COUNTY].id
    answers = {}
    for label, name in (("other tenant", "city_clerk"), ("reserved", "admin"), ("own", "county_clerk")):
        r = await client.post(f"/api/t/{t}/users", json={"username": name, "displayName": "探测"},
                              headers=csrf_headers(client))
        assert r.status_code == 409, r.text
        answers[label] = (r.json()["code"], r.json()["message"]["zh"])
    assert answers["other tenant"] == answers["reserved"] == ("username_unavailable", answers["reserved"][1])
    assert answers["own"][0] == "duplicate_username"


async def test_a_one_time_password_works_for_exactly_one_login(client, demo) -> None:  # type: ignore[no-untyped-def]
    username, otp, _ = await _new_account(client, demo)
    me = await login(client, username, otp)
    assert me["mustChangePassword"] is True
    assert (await client.get(f"/api/t/{demo[COUNTY].id}/attendance/today")).json()["code"] == "password_change_required"
    client.cookies.clear()
    await client.get("/healthz")
    r = await _try(client, username, otp)
    assert r.status_code == 403 and r.json()["code"] == "one_time_password_used"
    assert r.json()["message"]["zh"] and r.json()["message"]["en"]


async def test_the_one_time_password_never_becomes_the_password(client, demo) -> None:  # type: ignore[no-untyped-def]
    username, otp, _ = await _new_account(client, demo)
    await login(client, username, otp)
    r = await client.post("/api/auth/password", json={"currentPassword": otp, "newPassword": otp},
                          headers=csrf_headers(client))
    assert r.status_code == 400
    r = await client.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Own#Secret2026"},
                          headers=csrf_headers(client))
    assert r.status_code == 200
    r = await client.post("/api/auth/password", json={"currentPassword": "Own#Secret2026", "newPassword": otp},
                          headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["code"] == "one_time_password_reuse"
    assert r.json()["fields"][0]["field"] == "newPassword"


async def test_common_passwords_are_refused(client, demo) -> None:  # type: ignore[no-untyped-def]
    """The shipped list (10,000 most common) with look-alike digits and trailing digits/symbols: Passw0rd,
    Password123!, Qwerty123, Admin@2026 and the demo password are refused; a random one is not."""
    for weak in ("Passw0rd", "Password123!", "Qwerty123", "Admin@2026", DEMO_PASSWORD, "P@ssw0rd", "Iloveyou1!"):
        assert is_common(weak), weak
    assert not is_common("Own#Secret2026") and not is_common("zX9#kLm2Qp")
    username, otp, _ = await _new_account(client, demo)
    await login(client, username, otp)
    r = await client.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Passw0rd"},
                          headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["code"] == "common_password"
    field = r.json()["fields"][0]
    assert field["field"] == "newPassword" and field["message"]["zh"] and field["message"]["en"]
