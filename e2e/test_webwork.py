"""Issue 13 for office workers, end to end: a punch before the punch window is stored and explained on the
clock-in page; the audit log finds an event by a person's Chinese name and exports it.

The server of this module runs on its own database with ``GOVHALL_TEST_NOW=2026-03-02T07:10:00+08:00`` (a Monday,
before 团风's morning punch window opens at 07:30)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import current_user, login, pick_time

pytestmark = pytest.mark.e2e

SHOTS = Path("/work/notes/shots-webwork")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def early_server() -> Iterator[Server]:
    with running_server("govhall-e2e-webwork-", GOVHALL_TEST_NOW="2026-03-02T07:10:00+08:00") as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, early_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, early_server, viewport={"width": 1280, "height": 800},
                          timezone_id="Asia/Shanghai")


@pytest.fixture
def phone(request: pytest.FixtureRequest, browser: Browser, early_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, early_server, viewport={"width": 390, "height": 844},
                          device_scale_factor=2, is_mobile=True, has_touch=True, timezone_id="Asia/Shanghai")


def test_a_punch_before_the_window_is_explained(phone: Page, early_server: Server) -> None:
    """张敏 clocks in at 07:10; 团风's morning starts at 08:30 and punches count from 07:30: the page says the punch
    is stored but counts for no session, and why."""
    login(phone, early_server, "county_clerk")
    phone.goto(f"{early_server.url}/attendance")
    phone.get_by_test_id("clock-in-button").click()
    outside = phone.get_by_test_id("clock-outside")
    expect(outside).to_contain_text(re.compile(r"07:1\d 的打卡不在任何打卡时段内（上午上班 07:30-10:15），不计入考勤"))
    expect(phone.get_by_test_id("clock-punches")).to_contain_text("07:1")
    shot(phone, "clock_outside_390")


def test_audit_search_finds_a_person_by_chinese_name_and_exports(desk: Page, early_server: Server) -> None:
    from openpyxl import load_workbook

    login(desk, early_server, "county_clerk")  # 张敏 signs in: an event with her as the actor
    desk.context.clear_cookies()
    login(desk, early_server, "county_admin")
    desk.goto(f"{early_server.url}/audit")
    table = desk.get_by_test_id("audit-table")
    expect(table).to_be_visible()
    search = desk.locator('[data-testid="audit-search"] input, input[data-testid="audit-search"]').first
    search.fill("张敏")
    search.press("Enter")
    expect(table.get_by_test_id("audit-actor").first).to_contain_text("张敏")
    expect(table.get_by_test_id("audit-action").first).to_be_visible()
    assert "county_admin" not in table.get_by_test_id("audit-actor").all_inner_texts()
    shot(desk, "audit_search_1280")
    with desk.expect_download() as info:
        desk.get_by_test_id("audit-export").click()
    ws = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).worksheets[0]
    assert ws.cell(1, 3).value == "操作人" and "张敏" in {row[2].value for row in ws.iter_rows(min_row=2)}


def _versions(page: Page, server: Server, pack: str) -> list[dict]:  # type: ignore[type-arg]
    tenant = current_user(page, server)["tenant"]["id"]
    r = page.request.get(f"{server.url}/api/t/{tenant}/packs/{pack}/versions")
    assert r.ok, r.status
    return r.json()  # type: ignore[no-any-return]


def _save(page: Page) -> None:
    page.get_by_test_id("rules-save").click()
    expect(page.get_by_test_id("diff-table")).to_be_visible()
    page.get_by_test_id("confirm-save").click()
    expect(page.get_by_test_id("diff-table")).to_be_hidden()


def test_rules_forms_for_office_workers(desk: Page, early_server: Server) -> None:
    """The 百分制考核 catalogue is found and edited by its Chinese names (no code is asked for, the add buttons say
    what they add); a session time is set with the time picker; both are saved and persist."""
    login(desk, early_server, "county_admin")
    desk.goto(f"{early_server.url}/rules?pack=point_values")
    expect(desk.locator('[data-testid="pack-editor"][data-pack="point_values"]')).to_be_visible(timeout=30_000)
    violations = desk.get_by_test_id("list-root_violations")
    expect(violations.get_by_test_id("array-add").last).to_have_text("添加扣分项")
    expect(desk.get_by_test_id("list-root_categories").get_by_test_id("array-add").last).to_have_text("添加考核类别")
    violations.locator("input[data-testid=list-filter], [data-testid=list-filter] input").first.fill("早退")
    entry = violations.locator(".ant-collapse-item").filter(
        has=desk.get_by_test_id("list-entry-name").get_by_text("早退", exact=True))
    entry.locator(".ant-collapse-header").click()
    points = entry.locator("input[id$='_points_0']")
    expect(points).to_have_value("1")
    expect(entry.locator("input[id$='_key']:visible")).to_have_count(0)  # the code is the system's, never shown
    expect(entry).not_to_contain_text("代码")
    points.fill("1.5")
    category = entry.locator(".ant-select").filter(has_text="作息规范").first
    expect(category).to_be_visible()  # the category is chosen by its name, not typed as "schedule"
    shot(desk, "rules_violation_1280")
    _save(desk)
    latest = _versions(desk, early_server, "point_values")[0]
    early = next(v for v in latest["overrides"]["violations"] if v["name"] == "早退")
    assert early["points"][0] == 1.5 and early["category"] == "schedule"

    desk.goto(f"{early_server.url}/rules?pack=work_hours")
    start = desk.locator("#root_weekly_sessions_0_start")
    expect(start).to_have_value("08:30")
    pick_time(desk, "root_weekly_sessions_0_start-picker", "09", "00")
    expect(start).to_have_value("09:00")
    shot(desk, "rules_time_1280")
    _save(desk)
    latest = _versions(desk, early_server, "work_hours")[0]
    assert latest["overrides"]["weekly_sessions"][0]["start"] == "09:00"
    desk.reload()
    expect(desk.locator("#root_weekly_sessions_0_start")).to_have_value("09:00")


def test_the_sheet_prints_as_a_form(desk: Page, early_server: Server) -> None:
    """The monthly sheet printed from the browser: the form's title with the center and 2026年3月, the table, the
    制表人/审核人/日期 block; no menu, no buttons."""
    login(desk, early_server, "county_admin")
    desk.goto(f"{early_server.url}/attendance-sheet")
    expect(desk.get_by_test_id("sheet-table")).to_be_visible()
    expect(desk.locator('[data-testid="sheet-month"] input, input[data-testid="sheet-month"]').first) \
        .to_have_value("2026年3月")
    title = desk.get_by_test_id("sheet-print-title")
    expect(title).to_be_hidden()
    desk.emulate_media(media="print")
    expect(title).to_have_text("团风县政务服务中心2026年3月考勤表")
    expect(desk.locator(".att-print-sign")).to_contain_text("审核人")
    expect(desk.get_by_test_id("sheet-export")).to_be_hidden()
    expect(desk.locator(".ant-layout-sider")).to_be_hidden()
    shot(desk, "sheet_print_1280")
