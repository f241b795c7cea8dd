"""Corrections by the center (考勤更正, issue 13), end to end.

The server of this module runs on its own database with ``GOVHALL_TEST_NOW=2026-03-06T10:00:00+08:00`` (a Friday):
Monday 2 March is final (48 hours after its end). In 团风 (the county hall: 08:30-12:00, 14:30-18:00) two new
clerks are registered and their terminal delivers only the afternoon of 2 March: the terminal failed that
morning, so the sheet shows 旷 (half a day of absence) for both. The center admin corrects the morning of 2 March
for the two, as present, with a reason and the repair report; the sheet then shows 更 and no absence, with the
correction in the cell's tooltip, and the corrections list shows it.
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

NOW = "2026-03-06T10:00:00+08:00"
SHOTS = Path("/work/notes/shots-webui")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="module")
def corr_server() -> Iterator[Server]:
    with running_server("govhall-e2e-corr-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, corr_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, corr_server, viewport={"width": 1440, "height": 900},
                          timezone_id="Asia/Shanghai")


def _shot(page: Page, name: str) -> None:
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))
    except OSError:  # pragma: no cover - screenshots are a by-product
        pass


def _csrf(page: Page) -> dict[str, str]:
    return {"x-csrftoken": next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")}


def _two_clerks_with_afternoon_punches(page: Page, server: Server, tid: str) -> list[tuple[str, str]]:
    """Two new clerks (names unique to this run) and a terminal that delivered their 2 March afternoon only."""
    tag = uuid.uuid4().hex[:4].upper()
    people = [(f"更正甲{tag}", f"C{tag}1"), (f"更正乙{tag}", f"C{tag}2")]
    for name, no in people:
        r = page.request.post(f"{server.url}/api/t/{tid}/staff", headers=_csrf(page),
                              data={"name": name, "employeeNo": no})
        assert r.status == 201, r.text()
    serial = f"E2E{tag}"
    r = page.request.post(f"{server.url}/api/t/{tid}/devices", headers=_csrf(page),
                          data={"serialNumber": serial, "name": "东门考勤机", "allowedNetworks": []})
    assert r.ok, r.text()
    token = r.json()["token"]
    punches = [{"pin": no, "time": t} for _n, no in people for t in ("2026-03-02T14:21:00", "2026-03-02T18:04:00")]
    r = page.request.post(f"{server.url}/api/devices/punches", data={"punches": punches, "pending": 0},
                          headers={"X-Device-Serial": serial, "Authorization": f"Bearer {token}"})
    assert r.ok, r.text()
    assert r.json()["accepted"] == 4, r.text()
    return people


def test_center_corrects_a_morning_for_two_clerks(desk: Page, corr_server: Server) -> None:
    page = desk
    login(page, corr_server, "county_admin")
    tid = str(current_user(page, corr_server)["tenant"]["id"])
    (a_name, a_no), (b_name, b_no) = _two_clerks_with_afternoon_punches(page, corr_server, tid)
    tag = a_no[1:5]

    # the sheet of March: the morning of 2 March is absence for both (the terminal failed)
    page.goto(tenant_url(page, corr_server, "/attendance-sheet"))
    page.get_by_test_id("sheet-search").fill("更正")
    page.get_by_test_id("sheet-search").press("Enter")
    before: dict[str, int] = {}
    for no in (a_no, b_no):
        expect(page.get_by_test_id(f"cell-{no}-2026-03-02")).to_have_attribute("data-finding", "absence")
        # 2 March's morning, and the later final workdays without any punch (a whole day each)
        before[no] = int(page.get_by_test_id(f"absence-{no}").inner_text().split()[0])
        assert before[no] % 2 == 1, before

    # 考勤更正: the morning of 2 March, both by name, as present, with the reason and the repair report
    page.get_by_test_id("nav-attendanceCorrections").first.click()
    expect(page.get_by_test_id("page-corrections")).to_be_visible()
    page.get_by_test_id("corr-new").click()
    modal = page.locator(".ant-modal:visible")
    dates = modal.locator(".ant-picker-range input")
    dates.nth(0).click()
    dates.nth(0).fill("2026-03-02")
    dates.nth(0).press("Enter")
    dates.nth(1).fill("2026-03-02")
    dates.nth(1).press("Enter")
    expect(modal.locator("label.ant-radio-button-wrapper-checked").first).to_contain_text("上午")
    staff = modal.locator(".ant-form-item", has_text="按姓名").locator(".ant-select")
    for name in (a_name, b_name):
        staff.click()
        staff.locator("input").fill(tag)
        page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text=name).click()
    page.keyboard.press("Escape")
    modal.get_by_test_id("corr-reason").fill("东门考勤机故障（已报修），当日上午两人均在岗")
    modal.locator("input[type=file]").set_input_files(
        files=[{"name": "考勤机报修单.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    expect(modal.locator(".ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)")
           .first).to_be_visible()
    _shot(page, "1_correction_form")
    modal.get_by_test_id("corr-submit").click()
    expect(page.locator(".ant-modal:visible")).to_have_count(0)
    table = page.get_by_test_id("corr-table")
    expect(table).to_contain_text("2026年3月2日")
    expect(table).to_contain_text("2 人")
    expect(table).to_contain_text(a_name)
    expect(table).to_contain_text("考勤机报修单.pdf")
    _shot(page, "2_corrections_list")

    # the sheet: 更 on 2 March, the absence gone, the correction in the tooltip
    page.get_by_test_id("nav-attendanceSheet").first.click()
    page.get_by_test_id("sheet-search").fill("更正")
    page.get_by_test_id("sheet-search").press("Enter")
    for no in (a_no, b_no):
        cell = page.get_by_test_id(f"cell-{no}-2026-03-02")
        expect(cell).to_have_attribute("data-finding", "on_time")
        expect(cell).to_have_attribute("data-corrected", "true")
        expect(page.get_by_test_id(f"corr-{no}-2026-03-02")).to_have_text("更")
        expect(page.get_by_test_id(f"absence-{no}")).to_contain_text(str(before[no] - 1))
    page.get_by_test_id(f"corr-{a_no}-2026-03-02").hover()
    expect(page.locator(".ant-tooltip:visible")).to_contain_text("东门考勤机故障")
    expect(page.locator(".ant-tooltip:visible")).to_contain_text("上午")
    _shot(page, "3_sheet_with_correction")

    # voiding it (audited, kept): the absence is back, the list shows it void
    page.get_by_test_id("nav-attendanceCorrections").first.click()
    row = page.get_by_test_id("corr-table").locator("tr", has_text=a_name)
    row.locator("[data-testid^=corr-void-]").click()
    page.get_by_test_id("corr-void-reason").fill("日期选错")
    page.get_by_test_id("corr-void-submit").click()
    expect(row.locator("[data-status=void]")).to_be_visible()
    _shot(page, "4_correction_voided")
    page.get_by_test_id("nav-attendanceSheet").first.click()
    page.get_by_test_id("sheet-search").fill("更正")
    page.get_by_test_id("sheet-search").press("Enter")
    expect(page.get_by_test_id(f"cell-{a_no}-2026-03-02")).to_have_attribute("data-finding", "absence")
    expect(page.get_by_test_id(f"absence-{a_no}")).to_contain_text(str(before[a_no]))
