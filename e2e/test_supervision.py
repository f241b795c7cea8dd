"""Supervision end to end on a phone: the county duty officer (刘值班) starts a patrol, taps 张敏 at window 02,
records 未佩证上岗 with a photo and submits; 张敏 sees the deduction with that photo on her April card. Then the
same day, the same two patrols in two centers: the county (000 篇七 七(二): at least 4 a day, 2 + 2) is not
compliant, the city (004/4 三.1: twice a day) is.

The server runs with ``GOVHALL_TEST_NOW=2026-04-08T10:00:00+08:00`` (a Wednesday).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Server, _open_page, running_server
from e2e.helpers import login, logout

pytestmark = pytest.mark.e2e

NOW = "2026-04-08T10:00:00+08:00"
SHOTS = Path("/work/notes/shots-supervision")


@pytest.fixture(scope="module")
def clock_server() -> Iterator[Server]:
    with running_server("govhall-e2e-supervision-", GOVHALL_TEST_NOW=NOW) as srv:
        yield srv


@pytest.fixture
def desk(request: pytest.FixtureRequest, browser: Browser, clock_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, clock_server, viewport={"width": 1280, "height": 900},
                          timezone_id="Asia/Shanghai")


@pytest.fixture
def phone(request: pytest.FixtureRequest, browser: Browser, clock_server: Server) -> Iterator[Page]:
    yield from _open_page(request, browser, clock_server, viewport={"width": 390, "height": 844},
                          device_scale_factor=2, is_mobile=True, has_touch=True, timezone_id="Asia/Shanghai")


def shot(page: Page, name: str) -> None:
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 40, 40)).save(buf, "JPEG")
    return buf.getvalue()


def plain_patrol(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/supervision?tab=patrol")
    page.get_by_test_id("patrol-start").click()
    expect(page.get_by_test_id("patrol-running")).to_be_visible()
    page.get_by_test_id("patrol-submit").click()
    expect(page.get_by_test_id("patrol-done")).to_be_visible()


def test_a_patrol_finding_with_a_photo_reaches_the_clerks_card(phone: Page, clock_server: Server) -> None:
    login(phone, clock_server, "county_duty")
    phone.goto(f"{clock_server.url}/supervision?tab=patrol")
    expect(phone.get_by_test_id("patrol-progress")).to_contain_text("上午 0/2")
    shot(phone, "phone-patrol-home")
    phone.get_by_test_id("patrol-start").click()
    phone.get_by_test_id("patrol-person-张敏").click()
    phone.get_by_test_id("finding-item-no_badge").click()
    phone.get_by_test_id("finding-note").fill("工作牌未佩戴")
    phone.locator(".ant-modal input[type=file]").set_input_files(
        files=[{"name": "badge.jpg", "mimeType": "image/jpeg", "buffer": photo()}])
    expect(phone.locator(".ant-modal .ant-upload-list-item-done")).to_have_count(1)
    phone.get_by_test_id("finding-add").click()
    expect(phone.get_by_test_id("patrol-findings")).to_contain_text("张敏")
    shot(phone, "phone-patrol-running")
    phone.get_by_test_id("patrol-submit").click()
    expect(phone.get_by_test_id("patrol-done")).to_contain_text("1 条已记入考核")
    expect(phone.get_by_test_id("patrol-progress")).to_contain_text("上午 1/2")
    logout(phone)

    login(phone, clock_server, "county_clerk")
    phone.goto(f"{clock_server.url}/assessment?tab=my")
    picker = phone.get_by_test_id("my-month").locator("input")
    picker.click()
    picker.press("Control+a")
    picker.fill("2026-04")
    picker.press("Enter")
    service = phone.get_by_test_id("cat-service")
    expect(service).to_contain_text("不佩证上岗")
    expect(service).to_contain_text("-1 分")
    expect(service.locator("img")).to_have_count(1)
    shot(phone, "phone-clerk-card")
    logout(phone)


def test_two_centers_four_versus_two_patrols_a_day(phone: Page, desk: Page, clock_server: Server) -> None:
    for user in ("county_duty", "city_duty"):
        login(phone, clock_server, user)
        plain_patrol(phone, clock_server)
        plain_patrol(phone, clock_server)
        logout(phone)
    rows = {}
    for admin in ("county_admin", "city_admin"):
        login(desk, clock_server, admin)
        desk.goto(f"{clock_server.url}/supervision?tab=compliance")
        row = desk.get_by_test_id("compliance-2026-04-08")
        expect(row).to_be_visible()
        rows[admin] = row
        if admin == "county_admin":
            # the first test's patrol makes three; four are required, two each half day: not compliant
            expect(row.get_by_test_id("compliance-total")).to_contain_text("/4")
            expect(row.get_by_test_id("compliance-result")).to_have_text("未达标")
            shot(desk, "desk-compliance-county")
            desk.goto(f"{clock_server.url}/supervision?tab=history")
            expect(desk.get_by_test_id("history-photo").first).to_be_visible()
            shot(desk, "desk-history-county")
            desk.goto(f"{clock_server.url}/supervision?tab=rota")
            expect(desk.get_by_test_id("rota")).to_contain_text("人员轮流值周")
            shot(desk, "desk-rota-county")
            desk.goto(f"{clock_server.url}/supervision?tab=log")
            expect(desk.get_by_test_id("duty-log-2026-04-08")).to_contain_text("未佩证上岗")
            shot(desk, "desk-duty-log-county")
            desk.goto(f"{clock_server.url}/supervision?tab=meeting")
            expect(desk.get_by_test_id("meeting-day")).to_contain_text("2026-04-03")
            shot(desk, "desk-meeting-county")
        else:
            expect(row.get_by_test_id("compliance-total")).to_contain_text("2/2")
            expect(row.get_by_test_id("compliance-result")).to_have_text("达标")
            shot(desk, "desk-compliance-city")
        logout(desk)
