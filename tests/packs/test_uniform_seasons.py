"""uniform_seasons (着装规范): seasons by month and day, registered exemptions, coverage checks."""

from __future__ import annotations

import datetime as dt

import msgspec

from govhall.packs.calendar import dress_codes
from govhall.packs.manager import get_host
from govhall.packs.resolve import defaults_json
from govhall.packs.validation import check_overrides
from govhall.tenancy import tenant_scope
from govhall_packs.uniform_seasons import logic
from govhall_packs.uniform_seasons.settings import UniformSettings
from tests.packs.conftest import COUNTY, TOWNSHIP

D = dt.date


def test_default_summer_may_to_october_winter_november_to_april() -> None:
    """Seed 000 篇三 服务规范6 一、1: 每年5月至10月着夏装，11月至次年4月着秋装; 篇六 五、三) 1-2 (what to wear)."""
    codes = logic.dress_codes(UniformSettings(), [D(2026, 4, 30), D(2026, 5, 1), D(2026, 10, 31), D(2026, 11, 1),
                                                  D(2027, 1, 15)])
    assert [c.season for c in codes.values()] == ["winter", "summer", "summer", "winter", "winter"]
    assert "衬衣" in codes[D(2026, 5, 1)].dress and "西服套装" in codes[D(2026, 11, 1)].dress
    assert codes[D(2026, 5, 1)].badge_required and "拖鞋" in codes[D(2026, 5, 1)].forbidden


def test_registered_illness_or_pregnancy_exempts_for_its_period() -> None:
    """Seed 000 篇三 一、6: 因疾病、怀孕等特殊情况经考核管理办公室备案 (the exemption holds only while registered)."""
    s = msgspec.convert({"exemptions": [{"employee_no": "T002", "reason": "pregnancy", "start": "2026-05-01",
                                         "end": "2026-09-30"}]}, UniformSettings)
    days = [D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 30), D(2026, 10, 1)]
    assert logic.exemptions(s, days, ["T002", "T001"]) == {"T002": {D(2026, 5, 1): "怀孕", D(2026, 9, 30): "怀孕"}}


def test_seasons_must_cover_the_year_exactly_once() -> None:
    spec = get_host().packs["uniform_seasons"].spec
    base = defaults_json(spec)
    gap = [{"key": "summer", "name": "夏装", "start": "05-01", "end": "09-30", "dress": "衬衣"},
           {"key": "winter", "name": "冬装", "start": "11-01", "end": "04-30", "dress": "西服"}]
    _, _, problems = check_overrides(spec, {"seasons": gap}, base)
    assert problems and problems[0].field == "seasons" and "10-01" in problems[0].zh
    overlap = [{"key": "summer", "name": "夏装", "start": "05-01", "end": "10-31", "dress": "衬衣"},
               {"key": "winter", "name": "冬装", "start": "10-01", "end": "04-30", "dress": "西服"}]
    _, _, problems = check_overrides(spec, {"seasons": overlap}, base)
    assert problems[0].field == "seasons[1].start" and "重叠" in problems[0].zh and "overlaps" in problems[0].en
    _, _, problems = check_overrides(spec, {"seasons": [{**gap[0], "start": "13-01"}]}, base)
    assert problems[0].field == "seasons[0].start" and "MM-DD" in problems[0].zh


async def test_dress_code_of_a_center_with_the_staff_members_exemption(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(demo[COUNTY].id):
        codes = await dress_codes(app_session, demo[COUNTY].id, D(2026, 7, 1), D(2026, 7, 1), "T002")
        await app_session.commit()
    assert codes[D(2026, 7, 1)].season_name == "夏装" and codes[D(2026, 7, 1)].exempt_reason is None
    with tenant_scope(demo[TOWNSHIP].id):  # inherited from the county
        codes = await dress_codes(app_session, demo[TOWNSHIP].id, D(2026, 12, 1), D(2026, 12, 1))
        await app_session.commit()
    assert codes[D(2026, 12, 1)].season == "winter"
