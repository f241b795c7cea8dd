"""Attendance end to end: clerks clock in from the web in two centers with different hours, and each center's
board shows it (desktop and phone); a missed punch is requested and approved; the sheet exports to Excel.

The server of this module runs on its own database with ``GOVHALL_TEST_NOW=2026-03-02T08:10:00+08:00`` (a
Monday), so "now" is 08:10 in the halls whatever the real time (from the server's start on, the clock runs on):
罗田 opens at 08:00 (10 minutes late, or 11 on a slow machine), 团风 at 08:30 (on time).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import login, tenant_url

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T08:10:00+08:00"


@pytest.fixture(scope="module")
def clock_server() -> Iterator[Server]:
    with running_server("govhall-e2e-att-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, clock_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, clock_server, viewport={"width": 1280, "height": 800},
                          timezone_id="Asia/Shanghai")


@pytest.fixture
def phone(request: pytest.FixtureRequest, browser: Browser, clock_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, clock_server, viewport={"width": 390, "height": 844},
                          device_scale_factor=2, is_mobile=True, has_touch=True, timezone_id="Asia/Shanghai")


def clock_in(page: Page, server: Server, username: str) -> int:
    """Clock in from the web; returns the minute of the punch (08:MM)."""
    login(page, server, username)
    page.get_by_test_id("nav-attendance").first.click()
    button = page.get_by_test_id("clock-in-button")
    expect(button).to_be_visible()
    button.click()
    punches = page.get_by_test_id("clock-punches")
    expect(punches).to_contain_text(re.compile(r"08:[12]\d"))
    return int(re.search(r"08:([12]\d)", punches.inner_text()).group(1))  # type: ignore[union-attr]


def test_late_in_one_center_on_time_in_another_and_both_boards_show_it(desk: Page, phone: Page,
                                                                        clock_server: Server) -> None:
    # 罗田 opens at 08:00: clocking in at 08:10 is late. The server's clock started at 08:10 and runs on, so on a
    # slow machine the punch may be 08:11: the lateness must be the punch's minute, whichever it is.
    minute = clock_in(desk, clock_server, "luotian_clerk")
    first = desk.get_by_test_id("clock-sessions").locator("[data-session-status]").first
    expect(first).to_have_attribute("data-session-status", "late")
    expect(first).to_contain_text(f"迟到 {minute} 分钟")
    expect(desk.get_by_test_id("clock-finding")).to_have_attribute("data-finding", "late")

    # 团风 opens at 08:30: the same moment is on time
    desk.context.clear_cookies()
    clock_in(desk, clock_server, "county_clerk")
    first = desk.get_by_test_id("clock-sessions").locator("[data-session-status]").first
    expect(first).to_have_attribute("data-session-status", "in_progress")
    expect(desk.get_by_test_id("clock-finding")).to_have_attribute("data-finding", "in_progress")

    # the county's duty officer, on a phone: 张敏 (T002) is in, the others have not punched yet
    login(phone, clock_server, "county_duty")
    phone.goto(tenant_url(phone, clock_server, "/attendance-board"))
    expect(phone.get_by_test_id("board-list")).to_be_visible()
    expect(phone.get_by_test_id("state-T002")).to_have_attribute("data-state", "in")
    expect(phone.get_by_test_id("state-T001")).to_have_attribute("data-state", "not_punched")
    expect(phone.get_by_test_id("count-in")).to_contain_text("1")

    # 罗田's center admin, at a desk: 周丽 (L001) is late by 10 minutes
    desk.context.clear_cookies()
    login(desk, clock_server, "luotian_admin")
    desk.get_by_test_id("nav-attendanceBoard").first.click()
    expect(desk.get_by_test_id("board-table")).to_be_visible()
    state = desk.get_by_test_id("state-L001")
    expect(state).to_have_attribute("data-state", "late")
    expect(state).to_contain_text(f"迟到 {minute}")


def test_missed_punch_is_requested_and_approved(desk: Page, phone: Page, clock_server: Server) -> None:
    login(desk, clock_server, "city_clerk")
    desk.goto(tenant_url(desk, clock_server, "/attendance?tab=month"))
    expect(desk.get_by_test_id("day-2026-03-02")).to_be_visible()
    # 2026-02-27, the last workday but one (Saturday the 28th was worked): the demo's missed punch (王芳 forgot the
    # afternoon's departure punch), which the city's rules count as absence (有上班考勤无下班考勤视为旷工)
    desk.get_by_test_id("month-prev").click()
    day = desk.get_by_test_id("day-2026-02-27")
    expect(day).to_have_attribute("data-finding", "absence")
    day.click()
    expect(desk.get_by_test_id("day-detail")).to_be_visible()
    desk.get_by_test_id("request-missed-punch").click()
    desk.get_by_test_id("request-reason").fill("考勤机故障，8:05 已到岗")
    desk.get_by_test_id("request-submit").click()
    done = desk.locator(".ant-modal-confirm-title")
    expect(done).to_contain_text("补卡申请已提交")
    desk.locator(".ant-modal-confirm-btns button").click()

    login(phone, clock_server, "city_admin")
    phone.goto(tenant_url(phone, clock_server, "/attendance-board"))
    approvals = phone.get_by_test_id("approvals")
    expect(approvals).to_contain_text("考勤机故障")
    approvals.get_by_test_id("approve").first.click()
    phone.get_by_test_id("approve-confirm").click()
    expect(approvals).not_to_contain_text("考勤机故障")

    desk.goto(tenant_url(desk, clock_server, "/attendance?tab=requests"))
    expect(desk.get_by_test_id("my-requests")).to_contain_text("已批准")


def test_sheet_exports_to_excel(desk: Page, clock_server: Server) -> None:
    from openpyxl import load_workbook

    login(desk, clock_server, "county_admin")
    desk.get_by_test_id("nav-attendanceSheet").first.click()
    expect(desk.get_by_test_id("sheet-table")).to_be_visible()
    expect(desk.get_by_test_id("sheet-table")).to_contain_text("张敏")
    with desk.expect_download() as info:
        desk.get_by_test_id("sheet-export").click()
    data = Path(info.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A1"].value == "团风县政务服务中心2026年3月考勤表" and sheet.cell(3, 2).value == "姓名"
    assert {row[1].value for row in sheet.iter_rows(min_row=5)} >= {"张敏", "李建国"}
    # a form to print and file: the weekday row, borders, landscape one page wide, the signature block
    assert [c.value for c in sheet[4]][4:9] == ["日", "一", "二", "三", "四"]  # 2026-03-01 was a Sunday
    assert sheet.cell(5, 5).border.top.style == "thin" and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.print_area
    assert {"制表人：", "审核人："} <= {c.value for row in sheet.iter_rows(min_row=6) for c in row}
