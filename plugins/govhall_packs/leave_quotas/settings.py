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
                   "home_unit_leader", "county_government_office", "county_leader"]
APPROVER_ZH = {"duty_officer": "中心当日值班人员", "inspection_office": "中心稽查督办科", "center": "政务服务中心",
               "center_deputy_director": "中心分管领导", "center_director": "中心主要领导",
               "home_unit_leader": "派驻单位领导", "county_government_office": "县政府办公室",
               "county_leader": "县政府分管领导"}
APPROVER_EN = {"duty_officer": "duty officer of the day", "inspection_office": "inspection office",
               "center": "service center", "center_deputy_director": "deputy director of the center",
               "center_director": "director of the center", "home_unit_leader": "home unit leader",
               "county_government_office": "county government office", "county_leader": "county leader in charge"}


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


class ApprovalTier(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    over_days: Annotated[float, label("请假超过（天）", "Leave longer than (days)",
                                      "请假天数大于此值时适用本级（0 表示所有请假）",
                                      "Applies when the leave is longer than this (0: every leave)",
                                      ge=0, le=365, multiple_of=0.5)]
    approvers: Annotated[tuple[ApproverItem, ...], msgspec.Meta(
        title="审批人（按顺序）", min_length=1, extra_json_schema={"x-title-en": "Approvers (in order)"})]


class LeaveQuotaSettings(PackSettings, frozen=True, kw_only=True):
    leave_types: Annotated[tuple[LeaveTypeRule, ...], label(
        "假别", "Leave types", "哪些假别计入月度限额", "Which leave types count toward the monthly quota",
        min_length=1)] = tuple(LeaveTypeRule(leave_type=t, counts_toward_quota=t in ("personal", "sick"))  # type: ignore[arg-type]
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
        bounds = [t.over_days for t in self.approval_tiers]
        if 0 not in bounds:
            out.append(SettingsProblem("approval_tiers", "须有一级“超过 0 天”（所有请假）的审批",
                                       "needs a tier for every leave (longer than 0 days)"))
        for i, b in enumerate(bounds):
            if bounds.count(b) > 1:
                out.append(SettingsProblem(f"approval_tiers[{i}].over_days", f"“超过 {b:g} 天”重复",
                                           f"{b:g} days appears twice"))
                break
        return out
