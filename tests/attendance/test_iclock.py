"""The ZKTeco ADMS push protocol through the real HTTP stack: nothing lost, nothing doubled.

The device emulator (``govhall.domain.attendance.emulator``) speaks to the app like a terminal: it keeps its
records until the server answered "OK", retries refused batches, piles up a backlog while offline, and may send
a batch twice.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from govhall.domain.attendance.emulator import PushTerminal
from govhall.domain.attendance.models import DeviceSync
from govhall.tenancy import system_scope
from tests.attendance.conftest import COUNTY, count_punches, inbox, register_terminal, stored

MON = datetime(2026, 3, 2)


def at(hhmm: str, day: datetime = MON) -> datetime:
    h, m = hhmm.split(":")
    return day.replace(hour=int(h), minute=int(m))


async def test_handshake_answers_options(client, county_terminal) -> None:  # type: ignore[no-untyped-def]
    term = PushTerminal(client, county_terminal.serial)
    opts = await term.handshake()
    assert term.answers[-1][0] == 200
    assert term.answers[-1][1].startswith(f"GET OPTION FROM: {county_terminal.serial}")
    assert opts["ATTLOGStamp"] == "0" and opts["Realtime"] == "1" and opts["TimeZone"] == "8"


async def test_batch_is_stored_once_and_mapped_to_staff(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    term = PushTerminal(client, county_terminal.serial)
    await term.handshake()
    for pin, hhmm in [("T001", "08:21"), ("T002", "08:44"), ("T001", "12:02")]:
        term.punch(pin, at(hhmm))
    assert await term.push() == 3
    assert term.answers[-1] == (200, "OK: 3")
    rows = await stored(owner_session, county_terminal.serial)
    assert [(r.pin, r.local_seconds // 60) for r in rows] == [("T001", 8 * 60 + 21), ("T002", 8 * 60 + 44),
                                                              ("T001", 12 * 60 + 2)]
    assert all(r.staff_id is not None and r.work_date.isoformat() == "2026-03-02" for r in rows)
    assert rows[0].punched_at.isoformat() == "2026-03-02T00:21:00+00:00"  # stored in UTC
    assert all(r.verify == 15 and r.status == 0 for r in rows)


async def test_duplicate_batch_changes_nothing(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    term = PushTerminal(client, county_terminal.serial)
    term.punch("T001", at("08:20"))
    term.punch("T002", at("08:25"))
    assert await term.push() == 2
    assert await term.resend_last()  # the terminal missed our "OK" and sends the same batch again
    assert term.answers[-1] == (200, "OK: 2")
    assert await count_punches(owner_session, county_terminal.serial) == 2
    boxes = await inbox(owner_session, county_terminal.serial)
    assert [(b.accepted, b.duplicates) for b in boxes] == [(2, 0), (0, 2)]  # both messages kept as received


async def test_partial_bad_batch_keeps_the_good_lines(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    term = PushTerminal(client, county_terminal.serial)
    term.punch("T001", at("08:10"))
    term.raw_line("T002 2026-03-02 08:11:00")  # spaces instead of tabs
    term.raw_line("T002\t2026-02-30 08:11:00\t0\t1")  # no such date
    term.raw_line("\t2026-03-02 08:12:00\t0\t1")  # no PIN
    term.raw_line("T003\t2026-03-02 08:13:00\tx\t1")  # status not a number
    term.raw_line("T003\t2027-03-02 08:13:00\t0\t1")  # a year in the future: wrong terminal clock
    term.punch("T003", at("08:14"))
    assert await term.push() == 7
    assert term.answers[-1] == (200, "OK: 7")  # delivered: the terminal must not resend bad lines forever
    rows = await stored(owner_session, county_terminal.serial)
    assert [r.pin for r in rows] == ["T001", "T003"]
    box = (await inbox(owner_session, county_terminal.serial))[-1]
    assert (box.lines, box.accepted, box.rejected) == (7, 2, 5)
    assert [(e["index"], e["code"]) for e in box.errors] == [
        (2, "malformed_line"), (3, "bad_time"), (4, "bad_pin"), (5, "bad_field"), (6, "in_future")]
    assert all(e["message"]["zh"] and e["message"]["en"] for e in box.errors)
    assert "T002 2026-03-02" in box.body  # the raw message is kept as received


async def test_unknown_and_revoked_serials_are_refused(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    revoked = await register_terminal(owner_session, demo[COUNTY].id, revoked=True)
    for serial in ("NO-SUCH-SERIAL", revoked.serial, ""):
        term = PushTerminal(client, serial)
        assert await term.handshake() == {}
        term.punch("T001", at("08:00"))
        assert await term.push() == 0
        assert term.backlog == 1  # refused: the terminal keeps the record
        assert {status for status, _ in term.answers} == {403}
        r = await client.get("/iclock/getrequest", params={"SN": serial})
        assert r.status_code == 403
    assert await count_punches(owner_session, revoked.serial) == 0


@pytest.mark.parametrize("fail_at", ["inbox_insert", "commit"])
async def test_replay_after_database_error_stores_exactly_once(client, county_terminal, owner_session,  # type: ignore[no-untyped-def]
                                                               fail_at: str) -> None:
    from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin

    config = client.app.plugins.get(SQLAlchemyPlugin).config
    engine = (config[0] if isinstance(config, (list, tuple)) else config).get_engine().sync_engine
    failures = {"left": 1}

    def before_cursor(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if fail_at == "inbox_insert" and "INSERT INTO attendance_inbox" in statement and failures["left"]:
            failures["left"] -= 1
            raise OperationalError(statement, parameters, Exception("simulated: connection lost"))

    def on_commit(conn):  # type: ignore[no-untyped-def]
        if fail_at == "commit" and failures["left"] and conn.info.get("punch_batch"):
            failures["left"] -= 1
            raise OperationalError("COMMIT", {}, Exception("simulated: commit failed"))

    def mark(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "INSERT INTO attendance_punch" in statement:
            conn.info["punch_batch"] = True

    event.listen(engine, "before_cursor_execute", before_cursor)
    event.listen(engine, "before_cursor_execute", mark)
    event.listen(engine, "commit", on_commit)
    try:
        term = PushTerminal(client, county_terminal.serial)
        for pin, hhmm in [("T001", "08:01"), ("T002", "08:02"), ("T003", "08:03")]:
            term.punch(pin, at(hhmm))
        assert await term.push() == 0  # the server failed: no "OK"
        assert term.answers[-1][0] >= 500 and "OK" not in term.answers[-1][1]
        assert await count_punches(owner_session, county_terminal.serial) == 0  # nothing half-written
        assert await term.push() == 3  # the terminal retries the same batch
        assert term.answers[-1] == (200, "OK: 3")
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor)
        event.remove(engine, "before_cursor_execute", mark)
        event.remove(engine, "commit", on_commit)
    assert await count_punches(owner_session, county_terminal.serial) == 3
    assert [r.accepted for r in await inbox(owner_session, county_terminal.serial)] == [3]


async def test_offline_backlog_and_out_of_order_delivery(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    term = PushTerminal(client, county_terminal.serial, batch_size=4)
    term.punch("T001", at("14:20"))
    assert await term.sync() == 1
    term.offline()
    for hhmm in ("08:05", "08:06", "08:07", "12:01", "12:02", "12:03", "14:25", "18:01", "18:02"):
        term.punch("T002", at(hhmm))
    assert await term.sync() == 0 and term.backlog == 9
    term.online()
    assert await term.sync() == 9  # three batches of at most four
    assert term.backlog == 0
    assert await count_punches(owner_session, county_terminal.serial) == 10
    with system_scope():
        sync = await owner_session.scalar(select(DeviceSync).where(DeviceSync.device_key == county_terminal.serial))
        await owner_session.commit()
    assert sync.received_count == 10 and sync.device_record_count == 10
    assert sync.last_punch_at.isoformat() == "2026-03-02T10:02:00+00:00"  # 18:02 local
    assert sync.synced_until is not None and sync.last_contact_at is not None


async def test_other_tables_are_acknowledged_not_stored(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    r = await client.post("/iclock/cdata", params={"SN": county_terminal.serial, "table": "OPERLOG"},
                          content=b"FP PIN=1\tFID=6\tSize=1184\tValid=1\tTMP=ocoRgY...\n")
    assert (r.status_code, r.text) == (200, "OK")
    assert await inbox(owner_session, county_terminal.serial) == []  # biometric templates stay on the terminal
    r = await client.post("/iclock/devicecmd", params={"SN": county_terminal.serial}, content=b"ID=1&Return=0&CMD=INFO")
    assert (r.status_code, r.text) == (200, "OK")


async def test_a_terminal_writes_only_into_its_own_center(client, city_terminal, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A city terminal sending a county employee number stores an unmapped punch in the city, never in the county."""
    term = PushTerminal(client, city_terminal.serial)
    term.punch("T001", at("08:30"))  # T001 is a county employee number
    assert await term.push() == 1
    (row,) = await stored(owner_session, city_terminal.serial)
    assert row.tenant_id == demo["421100"].id and row.staff_id is None


async def test_nul_characters_never_reach_the_database(client, county_terminal, owner_session) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL text refuses NUL: a line with one is rejected, the raw body is kept with it replaced."""
    body = b"T001\t2026-03-02 08:01:00\t0\t1\tW\x00C\nT0\x0002\t2026-03-02 08:02:00\t0\t1\nT003\t2026-03-02 08:03:00\n"
    r = await client.post("/iclock/cdata", params={"SN": county_terminal.serial, "table": "ATTLOG"}, content=body)
    assert (r.status_code, r.text) == (200, "OK: 3")
    assert [row.pin for row in await stored(owner_session, county_terminal.serial)] == ["T003"]
    box = (await inbox(owner_session, county_terminal.serial))[-1]
    assert [e["code"] for e in box.errors] == ["bad_characters", "bad_characters"]
    assert "\x00" not in box.body and "\ufffd" in box.body
    headers = {"X-Device-Serial": county_terminal.serial, "Authorization": f"Bearer {county_terminal.token}"}
    r = await client.post("/api/devices/punches", headers=headers, json={"punches": [
        {"pin": "T001", "time": "2026-03-02T08:05:00", "workcode": "a\u0000b"}]})
    assert r.status_code == 200 and [x["code"] for x in r.json()["rejected"]] == ["bad_field"]
