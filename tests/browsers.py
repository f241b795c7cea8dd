"""Several logged-in browsers on one test client: each has its own cookie jar, swapped in per request.

A second AsyncTestClient on the same app would run it in another event loop, which the PostgreSQL pool
does not allow; swapping jars keeps everything on one loop.
"""

from __future__ import annotations

from typing import Any

import httpx

from govhall.cli import DEMO_PASSWORD


class Browser:
    def __init__(self, client: Any) -> None:
        self.client, self.jar = client, httpx.Cookies()

    async def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        mine, self.client.cookies = self.client.cookies, self.jar
        try:
            if method not in ("GET", "HEAD", "OPTIONS") and (token := self.client.cookies.get("csrftoken")):
                kw.setdefault("headers", {})
                kw["headers"] = {"x-csrftoken": token, **kw["headers"]}
            return await self.client.request(method, url, **kw)
        finally:
            self.jar, self.client.cookies = httpx.Cookies(self.client.cookies), mine

    async def get(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("GET", url, **kw)

    async def post(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("POST", url, **kw)

    async def login(self, username: str, password: str = DEMO_PASSWORD) -> dict[str, Any]:
        await self.get("/healthz")
        r = await self.post("/api/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        return r.json()
