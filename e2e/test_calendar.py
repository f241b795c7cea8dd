"""The next year's holiday calendar, end to end: on 2026-11-21 (server clock ``GOVHALL_TEST_NOW``) the installed
chinesecalendar ends with 2026, so a center admin's home page warns about 2027; the provincial admin follows the
link to the work-hours form, enters 2027 once for the province, and the warning is gone for the center below.
On 2027-01-04 without a calendar, the clerk and the duty officer get an explanation instead of an error, and the
clerk can still clock in.

The 2027 dates typed here are test inputs, not the official arrangement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import login, logout, tenant_url

pytestmark = pytest.mark.e2e

NOW = "2026-11-21T09:00:00+08:00"  # 41 days before 2027: inside the default 60-day window
NEW_YEAR = "2027-01-04T08:40:00+08:00"  # a Monday, no 2027 calendar entered


@pytest.fixture(scope="module")
def autumn() -> Iterator[Server]:
    with running_server("govhall-e2e-cal-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, autumn: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, autumn, viewport={"width": 1280, "height": 900},
                          timezone_id="Asia/Shanghai")


def _home(page: Page, server: Server, username: str) -> None:
    """Log in and wait until the home page has its coverage answer (so an absent warning means absent)."""
    with page.expect_response(lambda r: "/calendar-coverage" in r.url and r.ok):
        login(page, server, username)
    expect(page.get_by_test_id("home-welcome")).to_be_visible()


def _add_dates(page: Page, widget: str, text: str) -> None:
    box = page.get_by_test_id(f"{widget}-text")
    box.fill(text)
    box.press("Enter")


def test_center_warned_until_the_province_enters_2027(desk: Page, autumn: Server) -> None:
    _home(desk, autumn, "county_admin")
    warning = desk.get_by_test_id("calendar-warning")
    expect(warning).to_have_attribute("data-year", "2027")
    expect(warning).to_contain_text("2027 年的节假日日历还没有录入")
    expect(warning).to_contain_text("还有 41 天")
    logout(desk)

    _home(desk, autumn, "prov_admin")
    below = desk.get_by_test_id("calendar-warning-below")
    expect(below).to_contain_text("团风县政务服务中心")
    expect(desk.get_by_test_id("calendar-warning")).to_have_count(0)  # the office itself keeps no work calendar
    desk.get_by_test_id("calendar-warning-fix").click()
    expect(desk.locator('[data-testid="pack-editor"][data-pack="work_hours"]')).to_be_visible()
    field = desk.get_by_test_id("field-own_calendar")
    expect(field).to_have_class(re.compile(r"\brules-field-focus\b"))

    field.locator(".array-item-add").click()
    desk.locator("#root_own_calendar_0_year").fill("2027")
    _add_dates(desk, "root_own_calendar_0_holidays", "2027-01-03, 2027-01-01~2027-01-02")
    expect(desk.get_by_test_id("root_own_calendar_0_holidays-count")).to_have_attribute("data-count", "3")
    holidays = desk.get_by_test_id("root_own_calendar_0_holidays-list").locator("[data-date]")
    expect(holidays).to_have_count(3)
    assert holidays.evaluate_all("els => els.map(e => e.dataset.date)") == ["2027-01-01", "2027-01-02", "2027-01-03"]
    # a weekday as an adjusted workday is refused by the server, shown under the list, nothing saved
    _add_dates(desk, "root_own_calendar_0_workdays", "2027-01-08")
    desk.get_by_test_id("rules-save").click()
    expect(field).to_contain_text("2027-01-08 是周一至周五")
    expect(desk.get_by_test_id("diff-table")).to_have_count(0)
    desk.get_by_test_id("root_own_calendar_0_workdays-list").locator('[data-date="2027-01-08"] .anticon-close').click()
    _add_dates(desk, "root_own_calendar_0_workdays", "2027-01-09")

    desk.get_by_test_id("rules-save").click()
    table = desk.get_by_test_id("diff-table")
    expect(table).to_contain_text("本中心节假日日历")
    desk.get_by_test_id("confirm-save").click()
    expect(table).to_be_hidden()
    expect(desk.get_by_test_id("version-2")).to_contain_text("2026-11-21")  # version 1: the demo's locks
    logout(desk)

    _home(desk, autumn, "county_admin")
    expect(desk.get_by_test_id("calendar-warning")).to_have_count(0)


@pytest.fixture(scope="module")
def new_year() -> Iterator[Server]:
    with running_server("govhall-e2e-cal27-", GOVHALL_TEST_NOW=NEW_YEAR) as srv:
        yield srv


@pytest.fixture
def january(request: pytest.FixtureRequest, browser: Browser, new_year: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, new_year, viewport={"width": 1280, "height": 900},
                          timezone_id="Asia/Shanghai")


def test_without_a_2027_calendar_staff_get_an_explanation(january: Page, new_year: Server) -> None:
    page = january
    login(page, new_year, "county_clerk")
    page.get_by_test_id("nav-attendance").first.click()
    notice = page.get_by_test_id("calendar-missing")
    expect(notice).to_have_attribute("data-year", "2027")
    expect(notice).to_contain_text("您仍然可以打卡")
    expect(page.get_by_test_id("calendar-missing-fix")).to_have_count(0)  # a clerk cannot fix it
    page.get_by_test_id("clock-in-button").click()
    expect(page.get_by_text("已打卡 08:4")).to_be_visible(timeout=20_000)
    logout(page)

    login(page, new_year, "county_duty")
    page.goto(tenant_url(page, new_year, "/attendance-board"))
    expect(page.get_by_test_id("calendar-missing")).to_contain_text("今日考勤暂时无法统计")
    logout(page)

    _home(page, new_year, "county_admin")
    expect(page.get_by_test_id("calendar-warning")).to_contain_text("考勤暂时无法计算")
