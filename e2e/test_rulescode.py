"""Issue 12 in the browser: a platform admin creates a province and is led to appoint its admin; the provincial
admin's home shows the centers below; a center admin previews a rule change's effect on last month before saving.

The server runs with ``GOVHALL_TEST_NOW=2026-03-02T08:10:00+08:00``: "last month" is February 2026. Screenshots
(desktop and phone) go to /tmp/shots-rulescode/.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import current_user, login, tenant_url

pytestmark = pytest.mark.e2e

NOW = "2026-03-02T08:10:00+08:00"
SHOTS = Path("/tmp/shots-rulescode")


@pytest.fixture(scope="module")
def rc_server() -> Iterator[Server]:
    with running_server("govhall-e2e-rc-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, rc_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, rc_server, viewport={"width": 1280, "height": 860},
                          timezone_id="Asia/Shanghai")


@pytest.fixture
def phone(request: pytest.FixtureRequest, browser: Browser, rc_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, rc_server, viewport={"width": 390, "height": 844},
                          device_scale_factor=2, is_mobile=True, has_touch=True, timezone_id="Asia/Shanghai")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_platform_admin_creates_a_province(desk: Page, rc_server: Server) -> None:
    code = f"{uuid.uuid4().int % 40 + 50}0000"
    login(desk, rc_server, "platform_admin")
    desk.get_by_test_id("nav-tenants").click()
    desk.get_by_test_id("province-new").click()
    desk.get_by_test_id("province-name").fill("湖南省政务服务中心")
    desk.get_by_test_id("province-code").fill("4311")
    desk.get_by_test_id("province-submit").click()
    expect(desk.get_by_test_id("province-form")).to_contain_text("以 0000 结尾")  # inline, nothing sent
    desk.get_by_test_id("province-code").fill(code)
    _shot(desk, "province_new")
    desk.get_by_test_id("province-submit").click()
    expect(desk.get_by_test_id(f"tenant-row-{code}")).to_be_visible()
    expect(desk.get_by_role("dialog")).to_contain_text("湖南省政务服务中心")  # next: appoint its admins
    _shot(desk, "province_created_appoint")


def test_province_home_shows_the_centers_below(desk: Page, phone: Page, rc_server: Server) -> None:
    login(desk, rc_server, "prov_admin")
    overview = desk.get_by_test_id("centers-overview")
    expect(overview).to_be_visible()
    expect(desk.get_by_test_id("overview-row-421121")).to_be_visible()
    expect(desk.get_by_test_id("overview-packs-421123")).to_contain_text("point_values")
    expect(desk.get_by_test_id("overview-unclosed-421123")).to_be_visible()  # leave and scores per center
    _shot(desk, "overview_desktop")
    desk.get_by_test_id("overview-rules-421123").click()
    expect(desk.locator('[data-testid="pack-editor"]')).to_be_visible()
    own = current_user(desk, rc_server)["tenant"]["id"]
    assert "/t/" in desk.url and f"/t/{own}/" not in desk.url  # the center's rules: its id is in the URL
    expect(desk.get_by_test_id("scope-banner")).to_contain_text("罗田县政务服务中心")  # ... and said plainly
    desk.get_by_test_id("scope-back").click()
    desk.get_by_test_id("nav-home").click()
    desk.get_by_test_id("overview-open-421123").click()  # its pages, in its scope
    desk.wait_for_url("**/attendance-board")
    assert "/t/" in desk.url and f"/t/{own}/" not in desk.url
    expect(desk.get_by_test_id("scope-banner")).to_contain_text("罗田县政务服务中心")
    expect(desk.get_by_test_id("board-table")).to_be_visible()
    _shot(desk, "overview_open_center_board")
    desk.get_by_test_id("scope-back").click()
    expect(desk.get_by_test_id("scope-banner")).to_have_count(0)
    login(phone, rc_server, "county_admin")  # a county sees its township, read-only
    expect(phone.get_by_test_id("overview-row-421121-101")).to_be_visible()
    expect(phone.get_by_test_id("overview-rules-421121-101")).to_have_count(0)
    _shot(phone, "overview_phone_county")


def test_what_if_before_saving(desk: Page, rc_server: Server) -> None:
    login(desk, rc_server, "luotian_admin")
    desk.goto(tenant_url(desk, rc_server, "/rules?pack=work_hours"))
    expect(desk.locator('[data-testid="pack-editor"][data-pack="work_hours"]')).to_be_visible()
    start = desk.locator("#root_weekly_sessions_0_start")
    expect(start).to_have_value("08:00")
    start.fill("09:00")
    desk.get_by_test_id("rules-save").click()
    expect(desk.get_by_test_id("diff-table")).to_be_visible()
    desk.get_by_test_id("impact-tab").click()
    summary = desk.get_by_test_id("impact-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("2026-02")
    # 罗田 scores by points (002 考核办法): the people table shows each person's score and pay before and after
    expect(desk.get_by_test_id("impact-table")).to_contain_text("考核得分")
    expect(desk.get_by_test_id("impact-table")).to_contain_text("考核资金（元）")
    _shot(desk, "whatif_desktop")
    desk.locator(".ant-modal-content").screenshot(path=str(SHOTS / "whatif_panel.png"))
    # nothing was saved by looking
    versions = desk.request.get(f"{rc_server.url}/api/t/{_tenant(desk, rc_server)}/packs/work_hours/versions").json()
    assert len(versions) == 1


def _tenant(page: Page, server: Server) -> str:
    return str(page.request.get(f"{server.url}/api/auth/me").json()["tenant"]["id"])


def test_province_previews_a_locked_change_over_its_centers(desk: Page, rc_server: Server) -> None:
    """The province locks a late grace of 10 minutes: the what-if tab's 下级中心 view evaluates its centers within
    the time budget and names the centers it sampled (and those it left out)."""
    login(desk, rc_server, "prov_admin")
    desk.goto(tenant_url(desk, rc_server, "/rules?pack=work_hours"))
    expect(desk.locator('[data-testid="pack-editor"][data-pack="work_hours"]')).to_be_visible()
    grace = desk.locator("#root_late_grace_minutes")
    grace.fill("10")
    desk.get_by_test_id("rules-save").click()
    expect(desk.get_by_test_id("diff-table")).to_be_visible()
    desk.get_by_test_id("impact-tab").click()
    desk.get_by_test_id("impact-scope-subtree").click()
    summary = desk.get_by_test_id("impact-subtree-summary")
    expect(summary).to_be_visible(timeout=30000)
    expect(summary).to_contain_text("2026-02")
    expect(summary).to_contain_text("已抽样")
    _shot(desk, "whatif_province_subtree")
    desk.locator(".ant-modal-content").screenshot(path=str(SHOTS / "whatif_subtree_panel.png"))  # README picture
