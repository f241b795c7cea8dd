"""Constants and helpers shared by the e2e tests."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

# Password of every account that `govhall demo` creates.
DEMO_PASSWORD = "Demo@12345"

DEMO_USERS = (
    "prov_admin",
    "city_admin",
    "county_admin",
    "luotian_admin",
    "township_admin",
    "county_chief",
    "county_duty",
    "county_clerk",
    "city_clerk",
)


def login(page: Page, server: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form and wait until the app has left /login."""
    page.goto(f"{server.url}/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login" not in url)


def logout(page: Page) -> None:
    """Click the header's logout and wait for the login form: the logout POST must finish before the next
    navigation, or the still-valid session sends /login straight back to the home page."""
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-submit")).to_be_visible()


def current_user(page: Page, server: Any) -> dict[str, Any]:
    """GET /api/auth/me with the cookies of the page's browser context."""
    response = page.request.get(f"{server.url}/api/auth/me")
    assert response.ok, f"/api/auth/me answered {response.status}"
    return response.json()


def tenant_url(page: Page, server: Any, path: str = "/", tenant: str | None = None) -> str:
    """The UI address of `path` ('/staff', '/leave?tab=inbox') inside a tenant: /t/{tenant}/staff. The tenant
    defaults to the logged-in user's home tenant; every page of the app lives under one (issue 9)."""
    tenant = tenant or str(current_user(page, server)["tenant"]["id"])
    rest = "" if path in ("", "/") else path if path.startswith("/") else f"/{path}"
    return f"{server.url}/t/{tenant}{rest}"


def open_page(page: Page, server: Any, path: str = "/", tenant: str | None = None) -> None:
    """Go to `path` inside a tenant (see tenant_url) and wait until the app shows it."""
    page.goto(tenant_url(page, server, path, tenant))
    expect(page.get_by_test_id("nav-menu").or_(page.get_by_test_id("menu-toggle")).first).to_be_visible()


def date_input(page: Page, test_id: str, value: str) -> None:
    """Set an Ant Design date picker to a day ("2026-03-02") or a month picker to a month ("2026-02").

    A month is chosen on the picker's panel (year header, then the month cell): a zh-CN month picker shows
    "2026年3月" and re-writes its text while one types, so typing could leave "2026年3月2026-02". A day is typed after
    select-all + Delete; the field is checked for such leftovers before Enter, and the picker must close.
    """
    field = page.locator(f'[data-testid="{test_id}"] input, input[data-testid="{test_id}"]').first
    if re.fullmatch(r"\d{4}-\d{2}", value):
        _pick_month(page, field, int(value[:4]), int(value[5:]))
        return
    for _attempt in range(3):
        field.click()
        field.press("ControlOrMeta+a")
        field.press("Delete")
        field.press_sequentially(value)
        # the picker may re-format a valid value as it is typed; older text in front of it must never be there
        expect(field).not_to_have_value(re.compile(".+" + re.escape(value) + "$"))
        field.press("Enter")
        try:
            expect(page.locator(".ant-picker-dropdown:visible")).to_have_count(0, timeout=2_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
    raise AssertionError(f"the picker {test_id} did not take {value!r} (it shows {field.input_value()!r})")


def _pick_month(page: Page, field: Any, year: int, month: int) -> None:
    field.click()
    panel = page.locator(".ant-picker-dropdown:visible")
    expect(panel.locator(".ant-picker-month-panel")).to_be_visible()
    for _step in range(50):
        shown = int(re.sub(r"\D", "", panel.locator(".ant-picker-year-btn").inner_text()) or 0)
        if shown == year:
            break
        panel.locator(".ant-picker-header-super-prev-btn" if shown > year else ".ant-picker-header-super-next-btn").click()
    else:
        raise AssertionError(f"the month picker did not reach {year}")
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    label = re.compile(rf"^\s*({month}月|{names[month - 1]})\s*$")
    panel.locator(".ant-picker-cell-in-view .ant-picker-cell-inner").filter(has_text=label).first.click()
    expect(panel).to_have_count(0)


def pick_time(page: Page, picker_test_id: str, hour: str, minute: str) -> None:
    """Set a time with an Ant Design TimePicker's panel: open it, wait for the panel, click the hour and the
    minute cells until each shows as selected (a click during the panel's opening animation or its column scroll
    can be lost), then OK."""
    page.get_by_test_id(picker_test_id).click()
    panel = page.locator(".ant-picker-dropdown:visible")
    expect(panel.locator(".ant-picker-time-panel")).to_be_visible()
    columns = panel.locator(".ant-picker-time-panel-column")
    for index, text in ((0, hour), (1, minute)):
        cell = columns.nth(index).locator(".ant-picker-time-panel-cell").filter(
            has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first
        for _attempt in range(5):
            cell.scroll_into_view_if_needed()
            cell.click()
            try:
                expect(cell).to_have_class(re.compile(r"ant-picker-time-panel-cell-selected"), timeout=1_500)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError(f"the time cell {text} of {picker_test_id} was not selected")
    ok = panel.locator(".ant-picker-ok button")
    expect(ok).to_be_enabled()
    ok.click()
    expect(panel).to_have_count(0)
