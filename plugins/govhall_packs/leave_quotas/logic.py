"""Leave rules as pure functions: what is wrong with a request, and who approves it.

The leave workflow (a later issue) calls these through the hooks with the tenant's settings in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from govhall.packs.types import ApprovalStep, LeaveOutcome, LeaveProblem, LeaveRequest
from govhall_packs.leave_quotas.settings import (
    APPROVER_EN,
    APPROVER_ZH,
    LEAVE_ZH,
    OUTSIDE_APPROVERS,
    ROLE_ZH,
    LeaveQuotaSettings,
    RoleQuota,
)

_HALF = {"before": 0, "am": 1, "pm": 2}


def _p(r: LeaveRequest, code: str, field: str | None, zh: str, en: str, severity: str = "error") -> LeaveProblem:
    return LeaveProblem(request_id=r.id, code=code, field=field, zh=zh, en=en, severity=severity)  # type: ignore[arg-type]  # code/severity are the LeaveProblem literals, passed through


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
    statuses = {"approved", "pending", "closed", "unclosed"} if settings.count_pending else {
        "approved", "closed", "unclosed"}
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
    quotas: dict[str, RoleQuota] = {q.role: q for q in settings.quotas}
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
        elif (not settings.allow_retroactive and settings.retroactive_precision == "half_day"
              and r.start == asked_on and _HALF[r.start_half] <= _HALF[r.submitted_half]):
            half = "上午" if r.start_half == "am" else "下午"
            out.append(_p(r, "leave_already_begun", "startHalf",
                          f"严禁事中补假：{r.start.isoformat()} {half}已经开始，须在开始前请假",
                          f"No leave once it has begun: the {r.start_half} of {r.start.isoformat()} has started; "
                          f"ask before it starts"))
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
        if needs_substitute(settings, r) and not (r.substitute_staff_id or r.has_external_substitute):
            zh, en = _substitute_text(settings)
            if settings.no_substitute_effect == "off_post":
                out.append(_p(r, "substitute_missing", "substitute_staff_id",
                              f"{zh}；无人顶岗的，请假期间按个人脱岗处理",
                              f"{en}; without one, each working day of the leave counts as off post", "warning"))
            else:
                out.append(_p(r, "substitute_required", "substitute_staff_id", zh, en))
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


def needs_substitute(settings: LeaveQuotaSettings, r: LeaveRequest) -> bool:
    """Whether the request must name a substitute (000/6 七.三)1 from 1 day; 000/7 十一(一)4 single-staff windows;
    002 六 every leave)."""
    if settings.substitute_scope == "all":
        return True
    if settings.substitute_scope == "single_staff_window":
        return r.single_staff_window
    return r.days >= settings.substitute_from_days


def _substitute_text(settings: LeaveQuotaSettings) -> tuple[str, str]:
    if settings.substitute_scope == "all":
        return "请假须先落实 AB 岗，安排好顶岗人员", "Every leave needs a substitute (AB cover) first"
    if settings.substitute_scope == "single_staff_window":
        return ("窗口仅 1 名工作人员的请假必须执行 AB 岗，安排人员顶岗",
                "The only staff member of a window needs a substitute (AB cover)")
    return (f"请假 {settings.substitute_from_days:g} 天及以上须由所在单位安排顶岗人员",
            f"Leave of {settings.substitute_from_days:g} day(s) or more needs a substitute")


def _tiers_for(settings: LeaveQuotaSettings, leave_type: str) -> list:
    typed = [t for t in settings.approval_tiers if leave_type in t.leave_types]
    tiers = typed or [t for t in settings.approval_tiers if not t.leave_types]
    return sorted(tiers, key=lambda t: t.over_days)


def approval_chain(settings: LeaveQuotaSettings, requests: Sequence[LeaveRequest]
                   ) -> dict[str, tuple[ApprovalStep, ...]]:
    """The steps of each request: the highest tier below its days (or, with ``tiers_add_up``, every such tier in
    turn), each tier's approvers one after another or all together (``all_of``, 共同签批)."""
    out = {}
    for r in requests:
        tiers = _tiers_for(settings, r.leave_type)
        applicable = [t for t in tiers if r.days > t.over_days] or tiers[:1]
        if not settings.tiers_add_up:
            applicable = applicable[-1:]
        steps: list[ApprovalStep] = []
        seq = 0
        for tier in applicable:
            if tier.mode == "all_of":
                seq += 1
            for a in tier.approvers:
                if any(st.approver == a for st in steps):
                    continue  # an approver already in the chain signs once
                if tier.mode == "sequential":
                    seq += 1
                steps.append(ApprovalStep(approver=a, name_zh=APPROVER_ZH[a], name_en=APPROVER_EN[a], seq=seq,
                                          mode=tier.mode, outside=a in OUTSIDE_APPROVERS))
        out[r.id] = tuple(steps)
    return out


def outcomes(settings: LeaveQuotaSettings, requests: Sequence[LeaveRequest], today: dt.date) -> list[LeaveOutcome]:
    """Due outcomes of approved/closed leave: sick without a note -> personal (000/6 七.二)7), unclosed past the
    deadline -> a day of absence (000/7 十一(一)3), working days without cover -> off post (002 六; 000/6 七.三)1)."""
    out: list[LeaveOutcome] = []
    for r in requests:
        if (r.leave_type == "sick" and r.closed_on is not None and not r.has_sick_note
                and r.days > settings.sick_note_over_days and settings.sick_note_missing_becomes == "personal"):
            out.append(LeaveOutcome(
                request_id=r.id, kind="convert_type", leave_type="personal", clause="000 篇六 七.二)7",
                zh=f"病假超过 {settings.sick_note_over_days:g} 天，销假时未提供诊断证明，视为事假",
                en=f"Sick leave over {settings.sick_note_over_days:g} day(s) closed without a doctor's certificate "
                   f"counts as personal leave"))
        if (settings.closure_required and settings.unclosed_effect == "absence_day" and r.closed_on is None
                and r.closure_due is not None and r.closure_due < today and r.status in ("approved", "unclosed")):
            out.append(LeaveOutcome(
                request_id=r.id, kind="absence", on=r.closure_due, half_days=2, clause="000 篇七 工作制度 十一(一)3",
                zh=f"假期结束后未在 {r.closure_due.isoformat()} 前销假，按旷工一天处理",
                en=f"Not closed by {r.closure_due.isoformat()}: counts as one day of unexcused absence"))
        if r.substitute_staff_id or r.has_external_substitute:
            counts = settings.substitute_on_post_first and needs_substitute(settings, r)  # named, not on post
        else:
            counts = needs_substitute(settings, r) and (settings.no_substitute_effect == "off_post"
                                                        or settings.substitute_on_post_first)
        if r.uncovered_days and counts:
            for d in r.uncovered_days:
                out.append(LeaveOutcome(
                    request_id=r.id, kind="off_post", on=d, clause="002 上班请销假 六; 000 篇六 七.三)1",
                    zh=f"{d.isoformat()} 无人顶岗，按个人脱岗处理",
                    en=f"No cover on post on {d.isoformat()}: counts as off post"))
    return out
