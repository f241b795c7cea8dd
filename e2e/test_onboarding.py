"""Onboarding end to end in the browser: a provincial admin onboards a county from the county-hall template; the
new center admin logs in with the one-time password, is forced to change it, and creates a window, a chief
representative and a clerk; the clerk sees no admin pages and gets 403 on admin URLs (UI and API), and clocks in at
once (the template's packs are on: nobody enabled a pack by hand); the chief's board shows the clerk with the
template's hours (issue 12, D-1).

The server runs with ``GOVHALL_TEST_NOW=2026-03-02T08:10:00+08:00`` (a Monday morning; the clock runs on), so
clocking in is inside the template's punch window whatever the real time."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import Server, running_server
from e2e.helpers import current_user, login, logout

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parent / "artifacts"
ADMIN_NAV = ("tenants", "org", "staff", "users", "backup", "devices", "audit")
NOW = "2026-03-02T08:10:00+08:00"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server("govhall-e2e-onb-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"onboarding_{name}.png"), full_page=True)


def _pick(page: Page, test_id: str, option: str) -> None:
    """Choose an option of an antd Select by its visible label."""
    page.get_by_test_id(test_id).click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=option).first.click()


def _change_password(page: Page, old: str, new: str) -> None:
    page.wait_for_url("**/change-password")
    page.get_by_test_id("pw-current").fill(old)
    page.get_by_test_id("pw-new").fill(new)
    page.get_by_test_id("pw-confirm").fill(new)
    page.get_by_test_id("pw-submit").click()
    expect(page.get_by_test_id("home-welcome")).to_be_visible()


def test_onboard_a_county_and_run_it(page: Page, server) -> None:
    sfx = uuid.uuid4().hex[:4]
    code, admin_user = f"421125-{sfx}", f"xishui_admin_{sfx}"
    center = f"浠水县政务服务中心{sfx}"

    # 1. the provincial admin onboards a county under the city
    login(page, server, "prov_admin")
    page.get_by_test_id("nav-tenants").click()
    expect(page.get_by_test_id("tenant-row-421100")).to_be_visible()  # the province open, its cities listed
    expect(page.get_by_test_id("tenant-row-421121")).to_have_count(0)  # counties load when their city opens
    page.get_by_test_id("onboard-under-421100").click()
    page.get_by_test_id("onboard-level-county").click()
    page.get_by_test_id("onboard-division-code").fill(code)
    page.get_by_test_id("onboard-name").fill(center)
    _shot(page, "1_wizard_where")
    page.get_by_test_id("onboard-next").click()
    page.get_by_test_id("onboard-template-county_hall").click()
    page.get_by_test_id("onboard-next").click()
    page.get_by_test_id("onboard-admin-name").fill("浠水管理员")
    page.get_by_test_id("onboard-admin-username").fill(admin_user)
    page.get_by_test_id("onboard-submit").click()
    expect(page.get_by_test_id("onboard-success")).to_contain_text(center)
    otp = page.get_by_test_id("onboard-otp").input_value()
    assert len(otp) >= 12
    _shot(page, "2_wizard_done_otp")
    page.get_by_test_id("onboard-close").click()
    expect(page.get_by_test_id(f"tenant-row-{code}")).to_be_visible()
    _shot(page, "3_tenant_tree")
    logout(page)

    # 2. the new center admin: one-time password, forced change
    login(page, server, admin_user, otp)
    _change_password(page, otp, "Xishui#2026a")
    me = current_user(page, server)
    tid = me["tenant"]["id"]
    assert me["tenant"]["name"] == center and me["roles"] == ["center_admin"]
    # the template's packs are on, as version 1 from the onboarding day, saved by the provincial admin
    packs = page.request.get(f"{server.url}/api/t/{tid}/packs").json()
    assert sorted(p["name"] for p in packs if p["enabled"]) == [
        "attendance_rules", "complaints", "leave_quotas", "patrols", "point_values", "red_flag", "uniform_seasons", "work_hours"]
    versions = page.request.get(f"{server.url}/api/t/{tid}/packs/work_hours/versions").json()
    assert [(v["version"], v["effectiveFrom"], v["changedBy"]) for v in versions] == [(1, "2026-03-02", "省级管理员")]

    # 3. a department and a window
    page.get_by_test_id("nav-org").click()
    page.get_by_test_id("dept-new").click()
    page.get_by_test_id("dept-name").fill("县市场监督管理局")
    page.get_by_test_id("dept-code").fill("SJ")
    page.get_by_test_id("dept-form-submit").click()
    expect(page.get_by_test_id("dept-table")).to_contain_text("县市场监督管理局")
    page.get_by_test_id("window-new").click()
    _pick(page, "window-department", "县市场监督管理局")
    page.get_by_test_id("window-number").fill("01")
    page.get_by_test_id("window-name").fill("市场主体登记窗口")
    page.get_by_test_id("window-form-submit").click()
    expect(page.get_by_test_id("window-table")).to_contain_text("市场主体登记窗口")
    _shot(page, "4_departments_windows")

    # 4. two staff members at that window
    page.get_by_test_id("nav-staff").click()
    for name, no in (("李首席", "X001"), ("王窗口", "X002")):
        page.get_by_test_id("staff-new").click()
        page.get_by_test_id("staff-form-name").fill(name)
        page.get_by_test_id("staff-form-employee-no").fill(no)
        _pick(page, "staff-form-department", "县市场监督管理局")
        _pick(page, "staff-form-window", "市场主体登记窗口")
        page.get_by_test_id("staff-save").click()
        expect(page.get_by_test_id("staff-table")).to_contain_text(name)
    _shot(page, "5_staff")

    # 5. accounts: a chief representative and a clerk, each with a one-time password
    page.get_by_test_id("nav-users").click()
    passwords = {}
    for username, name, role_label, staff in ((f"xs_chief_{sfx}", "李首席", "首席代表", "李首席（X001）"),
                                              (f"xs_clerk_{sfx}", "王窗口", "窗口工作人员", "王窗口（X002）")):
        page.get_by_test_id("user-new").click()
        form = page.get_by_test_id("user-form")
        page.get_by_test_id("user-form-username").fill(username)
        page.get_by_test_id("user-form-display-name").fill(name)
        _pick(page, "user-form-staff", staff)
        if role_label != "窗口工作人员":  # the form starts with "clerk" ticked
            form.get_by_text("窗口工作人员").click()
            form.get_by_text(role_label).click()
        page.get_by_test_id("user-save").click()
        expect(page.get_by_test_id("otp-username")).to_have_text(username)
        passwords[username] = page.get_by_test_id("otp-value").input_value()
        _shot(page, f"6_user_otp_{role_label}")
        page.get_by_test_id("otp-close").click()
        expect(page.get_by_test_id(f"user-row-{username}")).to_be_visible()
    expect(page.get_by_test_id("user-table")).to_contain_text("首席代表")
    page.get_by_test_id("tab-roles").click()
    expect(page.get_by_test_id("role-table")).to_contain_text("省级管理员")  # the province's inherited authority
    _shot(page, "7_roles")
    page.get_by_test_id("nav-audit").click()
    expect(page.get_by_test_id("audit-table")).to_contain_text("新建账号")
    page.get_by_test_id("audit-verify").click()
    expect(page.get_by_test_id("audit-status")).to_contain_text("未被篡改")
    expect(page.get_by_test_id("audit-anchor")).to_contain_text("尚无检查点")
    page.get_by_test_id("audit-checkpoint").click()  # anchor the head outside the database
    expect(page.get_by_test_id("audit-table")).to_contain_text("审计检查点")
    page.get_by_test_id("audit-verify").click()
    expect(page.get_by_test_id("audit-anchor")).to_contain_text("签名检查点")
    _shot(page, "8_audit")
    logout(page)

    # 6. the clerk: no admin pages in the menu, 403 on admin URLs and on the admin API
    clerk = f"xs_clerk_{sfx}"
    login(page, server, clerk, passwords[clerk])
    _change_password(page, passwords[clerk], "Clerk#2026ab")
    assert current_user(page, server)["roles"] == ["clerk"]
    for key in ADMIN_NAV:
        expect(page.get_by_test_id(f"nav-{key}")).to_have_count(0)
    for path in ("/org", "/staff", "/users", "/audit", "/tenants", "/devices"):
        page.goto(f"{server.url}{path}")
        expect(page.get_by_test_id("page-403")).to_be_visible()
    _shot(page, "9_clerk_403")
    for api in ("staff", "users", "roles", "audit", "departments", "devices"):
        assert page.request.get(f"{server.url}/api/t/{tid}/{api}").status == 403, api
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    r = page.request.post(f"{server.url}/api/t/{tid}/users", headers={"x-csrftoken": csrf},
                          data={"username": "sneaky", "displayName": "越权", "roles": ["center_admin"]})
    assert r.status == 403
    # ... and clocks in at once: the county-hall template's hours (8:30-12:00, 14:30-18:00) apply
    page.goto(f"{server.url}/")
    page.get_by_test_id("nav-attendance").first.click()
    page.get_by_test_id("clock-in-button").click()
    expect(page.get_by_test_id("clock-punches")).to_contain_text(re.compile(r"08:[1-5]\d"))
    expect(page.get_by_test_id("clock-sessions")).to_contain_text("08:30")
    expect(page.get_by_test_id("clock-sessions")).to_contain_text("18:00")
    _shot(page, "9b_clerk_clocked_in")
    logout(page)

    # 7. the chief representative sees the staff of the own department only
    chief = f"xs_chief_{sfx}"
    login(page, server, chief, passwords[chief])
    _change_password(page, passwords[chief], "Chief#2026ab")
    page.get_by_test_id("nav-staff").click()
    expect(page.get_by_test_id("staff-table")).to_contain_text("王窗口")
    expect(page.get_by_test_id("staff-new")).to_have_count(0)
    expect(page.get_by_test_id("nav-users")).to_have_count(0)

    # 8. ... and the department's board: the clerk is in, under the template's hours
    page.get_by_test_id("nav-attendanceBoard").first.click()
    expect(page.get_by_test_id("board-table")).to_be_visible()
    expect(page.get_by_test_id("state-X002")).to_have_attribute("data-state", "in")
    expect(page.get_by_test_id("board-table")).to_contain_text("08:30")
    _shot(page, "10_chief_board")
