"""leave_quotas (请销假): monthly quotas by role, exempt leave types, the approval chain by duration, sick notes,
substitutes, no retroactive leave, annual leave in parts. Pure functions with the county's defaults."""

from __future__ import annotations

import datetime as dt

import msgspec

from govhall_packs.leave_quotas import logic
from govhall_packs.leave_quotas.settings import LeaveQuotaSettings
from tests.packs.conftest import request

D = dt.date
COUNTY = LeaveQuotaSettings()  # the defaults are the county rule of seed 000 篇六
TODAY = D(2026, 6, 1)


def codes(problems):  # type: ignore[no-untyped-def]
    return sorted(p.code for p in problems)


def test_clerk_quota_3_days_or_3_times_whichever_first() -> None:
    """Seed 000 篇六 七、二) 9: 窗口工作人员告假不得超过3天或3次（以先到限额为准）."""
    existing = [request("a", days=1, start=D(2026, 6, 2), end=D(2026, 6, 2)),
                request("b", days=0.5, start=D(2026, 6, 3), end=D(2026, 6, 3))]
    assert logic.check(COUNTY, [request("c", days=1.5, start=D(2026, 6, 8))], existing, TODAY) == []  # 3 days, 3 times
    over_days = logic.check(COUNTY, [request("c", days=2, start=D(2026, 6, 8))], existing, TODAY)
    assert codes(over_days) == ["quota_exceeded"]
    assert "3 天或 3 次" in over_days[0].zh and "已请 1.5 天 2 次" in over_days[0].zh
    times = [*existing, request("c", days=0.5, start=D(2026, 6, 4))]
    assert codes(logic.check(COUNTY, [request("d", days=0.5, start=D(2026, 6, 9))], times, TODAY)) == [
        "quota_exceeded"]  # 1.5 + 0.5... = 2.5 days but the 4th time


def test_chief_representative_quota_5_days_or_5_times() -> None:
    """Seed 000 篇六 七、二) 9: 窗口首席代表告假不得超过5天或5次（以先到限额为准）."""
    existing = [request(f"e{i}", role="chief_representative", days=1, start=D(2026, 6, 2 + i)) for i in range(4)]
    assert logic.check(COUNTY, [request("n", role="chief_representative", days=1, start=D(2026, 6, 15))],
                       existing, TODAY) == []
    assert codes(logic.check(COUNTY, [request("n", role="chief_representative", days=1.5, start=D(2026, 6, 15))],
                             existing, TODAY)) == ["quota_exceeded"]


def test_pending_requests_count_and_statutory_leave_is_exempt() -> None:
    """Pending requests count toward the quota; 年休假、婚假、产假、探亲假、丧假等法定假除外 (seed 000 篇六 七、二) 9)."""
    pending = [request("p", days=3, status="pending", start=D(2026, 6, 2))]
    assert codes(logic.check(COUNTY, [request("n", days=1, start=D(2026, 6, 20))], pending, TODAY)) == [
        "quota_exceeded"]
    no_pending = msgspec.structs.replace(COUNTY, count_pending=False)
    assert logic.check(no_pending, [request("n", days=1, start=D(2026, 6, 20))], pending, TODAY) == []
    for kind in ("marriage", "maternity", "bereavement", "family_visit", "official"):
        assert logic.check(COUNTY, [request("n", leave_type=kind, days=3, start=D(2026, 6, 20))], pending, TODAY) == []
    assert logic.check(COUNTY, [request("n", leave_type="annual", days=5, start=D(2026, 6, 20))], pending, TODAY) == []
    other_month = [request("p", days=3, start=D(2026, 5, 20))]
    assert logic.check(COUNTY, [request("n", days=1, start=D(2026, 6, 20))], other_month, TODAY) == []


def test_approval_chain_by_duration() -> None:
    """Seed 000 篇六 七、二) 1-4: <=1天 中心; 1-3天 所在单位领导 + 中心; 3-7天 + 县政府办公室; >7天 + 县政府分管领导."""
    reqs = [request(str(d), days=d) for d in (0.5, 1, 1.5, 3, 3.5, 7, 8)]
    chains = logic.approval_chain(COUNTY, reqs)
    assert {k: [s.approver for s in v] for k, v in chains.items()} == {
        "0.5": ["center"], "1": ["center"],
        "1.5": ["home_unit_leader", "center"], "3": ["home_unit_leader", "center"],
        "3.5": ["home_unit_leader", "center", "county_government_office"],
        "7": ["home_unit_leader", "center", "county_government_office"],
        "8": ["home_unit_leader", "center", "county_government_office", "county_leader"],
    }
    assert chains["8"][-1].name_zh == "县政府分管领导"


def test_sick_note_beyond_one_day() -> None:
    """Seed 000 篇六 七、二) 7: 因病休假1天以上（不含1天）的，应当提供《诊断证明书》；当日无法提供的，应当在销假时提供."""
    one = logic.check(COUNTY, [request("s", leave_type="sick", days=1)], [], TODAY)
    assert one == []
    two = logic.check(COUNTY, [request("s", leave_type="sick", days=1.5)], [], TODAY)
    assert codes(two) == ["sick_note_required"] and two[0].severity == "warning" and "销假时" in two[0].zh
    strict = msgspec.structs.replace(COUNTY, sick_note_at_closure=False)
    assert logic.check(strict, [request("s", leave_type="sick", days=2)], [], TODAY)[0].severity == "error"
    assert logic.check(COUNTY, [request("s", leave_type="sick", days=2, has_sick_note=True)], [], TODAY) == []


def test_substitute_for_a_day_or_more() -> None:
    """Seed 000 篇六 七、三) 1: 首席代表、窗口工作人员告假1天以上（含1天）的，由所在单位安排顶岗."""
    assert logic.check(COUNTY, [request("h", days=0.5, substitute_staff_id=None)], [], TODAY) == []
    problems = logic.check(COUNTY, [request("h", days=1, substitute_staff_id=None)], [], TODAY)
    assert codes(problems) == ["substitute_required"] and problems[0].field == "substitute_staff_id"


def test_no_retroactive_leave() -> None:
    """Seed 000 篇七 第四条 1: 有事履行请假手续，严禁事后补假行为."""
    late = request("r", start=D(2026, 5, 29), end=D(2026, 5, 29), status="draft")
    assert codes(logic.check(COUNTY, [late], [], TODAY)) == ["retroactive_leave"]
    same_day = request("r", start=TODAY, end=TODAY, status="draft")
    assert logic.check(COUNTY, [same_day], [], TODAY) == []
    allowed = msgspec.structs.replace(COUNTY, allow_retroactive=True)
    assert logic.check(allowed, [late], [], TODAY) == []


def test_annual_leave_in_parts_of_at_least_five_days() -> None:
    """Seed 000 篇六 七、二) 8: 公休假应一次性安排，分期休假的，每次不得低于5天."""
    assert codes(logic.check(COUNTY, [request("y", leave_type="annual", days=3)], [], TODAY)) == [
        "annual_chunk_too_small"]
    assert logic.check(COUNTY, [request("y", leave_type="annual", days=5)], [], TODAY) == []


def test_luotian_chain_and_every_leave_needs_a_substitute() -> None:
    """Seed 002 上班请销假制度 五: 半天以内稽查督办科; 1天以上中心分管领导; 2天以上首席代表出具签字证明、中心主要领导批准
    (leave_quotas 1.1: the tiers add up); 六: 不论何种原因，必须先落实好AB岗，无人顶岗，一律按个人脱岗处理 (a warning
    on the request, off post afterwards)."""
    luotian = yaml_settings("luotian.yaml")
    chains = logic.approval_chain(luotian, [request("a", days=0.5), request("b", days=1), request("c", days=2)])
    assert [[s.approver for s in chains[k]] for k in "abc"] == [
        ["inspection_office"], ["inspection_office", "center_deputy_director"],
        ["inspection_office", "center_deputy_director", "chief_representative", "center_director"]]
    problems = logic.check(luotian, [request("h", days=0.5, substitute_staff_id=None)], [], TODAY)
    assert [(p.code, p.severity) for p in problems] == [("substitute_missing", "warning")]


def yaml_settings(name: str) -> LeaveQuotaSettings:
    from pathlib import Path

    import yaml

    doc = yaml.safe_load((Path(__file__).parents[2] / "tenants" / "templates" / name).read_text(encoding="utf-8"))
    return msgspec.convert({**msgspec.to_builtins(COUNTY), **(doc["packs"]["leave_quotas"] or {})},
                           LeaveQuotaSettings)


def test_bad_days_are_refused() -> None:
    assert codes(logic.check(COUNTY, [request("x", days=0.3)], [], TODAY)) == ["invalid_days"]
    assert "end_before_start" in codes(logic.check(COUNTY, [request("x", end=D(2026, 6, 7))], [], TODAY))
