"""Login throttling that slows guessing without locking the owner out, and says the same for every name.

Three counters, all keyed by the *typed* username (known or not, so the answers cannot tell which names exist):

- per client address (``GOVHALL_LOGIN_RATE_PER_MINUTE``, the rate-limit middleware in ``app.py``);
- per (username, address): after ``PAIR_FAILURES`` wrong passwords that address is refused for that name for
  ``PAIR_BLOCK_SECONDS``. The owner, at their own address, is not affected; a password reset by an admin lifts
  the block at once (a block older than the account's last reset is ignored);
- per username, any address (a guesser with many addresses): after ``ACCOUNT_FREE_FAILURES`` failures every
  further attempt must wait a delay that doubles per failure, capped at ``ACCOUNT_MAX_DELAY`` seconds. It
  never locks anyone out for longer than that cap, and a successful login clears it.

Counters live in the app's store (Redis with ``GOVHALL_REDIS_URL``, shared by every worker; else per process).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from typing import Any

from govhall.errors import AppError

PAIR_FAILURES = 5
PAIR_BLOCK_SECONDS = 15 * 60
ACCOUNT_FREE_FAILURES = 10
ACCOUNT_MAX_DELAY = 60.0
WINDOW_SECONDS = 60 * 60


def too_many(seconds: float) -> AppError:
    minutes = max(1, math.ceil(seconds / 60))
    return AppError(
        "login_throttled",
        f"尝试次数过多，请 {minutes} 分钟后再试；忘记密码请联系中心管理员重置",
        f"Too many attempts; try again in {minutes} min, or ask your center admin to reset your password",
        status=429, details={"retryAfterSeconds": math.ceil(seconds)},
    )


@dataclass
class LoginThrottle:
    store: Any  # litestar.stores.base.Store
    address: str

    @staticmethod
    def _name(username: str) -> str:
        return username.strip().lower()[:64]

    def _keys(self, username: str) -> tuple[str, str]:
        name = self._name(username)
        return f"acct:{name}", f"pair:{name}:{self.address}"

    async def _read(self, key: str) -> dict[str, float]:
        raw = await self.store.get(key)
        return json.loads(raw) if raw else {}

    async def check(self, username: str, *, reset_at: float | None = None) -> None:
        """Raise 429 if this attempt must wait. ``reset_at``: the account's last password reset (epoch s), if any."""
        now = time.time()
        acct_key, pair_key = self._keys(username)
        pair = await self._read(pair_key)
        if pair.get("until", 0) > now and not (reset_at and reset_at > pair.get("since", 0)):
            raise too_many(pair["until"] - now)
        acct = await self._read(acct_key)
        if acct.get("next", 0) > now:
            raise too_many(acct["next"] - now)

    async def failed(self, username: str, *, reset_at: float | None = None) -> None:
        now = time.time()
        acct_key, pair_key = self._keys(username)
        pair = await self._read(pair_key)
        if pair.get("until", 0) > now and reset_at and reset_at > pair.get("since", 0):
            pair = {}  # a block lifted by a reset: count afresh
        if pair.get("until", 0) <= now:
            n = int(pair.get("n", 0)) + 1
            pair = {"n": 0, "since": now, "until": now + PAIR_BLOCK_SECONDS} if n >= PAIR_FAILURES else {"n": n}
            await self.store.set(pair_key, json.dumps(pair), expires_in=PAIR_BLOCK_SECONDS)
        acct = await self._read(acct_key)
        n = int(acct.get("n", 0)) + 1
        delay = 0.0 if n < ACCOUNT_FREE_FAILURES else min(ACCOUNT_MAX_DELAY, 2.0 ** (n - ACCOUNT_FREE_FAILURES))
        await self.store.set(acct_key, json.dumps({"n": n, "next": now + delay}), expires_in=WINDOW_SECONDS)

    async def succeeded(self, username: str) -> None:
        for key in self._keys(username):
            await self.store.delete(key)
