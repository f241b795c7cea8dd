"""Issue 16 in the browser: the tenants page opens a level at a time and searches on the server; the jobs page shows a
background job's progress and its download."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.helpers import login

SHOTS = Path("/work/notes/shots-tree") if Path("/work/notes").is_dir() else Path(__file__).parent / "artifacts"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_tenant_tree_levels_and_search(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    login(page, server, "prov_admin")
    page.get_by_test_id("nav-tenants").click()
    expect(page.get_by_test_id("tenant-row-421100")).to_be_visible()  # the province opened to its cities
    expect(page.get_by_test_id("tenant-row-421121")).to_have_count(0)
    page.locator("[data-row-key] .ant-table-row-expand-icon-collapsed").first.click()  # open a city
    expect(page.get_by_test_id("tenant-row-421121")).to_be_visible()
    _shot(page, "tenants_tree")
    page.get_by_test_id("tenant-search").fill("罗田")
    expect(page.get_by_test_id("tenant-search-results")).to_contain_text("421123")
    _shot(page, "tenants_search")


def test_jobs_page_shows_a_finished_export(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    login(page, server, "county_admin")
    me = page.request.get(f"{server.url}/api/auth/me").json()
    tid = me["tenant"]["id"]
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    r = page.request.post(f"{server.url}/api/t/{tid}/jobs", data={"kind": "attendance.sheet_xlsx", "params": {}},
                          headers={"x-csrftoken": token})
    assert r.status == 202, r.text()
    job = r.json()["id"]
    page.goto(f"{server.url}/t/{tid}/jobs")
    expect(page.get_by_test_id(f"job-download-{job}")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id(f"job-state-{job}")).to_contain_text("已完成")
    _shot(page, "jobs_page")
