"""A small ZKTeco ADMS ("iclock" push) terminal emulator, for tests, benchmarks and trying the server by hand.

It behaves like a terminal that keeps its records until the server acknowledged them:

- ``punch(...)`` records a punch in the terminal's memory (nothing is sent);
- ``push()`` uploads the undelivered records in ``ATTLOG`` batches; a batch counts as delivered only when the
  server answered 200 with ``OK``; on any other answer or a network error the terminal keeps the batch and
  sends it again on the next ``push()`` (as real terminals do after ``ErrorDelay``);
- ``offline()`` / ``online()``: while offline nothing is sent and records pile up (the backlog);
- ``resend_last()`` sends the last delivered batch once more (a terminal that missed the "OK");
- ``heartbeat()`` polls ``getrequest`` with the ``INFO`` record count.

The client is any ``httpx.AsyncClient``-like object (Litestar's ``AsyncTestClient`` in tests).

Dev command: ``python -m govhall.domain.attendance.emulator --url http://127.0.0.1:8000 --serial SN --pins T001,T002``
pushes one working day of four punches per PIN (today, in the terminal's local time).
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

OK_PREFIX = "OK"


@dataclass(frozen=True, slots=True)
class AttRecord:
    pin: str
    at: datetime
    """Local wall-clock time (naive), as the terminal's clock shows it."""
    status: int = 0
    verify: int = 15
    workcode: str = "0"

    def line(self) -> str:
        return f"{self.pin}\t{self.at:%Y-%m-%d %H:%M:%S}\t{self.status}\t{self.verify}\t{self.workcode}\t0\t0"


@dataclass
class PushTerminal:
    client: Any
    serial: str
    batch_size: int = 100
    firmware: str = "Ver 6.60 Apr 28 2011"
    records: list[AttRecord] = field(default_factory=list)
    delivered: int = 0
    """Records[:delivered] were acknowledged by the server."""
    is_online: bool = True
    last_batch: list[AttRecord] = field(default_factory=list)
    answers: list[tuple[int, str]] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)

    # ---- the terminal's own memory ----------------------------------------------------------------------

    def punch(self, pin: str, at: datetime, status: int = 0, verify: int = 15) -> AttRecord:
        rec = AttRecord(pin, at.replace(tzinfo=None, microsecond=0), status, verify)
        self.records.append(rec)
        return rec

    def raw_line(self, line: str) -> None:
        """Store an arbitrary (possibly malformed) line, as a broken firmware might."""
        self.records.append(_RawLine(line))  # type: ignore[arg-type]  # a malformed line on purpose, where records hold punches

    @property
    def backlog(self) -> int:
        return len(self.records) - self.delivered

    def offline(self) -> None:
        self.is_online = False

    def online(self) -> None:
        self.is_online = True

    # ---- protocol ---------------------------------------------------------------------------------------

    async def handshake(self) -> dict[str, str]:
        r = await self.client.get("/iclock/cdata", params={"SN": self.serial, "options": "all", "pushver": "2.4.1",
                                                           "language": "83"})
        self.answers.append((r.status_code, r.text))
        if r.status_code != 200:
            return {}
        opts: dict[str, str] = {}
        for line in r.text.splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                opts[k.strip()] = v.strip()
        self.options = opts
        return opts

    async def _send(self, batch: list[AttRecord]) -> bool:
        body = "\n".join(rec.line() for rec in batch) + "\n"
        try:
            r = await self.client.post("/iclock/cdata", params={"SN": self.serial, "table": "ATTLOG", "Stamp": "9999"},
                                       content=body.encode(), headers={"Content-Type": "text/plain"})
        except Exception as exc:
            self.answers.append((0, repr(exc)))
            return False
        self.answers.append((r.status_code, r.text))
        return r.status_code == 200 and r.text.startswith(OK_PREFIX)

    async def push(self) -> int:
        """Upload everything undelivered, batch by batch; stop at the first refused batch. Returns records delivered."""
        if not self.is_online:
            return 0
        sent = 0
        while self.delivered < len(self.records):
            batch = self.records[self.delivered:self.delivered + self.batch_size]
            if not await self._send(batch):
                break
            self.last_batch = batch
            self.delivered += len(batch)
            sent += len(batch)
        return sent

    async def resend_last(self) -> bool:
        """The server's "OK" got lost: the same batch arrives again."""
        return await self._send(self.last_batch)

    async def heartbeat(self) -> str:
        if not self.is_online:
            return ""
        info = f"{self.firmware},1,0,{len(self.records)},127.0.0.1,10,7,15,0,111"
        r = await self.client.get("/iclock/getrequest", params={"SN": self.serial, "INFO": info})
        self.answers.append((r.status_code, r.text))
        return r.text if r.status_code == 200 else ""

    async def sync(self) -> int:
        """What a terminal does every few seconds when online: push the queue, then poll for commands."""
        n = await self.push()
        if self.backlog == 0:
            await self.heartbeat()
        return n


@dataclass(frozen=True, slots=True)
class _RawLine:
    text: str

    def line(self) -> str:
        return self.text


def working_day(pins: list[str], day: date, sessions: list[tuple[str, str]] | None = None,
                jitter_minutes: int = 8) -> list[tuple[str, datetime]]:
    """Four punches per PIN around the sessions' starts and ends (for the dev command and benches)."""
    sessions = sessions or [("08:30", "12:00"), ("14:30", "18:00")]
    out = []
    for i, pin in enumerate(pins):
        j = timedelta(minutes=(i * 7) % (2 * jitter_minutes + 1) - jitter_minutes)
        for start, end in sessions:
            out.append((pin, datetime.combine(day, time.fromisoformat(start)) - timedelta(minutes=10) + j))
            out.append((pin, datetime.combine(day, time.fromisoformat(end)) + timedelta(minutes=5) + j))
    return sorted(out, key=lambda x: x[1])


async def _main(url: str, serial: str, pins: list[str], day: date) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        term = PushTerminal(client, serial)
        print("handshake:", await term.handshake() or term.answers[-1])
        for pin, at in working_day(pins, day):
            term.punch(pin, at)
        print("delivered:", await term.push(), "backlog:", term.backlog)
        print("duplicate batch accepted:", await term.resend_last())
        print("heartbeat:", await term.heartbeat())
        for status, text in term.answers:
            print(f"  {status} {text.strip()[:60]}")


if __name__ == "__main__":  # pragma: no cover - a dev tool
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--serial", required=True)
    ap.add_argument("--pins", required=True, help="comma-separated PINs (employee numbers)")
    ap.add_argument("--day", default=date.today().isoformat())
    a = ap.parse_args()
    asyncio.run(_main(a.url, a.serial, [p.strip() for p in a.pins.split(",") if p.strip()], date.fromisoformat(a.day)))
