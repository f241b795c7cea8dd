"""The lean clock-in path (issue 16, "A lean clock-in path"): statements per web clock-in, counted on the app's
own engine, on SQLite and PostgreSQL; and the per-worker caches it reads from follow staff and rule changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import event, select, update

from govhall.clock import set_clock
from govhall.domain.attendance.models import Punch
from govhall.domain.org.models import Staff
from govhall.tenancy import tenant_scope
from tests.attendance.centers import make_center
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login

BASE = "/api/t/{}/attendance"


@contextmanager
def counted(client) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Every statement the app's engine sends while the block runs, BEGIN/COMMIT/ROLLBACK included."""
    engine = client.app.plugins.get("SQLAlchemyPlugin")._config[0].get_engine().sync_engine
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, _params, _ctx, _many):  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split())[:120])

    def on_begin(_conn):  # type: ignore[no-untyped-def]
        seen.append("BEGIN")

    def on_commit(_conn):  # type: ignore[no-untyped-def]
        seen.append("COMMIT")

    def on_rollback(_conn):  # type: ignore[no-untyped-def]
        seen.append("ROLLBACK")

    def on_checkout(_dbapi, _record, _proxy):  # type: ignore[no-untyped-def]
        seen.append("CHECKOUT")

    hooks = [(engine, "before_cursor_execute", on_execute), (engine, "begin", on_begin),
             (engine, "commit", on_commit), (engine, "rollback", on_rollback), (engine.pool, "checkout", on_checkout)]
    for target, name, fn in hooks:
        event.listen(target, name, fn)
    try:
        yield seen
    finally:
        for target, name, fn in hooks:
            event.remove(target, name, fn)


async def _clock_in(client, tenant_id, at: datetime, body=None):  # type: ignore[no-untyped-def]
    set_clock(at)
    return await client.post(BASE.format(tenant_id) + "/clock-in", json=body, headers=csrf_headers(client))


async def test_one_clock_in_is_one_transaction_of_few_statements(client, owner_session, demo, test_db) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, a lean clock-in path: a warm clock-in (rules and the session user cached by the worker) checks out
    one connection and runs one transaction: BEGIN, on PostgreSQL the tenant's RLS setting, one INSERT ... SELECT
    (staff row and the 60-s repeat-click check inside it), COMMIT: 3 statements on SQLite, 4 on PostgreSQL (the
    bare INSERT's count), no ROLLBACK. A repeated click 30 s later inserts nothing and reads the earlier punch
    (2 statements more); a clock-in 5 minutes later is again the lean one. With a cold account cache (a worker
    that never saw this user) the account is read once more, without its password hash."""
    c = await make_center(owner_session, demo)
    client.cookies.clear()
    await login(client, c.users["clerk"])
    assert (await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 20, 0, tzinfo=CST))).status_code == 200  # warm
    with counted(client) as seen:
        r = await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 25, 0, tzinfo=CST))
    assert r.status_code == 200 and r.json()["duplicate"] is False, r.text
    pg = test_db.is_postgres
    expected = ["CHECKOUT", "BEGIN", *(["SELECT set_config"] if pg else []), "INSERT INTO attendance_punch", "COMMIT"]
    assert [x for x in seen if not x.startswith(("SELECT", "INSERT"))] == [
        x for x in expected if not x.startswith(("SELECT", "INSERT"))]
    assert [x.split(" (")[0][:len(e)] for x, e in zip(seen, expected, strict=True)] == expected, seen
    statements = [x for x in seen if x != "CHECKOUT"]
    assert len(statements) == (4 if pg else 3)
    with counted(client) as again:
        r = await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 25, 30, tzinfo=CST))
    assert r.json()["duplicate"] is True and r.json()["time"] == "08:25:00"
    assert again.count("CHECKOUT") == 1 and "ROLLBACK" not in again
    assert len([x for x in again if x != "CHECKOUT"]) == (6 if pg else 5)
    with counted(client) as later:
        r = await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 30, 0, tzinfo=CST))
    assert r.json()["duplicate"] is False and len([x for x in later if x != "CHECKOUT"]) == len(statements)
    client.app.state.session_users.clear()  # a worker that never saw this account: it is read once, then kept
    with counted(client) as cold:
        r = await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 35, 0, tzinfo=CST))
    cold_expected = ["CHECKOUT", "BEGIN", "SELECT user_account", *expected[2:]]
    assert [x.split(" (")[0][:len(e)] for x, e in zip(cold, cold_expected, strict=True)] == cold_expected, cold
    assert "password_hash" not in cold[2]
    with counted(client) as warm:
        r = await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 40, 0, tzinfo=CST))
    assert r.json()["duplicate"] is False and len([x for x in warm if x != "CHECKOUT"]) == len(statements)
    with tenant_scope(c.id):
        times = (await owner_session.scalars(select(Punch.local_seconds).where(Punch.staff_id == c.staff["E001"])
                                             .order_by(Punch.local_seconds))).all()
    assert times == [8 * 3600 + m * 60 for m in (20, 25, 30, 35, 40)]


async def test_clock_in_follows_staff_and_rule_changes_at_once(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """The lean path reads nothing stale. The staff row is read inside the INSERT: a new employee number (E001 ->
    E901) is the next punch's PIN, an account unlinked from its staff record gets 403 no_staff_record. Today's
    rules come from the worker's settings cache (kept by the change bus): the admin saves attendance_rules
    web_clock_in = false through the API and the clerk's very next clock-in is refused 403, true again accepted."""
    from govhall.domain.identity.models import User
    from govhall.packs.cache import ChainCache
    from govhall.tenancy import system_scope

    c = await make_center(owner_session, demo)
    chains: ChainCache = client.app.state.pack_chains

    async def as_user(key: str) -> None:
        client.cookies.clear()
        await login(client, c.users[key])

    await as_user("clerk")
    assert (await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 20, 0, tzinfo=CST))).status_code == 200
    assert c.id in chains  # the rules were resolved through the worker's cache
    with tenant_scope(c.id):
        await owner_session.execute(update(Staff).where(Staff.id == c.staff["E001"]).values(employee_no="E901"))
        await owner_session.commit()
    assert (await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 22, 0, tzinfo=CST))).json()["duplicate"] is False
    with tenant_scope(c.id):
        pins = (await owner_session.scalars(select(Punch.pin).where(Punch.staff_id == c.staff["E001"])
                                            .order_by(Punch.local_seconds))).all()
    assert pins == ["E001", "E901"]
    for enabled, status in ((False, 403), (True, 200)):
        await as_user("admin")
        r = await client.post(f"/api/t/{c.id}/packs/attendance_rules/versions", headers=csrf_headers(client),
                              json={"effectiveFrom": "2026-03-02", "enabled": True,
                                    "overrides": {"web_clock_in": enabled}})
        assert r.status_code == 201, r.text
        assert c.id not in chains  # the save dropped this worker's copy at once
        await as_user("clerk")
        r = await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 24 + 2 * enabled, 0, tzinfo=CST))
        assert r.status_code == status, r.text
        if status == 403:
            assert r.json()["code"] == "web_clock_in_disabled"
    with system_scope():
        await owner_session.execute(update(User).where(User.username == c.users["clerk"]).values(staff_id=None))
        await owner_session.commit()
    r = await _clock_in(client, c.id, datetime(2026, 3, 2, 8, 40, 0, tzinfo=CST))
    assert r.status_code == 403 and r.json()["code"] == "no_staff_record"
    with tenant_scope(c.id):
        assert len((await owner_session.scalars(select(Punch.id).where(Punch.staff_id == c.staff["E001"]))).all()) == 3


async def test_statements_per_terminal_batch(client, owner_session, demo, test_db) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, terminal batches: a JSON batch of 20 punches and an ADMS ATTLOG batch of 20 are one transaction
    on one connection each: the batch's staff, one multi-row INSERT of the punches, the raw inbox row, the
    delivery-state upsert: 6 statements on SQLite, 7 on PostgreSQL (10 before: the device lookup between its two
    narrow-RLS settings now comes from the worker's device cache, kept by the change bus; 11 before that: the
    device row's ``last_seen_at`` is written at most once a minute per terminal, so not on the second batch). A
    worker that does not hold the serial reads it as before. A replayed batch inserts nothing and still names its
    unknown PIN (X999); a revoked terminal is refused from the next batch on."""
    from tests.attendance.conftest import register_terminal

    c = await make_center(owner_session, demo, staff=20)
    term = await register_terminal(owner_session, c.id)
    set_clock(datetime(2026, 3, 2, 9, 0, 0, tzinfo=CST))
    pins = [f"E{i:03d}" for i in range(1, 21)]
    headers = {"X-Device-Serial": term.serial, "Authorization": f"Bearer {term.token}"}

    def batch(minute: int) -> dict:
        return {"punches": [{"pin": p, "time": f"2026-03-02T08:{minute:02d}:{i:02d}"} for i, p in enumerate(pins)]}

    assert (await client.post("/api/devices/punches", json=batch(1), headers=headers)).status_code == 200  # warm
    with counted(client) as seen:
        r = await client.post("/api/devices/punches", json=batch(2), headers=headers)
    assert r.status_code == 200 and r.json()["accepted"] == 20, r.text
    pg = test_db.is_postgres
    expected = ["CHECKOUT", "BEGIN", *(["SELECT set_config"] if pg else []), "SELECT staff",
                "INSERT INTO attendance_punch", "INSERT INTO attendance_inbox", "INSERT INTO attendance_device_sync",
                "COMMIT"]
    assert [x[:len(e)] for x, e in zip(seen, expected, strict=True)] == expected, seen
    body = "".join(f"{p}\t2026-03-02 08:03:{i:02d}\t0\t15\t0\t0\t0\n" for i, p in enumerate(pins))
    with counted(client) as adms:
        r = await client.post(f"/iclock/cdata?SN={term.serial}&table=ATTLOG&Stamp=1", content=body)
    assert r.status_code == 200 and r.text.startswith("OK: 20"), r.text
    assert [x[:len(e)] for x, e in zip(adms, expected, strict=True)] == expected, adms
    assert len(expected) - 1 == (7 if pg else 6)
    client.app.state.devices.clear()  # a worker that does not hold the serial: the lookup as before, then kept
    with counted(client) as cold:
        r = await client.post("/api/devices/punches", json=batch(7), headers=headers)
    cold_expected = ["CHECKOUT", "BEGIN", *(["SELECT set_config"] if pg else []), "SELECT device",
                     *(["SELECT set_config", "SELECT set_config"] if pg else []), *expected[2 + pg:]]
    assert [x[:len(e)] for x, e in zip(cold, cold_expected, strict=True)] == cold_expected, cold
    assert term.serial in client.app.state.devices
    replay = batch(4)
    replay["punches"].append({"pin": "X999", "time": "2026-03-02T08:04:59"})
    first = (await client.post("/api/devices/punches", json=replay, headers=headers)).json()
    again = (await client.post("/api/devices/punches", json=replay, headers=headers)).json()
    assert (first["accepted"], first["unmappedPins"]) == (21, ["X999"])
    assert (again["accepted"], again["duplicates"], again["unmappedPins"]) == (0, 21, ["X999"])
    with tenant_scope(c.id):
        mapped = (await owner_session.scalars(select(Punch.staff_id).where(Punch.device_key == term.serial,
                                                                           Punch.pin == "E005"))).all()
    assert len(mapped) == 5 and set(mapped) == {c.staff["E005"]}
    await login(client, c.users["admin"])
    device_id = (await client.get(f"/api/t/{c.id}/devices")).json()["items"][0]["id"]
    r = await client.post(f"/api/t/{c.id}/devices/{device_id}/revoke", headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    assert term.serial not in client.app.state.devices
    assert (await client.post("/api/devices/punches", json=batch(5), headers=headers)).status_code == 401
    r = await client.post(f"/iclock/cdata?SN={term.serial}&table=ATTLOG&Stamp=1", content=body)
    assert r.status_code == 403
