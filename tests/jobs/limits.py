"""Small sync limits for a test (the requests over them answer 409 use_background_job), and waiting for a job."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from govhall.jobs import runner


def small_limits(monkeypatch: pytest.MonkeyPatch, **sizes: int) -> None:
    """The given sync limits (``SyncLimits`` fields) for this test; usually small, so that a 409 is easy to reach."""
    monkeypatch.setitem(runner._limits, "sync", replace(runner.sync_limits(), **sizes))


async def wait_job(client: Any, tenant: Any, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """The job's answer once it is done or failed (or after ``timeout`` seconds, whatever its state)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        r = await client.get(f"/api/t/{tenant}/jobs/{job_id}")
        assert r.status_code == 200, r.text
        if r.json()["state"] in ("done", "failed") or loop.time() > deadline:
            return dict(r.json())
        await asyncio.sleep(0.2)
