"""Constants and helpers shared by the e2e tests."""

from __future__ import annotations

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
