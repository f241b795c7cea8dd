"""The rules page (规则配置): a center admin edits work hours and uniform seasons in the schema-rendered forms,
saves with an effective date and sees the new version; invalid input is shown inline and nothing is saved;
a provincial admin locks a field for the centers below."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import current_user, login, tenant_url

pytestmark = pytest.mark.e2e


def _effective(page: Page, server, pack: str, days: int = 7) -> str:  # type: ignore[no-untyped-def]
    """`days` after the server's today for the tenant (its clock and time zone, not this machine's)."""
    tenant = current_user(page, server)["tenant"]["id"]
    response = page.request.get(f"{server.url}/api/t/{tenant}/packs/{pack}")
    assert response.ok
    return (dt.date.fromisoformat(response.json()["today"]) + dt.timedelta(days=days)).isoformat()


def _open(page: Page, server, pack: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(tenant_url(page, server, f"/rules?pack={pack}"))
    expect(page.locator(f'[data-testid="pack-editor"][data-pack="{pack}"]')).to_be_visible()
    expect(page.locator(".rules-field").first).to_be_visible()


def _set_effective(page: Page, value: str) -> None:
    box = page.get_by_test_id("effective-from").locator("input")
    box.click()
    box.press("Control+a")
    box.type(value)
    box.press("Enter")
    expect(box).to_have_value(value)


def _versions(page: Page, server, pack: str) -> list[dict]:  # type: ignore[no-untyped-def]
    tenant = current_user(page, server)["tenant"]["id"]
    response = page.request.get(f"{server.url}/api/t/{tenant}/packs/{pack}/versions")
    assert response.ok
    return response.json()


def _save(page: Page, expect_in_diff: list[str]) -> None:
    page.get_by_test_id("rules-save").click()
    table = page.get_by_test_id("diff-table")
    expect(table).to_be_visible()
    for text in expect_in_diff:
        expect(table).to_contain_text(text)
    page.get_by_test_id("confirm-save").click()
    expect(table).to_be_hidden(timeout=30_000)  # slow under load: it closed after 10 s once with two suites running


def test_center_admin_changes_summer_afternoon_start(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    login(page, server, "luotian_admin")
    _open(page, server, "work_hours")
    before = _versions(page, server, "work_hours")
    expect(page.get_by_test_id("state-seasonal_variants")).to_have_text("本级设置")
    # a choice (oneOf) renders as a select, not as nothing
    expect(page.get_by_test_id("field-adjusted_workday_as").locator(".ant-select")).to_be_visible()
    start = page.locator("#root_seasonal_variants_0_sessions_1_start")
    expect(start).to_have_value("14:30")
    start.fill("15:00")
    when = _effective(page, server, "work_hours")
    _set_effective(page, when)
    page.get_by_test_id("change-note").fill("夏季下午推迟到 15:00")
    _save(page, ["季节性作息", "15:00"])

    row = page.get_by_test_id(f"version-{len(before) + 1}")
    expect(row).to_be_visible()
    expect(row).to_contain_text(when)
    expect(row).to_contain_text("待生效")
    expect(row).to_contain_text("夏季下午推迟到 15:00")
    after = _versions(page, server, "work_hours")
    assert len(after) == len(before) + 1 and after[0]["effectiveFrom"] == when
    summer = after[0]["overrides"]["seasonal_variants"][0]["sessions"][1]
    assert summer["start"] == "15:00"


def test_center_admin_changes_uniform_season_dates(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    login(page, server, "luotian_admin")
    _open(page, server, "uniform_seasons")
    before = _versions(page, server, "uniform_seasons")
    expect(page.get_by_test_id("state-seasons")).to_have_text("继承")
    page.locator("#root_seasons_0_end").fill("09-30")
    page.locator("#root_seasons_1_start").fill("10-01")
    expect(page.get_by_test_id("state-seasons")).to_have_text("本级设置")
    when = _effective(page, server, "uniform_seasons", 14)
    _set_effective(page, when)
    _save(page, ["着装季节", "09-30"])
    expect(page.get_by_test_id(f"version-{len(before) + 1}")).to_contain_text(when)
    after = _versions(page, server, "uniform_seasons")
    assert [s["end"] for s in after[0]["overrides"]["seasons"]] == ["09-30", "04-30"]


def test_invalid_input_is_shown_inline_and_nothing_is_saved(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    login(page, server, "county_admin")
    _open(page, server, "work_hours")
    before = _versions(page, server, "work_hours")
    start = page.locator("#root_weekly_sessions_0_start")
    start.fill("8:30")  # issue 13: a time as people write it is taken, as 08:30
    start.blur()
    expect(start).to_have_value("08:30")
    start.fill("25:00")
    page.get_by_test_id("rules-save").click()
    expect(page.get_by_test_id("field-weekly_sessions")).to_contain_text("应为 HH:MM 格式的时间")
    expect(page.get_by_test_id("diff-table")).to_have_count(0)

    # A rule only the server knows (seasons must cover the year): its answer is shown under the field too.
    _open(page, server, "uniform_seasons")
    seasons_before = _versions(page, server, "uniform_seasons")
    page.locator("#root_seasons_0_end").fill("09-30")
    page.get_by_test_id("rules-save").click()
    expect(page.get_by_test_id("field-seasons")).to_contain_text("10-01 不属于任何季节")
    expect(page.get_by_test_id("diff-table")).to_have_count(0)
    assert _versions(page, server, "uniform_seasons") == seasons_before
    assert _versions(page, server, "work_hours") == before


def test_province_locks_a_field_for_the_centers_below(page: Page, server, browser) -> None:  # type: ignore[no-untyped-def]
    login(page, server, "prov_admin")
    _open(page, server, "uniform_seasons")
    expect(page.get_by_test_id("pack-title")).to_contain_text("着装规范")
    page.get_by_test_id("lock-badge_required").check()
    _save(page, ["对下级锁定的项", "佩证上岗"])
    expect(page.get_by_test_id("lock-badge_required")).to_be_checked()

    county = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    try:
        other = county.new_page()
        login(other, server, "county_admin")
        _open(other, server, "uniform_seasons")
        expect(other.get_by_test_id("state-badge_required")).to_have_text("上级锁定")
        expect(other.get_by_test_id("field-badge_required")).to_contain_text("湖北省")
        expect(other.locator("#root_badge_required")).to_be_disabled()
    finally:
        county.close()
