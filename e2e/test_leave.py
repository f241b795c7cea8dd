"""Leave end to end (请销假): two centers route the same 2-day personal leave through their own chains, from the
clerk's request in the browser (the substitute confirming in the app where the rules refuse leave without cover) to
请假 with the 顶岗 line on the duty board; an approved leave shows as 请假 (with its type) on the
monthly sheet; a leave not closed by its deadline becomes a day of absence.

The server of this module runs with ``GOVHALL_TEST_NOW=2026-03-02T07:50:00+08:00`` (Monday, before work) on its
own database. ``govhall demo`` made the demo centers' past leave through the real workflow: 王芳 (city) had a
full-day leave on 2026-02-10, closed in time, and a half-day leave on 2026-02-13 that nobody closed by the next
working day (2026-02-14, an adjusted workday), which the city's rules (000 篇七 工作制度 十一(一)3) count as a day of
absence.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import date_input, login, tenant_url

# the module starts its own server (migrate, demo with the leave workflow): slow on a loaded machine
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]

NOW = "2026-03-02T07:50:00+08:00"
SHOTS = Path(os.environ.get("GOVHALL_SHOTS_DIR", "/tmp/shots-leave"))
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="module")
def leave_server() -> Iterator[Server]:
    with running_server("govhall-e2e-leave-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, leave_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, leave_server, viewport={"width": 1280, "height": 860},
                          timezone_id="Asia/Shanghai")


@pytest.fixture
def phone(request: pytest.FixtureRequest, browser: Browser, leave_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, leave_server, viewport={"width": 390, "height": 844},
                          device_scale_factor=2, is_mobile=True, has_touch=True, timezone_id="Asia/Shanghai")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def pick(page: Page, test_id: str, option: str) -> None:
    page.get_by_test_id(test_id).click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=option).first.click()


def switch(page: Page, server: Server, username: str) -> None:
    page.context.clear_cookies()
    login(page, server, username)
    page.goto(tenant_url(page, server, "/leave"))
    expect(page.get_by_test_id("page-leave")).to_be_visible()


def ask(page: Page, server: Server, clerk: str, chain: list[str], name: str) -> None:
    """The clerk asks for 事假 on Monday and Tuesday (2 working days, 2026-03-02/03) with a substitute."""
    switch(page, server, clerk)
    pick(page, "leave-type", "事假")
    date_input(page, "leave-start", "2026-03-02")
    date_input(page, "leave-end", "2026-03-03")
    page.get_by_test_id("leave-reason").fill("家中老人住院，需陪护")
    expect(page.get_by_test_id("leave-days")).to_contain_text("2")
    substitute = page.get_by_test_id("leave-substitute")
    if not substitute.locator(".ant-select-selection-item").count():
        pick(page, "leave-substitute", "方敏" if clerk.startswith("luotian") else "阿依古丽")
    preview = page.get_by_test_id("leave-chain")
    for step in chain:
        expect(preview).to_contain_text(step)
    expect(page.get_by_test_id("quota-meter")).to_contain_text("限额 3 天或 3 次")
    shot(page, f"{name}_request_{page.viewport_size['width']}")  # type: ignore[index]
    page.get_by_test_id("leave-submit").click()
    mine = page.get_by_test_id("leave-list-mine")
    expect(mine).to_contain_text("审批中")
    expect(mine).to_contain_text("家中老人住院")


def approve(page: Page, server: Server, username: str, *, record: bool = False) -> None:
    """An approver opens the inbox and approves (or the center records an outside approval with its scan)."""
    switch(page, server, username)
    page.goto(tenant_url(page, server, "/leave?tab=inbox"))
    card = page.get_by_test_id("leave-list-inbox").locator('[data-testid^="leave-"]').filter(
        has_text="家中老人住院").first
    expect(card).to_be_visible()
    if record:
        card.get_by_test_id("record-box").locator('input[type="file"]').set_input_files(
            files=[{"name": "请假单.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        expect(card.get_by_test_id("record-box").locator(".ant-upload-list-item-done")).to_have_count(1)
        card.get_by_test_id("record-approve").click()
    else:
        card.get_by_test_id("approve").click()
    expect(page.get_by_test_id("leave-list-inbox")).not_to_contain_text("家中老人住院")


def confirm_cover(page: Page, server: Server, username: str) -> None:
    """The named colleague opens their inbox and confirms covering (顶岗确认)."""
    switch(page, server, username)
    page.goto(f"{server.url}/leave?tab=inbox")
    card = page.get_by_test_id("leave-list-inbox").locator('[data-testid^="leave-"]').filter(
        has_text="家中老人住院").first
    expect(card.get_by_test_id("cover-box")).to_contain_text("请您在")
    shot(page, f"cover_confirm_{page.viewport_size['width']}")  # type: ignore[index]
    card.get_by_test_id("cover-confirm").click()
    expect(page.get_by_test_id("leave-list-inbox")).not_to_contain_text("家中老人住院")


def test_two_centers_route_the_same_leave_through_their_own_chains(desk: Page, phone: Page,
                                                                  leave_server: Server) -> None:
    """000 篇七 工作制度 二.3 (city): 二天以上 (two days included) the duty officer, then the window unit's deputy
    (outside: recorded by the center with the scan) and the director together; 十一(一)4: 王芳 is alone at her window,
    so her AB partner confirms the cover in the app first. 002 上班请销假制度 五 (罗田): 稽查督办科 -> 分管领导 ->
    首席代表签字证明 -> 主要领导. Both clerks then show 请假 (事假) on their center's board with who covers them."""
    ask(phone, leave_server, "city_clerk", ["中心当日值班人员", "窗口单位分管领导", "中心主要领导", "共同签批"], "city")
    confirm_cover(phone, leave_server, "city_clerk2")
    approve(phone, leave_server, "city_duty")
    approve(desk, leave_server, "city_director")
    approve(desk, leave_server, "city_admin", record=True)
    shot(desk, "city_inbox_after_1280")
    switch(phone, leave_server, "city_clerk")
    phone.goto(tenant_url(phone, leave_server, "/leave?tab=mine"))
    mine = phone.get_by_test_id("leave-list-mine")
    expect(mine.get_by_test_id("leave-status").first).to_contain_text("已批准")
    shot(phone, "city_mine_390")

    ask(desk, leave_server, "luotian_clerk", ["中心稽查督办科", "中心分管领导", "首席代表", "中心主要领导"], "luotian")
    for who in ("luotian_inspector", "luotian_deputy", "luotian_chief", "luotian_director"):
        approve(phone, leave_server, who)
    shot(phone, "luotian_inbox_390")

    for duty, emp, sub in (("city_duty", "C001", "阿依古丽"), ("luotian_inspector", "L001", "方敏")):
        switch(phone, leave_server, duty)
        phone.goto(tenant_url(phone, leave_server, "/attendance-board"))
        state = phone.get_by_test_id(f"state-{emp}")
        expect(state).to_have_attribute("data-state", "on_leave")
        expect(state).to_contain_text("请假")
        expect(state).to_contain_text("事假")
        cover = phone.get_by_test_id(f"cover-{emp}")  # 07:50, nobody has punched in yet: 顶岗 … ✗
        expect(cover).to_contain_text(f"顶岗 {sub}")
        expect(cover).to_have_attribute("data-on-post", "false")
        shot(phone, f"{duty}_board_390")


def test_sheet_shows_leave_and_the_unclosed_leave_becomes_absence(desk: Page, leave_server: Server) -> None:
    """000 篇七 工作制度 十一(一)3: 未销假的按旷工一天处理. In February's sheet 王芳 (C001) is 事 (personal leave) on
    2026-02-10, not 旷; on 2026-02-14, the deadline of the leave she never closed, she is 旷; the ledger lists that
    leave as 逾期未销假 with the clause."""
    switch(desk, leave_server, "city_admin")
    desk.goto(tenant_url(desk, leave_server, "/leave?tab=ledger"))
    desk.get_by_test_id("ledger-kind").get_by_text("未销假").click()
    ledger = desk.get_by_test_id("leave-ledger")
    expect(ledger).to_contain_text("逾期未销假")
    ledger.locator("tbody tr").filter(has_text="逾期未销假").first.click()
    expect(desk.get_by_test_id("leave-outcomes")).to_contain_text("按旷工一天处理")
    expect(desk.get_by_test_id("leave-outcomes")).to_contain_text("十一(一)3")
    shot(desk, "city_ledger_1280")
    desk.keyboard.press("Escape")

    desk.goto(tenant_url(desk, leave_server, "/attendance-sheet"))
    date_input(desk, "sheet-month", "2026-02")
    expect(desk.get_by_test_id("sheet-table")).to_be_visible()
    leave_day = desk.get_by_test_id("cell-C001-2026-02-10")
    expect(leave_day).to_have_attribute("data-finding", "on_leave")
    expect(leave_day).to_have_text("事")
    expect(desk.get_by_test_id("cell-C001-2026-02-14")).to_have_attribute("data-finding", "absence")
    shot(desk, "city_sheet_1280")
