"""README screenshots (issue 13): the page each persona works from, desktop and phone, from the demo data.

The server runs on its own database with ``GOVHALL_TEST_NOW=2026-03-19T10:30:00+08:00`` (a Thursday morning), so
``govhall demo`` made punches for February and March 1-18: the month views show a real month (mostly on time,
a few lates, a missed punch, leave). The pictures go to docs/screenshots/, which the README shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, running_server
from e2e.helpers import login

pytestmark = pytest.mark.e2e

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PERSONAS = (  # username, file name, the page the persona works from (after the home page)
    ("county_clerk", "clerk", "/attendance?tab=month"),
    ("county_duty", "duty-officer", "/attendance-board"),
    ("county_chief", "chief-representative", "/attendance-board"),
    ("county_admin", "center-admin", "/attendance-sheet"),
    ("prov_admin", "provincial-admin", "/"),
)
SIZES = {"desktop": {"viewport": {"width": 1280, "height": 800}},
         "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
                   "has_touch": True}}


@pytest.fixture(scope="module")
def month_server() -> Iterator[Server]:
    with running_server("govhall-e2e-shots-", GOVHALL_TEST_NOW="2026-03-19T10:30:00+08:00") as srv:
        yield srv


@pytest.mark.parametrize("size", list(SIZES))
def test_home_page_of_each_persona(browser: Browser, month_server: Server, size: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for username, name, path in PERSONAS:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **SIZES[size])  # type: ignore[arg-type]
        page: Page = context.new_page()
        try:
            login(page, month_server, username)
            page.goto(month_server.url + path)
            page.wait_for_load_state("networkidle")
            expect(page.locator(".ant-spin-spinning, .ant-spin-blur")).to_have_count(0)
            page.wait_for_timeout(500)
            page.screenshot(path=str(OUT / f"{name}-{size}.png"))
        finally:
            context.close()
    assert len(list(OUT.glob(f"*-{size}.png"))) >= len(PERSONAS)


def test_the_clerks_month_is_a_real_month(browser: Browser, month_server: Server) -> None:
    """张敏's February from the demo: mostly on time, some days late or with a missed punch, none all red."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        login(page, month_server, "county_clerk")
        page.goto(f"{month_server.url}/attendance?tab=month")
        expect(page.get_by_test_id("day-2026-03-02")).to_be_visible()
        findings = page.locator("[data-testid^='day-2026-03-'][data-finding]").evaluate_all(
            "els => els.map(e => e.getAttribute('data-finding'))")
        assert findings.count("on_time") >= 8 and findings.count("absence") <= 2, findings
        page.screenshot(path=str(OUT / "clerk-month-desktop.png"))
    finally:
        context.close()
