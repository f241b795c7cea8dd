"""leave_quotas 1.1: the seeds' approval chains at their tier boundaries, all-of steps, leave types, half-day
retroactivity, cover scopes and the outcomes hook. Pure functions with each demo center's settings."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from govhall.packs import hookspecs
from govhall_packs.leave_quotas import logic
from govhall_packs.leave_quotas.settings import LeaveQuotaSettings
from tests.packs.conftest import request
from tests.packs.test_leave_quotas import yaml_settings

D = dt.date
TODAY = D(2026, 6, 1)
COUNTY = yaml_settings("county_hall.yaml")
CITY = yaml_settings("city_hall.yaml")
LUOTIAN = yaml_settings("luotian.yaml")


def chain(settings: LeaveQuotaSettings, days: float, leave_type: str = "personal") -> list[tuple[int, str]]:
    steps = logic.approval_chain(settings, [request("x", days=days, leave_type=leave_type)])["x"]
    return [(s.seq, s.approver) for s in steps]


@pytest.mark.parametrize(("days", "approvers"), [
    (1, ["center"]),
    (1.5, ["home_unit_leader", "center"]),
    (3, ["home_unit_leader", "center"]),
    (3.5, ["home_unit_leader", "center", "county_government_office"]),
    (7, ["home_unit_leader", "center", "county_government_office"]),
    (7.5, ["home_unit_leader", "center", "county_government_office", "county_leader"]),
])
def test_county_tiers_1_3_7_days(days: float, approvers: list[str]) -> None:
    """Seed 000 篇六 七.二)1-4: 1天以内（含1天）报中心批准; 1天以上3天以内（含3天）所在单位领导签字盖章报中心;
    3天以上7天以内（含7天）报县政府办公室签批; 7天以上报县政府分管领导签批 (boundaries 1/1.5/3/3.5/7/7.5 days)."""
    assert [a for _, a in chain(COUNTY, days)] == approvers
    steps = logic.approval_chain(COUNTY, [request("x", days=days)])["x"]
    assert [s.seq for s in steps] == list(range(1, len(steps) + 1))  # one after another
    assert {s.approver for s in steps if s.outside} == {"home_unit_leader", "county_government_office",
                                                         "county_leader"} & set(approvers)


def test_city_two_days_duty_officer_then_deputy_and_director_together() -> None:
    """Seed 000 篇七 工作制度 二.3: 二天以内的由中心当日值班人员签批；二天以上的由窗口单位分管领导和中心主任共同签批.
    以上 includes the number (民法典 第一千二百五十九条): from 2 days the deputy and the director co-sign."""
    assert chain(CITY, 0.5) == [(1, "duty_officer")]
    assert chain(CITY, 1.5) == [(1, "duty_officer")]
    assert chain(CITY, 2) == [(1, "duty_officer"), (2, "home_unit_deputy"), (2, "center_director")]
    assert chain(CITY, 2.5) == [(1, "duty_officer"), (2, "home_unit_deputy"), (2, "center_director")]
    steps = logic.approval_chain(CITY, [request("x", days=3)])["x"]
    assert [s.mode for s in steps] == ["sequential", "all_of", "all_of"]


@pytest.mark.parametrize(("days", "approvers"), [
    (0.5, [(1, "inspection_office")]),
    (1, [(1, "inspection_office"), (2, "center_deputy_director")]),
    (1.5, [(1, "inspection_office"), (2, "center_deputy_director")]),
    (2, [(1, "inspection_office"), (2, "center_deputy_director"), (3, "chief_representative"),
         (4, "center_director")]),
])
def test_luotian_half_one_two_days(days: float, approvers: list[tuple[int, str]]) -> None:
    """Seed 002 上班请销假制度 五.1-3: 半天以内稽查督办科批准; 1天以上告知稽查督办科登记，报中心分管领导批准; 2天以上首席代表
    出具签字证明，再报中心主要领导批准 (½ / 1 / 2 days)."""
    assert chain(LUOTIAN, days) == approvers


def test_luotian_statutory_leave_by_its_own_tiers() -> None:
    """Seed 002 上班请销假制度 四.3: 公休、探亲、婚产、丧假，由本人提出书面申请，报经分管领导或主要领导批准."""
    assert chain(LUOTIAN, 1, "marriage") == [(1, "center_deputy_director")]
    assert chain(LUOTIAN, 5, "annual") == [(1, "center_deputy_director"), (2, "center_director")]
    assert chain(LUOTIAN, 1, "sick")[0] == (1, "inspection_office")  # not listed: the general tiers


def test_quota_hit_by_times_before_days() -> None:
    """Seed 000 篇六 七.二)9: 窗口工作人员不得超过3天或3次（以先到限额为准）: three half days are 1.5 days but the
    fourth request is the fourth time."""
    existing = [request(f"h{i}", days=0.5, start=D(2026, 6, 2 + i)) for i in range(3)]
    problems = logic.check(COUNTY, [request("n", days=0.5, start=D(2026, 6, 10))], existing, TODAY)
    assert [p.code for p in problems] == ["quota_exceeded"]
    assert "本月已请 1.5 天 3 次" in problems[0].zh


def test_same_day_after_start_is_refused_to_the_half_day() -> None:
    """Seed 000 篇七 工作制度 二.3: 一律事前请假，严禁事后或事中补假. Asked on 2026-06-08 during the morning: the morning
    is 事中 (refused), the afternoon is still ahead (allowed); asked before work, the morning is fine."""
    def ask(start_half: str, when: str):  # type: ignore[no-untyped-def]
        r = request("x", start=D(2026, 6, 8), days=0.5, start_half=start_half, end_half=start_half,
                    submitted_on=D(2026, 6, 8), submitted_half=when, status="pending")
        return [p.code for p in logic.check(CITY, [r], [], D(2026, 6, 8))]

    assert ask("am", "am") == ["leave_already_begun"]
    assert ask("pm", "pm") == ["leave_already_begun"]
    assert ask("pm", "am") == []
    assert ask("am", "before") == []
    # the county counts whole days (its setting is "day"): the same morning request passes there
    r = request("x", start=D(2026, 6, 8), days=0.5, start_half="am", end_half="am", submitted_on=D(2026, 6, 8),
                submitted_half="am")
    assert logic.check(COUNTY, [r], [], D(2026, 6, 8)) == []
    yesterday = request("x", start=D(2026, 6, 5), submitted_on=D(2026, 6, 8))
    assert [p.code for p in logic.check(CITY, [yesterday], [], D(2026, 6, 8))] == ["retroactive_leave"]


def test_city_cover_only_for_single_staff_windows() -> None:
    """Seed 000 篇七 工作制度 十一(一)4: 窗口仅1名工作人员的请假必须执行AB岗，要安排人员顶岗."""
    alone = request("a", days=3, substitute_staff_id=None, single_staff_window=True)
    shared = request("b", days=3, substitute_staff_id=None, single_staff_window=False)
    assert [p.code for p in logic.check(CITY, [alone, shared], [], TODAY)] == ["substitute_required"]
    external = request("c", days=3, substitute_staff_id=None, single_staff_window=True, has_external_substitute=True)
    assert logic.check(CITY, [external], [], TODAY) == []


def test_cover_rule_of_each_seed_block_or_off_post() -> None:
    """Where seeds differ on leave without cover (``substitute_scope`` + ``no_substitute_effect``):
    004 考勤 四 "及时确定顶岗人员，方可准假" (every leave, refused without cover: scope all, block);
    000 篇七 工作制度 十一(一)4 (single-staff windows, block: the city template);
    002 上班请销假制度 六 "无人顶岗，一律按个人脱岗处理" (every leave, a warning, then off post: the 罗田 template).
    A half-day leave on 2026-06-08 without a substitute:"""
    seed_004 = msgspec.convert({"substitute_scope": "all", "no_substitute_effect": "block"}, LeaveQuotaSettings)
    bare = request("a", days=0.5, substitute_staff_id=None, single_staff_window=True)
    assert [(p.code, p.severity) for p in logic.check(seed_004, [bare], [], TODAY)] == [
        ("substitute_required", "error")]
    assert [(p.code, p.severity) for p in logic.check(CITY, [bare], [], TODAY)] == [("substitute_required", "error")]
    assert [(p.code, p.severity) for p in logic.check(LUOTIAN, [bare], [], TODAY)] == [
        ("substitute_missing", "warning")]
    assert (CITY.no_substitute_effect, LUOTIAN.no_substitute_effect) == ("block", "off_post")
    assert COUNTY.substitute_on_post_first is True  # 000 篇六 七.三)1: 顶岗人员到岗后，请假的工作人员才能离开


def test_county_cover_from_one_day() -> None:
    """Seed 000 篇六 七.三)1: 请假1天以上（含1天）的，由所在单位安排熟悉业务人员到窗口顶岗."""
    assert logic.check(COUNTY, [request("a", days=0.5, substitute_staff_id=None)], [], TODAY) == []
    assert [p.code for p in logic.check(COUNTY, [request("a", days=1, substitute_staff_id=None)], [], TODAY)] == [
        "substitute_required"]


def test_outcome_unclosed_leave_is_a_day_of_absence() -> None:
    """Seed 000 篇七 工作制度 十一(一)3: 假期休满后必须到管理办公室销假，未销假的按旷工一天处理. Due 2026-06-10: nothing
    on the 10th, one day of absence on the 10th once the 11th has come; nothing once closed."""
    r = request("u", status="approved", start=D(2026, 6, 8), end=D(2026, 6, 9), days=2, closure_due=D(2026, 6, 10))
    assert logic.outcomes(CITY, [r], D(2026, 6, 10)) == []
    [o] = logic.outcomes(CITY, [r], D(2026, 6, 11))
    assert (o.kind, o.on, o.half_days) == ("absence", D(2026, 6, 10), 2)
    assert "十一(一)3" in o.clause
    closed = msgspec.structs.replace(r, closed_on=D(2026, 6, 10), status="closed")
    assert logic.outcomes(CITY, [closed], D(2026, 6, 20)) == []
    assert logic.outcomes(LUOTIAN, [r], D(2026, 6, 20)) == []  # 罗田: closure required, no penalty named


def test_outcome_sick_without_note_becomes_personal() -> None:
    """Seed 000 篇六 七.二)7: 因病休假1天以上（不含1天）提供《诊断证明书》；当日无法提供的在销假时提供；未能提供的视为事假."""
    base = dict(leave_type="sick", status="closed", start=D(2026, 6, 8), end=D(2026, 6, 9), closed_on=D(2026, 6, 10))
    [o] = logic.outcomes(COUNTY, [request("s", days=2, **base)], D(2026, 6, 10))
    assert (o.kind, o.leave_type) == ("convert_type", "personal")
    assert logic.outcomes(COUNTY, [request("s", days=2, has_sick_note=True, **base)], D(2026, 6, 10)) == []
    assert logic.outcomes(COUNTY, [request("s", days=1, **base)], D(2026, 6, 10)) == []  # 1 day: no note needed


def test_outcome_no_cover_is_off_post() -> None:
    """Seed 002 上班请销假制度 六: 无人顶岗，一律按个人脱岗处理; 000 篇六 七.三)1: 顶岗人员到岗后…才能离开工作岗位."""
    r = request("o", status="approved", substitute_staff_id=None, uncovered_days=(D(2026, 6, 8),))
    assert [(o.kind, o.on) for o in logic.outcomes(LUOTIAN, [r], TODAY)] == [("off_post", D(2026, 6, 8))]
    assert [(o.kind, o.on) for o in logic.outcomes(COUNTY, [r], TODAY)] == [("off_post", D(2026, 6, 8))]
    assert logic.outcomes(CITY, [r], TODAY) == []  # the city blocks instead and has no on-post rule
    named = request("n", status="approved", substitute_staff_id="s2", uncovered_days=(D(2026, 6, 8),))
    assert [o.kind for o in logic.outcomes(COUNTY, [named], TODAY)] == ["off_post"]  # substitute not on post
    assert logic.outcomes(LUOTIAN, [named], TODAY) == []  # 罗田 asks for cover, not for the punch


def test_settings_problems_for_typed_tiers() -> None:
    bad = msgspec.structs.replace(LeaveQuotaSettings(), approval_tiers=(
        *LeaveQuotaSettings().approval_tiers,
        msgspec.convert({"over_days": 2, "approvers": ["center"], "leave_types": ["annual"]},
                        type(LeaveQuotaSettings().approval_tiers[0]))))
    assert any("annual" in p.en for p in bad.problems())
    assert LUOTIAN.problems() == [] and CITY.problems() == [] and COUNTY.problems() == []


def test_outcomes_hook_is_documented_batch_hook() -> None:
    assert "govhall_leave_outcomes" in hookspecs.HOOK_NAMES
