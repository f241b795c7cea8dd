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
from e2e.helpers import login

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
