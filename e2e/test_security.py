"""Security settings a person makes in the browser: a terminal's allowed addresses (then the terminal itself,
over HTTP, is refused or accepted)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import login

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
    expect(page.get_by_test_id(f"device-networks-{serial}")).to_contain_text("任意地址")

    def handshake() -> httpx.Response:
        return httpx.get(f"{server.url}/iclock/cdata", params={"SN": serial, "options": "all"}, timeout=10)

    assert handshake().status_code == 200  # the terminal (this test, 127.0.0.1) connects from anywhere

    page.get_by_test_id(f"device-edit-networks-{serial}").click()
    page.get_by_test_id("device-networks-input").fill("10.12.0.0/16\n192.168.1.20")
    page.get_by_test_id("device-networks-form-submit").click()
    expect(page.get_by_test_id(f"device-networks-{serial}")).to_contain_text("10.12.0.0/16")
    expect(page.get_by_test_id(f"device-networks-{serial}")).to_contain_text("192.168.1.20/32")
    refused = handshake()
    assert refused.status_code == 403 and refused.json()["code"] == "device_address_refused"

    page.get_by_test_id(f"device-edit-networks-{serial}").click()  # a typo is shown at the field
    page.get_by_test_id("device-networks-input").fill("10.12.0.300")
    page.get_by_test_id("device-networks-form-submit").click()
    expect(page.get_by_test_id("device-networks-form")).to_contain_text("地址格式不正确")
    page.get_by_test_id("device-networks-input").fill("127.0.0.0/8")
    page.get_by_test_id("device-networks-form-submit").click()
    expect(page.get_by_test_id(f"device-networks-{serial}")).to_contain_text("127.0.0.0/8")
    assert handshake().status_code == 200
