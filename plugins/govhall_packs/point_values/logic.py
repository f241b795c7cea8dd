"""Monthly 100-point scorecards as pure functions of the settings and the month's recorded events, and the
attendance -> violation bridge."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import msgspec

from govhall.packs.types import (
    AnnualResult,
    AttendanceStaffMonth,
    BonusType,
    Scorecard,
    ScoreLine,
    StaffMonth,
    StaffYear,
    UnitMonth,
    UnitScorecard,
    ViolationDraft,
    ViolationType,
)
from govhall_packs.point_values.settings import AttendanceMap, PointValuesSettings


class CompiledPoints:
    """Lookups built once per batch (a whole center's month), not per staff member."""

    def __init__(self, s: PointValuesSettings) -> None:
        self.s = s
        self.maxima = {c.key: c.max_points for c in s.categories}
        self.violations = {v.key: v for v in s.violations}
        self.bonuses = {b.key: b for b in s.bonuses}
        self.unit = s.pay_base_yuan / 100.0
        # each return trigger with its kinds as a set: a person none of whose kinds occur (this month or, for
        # quarter/year triggers, before) cannot meet a trigger that needs at least one occurrence
        self.triggers = [(t, frozenset(t.violations)) for t in s.return_triggers]


def catalogue(s: PointValuesSettings) -> tuple[ViolationType, ...]:
    at: dict[str, float] = {}
    immediate: set[str] = set()
    for t in s.return_triggers:
        if t.period == "month" and len(t.violations) == 1:
            at[t.violations[0]] = t.count
        elif t.period == "month":
            for k in t.violations:
                at.setdefault(k, t.count)
        if t.immediate and t.count <= 1:
            immediate.update(t.violations)
    return tuple(ViolationType(key=v.key, name_zh=v.name, name_en=v.name_en or v.key, category=v.category,
                               points=v.points, ladder_group=v.ladder_group, return_to_unit_at=at.get(v.key, 0),
                               zeroes_category=v.zeroes_category, zeroes_month_at=v.zeroes_month_at,
                               stops_pay=v.stops_pay, clause=v.clause, subject=v.subject,
                               evidence_required=v.evidence_required, warn_first=v.warn_first,
                               points_min=v.points_min, points_max=v.points_max, fine_yuan=v.fine_yuan,
                               bars_awards=v.bars_awards, sanctions=tuple(v.sanction),
                               immediate_return=v.key in immediate) for v in s.violations)


def bonus_catalogue(s: PointValuesSettings) -> tuple[BonusType, ...]:
    return tuple(BonusType(key=b.key, name_zh=b.name, name_en=b.name_en or b.key, category=b.category,
                           points=b.points, monthly_cap=b.monthly_cap, points_min=b.points_min,
                           points_max=b.points_max, clause=b.clause) for b in s.bonuses)


def score_one(c: CompiledPoints, month: dt.date, staff: StaffMonth) -> Scorecard:
    s = c.s
    deducted: dict[str, float] = defaultdict(float)
    counts: dict[str, float] = defaultdict(float)
    refs: dict[str, list[str]] = defaultdict(list)
    occurrences: dict[str, int] = defaultdict(int)
    zeroed: set[str] = set()
    zero_month = stops_pay = False
    bars: set[str] = set()
    fines = 0.0
    lines: list[ScoreLine] = []
    for ev in sorted(staff.violations, key=lambda e: (e.day, e.ref)):
        v = c.violations.get(ev.kind)
        if v is None or v.category not in c.maxima:
            continue  # not in this center's catalogue (the recording domain refuses unknown kinds)
        group = v.ladder_group or v.key
        occurrences[group] += 1
        n = occurrences[group]
        warning = v.warn_first and n == 1
        if warning or s.sanctions_only:  # sanctions-only centers (001 四(二)): the sanction, never points
            points = 0.0
        elif ev.points is not None:
            points = ev.points * ev.quantity
        else:
            points = v.points[min(n, len(v.points)) - 1] * ev.quantity
        deducted[v.category] += points
        counts[v.key] += ev.quantity
        if ev.ref:
            refs[v.key].append(ev.ref)
        if v.zeroes_category:
            zeroed.add(v.category)
        if v.zeroes_month_at and counts[v.key] >= v.zeroes_month_at:
            zero_month = True
        stops_pay = stops_pay or v.stops_pay
        if v.bars_awards:
            bars.update(("person", "window") if v.bars_awards == "both" else (v.bars_awards,))
        fine = 0.0 if warning else round(v.fine_yuan * ev.quantity, 2)
        fines += fine
        sanction = v.sanction[min(n, len(v.sanction)) - 1] if v.sanction else ""
        lines.append(ScoreLine(kind=v.key, name_zh=v.name, name_en=v.name_en or v.key, category=v.category,
                               day=ev.day, occurrence=n, points=-points, ref=ev.ref, clause=v.clause,
                               quantity=ev.quantity, fine_yuan=fine,
                               sanction=sanction or ("verbal_warning" if warning else ""), warning=warning))
    earned: dict[str, float] = defaultdict(float)
    by_kind: dict[str, float] = defaultdict(float)
    nth: dict[str, int] = defaultdict(int)
    for bev in sorted(staff.bonuses, key=lambda e: (e.day, e.ref)):
        b = c.bonuses.get(bev.kind)
        if b is None or b.category not in c.maxima:
            continue
        room = b.monthly_cap - by_kind[b.key]
        each = bev.points if bev.points is not None else b.points
        points = min(each * bev.quantity, max(room, 0.0))
        if points <= 0:
            continue
        by_kind[b.key] += points
        earned[b.category] += points
        nth[b.key] += 1
        lines.append(ScoreLine(kind=b.key, name_zh=b.name, name_en=b.name_en or b.key, category=b.category,
                               day=bev.day, occurrence=nth[b.key], points=points, ref=bev.ref, clause=b.clause,
                               quantity=bev.quantity))
    categories = {}
    for key, maximum in c.maxima.items():
        if key in zeroed:
            categories[key] = 0.0
        else:  # never below zero, never above the maximum
            categories[key] = min(maximum, max(0.0, maximum - deducted[key] + earned[key]))
    total = 0.0 if zero_month else round(sum(categories.values()), 2)
    if zero_month:
        categories = dict.fromkeys(categories, 0.0)
    month_deducted = round(sum(deducted.values()), 2)
    year = staff.year_deductions_before + month_deducted
    reasons: list[str] = []
    reason_refs: list[str] = []
    seen = counts.keys() | staff.quarter_counts_before.keys() | staff.year_counts_before.keys()
    for t, kinds in c.triggers:
        if t.count > 0 and seen.isdisjoint(kinds):
            continue
        times = sum(counts[k] for k in t.violations)
        if t.period == "quarter":
            times += sum(staff.quarter_counts_before.get(k, 0) for k in t.violations)
        elif t.period == "year":
            times += sum(staff.year_counts_before.get(k, 0) for k in t.violations)
        if times >= t.count:
            reasons.append(t.name)
            reason_refs.extend(r for k in t.violations for r in refs[k])
    over_threshold = bool(s.annual_award_threshold and year >= s.annual_award_threshold)
    return Scorecard(
        staff_id=staff.staff_id, month=month, categories=categories, total=total, deducted=month_deducted,
        bonus=round(sum(earned.values()), 2),
        pay_yuan=0.0 if stops_pay or s.sanctions_only else round(c.unit * total, 2),
        return_to_unit=bool(reasons), return_reasons=tuple(reasons), year_deductions=round(year, 2),
        award_eligible=not (over_threshold or "person" in bars), lines=tuple(lines), fines_yuan=round(fines, 2),
        bars_awards=("window",) if "window" in bars else (), return_refs=tuple(dict.fromkeys(reason_refs)),
    )


def score_month(settings: PointValuesSettings, month: dt.date, staff: Sequence[StaffMonth]) -> dict[str, Scorecard]:
    compiled = CompiledPoints(settings)
    return {m.staff_id: score_one(compiled, month, m) for m in staff}


# ---- window and department scorecards --------------------------------------------------------------------------


def score_units(settings: PointValuesSettings, month: dt.date, units: Sequence[UnitMonth]
                ) -> dict[str, UnitScorecard]:
    """A unit starts from the same categories as a person: its own records score on it as on a person (ladders,
    floors, bonuses), then the deductions of the members the rules count (``unit_counts_members``) come off their
    categories, each line kept with the member's id. Categories never go below zero."""
    if not settings.unit_scorecards:
        return {}
    c = CompiledPoints(settings)
    out: dict[str, UnitScorecard] = {}
    for u in units:
        if u.subject not in settings.unit_scorecards:
            continue
        own = score_one(c, month, StaffMonth(staff_id=u.unit_id, violations=u.violations, bonuses=u.bonuses))
        categories = dict(own.categories)
        lines = list(own.lines)
        deducted = own.deducted
        bars = "window" in own.bars_awards or ("person" in own.bars_awards and u.subject == "window")
        for m in u.members:
            bars = bars or (m.bars_window and u.subject == "window")
            if settings.unit_counts_members == "none" or (settings.unit_counts_members == "chief" and not m.chief):
                continue
            for line in m.lines:
                if line.points >= 0 or line.category not in categories:
                    continue
                before = categories[line.category]
                categories[line.category] = max(0.0, before + line.points)
                deducted += before - categories[line.category]
                lines.append(msgspec.structs.replace(line, staff_id=m.staff_id))
        out[u.unit_id] = UnitScorecard(
            unit_id=u.unit_id, subject=u.subject, month=month, categories=categories,
            total=round(sum(categories.values()), 2), deducted=round(deducted, 2), bonus=own.bonus,
            award_eligible=not bars, lines=tuple(lines))
    return out


# ---- the year sheet ---------------------------------------------------------------------------------------------


def annual_consequences(s: PointValuesSettings, year: int, staff: Sequence[StaffYear]) -> dict[str, AnnualResult]:
    """Award eligibility (the annual deduction threshold, 002 考核办法 四.2; a month that barred awards), the annual
    bonus cancelled (000 篇七 工作制度 二.5: sick+personal leave over the limit, absence days at the limit) and the
    优秀首席代表 candidates: the best average score among the eligible chiefs (000 服务制度 六(五)2)."""
    out: dict[str, AnnualResult] = {}
    for y in staff:
        deductions = round(sum(m.deducted for m in y.months), 2)
        avg = round(sum(m.total for m in y.months) / len(y.months), 2) if y.months else 0.0
        award: list[str] = []
        if s.annual_award_threshold and deductions >= s.annual_award_threshold:
            award.append(f"全年扣分 {deductions:g} 分，达到 {s.annual_award_threshold:g} 分（不得评先评优）")
        barred = [m.month for m in y.months if not m.award_eligible]
        if barred and not award:  # (a month past the threshold is barred by it: said once above)
            award.append("当月考核取消评先资格：" + "、".join(f"{d.month}月" for d in barred))
        returned = [m.month for m in y.months if m.return_to_unit]
        if returned:
            award.append("触发退回原单位：" + "、".join(f"{d.month}月" for d in returned))
        bonus: list[str] = []
        leave = round(sum(y.leave_days.get(k, 0) for k in s.annual_leave_types), 1)
        if s.annual_leave_limit_days and leave > s.annual_leave_limit_days:
            bonus.append(f"全年病事假累计 {leave:g} 天，超过 {s.annual_leave_limit_days:g} 天（000 篇七 工作制度 二.5）")
        if s.annual_absence_limit_days and y.absence_days >= s.annual_absence_limit_days:
            bonus.append(f"全年累计旷工 {y.absence_days:g} 天，达到 {s.annual_absence_limit_days:g} 天"
                         "（000 篇七 工作制度 二.5）")
        out[y.staff_id] = AnnualResult(staff_id=y.staff_id, year=year, deductions=deductions, average_total=avg,
                                       months_scored=len(y.months), award_eligible=not award,
                                       award_reasons=tuple(award), bonus_cancelled=bool(bonus),
                                       bonus_reasons=tuple(bonus))
    if s.chief_award_candidates:
        chiefs = sorted((y for y in staff if y.chief and y.months and out[y.staff_id].award_eligible
                         and not out[y.staff_id].bonus_cancelled),
                        key=lambda y: (-out[y.staff_id].average_total, out[y.staff_id].deductions, y.staff_id))
        for y in chiefs[:s.chief_award_candidates]:
            out[y.staff_id] = msgspec.structs.replace(out[y.staff_id], chief_candidate=True)
    return out


# ---- the attendance bridge ----------------------------------------------------------------------------------


def _off_post_band(maps: Sequence[AttendanceMap], minutes: int) -> AttendanceMap | None:
    """The longest band whose threshold the length exceeds (a threshold of 0 matches any length)."""
    best: AttendanceMap | None = None
    for m in maps:
        if (minutes > m.min_minutes or m.min_minutes == 0) and (best is None or m.min_minutes > best.min_minutes):
            best = m
    return best


def attendance_violations(s: PointValuesSettings, month: dt.date, staff_months: Sequence[AttendanceStaffMonth]
                          ) -> dict[str, tuple[ViolationDraft, ...]]:
    """Each finding on its day becomes a draft of the mapped violation: one per occurrence (so the ladder and the
    return triggers count them), or one per day with the days (or half days) as its quantity."""
    by_finding: dict[str, list[AttendanceMap]] = defaultdict(list)
    known = {v.key for v in s.violations}
    for m in s.attendance_mapping:
        if m.violation in known:
            by_finding[m.finding].append(m)

    def qty(m: AttendanceMap, half_days: int) -> float:
        return {"half_day": float(half_days), "day": half_days / 2.0}.get(m.unit, 1.0)

    out: dict[str, tuple[ViolationDraft, ...]] = {}
    for sm in staff_months:
        drafts: list[ViolationDraft] = []
        for d in sorted(sm.days, key=lambda x: x.day):
            iso = d.day.isoformat()
            for finding, n in (("late", d.late), ("early_leave", d.early), ("missed_punch", d.missed_punches)):
                for m in by_finding.get(finding, ()):
                    drafts.extend(ViolationDraft(kind=m.violation, day=d.day, source_ref=f"{iso}/{finding}/{i}")
                                  for i in range(1, n + 1))
            for i, minutes in enumerate(d.off_post_minutes, start=1):
                band = _off_post_band(by_finding.get("off_post", ()), minutes)
                if band is not None:
                    drafts.append(ViolationDraft(kind=band.violation, day=d.day, source_ref=f"{iso}/off_post/{i}",
                                                 note=f"{minutes} 分钟"))
            if d.absence_half_days:
                finding = "absence_day" if d.absence_half_days >= 2 else "absence_half_day"
                for m in by_finding.get(finding, ()):
                    drafts.append(ViolationDraft(kind=m.violation, day=d.day, quantity=qty(m, d.absence_half_days),
                                                 source_ref=f"{iso}/{finding}"))
            if d.leave_half_days:
                for m in by_finding.get("leave_day", ()):
                    if not m.leave_type or m.leave_type == d.leave_type:
                        drafts.append(ViolationDraft(kind=m.violation, day=d.day, quantity=qty(m, d.leave_half_days),
                                                     source_ref=f"{iso}/leave/{m.leave_type or 'any'}",
                                                     note=d.leave_type))
        if sm.converted_half_days:
            last = max((d.day for d in sm.days), default=month)
            for m in by_finding.get("converted_absence", ()):
                drafts.append(ViolationDraft(kind=m.violation, day=last, quantity=qty(m, sm.converted_half_days),
                                             source_ref=f"{month.isoformat()[:7]}/converted"))
        if drafts:
            out[sm.staff_id] = tuple(drafts)
    return out
