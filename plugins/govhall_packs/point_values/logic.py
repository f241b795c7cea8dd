"""Monthly 100-point scorecards as pure functions of the settings and the month's recorded events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from govhall.packs.types import Scorecard, ScoreLine, StaffMonth, ViolationType
from govhall_packs.point_values.settings import PointValuesSettings


class CompiledPoints:
    """Lookups built once per batch (a whole center's month), not per staff member."""

    def __init__(self, s: PointValuesSettings) -> None:
        self.s = s
        self.maxima = {c.key: c.max_points for c in s.categories}
        self.violations = {v.key: v for v in s.violations}
        self.bonuses = {b.key: b for b in s.bonuses}
        self.unit = s.pay_base_yuan / 100.0


def catalogue(s: PointValuesSettings) -> tuple[ViolationType, ...]:
    at: dict[str, float] = {}
    for t in s.return_triggers:
        if t.period == "month" and len(t.violations) == 1:
            at[t.violations[0]] = t.count
        elif t.period == "month":
            for k in t.violations:
                at.setdefault(k, t.count)
    return tuple(ViolationType(key=v.key, name_zh=v.name, name_en=v.name_en or v.key, category=v.category,
                               points=v.points, ladder_group=v.ladder_group, return_to_unit_at=at.get(v.key, 0),
                               zeroes_category=v.zeroes_category, zeroes_month_at=v.zeroes_month_at,
                               stops_pay=v.stops_pay) for v in s.violations)


def score_one(c: CompiledPoints, month: dt.date, staff: StaffMonth) -> Scorecard:
    s = c.s
    deducted: dict[str, float] = defaultdict(float)
    counts: dict[str, float] = defaultdict(float)
    occurrences: dict[str, int] = defaultdict(int)
    zeroed: set[str] = set()
    zero_month = stops_pay = False
    lines: list[ScoreLine] = []
    for ev in sorted(staff.violations, key=lambda e: e.day):
        v = c.violations.get(ev.kind)
        if v is None or v.category not in c.maxima:
            continue  # not in this center's catalogue (the recording domain refuses unknown kinds)
        group = v.ladder_group or v.key
        occurrences[group] += 1
        n = occurrences[group]
        points = v.points[min(n, len(v.points)) - 1] * ev.quantity
        deducted[v.category] += points
        counts[v.key] += ev.quantity
        if v.zeroes_category:
            zeroed.add(v.category)
        if v.zeroes_month_at and counts[v.key] >= v.zeroes_month_at:
            zero_month = True
        stops_pay = stops_pay or v.stops_pay
        lines.append(ScoreLine(kind=v.key, name_zh=v.name, name_en=v.name_en or v.key, category=v.category,
                               day=ev.day, occurrence=n, points=-points))
    earned: dict[str, float] = defaultdict(float)
    by_kind: dict[str, float] = defaultdict(float)
    for ev in sorted(staff.bonuses, key=lambda e: e.day):
        b = c.bonuses.get(ev.kind)
        if b is None or b.category not in c.maxima:
            continue
        room = b.monthly_cap - by_kind[b.key]
        points = min(b.points * ev.quantity, max(room, 0.0))
        if points <= 0:
            continue
        by_kind[b.key] += points
        earned[b.category] += points
        lines.append(ScoreLine(kind=b.key, name_zh=b.name, name_en=b.name_en or b.key, category=b.category,
                               day=ev.day, occurrence=int(by_kind[b.key] // b.points), points=points))
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
    reasons = []
    for t in s.return_triggers:
        n = sum(counts[k] for k in t.violations)
        if t.period == "quarter":
            n += sum(staff.quarter_counts_before.get(k, 0) for k in t.violations)
        if n >= t.count:
            reasons.append(t.name)
    return Scorecard(
        staff_id=staff.staff_id, month=month, categories=categories, total=total, deducted=month_deducted,
        bonus=round(sum(earned.values()), 2), pay_yuan=0.0 if stops_pay else round(c.unit * total, 2),
        return_to_unit=bool(reasons), return_reasons=tuple(reasons), year_deductions=round(year, 2),
        award_eligible=not (s.annual_award_threshold and year >= s.annual_award_threshold), lines=tuple(lines),
    )


def score_month(settings: PointValuesSettings, month: dt.date, staff: Sequence[StaffMonth]) -> dict[str, Scorecard]:
    compiled = CompiledPoints(settings)
    return {m.staff_id: score_one(compiled, month, m) for m in staff}
