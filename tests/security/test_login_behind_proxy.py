"""Login throttling behind an Ingress (issue 9): the buckets key on the client address that the trusted proxies
name (``GOVHALL_TRUSTED_PROXIES``), so two users behind the same proxy do not share one; a forged
``X-Forwarded-For`` from an untrusted peer still counts as the peer itself."""

from __future__ import annotations

import uuid
from dataclasses import replace

import httpx

from govhall.domain.identity.throttle import PAIR_FAILURES
from tests.attendance.test_device_networks import serving

RATE = 4  # GOVHALL_LOGIN_RATE_PER_MINUTE for these tests


async def _logins(url: str, xff: str | None, username: str, n: int) -> list[int]:
    headers = {"X-Forwarded-For": xff} if xff is not None else {}
    out = []
    async with httpx.AsyncClient(base_url=url, headers=headers) as http:
        await http.get("/healthz")
        for _ in range(n):
            r = await http.post("/api/auth/login", json={"username": username, "password": "Wrong#Pass123"},
                                headers={"x-csrftoken": http.cookies.get("csrftoken") or ""})
            out.append(r.status_code)
    return out


async def test_two_clients_behind_the_proxy_get_separate_request_buckets(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    settings = replace(app_settings, trusted_proxies=("127.0.0.1",), login_rate_per_minute=RATE)
    async with serving(settings) as url:  # the test client plays the Ingress at 127.0.0.1
        # client A uses up its requests per minute (the rate limiter answers 429 past RATE)
        a = await _logins(url, "10.20.0.1", f"a_{uuid.uuid4().hex[:8]}", RATE + 1)
        assert a[-1] == 429 and 429 not in a[:RATE]
        # client B, behind the same proxy, still has its own bucket
        b = await _logins(url, "10.20.0.2", f"b_{uuid.uuid4().hex[:8]}", 1)
        assert b == [401]


async def test_two_clients_behind_the_proxy_get_separate_name_and_address_buckets(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    settings = replace(app_settings, trusted_proxies=("127.0.0.1",), login_rate_per_minute=100)
    name = f"victim_{uuid.uuid4().hex[:8]}"
    async with serving(settings) as url:
        a = await _logins(url, "10.20.0.1", name, PAIR_FAILURES + 1)
        assert a == [401] * PAIR_FAILURES + [429]  # the guesser is refused for this name
        assert await _logins(url, "10.20.0.2", name, 1) == [401]  # another client of the same center is not


async def test_without_trusted_proxies_a_forwarded_header_changes_nothing(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    settings = replace(app_settings, trusted_proxies=(), login_rate_per_minute=RATE)
    async with serving(settings) as url:
        a = await _logins(url, "10.20.0.1", f"a_{uuid.uuid4().hex[:8]}", RATE)
        assert 429 not in a
        # a different forged address: still the same peer, the same (now empty) bucket
        assert await _logins(url, "10.20.0.2", f"b_{uuid.uuid4().hex[:8]}", 1) == [429]
