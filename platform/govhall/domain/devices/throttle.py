"""Throttling of the terminal endpoints (``/iclock/*``, ``/api/devices/punches``), per worker process.

Three budgets per minute, each a sliding window over the last 60 s:

- per client address (GOVHALL_DEVICE_RATE_PER_MINUTE, default 600: a hall's terminals behind one NAT address
  heartbeat every 10 s and push each punch at once);
- per serial number (GOVHALL_DEVICE_SERIAL_RATE_PER_MINUTE, default 240);
- failed authentications per client address (unknown, revoked or refused serials, wrong tokens): 20.

A request over budget gets 429 with ``Retry-After``; a terminal keeps its records and sends them again later, so
nothing is lost. Only the first refusal of a window is logged (a guessing run does not write a log line per
guess). The counters are per worker process: with N workers the budgets are N times as large.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

from litestar.exceptions import TooManyRequestsException

from govhall.log import get_logger

log = get_logger(__name__)

WINDOW = 60.0
FAILURES_PER_MINUTE = 20
MAX_KEYS = 50_000


class DeviceThrottle:
    def __init__(self, per_address: int, per_serial: int, failures: int = FAILURES_PER_MINUTE) -> None:
        self.limits = {"address": per_address, "serial": per_serial, "failures": failures}
        self._hits: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._logged: dict[tuple[str, str], float] = {}

    def _count(self, kind: str, key: str, now: float, add: bool) -> int:
        k = (kind, key)
        hits = self._hits.get(k)
        if hits is None:
            if not add:
                return 0
            hits = self._hits[k] = deque()
            while len(self._hits) > MAX_KEYS:
                self._hits.popitem(last=False)
        self._hits.move_to_end(k)
        while hits and hits[0] <= now - WINDOW:
            hits.popleft()
        if add:
            hits.append(now)
        return len(hits)

    def _refuse(self, kind: str, key: str, now: float) -> TooManyRequestsException:
        if now - self._logged.get((kind, key), 0.0) >= WINDOW:
            self._logged[(kind, key)] = now
            if len(self._logged) > MAX_KEYS:
                self._logged.clear()
            log.warning("device_throttled", budget=kind, key=key[:64], limit=self.limits[kind])
        return TooManyRequestsException(detail="Too many requests", headers={"Retry-After": str(int(WINDOW))})

    def check(self, address: str | None, serial: str) -> None:
        """Count one request; raise 429 when its address, its serial or its address's failures are over budget."""
        now = time.monotonic()
        addr = address or "unknown"
        if self._count("failures", addr, now, add=False) >= self.limits["failures"]:
            raise self._refuse("failures", addr, now)
        if self._count("address", addr, now, add=True) > self.limits["address"]:
            raise self._refuse("address", addr, now)
        if serial and self._count("serial", serial[:64], now, add=True) > self.limits["serial"]:
            raise self._refuse("serial", serial[:64], now)

    def failed(self, address: str | None) -> None:
        """Count a failed authentication from ``address``."""
        self._count("failures", address or "unknown", time.monotonic(), add=True)
