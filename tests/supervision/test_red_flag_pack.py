"""The red_flag pack's terms and scoring, per seed clause, with concrete numbers (000 篇七 工作制度 十; 五.2; 限时办结
制度 4; 004/4 三.4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
import yaml

from govhall.packs.types import RedFlagFact, RedFlagUnit
from govhall_packs.red_flag import logic
from govhall_packs.red_flag.settings import RedFlagSettings

ROOT = Path(__file__).resolve().parents[2]
D = dt.date(2026, 3, 10)


def template_red_flag(key: str) -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "tenants" / "templates" / f"{key}.yaml").read_text(encoding="utf-8"))
    return doc["packs"]["red_flag"]


def settings(template: str) -> RedFlagSettings:
    return msgspec.convert(template_red_flag(template), RedFlagSettings)


def v(ref: str, kind: str, points: float = 0, source: str = "manual") -> RedFlagFact:
    return RedFlagFact(ref=ref, source=source, kind=kind, day=D, points=points)


def test_county_terms_monthly_two_flags_on_the_3rd_and_quarterly_one() -> None:
    """000 篇七 工作制度 十.2 共设N面流动红旗，每月评选一次，每月3日例会为颁布日 (N = 2, the center's choice); 限时办结
    制度 4 与季度评选红旗窗口直接挂钩 (1 a quarter); ten criteria adding up to 100, ⑦ by the council's rating."""
    t = logic.terms(settings("county_hall"))
    assert [(r.period, r.flags, r.award_day) for r in t.rounds] == [("month", 2, 3), ("quarter", 1, 3)]
    assert t.unit == "window" and t.council_required
    assert [c.max_points for c in t.criteria] == [10, 10, 5, 5, 5, 10, 30, 10, 10, 5]
    assert sum(c.max_points for c in t.criteria) == 100
    assert [c.key for c in t.criteria if c.scoring == "rating"] == ["discipline"]
    city = logic.terms(settings("city_hall"))
    assert [(r.period, r.flags, r.award_day) for r in city.rounds] == [("month", 1, 3)]
    assert city.disqualifiers == (("duty_negligence", "值班窗口未认真履行职责", "Duty window neglected its duty"),)


def test_county_ranking_ten_criteria_with_a_disqualifier() -> None:
    """000 篇七 工作制度 十.3 in numbers, March 2026:
    window A: late twice (② 1 + 2 by the ladder), no badge (⑤ 0.5), untidy (④ 0.5), a missed meeting (③ 1), a
    ten-prohibitions finding on patrol (⑦ council 90 -> 27, then 3 off = 24), an article published (⑩ +2):
    10 + 7 + 4 + 4.5 + 4.5 + 10 + 24 + 10 + 10 + 2 = 86;
    window B: nothing recorded, council 80 -> ⑦ 24: 89;
    window C: council 100 but named by the city (⑨ 此项不得分, 五.2 当月不得评为红旗窗口): 85 and disqualified."""
    s = settings("county_hall")
    a = RedFlagUnit(unit_id="A", council_rating=90, facts=(
        v("l1", "late", 1, "attendance"), v("l2", "late", 2, "attendance"), v("b", "no_badge", 1, "patrol"),
        v("u", "untidy", 1, "patrol"), v("m", "meeting_absent", 1, "meeting"),
        v("t", "ten_prohibitions", 3, "patrol"), RedFlagFact(ref="bonus/1", source="bonus",
                                                             kind="article_published", day=D, points=2)))
    b = RedFlagUnit(unit_id="B", council_rating=80)
    c = RedFlagUnit(unit_id="C", council_rating=100, facts=(v("n", "city_notified", 5),))
    out = logic.score(s, [a, b, c])
    lines = {x.key: x.points for x in out["A"].lines}
    assert lines == {"rules": 10, "schedule": 7, "meetings": 4, "hygiene": 4.5, "bearing": 4.5, "safety": 10,
                     "discipline": 24, "efficiency": 10, "platform": 10, "publicity": 2}
    assert out["A"].total == 86 and not out["A"].disqualified
    sched = next(x for x in out["A"].lines if x.key == "schedule")
    assert sched.refs == ("l1", "l2") and sched.deductions == (-1, -2)
    assert out["B"].total == 89
    assert out["C"].total == 85
    assert [(d.key, d.refs) for d in out["C"].disqualified] == [("city_notified", ("n",))]
    platform = next(x for x in out["C"].lines if x.key == "platform")
    assert platform.points == 0 and platform.note_en == "criterion scores 0"


def test_a_physical_conflict_zeroes_safety_and_a_rating_not_entered_scores_nothing() -> None:
    """十.3⑥ 与人口角1人1次扣2分，与人发生肢体冲突此项不得分: one quarrel leaves 8 of 10, a fight 0; ⑦ without the
    council's rating counts 0 (the round cannot be proposed then)."""
    s = settings("county_hall")
    out = logic.score(s, [RedFlagUnit(unit_id="Q", facts=(v("q", "quarrel", 4),)),
                          RedFlagUnit(unit_id="F", facts=(v("q", "quarrel", 4), v("f", "physical_conflict")))])
    assert {x.key: x.points for x in out["Q"].lines}["safety"] == 8
    assert {x.key: x.points for x in out["F"].lines}["safety"] == 0
    disc = next(x for x in out["Q"].lines if x.key == "discipline")
    assert disc.points == 0 and disc.note_en == "council rating not entered"


def test_city_duty_negligence_disqualifies_the_duty_window() -> None:
    """004/4 三.4 对于值班窗口未认真履行职责的行为…该窗口当月不得评为“红旗窗口”: window W was a duty window on
    2026-03-10 and only one patrol of the two required (三.1) was done: ranked (89) but disqualified; a window
    with a deduction and no duty day stays eligible."""
    s = settings("city_hall")
    w = RedFlagUnit(unit_id="W", council_rating=80,
                    facts=(RedFlagFact(ref="duty/2026-03-10/W", source="duty", kind="duty_negligence", day=D),))
    x = RedFlagUnit(unit_id="X", council_rating=80, facts=(v("b", "no_badge", 1),))
    out = logic.score(s, [w, x])
    assert out["W"].total == 89 and [d.key for d in out["W"].disqualified] == ["duty_negligence"]
    assert out["X"].total == 88.5 and out["X"].disqualified == ()


def test_settings_problems_maxima_add_up_to_100() -> None:
    bad = msgspec.structs.replace(settings("county_hall"), criteria=settings("county_hall").criteria[:-1])
    assert [p.field for p in bad.problems()] == ["criteria"]
    assert settings("county_hall").problems() == [] and settings("city_hall").problems() == []
