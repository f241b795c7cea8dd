"""The red flag (流动红旗) in the browser, on the demo as of Wed 2026-04-08:

- the county hall (000 篇七 工作制度 十: 2 flags a month, awarded on the 3rd; a quarterly round too) shows March's
  published round (the demo's) and its tally; its admin then runs February's round in full: the award is refused
  while the council's ratings are missing, the ratings are entered, the round is proposed, awarded and
  published, and the drill-down shows the criteria of a window;
- the city hall (004/4: 1 flag a month, a duty window that neglects its patrols is disqualified) runs its April
  round: its four duty windows of the month had no patrol on their duty days, so every one is disqualified and
  no flag goes out, where the county's two flags went to two of its windows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import login, logout

pytestmark = pytest.mark.e2e

NOW = "2026-04-08T10:00:00+08:00"
SHOTS = Path("/work/notes/shots-redflag")


@pytest.fixture(scope="module")
def clock_server() -> Iterator[Server]:
    with running_server("govhall-e2e-red-flag-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, clock_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, clock_server, viewport={"width": 1360, "height": 900},
                          timezone_id="Asia/Shanghai")


def shot(page: Page, name: str) -> None:
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def create_round(page: Page, month: str) -> None:
    picker = page.get_by_test_id("rf-new-label").locator("input")
    picker.click()
    picker.press("Control+a")
    picker.fill(month)
    picker.press("Enter")
    page.get_by_test_id("rf-create").click()
    expect(page.get_by_test_id("rf-round")).to_be_visible()


def test_county_full_round_and_city_duty_negligence(desk: Page, clock_server: Server) -> None:
    login(desk, clock_server, "county_admin")
    desk.goto(f"{clock_server.url}/red-flag")
    expect(desk.get_by_test_id("page-red-flag")).to_contain_text("每月评选 2 面，次月 3 日颁布")
    expect(desk.get_by_test_id("page-red-flag")).to_contain_text("每季度评选 1 面")
    expect(desk.get_by_test_id("rf-round-2026-03")).to_be_visible()
    expect(desk.get_by_test_id("rf-tally").locator("tbody tr")).to_have_count(2)
    shot(desk, "county-list")

    create_round(desk, "2026-02")
    expect(desk.get_by_test_id("rf-status")).to_have_text("待评议")
    expect(desk.get_by_test_id("rf-missing")).to_contain_text("还有 3 个")
    desk.get_by_test_id("rf-award").click()
    expect(desk.locator(".ant-message")).to_contain_text("评议小组评议分尚未录入（3 个）")
    for rank, score in ((1, 95), (2, 90), (3, 85)):
        box = desk.get_by_test_id(f"rf-rating-{rank}").locator("input")
        box.fill(str(score))
    desk.get_by_test_id("rf-save-ratings").click()
    expect(desk.get_by_test_id("rf-status")).to_have_text("已评议")
    desk.get_by_test_id("rf-propose").click()
    expect(desk.get_by_test_id("rf-status")).to_have_text("已提名")
    desk.get_by_test_id("rf-award").click()
    expect(desk.get_by_test_id("rf-status")).to_have_text("已颁发")
    desk.get_by_test_id("rf-publish").click()
    expect(desk.get_by_test_id("rf-status")).to_have_text("已公布")
    expect(desk.get_by_test_id("rf-ranking").locator(".ant-tag-red")).to_have_count(2)  # two flags of three windows
    desk.get_by_test_id("rf-ranking").locator(".ant-table-row-expand-icon").first.click()
    expect(desk.get_by_test_id("rf-lines-1")).to_contain_text("遵守工作纪律（评议小组百分评议折算）")
    expect(desk.get_by_test_id("rf-lines-1")).to_contain_text("评议 ")
    shot(desk, "county-round-published")
    desk.goto(f"{clock_server.url}/red-flag/screen")
    expect(desk.get_by_test_id("rf-screen")).to_contain_text("流动红旗")
    shot(desk, "county-hall-screen")
    logout(desk)

    login(desk, clock_server, "city_admin")
    desk.goto(f"{clock_server.url}/red-flag")
    expect(desk.get_by_test_id("page-red-flag")).to_contain_text("每月评选 1 面")
    create_round(desk, "2026-04")
    ranking = desk.get_by_test_id("rf-ranking")
    expect(ranking.locator("tbody tr.ant-table-row")).to_have_count(4)
    for rank in (1, 2, 3, 4):
        expect(desk.get_by_test_id(f"rf-result-{rank}")).to_contain_text("值班窗口未认真履行职责")
    ranking.locator(".ant-table-row-expand-icon").first.click()
    first = desk.get_by_test_id("rf-lines-1")
    first.locator(".ant-table-row-expand-icon").first.click()
    expect(first).to_contain_text("值班日巡查 0 次，少于 2 次")
    shot(desk, "city-round-duty-negligence")
    logout(desk)
