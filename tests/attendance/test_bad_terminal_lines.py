"""One bad terminal line never blocks the queue (issue 8 item 5).

A punch whose instant lies outside the years any time zone can hold, a ``syncedUntil`` likewise, counters
beyond 32 bits: each is refused or ignored on its own with a reason, and the good punches of the same batch are
stored. Before, each of these answered 500 on every resend, so the terminal never delivered its good punches.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from govhall.domain.attendance.emulator import PushTerminal
from govhall.domain.attendance.models import DeviceSync
from govhall.tenancy import system_scope
from tests.attendance.conftest import count_punches, stored


def _headers(term) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"X-Device-Serial": term.serial, "Authorization": f"Bearer {term.token}"}


async def test_json_batch_out_of_range_instants_are_refused_per_line(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    batch = {"punches": [
        {"pin": "T001", "time": "2026-03-02T08:21:00"},
        {"pin": "T002", "time": "0001-01-01T00:00:00+14:00"},  # no UTC instant in year 1
        {"pin": "T002", "time": "9999-12-31T23:59:59-12:00"},  # past year 9999 in UTC
        {"pin": "T003", "time": "0001-01-01T00:00:00"},
        {"pin": "T003", "time": "2026-03-02T08:31:00"},
    ], "syncedUntil": "0001-01-01T00:00:00+14:00"}
    for _ in range(2):  # the terminal's resend is answered the same way
        r = await client.post("/api/devices/punches", json=batch, headers=_headers(county_terminal))
        assert r.status_code == 200, r.text
        body = r.json()
        assert [(x["index"], x["code"]) for x in body["rejected"]] == [(1, "bad_time"), (2, "bad_time"),
                                                                        (3, "bad_time")]
        assert body["ignored"][0]["field"] == "syncedUntil" and body["ignored"][0]["message"]["zh"]
    assert await count_punches(owner_session, county_terminal.serial) == 2


async def test_counters_beyond_32_bits_are_bounded_in_the_schema(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    url = "/api/devices/punches"
    r = await client.post(url, json={"punches": [{"pin": "T001", "time": "2026-03-02T08:21:00"}],
                                     "pending": 2**31}, headers=_headers(county_terminal))
    assert r.status_code == 400, r.text
    assert r.json()["fields"][0]["field"] == "pending"
    r = await client.post(url, json={"punches": [{"pin": "T001", "time": "2026-03-02T08:21:00"}],
                                     "pending": 2**31 - 1}, headers=_headers(county_terminal))
    assert r.status_code == 200 and r.json()["accepted"] == 1
    schema = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    batch = next(v for k, v in schema.items() if k.endswith("DevicePunchBatch"))
    pending = batch["properties"]["pending"]
    limits = [pending.get("maximum"), *(x.get("maximum") for x in pending.get("oneOf", []))]
    assert 2**31 - 1 in limits


async def test_adms_heartbeat_counter_above_int32_and_bad_stamp(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    serial = county_terminal.serial
    r = await client.get(f"/iclock/getrequest?SN={serial}&INFO=Ver%208.0.4,10,5,{2**31},192.168.1.20")
    assert r.status_code == 200 and r.text == "OK"
    r = await client.get(f"/iclock/getrequest?SN={serial}&INFO=Ver%208.0.4%00x,10,5,{2**40},1")
    assert r.status_code == 200 and r.text == "OK"
    r = await client.get(f"/iclock/getrequest?SN={serial}&INFO=Ver%208.0.4,10,5,1234,1")
    assert r.status_code == 200
    with system_scope():
        sync = await owner_session.scalar(select(DeviceSync).where(DeviceSync.device_key == serial))
        await owner_session.commit()
    assert sync.device_record_count == 1234

    term = PushTerminal(client, serial)
    term.punch("T001", datetime(2026, 3, 2, 8, 21))
    body = "T001\t2026-03-02 08:21:00\t0\t15\t0\nT002\t0001-01-01 00:00:00\t0\t15\t0\nT003\t9999-12-31 23:59:59\t0\t1\n"
    r = await client.post(f"/iclock/cdata?SN={serial}&table=ATTLOG&Stamp=1%002", content=body.encode())
    assert r.status_code == 200 and r.text == "OK: 3"
    rows = await stored(owner_session, serial)
    assert [(p.pin, p.work_date.isoformat()) for p in rows] == [("T001", "2026-03-02")]
