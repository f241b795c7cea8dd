"""The attendance clock: real time, or, only when ``GOVHALL_ENV=test``, a chosen starting instant that then runs on.

``GOVHALL_TEST_NOW=2026-03-02T08:10:00+08:00`` makes the server believe it started at that instant (the e2e suite
uses it to clock in "at 08:10" whatever the real time); tests call ``set_clock``. Outside the test environment
the variable is ignored.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

_base: tuple[datetime, float] | None = None


def set_clock(at: datetime | None) -> None:
    """From now on the clock reads ``at`` and runs on from there (None: real time). Tests only."""
    global _base
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    _base = (at, time.monotonic()) if at is not None else None


def _from_env() -> None:
    raw = os.environ.get("GOVHALL_TEST_NOW", "").strip()
    if raw and os.environ.get("GOVHALL_ENV", "dev") == "test":
        set_clock(datetime.fromisoformat(raw))


_from_env()


def utcnow() -> datetime:
    if _base is None:
        return datetime.now(UTC)
    start, mono = _base
    return (start + timedelta(seconds=time.monotonic() - mono)).astimezone(UTC)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_now(tz: str) -> datetime:
    return utcnow().astimezone(zone(tz))


def local_today(tz: str) -> date:
    return local_now(tz).date()
