"""Settings of the leave_quotas pack (请销假). Defaults: the county rule in seed 000, 篇六 七、二)请假制度."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from govhall.packs import PackSettings, SettingsProblem, label
from govhall.packs.types import LEAVE_TYPES, LeaveType

LEAVE_ZH = {"personal": "事假", "sick": "病假", "annual": "年休假（公休假）", "marriage": "婚假", "maternity": "产假",
            "family_visit": "探亲假", "bereavement": "丧假", "official": "公假（培训、学习等）"}
LEAVE_EN = {"personal": "personal", "sick": "sick", "annual": "annual", "marriage": "marriage",
            "maternity": "maternity", "family_visit": "family visit", "bereavement": "bereavement",
            "official": "official (training, study)"}

QuotaRole = Literal["chief_representative", "clerk", "duty_officer"]
ROLE_ZH = {"chief_representative": "首席代表", "clerk": "窗口工作人员", "duty_officer": "值班人员"}
ROLE_EN = {"chief_representative": "chief representative", "clerk": "clerk", "duty_officer": "duty officer"}

Approver = Literal["duty_officer", "inspection_office", "center", "center_deputy_director", "center_director",
                   "home_unit_leader", "county_government_office", "county_leader", "chief_representative",
                   "window_unit_head", "home_unit_deputy"]
APPROVER_ZH = {"duty_officer": "中心当日值班人员", "inspection_office": "中心稽查督办科", "center": "政务服务中心",
               "center_deputy_director": "中心分管领导", "center_director": "中心主要领导",
               "home_unit_leader": "派驻单位领导", "county_government_office": "县政府办公室",
               "county_leader": "县政府分管领导", "chief_representative": "首席代表（签字证明）",
               "window_unit_head": "窗口单位负责人", "home_unit_deputy": "窗口单位分管领导"}
APPROVER_EN = {"duty_officer": "duty officer of the day", "inspection_office": "supervision office",
               "center": "service center", "center_deputy_director": "deputy director of the center",
               "center_director": "director of the center", "home_unit_leader": "home unit leader",
               "county_government_office": "county government office", "county_leader": "county leader in charge",
               "chief_representative": "chief representative (signed proof)",
               "window_unit_head": "head of the window unit", "home_unit_deputy": "deputy head of the window unit"}
OUTSIDE_APPROVERS = frozenset({"home_unit_leader", "home_unit_deputy", "window_unit_head", "county_government_office",
                               "county_leader"})
"""Approvers outside the center: their signed and stamped slip is recorded by the center with its scan."""


def _one_of(keys: tuple[str, ...], zh: dict[str, str], en: dict[str, str]) -> list[dict[str, str]]:
    return [{"const": k, "title": zh[k], "x-title-en": en[k]} for k in keys]


_LEAVE_ONE_OF = _one_of(LEAVE_TYPES, LEAVE_ZH, LEAVE_EN)
_ROLE_ONE_OF = _one_of(("chief_representative", "clerk", "duty_officer"), ROLE_ZH, ROLE_EN)
_APPROVER_ONE_OF = _one_of(tuple(APPROVER_ZH), APPROVER_ZH, APPROVER_EN)


ApproverItem = Annotated[Approver, msgspec.Meta(extra_json_schema={"oneOf": _APPROVER_ONE_OF})]


class LeaveTypeRule(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    leave_type: Annotated[LeaveType, msgspec.Meta(title="假别", extra_json_schema={
        "x-title-en": "Leave type", "oneOf": _LEAVE_ONE_OF})]
    counts_toward_quota: Annotated[bool, label("计入月度限额", "Counts toward the monthly quota",
                                               "法定假（年休、婚、产、探亲、丧假）和公假不计入",
                                               "Statutory and official leave do not count")] = True


class RoleQuota(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    role: Annotated[QuotaRole, msgspec.Meta(title="岗位", extra_json_schema={
        "x-title-en": "Role", "oneOf": _ROLE_ONE_OF})]
    max_days: Annotated[float, label("每月最多天数", "Max days a month", ge=0, le=31, multiple_of=0.5)]
    max_times: Annotated[int, label("每月最多次数", "Max times a month", ge=0, le=31)]


TierMode = Literal["sequential", "all_of"]
LeaveTypeItem = Annotated[LeaveType, msgspec.Meta(extra_json_schema={"oneOf": _LEAVE_ONE_OF})]


class ApprovalTier(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    over_days: Annotated[float, label("请假超过（天）", "Leave longer than (days)",
                                      "请假天数大于此值时适用本级（0 表示所有请假）",
                                      "Applies when the leave is longer than this (0: every leave)",
                                      ge=0, le=365, multiple_of=0.5)]
    approvers: Annotated[tuple[ApproverItem, ...], msgspec.Meta(
        title="审批人（按顺序）", min_length=1, extra_json_schema={"x-title-en": "Approvers (in order)"})]
    mode: Annotated[TierMode, msgspec.Meta(title="签批方式", extra_json_schema={
        "x-title-en": "How they sign",
        "oneOf": [{"const": "sequential", "title": "依次签批", "x-title-en": "one after another"},
                  {"const": "all_of", "title": "共同签批（均须同意）", "x-title-en": "all of them together"}]})
                    ] = "sequential"
    leave_types: Annotated[tuple[LeaveTypeItem, ...], msgspec.Meta(
        title="仅适用于假别", extra_json_schema={
            "x-title-en": "Only for leave types",
            "description": "留空表示所有假别；列出假别时，这些假别只按此类层级审批",
            "x-description-en": "Empty: every type; a type listed here is routed by such tiers only"})] = ()


class LeaveQuotaSettings(PackSettings, frozen=True, kw_only=True):
    leave_types: Annotated[tuple[LeaveTypeRule, ...], label(
        "假别", "Leave types", "哪些假别计入月度限额", "Which leave types count toward the monthly quota",
        min_length=1)] = tuple(LeaveTypeRule(leave_type=t, counts_toward_quota=t in ("personal", "sick"))  # type: ignore[arg-type]  # LEAVE_TYPES are the LeaveType literals
                               for t in LEAVE_TYPES)
    quotas: Annotated[tuple[RoleQuota, ...], label(
        "月度请假限额", "Monthly leave quotas", "天数或次数，以先到限额为准；未列出的岗位不限",
        "Days or times, whichever is reached first; roles not listed have no quota")] = (
        RoleQuota(role="chief_representative", max_days=5, max_times=5),
        RoleQuota(role="clerk", max_days=3, max_times=3),
    )
    count_pending: Annotated[bool, label("待审批的请假也计入限额", "Pending requests count toward the quota")] = True
    approval_tiers: Annotated[tuple[ApprovalTier, ...], label(
        "审批层级", "Approval chain by duration", "按请假天数逐级增加审批人", "More approvers as leave gets longer",
        min_length=1)] = (
        ApprovalTier(over_days=0, approvers=("center",)),
        ApprovalTier(over_days=1, approvers=("home_unit_leader", "center")),
        ApprovalTier(over_days=3, approvers=("home_unit_leader", "center", "county_government_office")),
        ApprovalTier(over_days=7, approvers=("home_unit_leader", "center", "county_government_office",
                                             "county_leader")),
    )
    sick_note_over_days: Annotated[float, label(
        "病假超过几天须交诊断证明", "Sick note needed for sick leave longer than (days)", ge=0, le=30,
        multiple_of=0.5)] = 1
    sick_note_at_closure: Annotated[bool, label(
        "诊断证明可在销假时补交", "Sick note may follow at closure",
        "当日无法提供的，销假时提供；未提供的视为事假", "Otherwise it counts as personal leave")] = True
    substitute_from_days: Annotated[float, label(
        "请假几天及以上须安排顶岗", "Substitute needed from (days)", "0 表示任何请假都须顶岗",
        "0: every leave needs one", ge=0, le=30, multiple_of=0.5)] = 1
    allow_retroactive: Annotated[bool, label("允许事后补假", "Allow retroactive leave", "默认禁止事后或事中补假",
                                             "Forbidden by default")] = False
    annual_min_chunk_days: Annotated[float, label(
        "年休假分期每次不少于（天）", "Annual leave: at least (days) per part", ge=0, le=30, multiple_of=0.5)] = 5
    tiers_add_up: Annotated[bool, label(
        "审批层级逐级累加", "Tiers add up", "是：请假超过多级时，依次经过每一级的审批人；否：只适用最高一级",
        "Yes: a leave above several tiers goes through each of them in turn; no: the highest tier alone")] = False
    retroactive_precision: Annotated[Literal["day", "half_day"], label(
        "补假判断精度", "Retroactive check precision",
        "半天：当天已开始的半天（事中）也不得再请", "Half day: a half day that has begun (事中) cannot be asked for either",
    )] = "day"
    substitute_scope: Annotated[Literal["from_days", "all", "single_staff_window"], label(
        "须安排顶岗的请假", "Leave that needs a substitute",
        "from_days：达到上面的天数；all：所有请假；single_staff_window：窗口仅 1 名工作人员时",
        "from_days: from the number of days above; all: every leave; single_staff_window: when the window has one "
        "staff member")] = "from_days"
    substitute_on_post_first: Annotated[bool, label(
        "顶岗人员到岗后方可离岗", "Substitute must be on post first",
        "请假期间每个工作日顶岗人员须已打卡，否则请假人按擅自离岗处理",
        "On each working day of the leave the substitute must have punched in, else the holder is off post")] = False
    no_substitute_effect: Annotated[Literal["block", "off_post"], label(
        "无人顶岗的后果", "Without a substitute",
        "block：不予受理；off_post：可以请假，但无人顶岗的工作日按个人脱岗处理",
        "block: the request is refused; off_post: it may go ahead, but each working day without cover counts as "
        "off post")] = "block"
    closure_required: Annotated[bool, label("请假必须销假", "Leave must be closed (销假)")] = False
    closure_deadline_workdays: Annotated[int, label(
        "销假期限（假后第几个工作日内）", "Close within (working days after the leave)",
        "1 表示假后第一个工作日", "1: the first working day after the leave", ge=0, le=30)] = 1
    closure_channels: Annotated[tuple[Literal["in_person", "phone", "app"], ...], label(
        "销假方式", "Closure channels", "当面、电话或在系统中本人销假", "In person, by phone, or by the holder in the app",
        min_length=1)] = ("in_person", "phone", "app")
    unclosed_effect: Annotated[Literal["none", "absence_day"], label(
        "逾期未销假的后果", "When a leave is not closed in time",
        "absence_day：按旷工一天处理", "absence_day: counts as one day of unexcused absence")] = "none"
    sick_note_missing_becomes: Annotated[Literal["personal", "none"], label(
        "销假时仍无诊断证明的病假", "Sick leave still without a note at closure",
        "personal：视为事假并重新计入限额", "personal: becomes personal leave and counts toward the quota again",
    )] = "personal"

    def problems(self) -> list[SettingsProblem]:
        out: list[SettingsProblem] = []
        seen: set[str] = set()
        for i, t in enumerate(self.leave_types):
            if t.leave_type in seen:
                out.append(SettingsProblem(f"leave_types[{i}].leave_type", f"{LEAVE_ZH[t.leave_type]}重复",
                                           f"{t.leave_type} is listed twice"))
            seen.add(t.leave_type)
        roles: set[str] = set()
        for i, q in enumerate(self.quotas):
            if q.role in roles:
                out.append(SettingsProblem(f"quotas[{i}].role", f"{ROLE_ZH[q.role]}重复", f"{q.role} is listed twice"))
            roles.add(q.role)
        general = [t.over_days for t in self.approval_tiers if not t.leave_types]
        if 0 not in general:
            out.append(SettingsProblem("approval_tiers", "须有一级“超过 0 天”、不限假别（所有请假）的审批",
                                       "needs a tier for every leave (longer than 0 days, every type)"))
        keys = [(t.over_days, tuple(sorted(t.leave_types))) for t in self.approval_tiers]
        for i, k in enumerate(keys):
            if keys.count(k) > 1:
                out.append(SettingsProblem(f"approval_tiers[{i}].over_days", f"“超过 {k[0]:g} 天”重复",
                                           f"{k[0]:g} days appears twice"))
                break
        for i, tier in enumerate(self.approval_tiers):
            if len(set(tier.approvers)) != len(tier.approvers):
                out.append(SettingsProblem(f"approval_tiers[{i}].approvers", "同一级中审批人重复",
                                           "an approver appears twice in a tier"))
        typed = {lt for t in self.approval_tiers for lt in t.leave_types}
        for lt in sorted(typed):
            if not any(t.over_days == 0 for t in self.approval_tiers if lt in t.leave_types):
                out.append(SettingsProblem("approval_tiers", f"{LEAVE_ZH[lt]}须有一级“超过 0 天”的审批",
                                           f"{lt} needs a tier longer than 0 days"))
        return out
