"""red_flag (流动红旗): the rounds (monthly, quarterly), the number of flags and the award day, the unit that
competes (window or department), the criteria of the 100 points with their maxima and sources, and what
disqualifies a unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from govhall.packs import PackSpec, hookimpl
from govhall.packs.types import RedFlagScore, RedFlagTerms, RedFlagUnit, TenantRules
from govhall_packs.red_flag import logic
from govhall_packs.red_flag.settings import RedFlagSettings

PACK = PackSpec(
    name="red_flag",
    version="1.0.0",
    title_zh="流动红旗",
    title_en="Red flag",
    description_zh="流动红旗评比：每月或每季度评选，红旗面数与颁布日，评比对象（窗口或部门），百分制评比标准（各项满分与数据来源："
                   "扣分记录、考勤、例会、巡查、投诉、评议小组评议、加分），不得评为红旗的情形。",
    description_en="The red-flag contest: monthly or quarterly rounds, the number of flags and the award day, the unit "
                   "(window or department), the 100-point criteria with their maxima and sources (violations, "
                   "attendance, meetings, patrols, complaints, council ratings, bonuses), and the disqualifiers.",
    settings=RedFlagSettings,
    readme=Path(__file__).with_name("README.md"),
)


@hookimpl
def govhall_red_flag_terms(rules: TenantRules) -> RedFlagTerms:
    return logic.terms(rules.of(PACK.name))


@hookimpl
def govhall_red_flag_score(rules: TenantRules, period_start: dt.date, period_end: dt.date,
                           units: Sequence[RedFlagUnit]) -> dict[str, RedFlagScore]:
    return logic.score(rules.of(PACK.name), units)
