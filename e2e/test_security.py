"""Security settings a person makes in the browser: a terminal's allowed addresses (then the terminal itself,
over HTTP, is refused or accepted); a platform admin appointing and revoking a provincial admin (then the
appointee's next request in a county is allowed, and after the revoke denied)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.helpers import current_user, login

pytestmark = pytest.mark.e2e


def test_center_admin_limits_a_terminal_to_its_network(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    serial = f"E2E{uuid.uuid4().hex[:8].upper()}"
    login(page, server, "county_admin")
    page.get_by_test_id("nav-devices").click()
    page.get_by_test_id("device-new").click()
    page.get_by_test_id("device-serial").fill(serial)
    page.get_by_test_id("device-name").fill("一楼人脸机")
    page.get_by_test_id("device-form-submit").click()
    expect(page.get_by_test_id("device-token")).to_be_visible()
    page.get_by_role("button", name="完成").click()
    # a new terminal's default allow-list is the registering admin's network (issue 8 item 4; was any address)
    expect(page.get_by_test_id(f"device-networks-{serial}")).to_contain_text("127.0.0.0/24")

    def handshake() -> httpx.Response:
        return httpx.get(f"{server.url}/iclock/cdata", params={"SN": serial, "options": "all"}, timeout=10)

    assert handshake().status_code == 200  # the terminal (this test, 127.0.0.1) is in the admin's network

    page.get_by_test_id(f"device-edit-networks-{serial}").click()
    page.get_by_test_id("device-networks-input").fill("10.12.0.0/16\n192.168.1.20")
    page.get_by_test_id("device-networks-form-submit").click()
    expect(page.get_by_test_id(f"device-networks-{serial}")).to_contain_text("10.12.0.0/16")
    expect(page.get_by_test_id(f"device-networks-{serial}")).to_contain_text("192.168.1.20/32")
    refused = handshake()
    # answered like an unknown serial: the ADMS endpoint is no oracle (the reason is in the log)
    assert refused.status_code == 403 and refused.json()["code"] == "unknown_device"

    page.get_by_test_id(f"device-edit-networks-{serial}").click()  # a typo is shown at the field
    page.get_by_test_id("device-networks-input").fill("10.12.0.300")
    page.get_by_test_id("device-networks-form-submit").click()
    expect(page.get_by_test_id("device-networks-form")).to_contain_text("地址格式不正确")
    page.get_by_test_id("device-networks-input").fill("127.0.0.0/8")
    page.get_by_test_id("device-networks-form-submit").click()
    expect(page.get_by_test_id(f"device-networks-{serial}")).to_contain_text("127.0.0.0/8")
    assert handshake().status_code == 200


def test_platform_admin_appoints_and_revokes_a_provincial_admin(page: Page, browser: Browser, server) -> None:  # type: ignore[no-untyped-def]
    username = f"e2e_prov_{uuid.uuid4().hex[:6]}"
    login(page, server, "platform_admin")
    page.get_by_test_id("nav-tenants").click()
    page.get_by_test_id("provincial-admins-420000").click()
    expect(page.get_by_test_id("provincial-table")).to_contain_text("prov_admin")
    page.get_by_test_id("provincial-username").fill(username)
    page.get_by_test_id("provincial-display-name").fill("新任省级管理员")
    page.get_by_test_id("provincial-appoint-submit").click()
    expect(page.get_by_test_id("provincial-otp")).to_be_visible()
    otp = page.get_by_test_id("provincial-otp").input_value()
    expect(page.get_by_test_id("provincial-table")).to_contain_text(username)

    context = browser.new_context(locale="zh-CN")
    try:
        appointee = context.new_page()
        login(appointee, server, username, otp)
        appointee.wait_for_url("**/change-password")
        appointee.get_by_test_id("pw-current").fill(otp)
        appointee.get_by_test_id("pw-new").fill("Prov#2026ok")
        appointee.get_by_test_id("pw-confirm").fill("Prov#2026ok")
        appointee.get_by_test_id("pw-submit").click()
        expect(appointee.get_by_test_id("home-welcome")).to_be_visible()
        assert current_user(appointee, server)["roles"] == ["provincial_admin"]
        appointee.get_by_test_id("nav-tenants").click()
        appointee.get_by_test_id("tenant-search").fill("421121")  # the province's subtree, searched server-side
        expect(appointee.get_by_test_id("tenant-row-421121")).to_be_visible()
        tree = appointee.request.get(f"{server.url}/api/tenants?searchString=421121").json()["tenants"]
        county = next(t["id"] for t in tree if t["divisionCode"] == "421121")
        assert appointee.request.get(f"{server.url}/api/t/{county}/staff").status == 200

        page.get_by_test_id(f"provincial-revoke-{username}").click()
        page.get_by_test_id("provincial-revoke-confirm").click()
        expect(page.get_by_test_id("provincial-table")).not_to_contain_text(username)
        assert appointee.request.get(f"{server.url}/api/t/{county}/staff").status == 403  # the next request
    finally:
        context.close()


def test_the_ui_runs_under_the_content_security_policy(browser: Browser, server) -> None:  # type: ignore[no-untyped-def]
    """Issue 8 item 11: the built UI works with the CSP (no violation reported by Chromium) on the pages the
    security work touched: login, users (accounts without authority are marked), change password; desktop and
    phone widths. The platform admin's home is the reserved platform tenant (item 1)."""
    import os

    shots = "/tmp/shots-security-a"
    os.makedirs(shots, exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        response = page.goto(f"{server.url}/login")
        assert response is not None and "frame-ancestors 'none'" in response.headers["content-security-policy"]
        page.screenshot(path=f"{shots}/login-{width}.png")
        login(page, server, "county_admin")
        page.goto(f"{server.url}/users")
        expect(page.get_by_test_id("user-row-county_clerk")).to_be_visible()
        page.screenshot(path=f"{shots}/users-{width}.png", full_page=True)
        page.goto(f"{server.url}/change-password")
        page.get_by_test_id("pw-current").fill("Demo@12345")
        page.get_by_test_id("pw-new").fill("Passw0rd")
        page.get_by_test_id("pw-confirm").fill("Passw0rd")
        page.get_by_test_id("pw-submit").click()
        expect(page.get_by_text("密码过于常见")).to_be_visible()
        page.screenshot(path=f"{shots}/password-{width}.png", full_page=True)
        context.close()
        assert not violations, violations
    page = browser.new_page()
    login(page, server, "platform_admin")
    expect(page.get_by_test_id("home-welcome")).to_be_visible()
    expect(page.locator("body")).to_contain_text("平台")
    assert current_user(page, server)["tenant"]["level"] == "platform"
    page.screenshot(path=f"{shots}/platform-home-1280.png")
    page.close()
