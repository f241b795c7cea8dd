"""Complaints and cases end to end (issue 15). The server runs with ``GOVHALL_TEST_NOW=2026-09-30T10:00:00+08:00``
(Wednesday, the day before the National Day holiday 10-01..10-07; 10-10 is a 调休 Saturday).

- Two centers, the same complaint: 团风 (000 篇七 九.3 重要投诉三日内) answers by 10-03; 罗田 (002 投诉 四.3, two
  departments: 2 个工作日) by 10-09. The intake office sees the complainant; the center admin does not.
- A clerk logs a 承诺件 at the window desk and prints its numbered 承诺通知书.
- A case accepted two weeks ago is red on the overdue board (000 篇七 十.3⑨) on the test clock.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]

NOW = "2026-09-30T10:00:00+08:00"
SHOTS = Path(os.environ.get("GOVHALL_SHOTS_DIR", "/tmp/shots-complaints"))


@pytest.fixture(scope="module")
def cp_server() -> Iterator[Server]:
    with running_server("govhall-e2e-cp-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, cp_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, cp_server, viewport={"width": 1280, "height": 900},
                          timezone_id="Asia/Shanghai")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def pick(page: Page, test_id: str, option: str) -> None:
    page.get_by_test_id(test_id).click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=option).first.click()


def switch(page: Page, server: Server, username: str, path: str) -> None:
    page.context.clear_cookies()
    login(page, server, username)
    page.goto(f"{server.url}{path}")


def register(page: Page, server: Server, username: str, klass: str, departments: int) -> None:
    switch(page, server, username, "/complaints")
    expect(page.get_by_test_id("page-complaints")).to_be_visible()
    page.get_by_role("tab", name="登记投诉").click()
    pick(page, "cp-class", klass)
    page.get_by_test_id("cp-departments").fill(str(departments))
    page.get_by_test_id("cp-subject").fill("窗口推诿，两个部门互相推")
    page.get_by_test_id("cp-name").fill("赵六")
    page.get_by_test_id("cp-submit").click()
    expect(page.get_by_test_id("cp-list")).to_be_visible()


def test_two_centers_two_due_dates_and_the_protected_identity(desk: Page, cp_server: Server) -> None:
    register(desk, cp_server, "county_intake", "重要投诉", 2)
    expect(desk.get_by_test_id("cp-row-due").first).to_have_text("2026-10-03 23:59")
    desk.get_by_test_id("cp-row-number").first.click()
    expect(desk.get_by_test_id("cp-identity")).to_have_text("身份保密")
    desk.get_by_test_id("cp-show-identity").click()
    expect(desk.get_by_test_id("cp-identity")).to_contain_text("赵六")
    shot(desk, "complaint-detail-intake")
    desk.get_by_test_id("cp-print").click()
    expect(desk.get_by_test_id("cp-print-sheet")).to_contain_text("投诉办理单")
    shot(desk, "complaint-form-print")

    register(desk, cp_server, "luotian_inspector", "涉及个别人员", 2)
    expect(desk.get_by_test_id("cp-row-due").first).to_have_text("2026-10-09 23:59")
    shot(desk, "complaints-luotian")

    switch(desk, cp_server, "county_admin", "/complaints")
    desk.get_by_test_id("cp-row-number").first.click()
    expect(desk.get_by_test_id("cp-identity")).to_have_text("身份保密")
    expect(desk.get_by_test_id("cp-show-identity")).to_have_count(0)
    expect(desk.get_by_test_id("cp-detail")).not_to_contain_text("赵六")


def test_clerk_logs_a_promised_case_and_prints_its_notice(desk: Page, cp_server: Server) -> None:
    switch(desk, cp_server, "county_clerk", "/cases")
    expect(desk.get_by_test_id("cs-desk")).to_be_visible()
    pick(desk, "cs-item", "食品经营许可")
    desk.get_by_test_id("cs-applicant").fill("李四")
    desk.get_by_test_id("cs-log").click()
    # 10 promised working days from Wed 09-30: 10-08, 09, 10 (调休 Saturday), 12-16, 19, 20 -> 10-20
    expect(desk.get_by_test_id("cs-last")).to_contain_text("2026-10-20 23:59")
    desk.get_by_test_id("cs-last").get_by_test_id("cs-notice").click()
    desk.get_by_test_id("cs-issue").click()
    expect(desk.get_by_test_id("cs-notice-number")).to_have_text("承〔2026〕0001号")
    expect(desk.get_by_test_id("cs-notice-sheet")).to_contain_text("承诺通知书")
    expect(desk.get_by_test_id("cs-notice-sheet")).to_contain_text("李四")
    shot(desk, "case-notice")


def test_the_overdue_board_turns_red_on_the_test_clock(desk: Page, cp_server: Server) -> None:
    switch(desk, cp_server, "county_clerk", "/cases")
    expect(desk.get_by_test_id("page-cases")).to_be_visible()
    tenant = desk.request.get(f"{cp_server.url}/api/auth/me").json()["tenant"]["id"]
    # accepted Mon 09-14 with 3 promised working days -> due Thu 09-17; on 09-30 far more than 2 working days over
    answer = desk.evaluate(
        """async ([url, body]) => {
            const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='))?.split('=')[1] ?? '';
            const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json',
                                        'X-CSRFToken': decodeURIComponent(token)}, body});
            return r.status;
        }""",
        [f"/api/t/{tenant}/cases", json.dumps({"itemCode": "SJ003", "acceptedAt": "2026-09-14T09:00:00+08:00"})],
    )
    assert answer == 201
    desk.get_by_role("tab", name="超期看板").click()
    expect(desk.get_by_test_id("cs-card-red").first).to_be_visible()
    expect(desk.get_by_test_id("cs-red-count")).to_have_text("红牌 1")
    shot(desk, "overdue-board")
