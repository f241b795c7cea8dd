"""Uploads in the browser: the center admin imports a roster on the staff page; the 36 KB spreadsheet of
4 million empty rows is refused at once with a message in Chinese, a real roster imports (desktop and phone)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import login, tenant_url
from tests.files.test_roster_limits import XLSX, empty_rows_bomb

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-shared")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _roster(tag: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "工号", "电话"])
    ws.append(["上传测试甲", f"UP{tag}1", "13800000001"])
    ws.append([])  # an empty row in between is fine
    ws.append(["上传测试乙", f"UP{tag}2", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _import(page: Page, name: str, content: bytes) -> None:
    page.locator("[data-testid=page-staff] input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": content}])


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_roster_bomb_is_refused_and_a_roster_imports(request, server, device: str) -> None:  # type: ignore[no-untyped-def]
    page: Page = request.getfixturevalue(device)
    login(page, server, "county_admin")
    page.goto(tenant_url(page, server, "/staff"))
    expect(page.get_by_test_id("page-staff")).to_be_visible()
    _import(page, "花名册.xlsx", empty_rows_bomb())
    expect(page.locator(".ant-message").filter(has_text="压缩炸弹")).to_be_visible()
    _shot(page, f"roster_bomb_{device}")
    tag = uuid.uuid4().hex[:5].upper()
    _import(page, "花名册.xlsx", _roster(tag))
    expect(page.locator(".ant-message").filter(has_text="新增 2 人")).to_be_visible()
    page.get_by_test_id("staff-search").fill(f"UP{tag}")
    page.get_by_test_id("staff-search").press("Enter")
    expect(page.locator("[data-testid=staff-name]:visible").filter(has_text="上传测试乙").first).to_be_visible()
    _shot(page, f"roster_imported_{device}")
