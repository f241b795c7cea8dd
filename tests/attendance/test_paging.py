"""Lists that can grow page on the server and search by name (issue 13): the board and the monthly sheet take
currentPage/pageSize/searchString like the staff and account lists (govhall.paging)."""

from __future__ import annotations

from datetime import datetime

from govhall.clock import set_clock
from tests.attendance.centers import make_center
from tests.attendance.conftest import CST
from tests.conftest import login

BASE = "/api/t/{}/attendance"


async def test_board_pages_and_searches_by_name_while_counting_everyone(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 2, 10, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    client.cookies.clear()
    await login(client, c.users["admin"])
    everyone = (await client.get(BASE.format(c.id) + "/board")).json()
    n = everyone["total"]
    assert n == len(everyone["rows"]) >= 4 and everyone["offset"] == 0
    page = (await client.get(BASE.format(c.id) + "/board", params={"pageSize": 2, "currentPage": 2})).json()
    assert (page["total"], page["limit"], page["offset"], len(page["rows"])) == (n, 2, 2, 2)
    assert [r["staffId"] for r in page["rows"]] == [r["staffId"] for r in everyone["rows"][2:4]]
    assert page["counts"] == everyone["counts"]  # the day's counts cover the whole center, not the page
    found = (await client.get(BASE.format(c.id) + "/board", params={"searchString": "外局"})).json()
    assert [r["name"] for r in found["rows"]] == ["外局员工"] and found["total"] == 1
    by_number = (await client.get(BASE.format(c.id) + "/board", params={"searchString": "x001"})).json()
    assert [r["employeeNo"] for r in by_number["rows"]] == ["X001"]  # employee number, any case


async def test_sheet_pages_and_searches_by_name(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 4, 9, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    client.cookies.clear()
    await login(client, c.users["admin"])
    everyone = (await client.get(BASE.format(c.id) + "/sheet", params={"month": "2026-03"})).json()
    n = everyone["total"]
    assert n == len(everyone["rows"]) >= 4
    page = (await client.get(BASE.format(c.id) + "/sheet",
                             params={"month": "2026-03", "pageSize": 3, "currentPage": 1})).json()
    assert (page["total"], page["limit"], page["offset"], len(page["rows"])) == (n, 3, 0, 3)
    assert page["rows"] == everyone["rows"][:3]  # the same rows, days and totals as in the full sheet
    found = (await client.get(BASE.format(c.id) + "/sheet", params={"month": "2026-03", "searchString": "员工1"})).json()
    assert {r["name"] for r in found["rows"]} == {"员工1"} and found["total"] == 1
    assert found["rows"][0]["days"]["2026-03-02"] == "absence"
    # the export still holds everyone
    xlsx = await client.get(BASE.format(c.id) + "/sheet.xlsx", params={"month": "2026-03", "pageSize": 1})
    assert xlsx.status_code == 200


async def test_page_size_is_bounded(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 2, 10, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    client.cookies.clear()
    await login(client, c.users["admin"])
    for bad in ({"pageSize": 0}, {"pageSize": 100000}, {"currentPage": 0}, {"pageSize": "x"}):
        r = await client.get(BASE.format(c.id) + "/board", params=bad)
        assert r.status_code in (200, 400), (bad, r.status_code)


async def test_board_keeps_only_the_state_asked_for(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    set_clock(datetime(2026, 3, 2, 10, 0, tzinfo=CST))
    c = await make_center(owner_session, demo)
    client.cookies.clear()
    await login(client, c.users["admin"])
    everyone = (await client.get(BASE.format(c.id) + "/board")).json()
    state = everyone["rows"][0]["state"]
    only = (await client.get(BASE.format(c.id) + "/board", params={"state": state})).json()
    assert {r["state"] for r in only["rows"]} == {state} and only["total"] == everyone["counts"][state]
    assert only["counts"] == everyone["counts"]
    assert (await client.get(BASE.format(c.id) + "/board", params={"state": "nonsense"})).status_code == 400
