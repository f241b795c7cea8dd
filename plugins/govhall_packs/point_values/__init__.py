"""point_values (百分制考核): categories with maxima, the violation catalogue with escalation ladders, bonus
items with caps, the pay formula, the annual award threshold and the return-to-unit triggers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from govhall.packs import PackSpec, hookimpl
from govhall.packs.types import (
    AnnualResult,
    AssessmentOptions,
    AttendanceStaffMonth,
    BonusType,
    Scorecard,
    StaffMonth,
    StaffYear,
    TenantRules,
    UnitMonth,
    UnitScorecard,
    ViolationDraft,
    ViolationType,
)
from govhall_packs.point_values import logic
from govhall_packs.point_values.settings import PointValuesSettings

PACK = PackSpec(
    name="point_values",
    version="1.2.0",
    title_zh="百分制考核",
    title_en="Point values",
    description_zh="考核类别及满分、扣分项目及按次递增的扣分、加分项目及上限、考核资金公式、年度评优扣分线、退回原单位情形。",
    description_en="Score categories and maxima, violations with escalation by occurrence, capped bonuses, the "
                   "pay formula, the annual award threshold and return-to-unit triggers.",
    settings=PointValuesSettings,
    readme=Path(__file__).with_name("README.md"),
)


@hookimpl
def govhall_violation_catalogue(rules: TenantRules) -> tuple[ViolationType, ...]:
    return logic.catalogue(rules.of(PACK.name))


@hookimpl
def govhall_score_month(rules: TenantRules, month: dt.date, staff: Sequence[StaffMonth]) -> dict[str, Scorecard]:
    return logic.score_month(rules.of(PACK.name), month, staff)


@hookimpl
def govhall_bonus_catalogue(rules: TenantRules) -> tuple[BonusType, ...]:
    return logic.bonus_catalogue(rules.of(PACK.name))


@hookimpl
def govhall_attendance_violations(rules: TenantRules, month: dt.date, staff_months: Sequence[AttendanceStaffMonth]
                                  ) -> dict[str, tuple[ViolationDraft, ...]]:
    return logic.attendance_violations(rules.of(PACK.name), month, staff_months)


@hookimpl
def govhall_assessment_options(rules: TenantRules) -> AssessmentOptions:
    s = rules.of(PACK.name)
    return AssessmentOptions(appeal_working_days=s.appeal_working_days, return_authority=s.return_authority,
                             return_authority_outside=s.return_authority_outside)


@hookimpl
def govhall_score_units(rules: TenantRules, month: dt.date, units: Sequence[UnitMonth]) -> dict[str, UnitScorecard]:
    return logic.score_units(rules.of(PACK.name), month, units)


@hookimpl
def govhall_annual_consequences(rules: TenantRules, year: int, staff: Sequence[StaffYear]) -> dict[str, AnnualResult]:
    return logic.annual_consequences(rules.of(PACK.name), year, staff)
