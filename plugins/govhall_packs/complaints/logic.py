"""Pure rules: a complaint's terms, a case's card."""

from __future__ import annotations

from collections.abc import Sequence

from govhall.packs.types import CaseClock, CaseFinding, ComplaintFacts, ComplaintTerms, Deadline
from govhall_packs.complaints.settings import WRITTEN_CHANNELS, ComplaintsSettings


def complaint_terms(s: ComplaintsSettings, complaints: Sequence[ComplaintFacts]) -> dict[str, ComplaintTerms]:
    by_key = {c.key: c for c in s.classes}
    multi = next((c for c in s.classes if c.multi_department), None)
    points = {w.level: w for w in s.window_points}
    out: dict[str, ComplaintTerms] = {}
    for f in complaints:
        cls = by_key.get(f.class_key) or s.classes[0]
        if f.departments >= 2 and multi is not None:
            cls = multi  # 002 投诉 四.3: 涉及两个以上部门…在2个工作日内
        written = f.written or f.channel in WRITTEN_CHANNELS
        level = f.level if f.level != "center" else ("center_written" if written else "center")
        wp = points.get(level)  # type: ignore[call-overload]  # an unknown level costs nothing
        out[f.complaint_id] = ComplaintTerms(
            class_key=cls.key, class_name=cls.name, class_name_en=cls.name_en or cls.key,
            deadline=Deadline(amount=cls.amount, unit=cls.unit, postpone=cls.postpone), clause=cls.clause,
            reply_in_writing=s.written_needs_written_reply and written,
            person_violation_kind=s.person_violation_kind, window_points=wp.points if wp else 0.0,
            window_zeroes=bool(wp and wp.zeroes), reporter_reward_yuan=s.reporter_reward_yuan)
    return out


def case_findings(s: ComplaintsSettings, cases: Sequence[CaseClock]) -> dict[str, CaseFinding]:
    out: dict[str, CaseFinding] = {}
    for c in cases:
        if c.overdue_minutes <= 0:
            out[c.case_id] = CaseFinding(card="")
            continue
        red = c.overdue_working_days >= s.red_card_after_working_days
        days = max(1, c.overdue_working_days)
        out[c.case_id] = CaseFinding(
            card="red" if red else "yellow", card_points=s.red_card_points if red else s.yellow_card_points,
            violation_kind=s.overdue_violation_kind, quantity=float(days) if s.overdue_per_day else 1.0,
            clause="000 篇七 工作制度 十.3⑨" + ("; 004/14 (三)(6)" if s.overdue_per_day else ""))
    return out
