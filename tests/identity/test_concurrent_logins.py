"""Eight clerks logging in at the same moment (the 8:30 rush) all get in: no lock errors, no 500s."""

import asyncio
from dataclasses import replace

import httpx
from litestar.testing import AsyncTestClient

from govhall.app import create_app
from tests.conftest import DEMO_PASSWORD

USERS = ["county_admin", "county_chief", "county_duty", "county_clerk", "city_admin", "city_clerk",
         "luotian_admin", "luotian_clerk"]


async def test_concurrent_logins_all_succeed(app_settings, demo) -> None:  # type: ignore[no-untyped-def]
    app = create_app(replace(app_settings, login_rate_per_minute=1000))

    async def one(username: str) -> int:
        # One browser each (own cookie jar), all served by the same app on this event loop.
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
            await c.get("/healthz")
            r = await c.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD},
                             headers={"x-csrftoken": c.cookies.get("csrftoken", "")})
            return r.status_code

    async with AsyncTestClient(app=app):  # runs the app's lifespan (session factory, authorizer)
        assert await asyncio.gather(*(one(u) for u in USERS)) == [200] * len(USERS)
