"""Leave rules as pure functions: what is wrong with a request, and who approves it.

The leave workflow (a later issue) calls these through the hooks with the tenant's settings in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from govhall.packs.types import ApprovalStep, LeaveProblem, LeaveRequest
from govhall_packs.leave_quotas.settings import (
    APPROVER_EN,
    APPROVER_ZH,
    LEAVE_ZH,
    ROLE_ZH,
    LeaveQuotaSettings,
)


def _p(r: LeaveRequest, code: str, field: str | None, zh: str, en: str, severity: str = "error") -> LeaveProblem:
    return LeaveProblem(request_id=r.id, code=code, field=field, zh=zh, en=en, severity=severity)  # type: ignore[arg-type]


def counts_toward_quota(settings: LeaveQuotaSettings, leave_type: str) -> bool:
    for t in settings.leave_types:
        if t.leave_type == leave_type:
            return t.counts_toward_quota
    return True  # a type the center did not list is not exempt


def _month(d: dt.date) -> tuple[int, int]:
    return d.year, d.month


def usage(settings: LeaveQuotaSettings, staff_id: str, month: tuple[int, int], requests: Sequence[LeaveRequest],
          exclude: str | None = None) -> tuple[float, int]:
    """Days and times of quota-counting leave of a staff member in a month (by the month the leave starts)."""
    statuses = {"approved", "pending"} if settings.count_pending else {"approved"}
    days, times = 0.0, 0
    for r in requests:
        if (r.staff_id == staff_id and r.id != exclude and r.status in statuses and _month(r.start) == month
                and counts_toward_quota(settings, r.leave_type)):
            days += r.days
            times += 1
    return days, times


def check(settings: LeaveQuotaSettings, candidates: Sequence[LeaveRequest], existing: Sequence[LeaveRequest],
          today: dt.date) -> list[LeaveProblem]:
    out: list[LeaveProblem] = []
    quotas = {q.role: q for q in settings.quotas}
    for r in candidates:
        name = LEAVE_ZH.get(r.leave_type, r.leave_type)
        if r.end < r.start:
            out.append(_p(r, "end_before_start", "end", "结束日期早于开始日期", "The leave ends before it starts"))
        if r.days <= 0 or (r.days * 2) != int(r.days * 2):
            out.append(_p(r, "invalid_days", "days", "请假天数须为 0.5 的整数倍且大于 0",
                          "Days must be a positive multiple of 0.5"))
            continue
        asked_on = today if r.status == "draft" else r.submitted_on
        if not settings.allow_retroactive and r.start < asked_on:
            out.append(_p(r, "retroactive_leave", "start",
                          f"严禁事后补假：请假须在 {r.start.isoformat()} 之前提出",
                          f"No retroactive leave: the request had to be made before {r.start.isoformat()}"))
        if r.leave_type == "sick" and r.days > settings.sick_note_over_days and not r.has_sick_note:
            over = f"{settings.sick_note_over_days:g}"
            if settings.sick_note_at_closure:
                out.append(_p(r, "sick_note_required", "has_sick_note",
                              f"病假超过 {over} 天须提供医院《诊断证明书》；当日无法提供的须在销假时提供，否则按事假处理",
                              f"Sick leave over {over} day(s) needs a doctor's certificate; bring it when reporting "
                              f"back at the latest, or it counts as personal leave", "warning"))
            else:
                out.append(_p(r, "sick_note_required", "has_sick_note",
                              f"病假超过 {over} 天须提供医院《诊断证明书》",
                              f"Sick leave over {over} day(s) needs a doctor's certificate"))
        if r.days >= settings.substitute_from_days and not r.substitute_staff_id:
            out.append(_p(r, "substitute_required", "substitute_staff_id",
                          f"请假 {settings.substitute_from_days:g} 天及以上须由所在单位安排顶岗人员",
                          f"Leave of {settings.substitute_from_days:g} day(s) or more needs a substitute"))
        if r.leave_type == "annual" and r.days < settings.annual_min_chunk_days:
            out.append(_p(r, "annual_chunk_too_small", "days",
                          f"年休假分期休的，每次不得少于 {settings.annual_min_chunk_days:g} 天",
                          f"Annual leave taken in parts needs at least {settings.annual_min_chunk_days:g} days "
                          f"per part"))
        quota = quotas.get(r.role)
        if quota is not None and counts_toward_quota(settings, r.leave_type):
            used_days, used_times = usage(settings, r.staff_id, _month(r.start), existing, exclude=r.id)
            role = ROLE_ZH.get(r.role, r.role)
            if used_times + 1 > quota.max_times or used_days + r.days > quota.max_days:
                out.append(_p(
                    r, "quota_exceeded", "days",
                    f"超出月度请假限额：{role}每月不得超过 {quota.max_days:g} 天或 {quota.max_times} 次（以先到为准），"
                    f"本月已请 {used_days:g} 天 {used_times} 次，本次{name} {r.days:g} 天",
                    f"Monthly leave quota exceeded: a {r.role.replace('_', ' ')} may take at most "
                    f"{quota.max_days:g} days or {quota.max_times} times a month (whichever comes first); "
                    f"already {used_days:g} days in {used_times} request(s), this one {r.days:g} days"))
    return out


def approval_chain(settings: LeaveQuotaSettings, requests: Sequence[LeaveRequest]
                   ) -> dict[str, tuple[ApprovalStep, ...]]:
    tiers = sorted(settings.approval_tiers, key=lambda t: t.over_days)
    out = {}
    for r in requests:
        tier = tiers[0]
        for t in tiers:
            if r.days > t.over_days:
                tier = t
        out[r.id] = tuple(ApprovalStep(approver=a, name_zh=APPROVER_ZH[a], name_en=APPROVER_EN[a])
                          for a in tier.approvers)
    return out
