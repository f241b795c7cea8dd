"""Terminals: a serial number is a weak credential, so it is throttled, tells nothing, and has a second factor by
default (issue 8 item 4).

Before: /iclock answered "unknown serial" and "address refused" differently, registering a serial taken in
another province answered 409 (an oracle across the platform), there was no rate limit (3,000 guesses at
120/s, each writing a log line), and new terminals accepted any address.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from litestar.testing import AsyncTestClient

from govhall.app import create_app
from govhall.domain.devices import throttle as throttle_module
from govhall.domain.devices.network import home_network
from tests.attendance.conftest import COUNTY, count_punches, register_terminal
from tests.conftest import csrf_headers, login


async def test_unknown_revoked_and_refused_serials_get_the_same_answer(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from govhall.domain.devices.models import Device
    from govhall.tenancy import system_scope

    revoked = await register_terminal(owner_session, demo[COUNTY].id, revoked=True)
    refused = await register_terminal(owner_session, demo[COUNTY].id)
    with system_scope():
        await owner_session.execute(update(Device).where(Device.serial_number == refused.serial)
                                    .values(allowed_networks=["10.9.0.0/16"]))
        await owner_session.commit()
    answers = set()
    for serial in (f"ZK{uuid.uuid4().hex[:10]}", revoked.serial, refused.serial):
        for path in ("/iclock/cdata?options=all", "/iclock/getrequest"):
            r = await client.get(f"{path}{'&' if '?' in path else '?'}SN={serial}")
            answers.add((r.status_code, r.text))
    assert len(answers) == 1 and next(iter(answers))[0] == 403


async def test_device_endpoints_are_throttled_per_address_and_per_serial(app_settings, demo, owner_session,
                                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    term = await register_terminal(owner_session, demo[COUNTY].id)
    settings = replace(app_settings, device_rate_per_minute=30, device_serial_rate_per_minute=10)
    async with AsyncTestClient(app=create_app(settings)) as c:
        # guessing serials: after 20 failures from one address, even a good serial waits
        codes = [(await c.get(f"/iclock/getrequest?SN=GUESS{i:05d}")).status_code for i in range(25)]
        assert codes[:20] == [403] * 20 and set(codes[20:]) == {429}
        r = await c.get(f"/iclock/getrequest?SN={term.serial}")
        assert r.status_code == 429 and r.headers["retry-after"] == "60" and r.json()["code"] == "too_many_requests"
    logged: list[dict] = []
    monkeypatch.setattr(throttle_module.log, "warning", lambda event, **kw: logged.append({"event": event, **kw}))
    async with AsyncTestClient(app=create_app(settings)) as c:
        codes = [(await c.get(f"/iclock/getrequest?SN={term.serial}")).status_code for _ in range(12)]
        assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]  # per serial
        r = await c.post("/api/devices/punches", json={"punches": []},
                         headers={"X-Device-Serial": term.serial, "Authorization": f"Bearer {term.token}"})
        assert r.status_code == 429
    assert [x["budget"] for x in logged] == ["serial"]  # one line per window, not one per refused request


async def test_duplicate_serial_check_reveals_nothing_across_tenants(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    other = await register_terminal(owner_session, demo["421100"].id)  # the city's terminal
    await login(client, "county_admin")
    t = demo[COUNTY].id
    r = await client.post(f"/api/t/{t}/devices", json={"serialNumber": other.serial, "name": "同号设备"},
                          headers=csrf_headers(client))
    assert r.status_code == 201, r.text  # the same answer as for any free serial
    mine = r.json()["device"]["id"]
    again = await client.post(f"/api/t/{t}/devices", json={"serialNumber": other.serial, "name": "重复"},
                              headers=csrf_headers(client))
    assert again.status_code == 409 and again.json()["code"] == "duplicate_serial"  # own center only
    # the serial keeps belonging to the earlier registration: the county's copy stays dormant
    body = "T001\t2026-03-02 08:21:00\t0\t15\t0\n"
    r = await client.post(f"/iclock/cdata?SN={other.serial}&table=ATTLOG", content=body.encode())
    assert r.status_code == 200
    assert await count_punches(owner_session, other.serial) == 1
    from sqlalchemy import select

    from govhall.domain.attendance.models import Punch
    from govhall.tenancy import system_scope
    with system_scope():
        tenants = (await owner_session.scalars(select(Punch.tenant_id).where(Punch.device_key == other.serial))).all()
        await owner_session.commit()
    assert tenants == [demo["421100"].id]
    assert mine


async def test_new_terminal_defaults_to_the_admins_network(client, demo) -> None:  # type: ignore[no-untyped-def]
    assert home_network("192.168.8.23") == ["192.168.8.0/24"]
    assert home_network("2001:db8:1:2::7") == ["2001:db8:1:2::/64"]
    assert home_network("::ffff:10.1.2.3") == ["10.1.2.0/24"] and home_network(None) == []
    await login(client, "county_admin")
    t = demo[COUNTY].id
    serial = f"ZK{uuid.uuid4().hex[:10]}"
    r = await client.post(f"/api/t/{t}/devices", json={"serialNumber": serial, "name": "默认", "allowedNetworks": []},
                          headers=csrf_headers(client))
    assert r.status_code == 201 and r.json()["device"]["allowedNetworks"] == []  # explicitly any address
