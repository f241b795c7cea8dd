"""Terminal address allow-lists, through a real server on a real socket (uvicorn on 127.0.0.1).

A ZKTeco ADMS terminal proves itself by serial number only; a device record may therefore carry the networks
it is allowed to connect from. The peer address of the TCP connection decides; X-Forwarded-For is believed only
from proxies listed in GOVHALL_TRUSTED_PROXIES (empty by default), walking the hops from the right.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest
import uvicorn
from sqlalchemy import select, update

from govhall.app import create_app
from govhall.domain.attendance.emulator import PushTerminal
from govhall.domain.devices.models import Device
from govhall.tenancy import system_scope
from tests.attendance.conftest import CITY, COUNTY, NOW, count_punches, register_terminal
from tests.conftest import csrf_headers, login

REFUSED = "device_address_refused"


@asynccontextmanager
async def serving(settings) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """The app under uvicorn on a free 127.0.0.1 port, in this event loop; the clients below connect over TCP."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), lifespan="on", log_config=None, access_log=False,
                                           proxy_headers=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(1000):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        assert server.started, "the server did not start"
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def _allow(session, serial: str, networks: list[str]) -> None:  # type: ignore[no-untyped-def]
    with system_scope():
        await session.execute(update(Device).where(Device.serial_number == serial).values(allowed_networks=networks))
        await session.commit()


async def _last_seen(session, serial: str):  # type: ignore[no-untyped-def]
    with system_scope():
        seen = await session.scalar(select(Device.last_seen_at).where(Device.serial_number == serial)
                                    .execution_options(populate_existing=True))
        await session.commit()
    return seen


class _Lines(logging.Handler):
    """The guard's structlog lines (event dicts), caught on its own logger: the app owns the root handlers."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.events: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, dict) and record.msg.get("event") == REFUSED:
            self.events.append(record.msg)


@pytest.fixture
def refusals() -> Iterator[list[dict]]:
    logger, handler = logging.getLogger("govhall.domain.attendance.device_auth"), _Lines()
    logger.addHandler(handler)
    yield handler.events
    logger.removeHandler(handler)


async def test_allow_list_is_checked_against_the_socket_peer(app_settings, demo, owner_session,
                                                            refusals) -> None:  # type: ignore[no-untyped-def]
    term_dev = await register_terminal(owner_session, demo[COUNTY].id)
    async with serving(app_settings) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            term = PushTerminal(http, term_dev.serial)
            # no allow-list: any address, as before
            assert await term.handshake() and term.answers[-1][0] == 200

            # an allow-list without 127.0.0.1: refused with the reason, nothing stored, the terminal keeps it
            await _allow(owner_session, term_dev.serial, ["10.0.0.0/8", "192.168.8.0/24"])
            seen_before = await _last_seen(owner_session, term_dev.serial)
            assert await term.handshake() == {}
            status, body = term.answers[-1]
            # answered exactly like an unknown serial (issue 8 item 4; the reason and address go to the log)
            assert status == 403 and REFUSED not in body and "unknown_device" in body
            term.punch("T001", NOW.replace(hour=8, minute=20))
            assert await term.push() == 0 and term.backlog == 1
            assert await count_punches(owner_session, term_dev.serial) == 0
            assert await _last_seen(owner_session, term_dev.serial) == seen_before  # a refused terminal is not "seen"
            assert refusals and refusals[-1]["serial"] == term_dev.serial
            assert (refusals[-1]["address"], refusals[-1]["peer"]) == ("127.0.0.1", "127.0.0.1")
            assert refusals[-1]["tenant_id"] == str(demo[COUNTY].id)

        # a forged X-Forwarded-For from an untrusted peer changes nothing
        async with httpx.AsyncClient(base_url=url, headers={"X-Forwarded-For": "10.1.2.3",
                                                            "X-Real-IP": "10.1.2.3"}) as spoof:
            forged = PushTerminal(spoof, term_dev.serial)
            assert await forged.handshake() == {} and forged.answers[-1][0] == 403

        # the terminal's real network allowed: delivered
        await _allow(owner_session, term_dev.serial, ["127.0.0.0/8"])
        async with httpx.AsyncClient(base_url=url) as http:
            term.client = http
            assert await term.push() == 1 and term.answers[-1] == (200, "OK: 1")
    assert await count_punches(owner_session, term_dev.serial) == 1


async def test_forwarded_for_counts_only_behind_a_trusted_proxy(app_settings, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    term_dev = await register_terminal(owner_session, demo[COUNTY].id)
    await _allow(owner_session, term_dev.serial, ["10.20.0.0/16"])
    settings = replace(app_settings, trusted_proxies=("127.0.0.1",))  # the test client plays the proxy
    async with serving(settings) as url:
        async def handshake(xff: str | None) -> int:
            headers = {"X-Forwarded-For": xff} if xff is not None else {}
            async with httpx.AsyncClient(base_url=url, headers=headers) as http:
                r = await http.get("/iclock/cdata", params={"SN": term_dev.serial, "options": "all"})
                return r.status_code

        assert await handshake("10.20.3.4") == 200  # the proxy names a client inside the allow-list
        assert await handshake(None) == 403  # no header: the proxy itself is the client
        # the client wrote the left part; the proxy appended the real address on the right
        assert await handshake("10.20.3.4, 198.51.100.7") == 403
        assert await handshake("198.51.100.7, 10.20.3.4") == 200
        assert await handshake("not-an-address") == 403


async def test_json_endpoint_checks_the_address_after_the_token(app_settings, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    term_dev = await register_terminal(owner_session, demo[COUNTY].id)
    await _allow(owner_session, term_dev.serial, ["10.0.0.0/8"])
    batch = {"punches": [{"pin": "T001", "time": "2026-03-03T08:21:00"}], "pending": 0}
    async with serving(app_settings) as url, httpx.AsyncClient(base_url=url) as http:
        wrong = {"X-Device-Serial": term_dev.serial, "Authorization": f"Bearer {term_dev.token}x"}
        r = await http.post("/api/devices/punches", json=batch, headers=wrong)
        assert r.status_code == 401 and REFUSED not in r.text  # a stranger learns nothing about the allow-list
        right = {"X-Device-Serial": term_dev.serial, "Authorization": f"Bearer {term_dev.token}"}
        r = await http.post("/api/devices/punches", json=batch, headers=right)
        assert r.status_code == 403 and r.json()["code"] == REFUSED, r.text
        assert r.json()["message"]["zh"] and "127.0.0.1" in r.json()["message"]["en"]
    assert await count_punches(owner_session, term_dev.serial) == 0


async def test_center_admin_edits_the_allow_list(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    county, city = demo[COUNTY].id, demo[CITY].id
    mine = await register_terminal(owner_session, county)
    theirs = await register_terminal(owner_session, city)
    await login(client, "county_admin")
    url = f"/api/t/{county}/devices/{mine.id}"
    r = await client.patch(url, json={"allowedNetworks": ["10.1.2.3", " 192.168.1.77/24", "2001:db8::/32", ""]},
                           headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    assert r.json()["allowedNetworks"] == ["10.1.2.3/32", "192.168.1.0/24", "2001:db8::/32"]
    r = await client.patch(url, json={"allowedNetworks": ["10.1.2.300"]}, headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["fields"][0]["field"] == "allowedNetworks"
    audit = (await client.get(f"/api/t/{county}/audit", params={"pageSize": 5})).json()["items"]
    change = next(a for a in audit if a["action"] == "device.update" and a["targetId"] == str(mine.id))
    assert change["details"]["before"]["allowed_networks"] == []
    assert change["details"]["after"]["allowed_networks"] == ["10.1.2.3/32", "192.168.1.0/24", "2001:db8::/32"]
    r = await client.patch(url, json={"allowedNetworks": []}, headers=csrf_headers(client))
    assert r.json()["allowedNetworks"] == []  # back to any address
    listed = (await client.get(f"/api/t/{county}/devices")).json()["items"]
    assert any(d["id"] == str(mine.id) and d["allowedNetworks"] == [] for d in listed)

    # another center's terminal: not through its URL, not through the own URL with its id
    body = {"allowedNetworks": ["0.0.0.0/0"]}
    assert (await client.patch(f"/api/t/{city}/devices/{theirs.id}", json=body,
                               headers=csrf_headers(client))).status_code == 403
    assert (await client.patch(f"/api/t/{county}/devices/{theirs.id}", json=body,
                               headers=csrf_headers(client))).status_code == 404
    await login(client, "county_clerk")
    assert (await client.patch(url, json=body, headers=csrf_headers(client))).status_code == 403
