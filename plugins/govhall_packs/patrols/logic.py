"""Pure rules of the patrols pack: the day's plan and what a finding becomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from govhall.packs.types import (
    ChecklistEntry,
    DaySchedule,
    FindingOutcome,
    FixedCheckPlan,
    PatrolFinding,
    PatrolPlan,
)
from govhall_packs.patrols.settings import PatrolsSettings

NOON = dt.time(12, 0)


def checklist(s: PatrolsSettings) -> tuple[ChecklistEntry, ...]:
    return tuple(ChecklistEntry(key=c.key, name_zh=c.name, name_en=c.name_en or c.key, applies_to=c.applies_to,
                                violation_kind=c.violation_kind, sanction=c.sanction,
                                photo_required=c.photo_required, clause=c.clause, off_post=c.off_post)
                 for c in s.checklist)


def midday(day: DaySchedule) -> dt.time:
    """The start of the first session at or after noon (the afternoon), else noon."""
    starts = sorted(x.start for x in day.sessions if x.start >= NOON)
    return starts[0] if starts else NOON


def plan(s: PatrolsSettings, days: Sequence[DaySchedule]) -> dict[dt.date, PatrolPlan]:
    items = checklist(s)
    fixed = tuple(FixedCheckPlan(key=f.key, name_zh=f.name, name_en=f.name_en or f.key,
                                 at=dt.time.fromisoformat(f.at), items=f.items, clause=f.clause)
                  for f in s.fixed_checks)
    out: dict[dt.date, PatrolPlan] = {}
    for d in days:
        open_day = d.workday and bool(d.sessions)
        duty = open_day or s.holiday_duty
        out[d.day] = PatrolPlan(
            day=d.day, duty_day=duty,
            required_total=s.min_patrols_per_day if open_day else 0,
            required_am=s.min_patrols_am if open_day else 0,
            required_pm=s.min_patrols_pm if open_day else 0,
            midday=midday(d), fixed_checks=fixed if open_day else (),
            closing_check=s.closing_check and duty, closing_items=s.closing_items, checklist=items,
            modes=tuple(s.modes), rota_mode=s.rota_mode, windows_per_month=s.windows_per_month,
            duty_arrival_offset_minutes=s.duty_arrival_offset_minutes, gaps_allowed=s.rota_gaps_allowed,
            outing_approval=s.outing_approval, meeting_day=s.meeting_day,
            meeting_time=dt.time.fromisoformat(s.meeting_time), meeting_late_after_minutes=s.meeting_late_after_minutes,
            meeting_late_kind=s.meeting_late_kind, meeting_absent_kind=s.meeting_absent_kind)
    return out


def findings(s: PatrolsSettings, batch: Sequence[PatrolFinding]) -> dict[str, FindingOutcome]:
    by_key = {c.key: c for c in s.checklist}
    out: dict[str, FindingOutcome] = {}
    for f in batch:
        item = by_key.get(f.item_key)
        if item is None:
            continue
        kind = item.violation_kind if item.sanction == "deduction" or item.violation_kind else ""
        out[f.ref] = FindingOutcome(violation_kind=kind, sanction=item.sanction,
                                    photo_required=item.photo_required, clause=item.clause, off_post=item.off_post)
    return out
