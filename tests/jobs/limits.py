"""Small sync limits for a test: the requests over them answer 409 use_background_job."""

from __future__ import annotations

from dataclasses import replace

import pytest

from govhall.jobs import runner


def small_limits(monkeypatch: pytest.MonkeyPatch, **sizes: int) -> None:
    monkeypatch.setitem(runner._limits, "sync", replace(runner.sync_limits(), **sizes))
