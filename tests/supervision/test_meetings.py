"""Monthly meetings (例会): the day from the rules and the work calendar, sign-in by code, and late / absent as
violation records (000 篇七 工作制度 一.2-3, 一.6; 十一(一)5 例会迟到早退 0.5 分、旷会 1 分)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from govhall.clock import set_clock
from govhall.domain.assessment.models import ViolationRecord
from govhall.tenancy import tenant_scope
from tests.attendance.conftest import CST
from tests.conftest import csrf_headers, login
from tests.supervision.conftest import BASE, patrol_center


async def post(client, url, body=None):  # type: ignore[no-untyped-def]
    return await client.post(url, json=body, headers=csrf_headers(client))


async def test_the_meeting_day_moves_past_a_holiday(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """每月3日…遇节假日时间顺延: April 2026's meeting is on Friday the 3rd; May 3rd 2026 falls in the Labour Day
    holiday (1-5 May), so May's meeting is on Wednesday the 6th."""
    c = await patrol_center(owner_session, demo)
    await login(client, c.users["clerk"])
    april = (await client.get(BASE.format(c.id) + "/meeting?month=2026-04")).json()
    assert (april["day"], april["moved"], april["code"]) == ("2026-04-03", False, None)
    may = (await client.get(BASE.format(c.id) + "/meeting?month=2026-05")).json()
    assert (may["day"], may["nominalDay"], may["moved"]) == ("2026-05-06", "2026-05-03", True)


async def test_sign_in_by_code_and_the_close_records_late_and_absent(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """Friday 2026-04-03 at 08:30: 员工1 signs in with the room's code at 08:28 (present), 员工2 at 08:40 (late);
    员工3 never comes. Closing records 例会迟到 (0.5) for 员工2 and 旷会 (1) for 员工3, source meeting; a wrong code
    is refused; closing twice is refused."""
    c = await patrol_center(owner_session, demo)
    url = BASE.format(c.id) + "/meeting"
    set_clock(datetime(2026, 4, 3, 8, 20, tzinfo=CST))
    await login(client, c.users["duty"])
    opened = await post(client, url, {"month": "2026-04"})
    assert opened.status_code == 201, opened.text
    mid, code = opened.json()["id"], opened.json()["code"]
    assert len(code) == 6 and (await post(client, url, {"month": "2026-04"})).status_code == 409
    await login(client, c.users["clerk"])
    assert (await client.get(url + "?month=2026-04")).json()["code"] is None
    set_clock(datetime(2026, 4, 3, 8, 28, tzinfo=CST))
    wrong = await post(client, f"{url}/{mid}/sign-in", {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_code"
    assert (await post(client, f"{url}/{mid}/sign-in", {"code": code})).json()["signedIn"] is True
    set_clock(datetime(2026, 4, 3, 8, 40, tzinfo=CST))
    await login(client, c.users["clerk2"])
    assert (await post(client, f"{url}/{mid}/sign-in", {"code": code})).status_code == 200
    set_clock(datetime(2026, 4, 3, 10, 0, tzinfo=CST))
    await login(client, c.users["duty"])
    closed = await post(client, f"{url}/{mid}/close")
    assert closed.status_code == 200, closed.text
    by_name = {x["name"]: x["status"] for x in closed.json()["attendees"]}
    assert by_name == {"员工1": "present", "员工2": "late", "员工3": "absent"}
    with tenant_scope(c.id):
        recs = {(r.staff_id, r.kind, r.source) for r in (await owner_session.scalars(select(ViolationRecord))).all()}
    assert recs == {(c.staff["E002"], "meeting_late", "meeting"), (c.staff["E003"], "meeting_absent", "meeting")}
    assert (await post(client, f"{url}/{mid}/close")).status_code == 409
