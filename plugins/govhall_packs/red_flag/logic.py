"""Pure rules of the red_flag pack: the terms and the scoring of a round's units from their facts."""

from __future__ import annotations

from collections.abc import Sequence

from govhall.packs.types import (
    RedFlagCriterion,
    RedFlagFact,
    RedFlagLine,
    RedFlagRoundKind,
    RedFlagScore,
    RedFlagTerms,
    RedFlagUnit,
)
from govhall_packs.red_flag.settings import Criterion, Disqualifier, RedFlagSettings

# which record origins each criterion source takes
ORIGINS: dict[str, frozenset[str]] = {
    "violations": frozenset({"attendance", "patrol", "meeting", "complaint", "case", "manual"}),
    "attendance": frozenset({"attendance"}),
    "meetings": frozenset({"meeting"}),
    "patrols": frozenset({"patrol"}),
    "complaints": frozenset({"complaint", "case"}),
    "bonuses": frozenset({"bonus"}),
    "council": frozenset({"attendance", "patrol", "meeting", "complaint", "case", "manual"}),
}


def terms(s: RedFlagSettings) -> RedFlagTerms:
    return RedFlagTerms(
        rounds=tuple(RedFlagRoundKind(period=r.period, flags=r.flags, award_day=r.award_day, clause=r.clause)
                     for r in s.rounds),
        unit=s.unit,
        criteria=tuple(RedFlagCriterion(key=c.key, name_zh=c.name, name_en=c.name_en or c.key,
                                        max_points=c.max_points, source=c.source, scoring=c.scoring, clause=c.clause)
                       for c in s.criteria),
        council_required=any(c.scoring == "rating" for c in s.criteria),
        min_total=s.min_total,
        disqualifiers=tuple((d.key, d.name, d.name_en or d.key) for d in s.disqualifiers))


def _matches(c: Criterion, f: RedFlagFact) -> bool:
    if f.source not in ORIGINS[c.source]:
        return False
    return not c.kinds or f.kind in c.kinds or f.kind in c.zero_kinds


def _r(x: float) -> float:
    return round(x + 0.0, 2)


def _line(c: Criterion, facts: list[RedFlagFact], rating: float | None) -> RedFlagLine:
    refs = tuple(f.ref for f in facts)
    each = [(c.points_each * f.quantity if c.points_each else f.points) for f in facts]
    zeroed = [f for f in facts if f.kind in c.zero_kinds]
    note_zh = note_en = ""
    if c.scoring == "earn":
        points = min(c.max_points, sum(each))
    else:
        base = c.max_points
        if c.scoring == "rating":
            if rating is None:
                base, note_zh, note_en = 0, "评议未录入", "council rating not entered"
            else:
                base = c.max_points * rating / 100
                note_zh, note_en = f"评议 {rating:g} 分折算 {base:g}", f"council rating {rating:g} scaled to {base:g}"
        points = max(0.0, base - sum(e for f, e in zip(facts, each, strict=True) if f.kind not in c.zero_kinds))
        if zeroed:
            points = 0
            note_zh, note_en = "此项不得分", "criterion scores 0"
        each = [(0 if f.kind in c.zero_kinds else -e) for f, e in zip(facts, each, strict=True)]
    return RedFlagLine(key=c.key, name_zh=c.name, name_en=c.name_en or c.key, max_points=c.max_points,
                       points=_r(points), refs=refs, deductions=tuple(_r(e) for e in each), note_zh=note_zh,
                       note_en=note_en, clause=c.clause)


def _disqualified(d: Disqualifier, facts: Sequence[RedFlagFact]) -> RedFlagLine | None:
    if d.when == "duty_negligence":
        hits = [f for f in facts if f.source == "duty"]
    elif d.when == "complaint_substantiated":
        hits = [f for f in facts if f.source == "complaint" and (not d.kinds or f.kind in d.kinds)]
    else:
        hits = [f for f in facts if f.source != "bonus" and f.kind in d.kinds]
    if not hits:
        return None
    return RedFlagLine(key=d.key, name_zh=d.name, name_en=d.name_en or d.key, max_points=0, points=0,
                       refs=tuple(f.ref for f in hits), clause=d.clause)


def score(s: RedFlagSettings, units: Sequence[RedFlagUnit]) -> dict[str, RedFlagScore]:
    out: dict[str, RedFlagScore] = {}
    for u in units:
        left = list(u.facts)
        lines: list[RedFlagLine] = []
        for c in s.criteria:  # a fact counts on the first criterion that takes it, never twice
            mine = [f for f in left if _matches(c, f)]
            taken = {id(f) for f in mine}
            left = [f for f in left if id(f) not in taken]
            lines.append(_line(c, mine, u.council_rating))
        dq = tuple(x for x in (_disqualified(d, u.facts) for d in s.disqualifiers) if x is not None)
        out[u.unit_id] = RedFlagScore(unit_id=u.unit_id, total=_r(sum(x.points for x in lines)), lines=tuple(lines),
                                      disqualified=dq)
    return out
