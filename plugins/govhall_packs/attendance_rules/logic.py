"""Monthly conversions as pure functions of the settings (tested directly, no host, no database)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from govhall.packs.types import AttendanceTally
from govhall_packs.attendance_rules.settings import AttendanceRulesSettings, ConversionStep


def ladder(steps: Iterable[ConversionStep], count: int) -> int:
    """Half days for ``count`` occurrences: the highest step reached (0 below the first)."""
    return max((s.half_days for s in steps if count >= s.count), default=0)


def convert(s: AttendanceRulesSettings, t: AttendanceTally) -> dict[str, int]:
    if s.late_and_early_counted_together:
        late_early = ladder(s.late_early_steps, t.late_count + t.early_count)
    else:
        late_early = ladder(s.late_early_steps, t.late_count) + ladder(s.late_early_steps, t.early_count)
    limit = s.off_post_half_day_after_minutes
    off_post = sum(1 for m in t.off_post_minutes if m > limit) if limit else 0
    return {"late_early": late_early, "missed_punch": ladder(s.missed_punch_steps, t.missed_punches),
            "off_post": off_post}


def conversions(s: AttendanceRulesSettings, tallies: Sequence[AttendanceTally]) -> dict[str, dict[str, int]]:
    out = {}
    for t in tallies:
        c = convert(s, t)
        if any(c.values()):
            out[t.staff_id] = c
    return out
