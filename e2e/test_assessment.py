"""Assessment end to end: the same behaviour (two late arrivals recorded on a phone) scored by two centers' rules,
from the recorder's phone to the clerk's explained scorecard; a month closed and published on the desktop.

County (团风, seed 000 篇七 办理办法 第三条): 1st late 1 point, 2nd 2 -> 作息规范 17/20, total 97.
罗田 (seed 002 考核办法 三(二)1 and 四.1): 5 points a time -> 严格考勤 20/30, total 90, pay 150 / 100 x 90 = 135.

The server runs with ``GOVHALL_TEST_NOW=2026-04-03T10:00:00+08:00``: April is the open month, March is over.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import login, logout

pytestmark = pytest.mark.e2e

NOW = "2026-04-03T10:00:00+08:00"
SHOTS = Path("/tmp/shots-assessment")


@pytest.fixture(scope="module")
def clock_server() -> Iterator[Server]:
    with running_server("govhall-e2e-assess-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, clock_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, clock_server, viewport={"width": 1280, "height": 900},
                          timezone_id="Asia/Shanghai")


@pytest.fixture
def phone(request: pytest.FixtureRequest, browser: Browser, clock_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, clock_server, viewport={"width": 390, "height": 844},
                          device_scale_factor=2, is_mobile=True, has_touch=True, timezone_id="Asia/Shanghai")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def pick(page: Page, test_id: str, text: str) -> None:
    """An antd Select with search: open it, type, wait for the match, take it with Enter."""
    select = page.get_by_test_id(test_id)
    select.click()
    page.keyboard.type(text)
    expect(page.locator(".ant-select-item-option-active").filter(has_text=text).last).to_be_visible()
    page.keyboard.press("Enter")
    expect(select).to_contain_text(text)


def record_late(page: Page, window: str, person: str, day: str) -> None:
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/assessment?tab=record")
    expect(page.get_by_test_id("record-form")).to_be_visible()
    pick(page, "rec-window", window)
    pick(page, "rec-person", person)
    pick(page, "rec-kind", "迟到")
    page.get_by_test_id("rec-note").fill("巡查发现迟到十分钟")
    date = page.locator(".as-record .ant-picker input")
    date.click()
    date.press("Control+a")
    date.fill(day)
    date.press("Enter")  # takes the typed day and submits the form (the browser's implicit submission)
    expect(page.get_by_test_id("record-done")).to_contain_text("迟到")


def my_april(page: Page) -> None:
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/assessment?tab=my")
    picker = page.get_by_test_id("my-month").locator("input")
    picker.click()
    picker.press("Control+a")
    picker.fill("2026-04")
    picker.press("Enter")


def test_two_centers_score_the_same_lateness_differently(phone: Page, desk: Page, clock_server: Server) -> None:
    # the county duty officer records 张敏 late twice, on a phone
    login(phone, clock_server, "county_duty")
    record_late(phone, "02", "张敏", "2026-04-01")
    shot(phone, "phone-record-done")
    phone.get_by_test_id("record-another").click()
    record_late(phone, "02", "张敏", "2026-04-02")
    logout(phone)
    # 罗田 has no duty officer in the demo: the center admin records 周丽 the same way
    login(phone, clock_server, "luotian_admin")
    record_late(phone, "11", "周丽", "2026-04-01")
    phone.get_by_test_id("record-another").click()
    record_late(phone, "11", "周丽", "2026-04-02")
    logout(phone)

    # the county clerk: 1st 1 point, 2nd 2 points, every line explained
    login(phone, clock_server, "county_clerk")
    my_april(phone)
    expect(phone.get_by_test_id("card-total")).to_contain_text("97")
    schedule = phone.get_by_test_id("cat-schedule")
    expect(phone.get_by_test_id("cat-score-schedule")).to_have_text("17 / 20")
    expect(schedule.get_by_test_id("line-late-1")).to_contain_text("第 1 次")
    expect(schedule.get_by_test_id("line-late-1")).to_contain_text("-1 分")
    expect(schedule.get_by_test_id("line-late-1")).to_contain_text("警告")
    expect(schedule.get_by_test_id("line-late-2")).to_contain_text("-2 分")
    expect(schedule.get_by_test_id("line-late-2")).to_contain_text("书面检查")
    expect(schedule).to_contain_text("000 篇七 十一(一)1; 办理办法 第三条")
    expect(schedule).to_contain_text("记录人：刘值班")
    shot(phone, "phone-my-assessment-county")
    logout(phone)

    # the 罗田 clerk: 5 points a time, pay 150 / 100 x 90
    login(desk, clock_server, "luotian_clerk")
    my_april(desk)
    expect(desk.get_by_test_id("card-total")).to_contain_text("90")
    expect(desk.get_by_test_id("card-pay")).to_contain_text("135")
    expect(desk.get_by_test_id("cat-score-attendance")).to_have_text("20 / 30")
    attendance = desk.get_by_test_id("cat-attendance")
    expect(attendance.get_by_test_id("line-late-2")).to_contain_text("-5 分")
    expect(attendance).to_contain_text("002 罗田 考核 三(二)1")
    shot(desk, "desk-my-assessment-luotian")
    logout(desk)


def test_the_county_month_is_closed_published_and_explained(desk: Page, phone: Page, clock_server: Server) -> None:
    """The demo closed and published March in the county: the admin's pay list and notice, the clerk's appeal."""
    login(desk, clock_server, "county_admin")
    desk.goto(f"{clock_server.url}/assessment?tab=month")
    picker = desk.get_by_test_id("close-month").locator("input")
    picker.click()
    picker.press("Control+a")
    picker.fill("2026-03")
    picker.press("Enter")
    expect(desk.get_by_test_id("month-status")).to_contain_text("已公布")
    expect(desk.get_by_test_id("pay-list")).to_contain_text("陈晓")
    pick(desk, "notice-dept", "人社")
    expect(desk.get_by_test_id("dept-notice")).to_contain_text("迟到")
    shot(desk, "desk-month-close")
    desk.goto(f"{clock_server.url}/assessment?tab=appeals")
    expect(desk.get_by_test_id("appeals")).to_contain_text("张敏")
    shot(desk, "desk-appeals")
    desk.goto(f"{clock_server.url}/assessment?tab=cases")
    expect(desk.get_by_test_id("return-cases")).to_contain_text("迟到或早退 3 次")
    shot(desk, "desk-return-cases")
    logout(desk)
