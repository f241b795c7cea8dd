"""complaints (投诉与办件时限): complaint channels, the intake office, classes with reply deadlines, written
replies, anonymity, what a substantiated complaint costs the person and the window, the reporter's reward; and
the case time limits: the promised/legal ratio, the immediate-case limit, yellow and red cards and their points."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from govhall.packs import PackSpec, hookimpl
from govhall.packs.types import CaseClock, CaseFinding, ComplaintFacts, ComplaintTerms, TenantRules
from govhall_packs.complaints import logic
from govhall_packs.complaints.settings import ComplaintsSettings

PACK = PackSpec(
    name="complaints",
    version="1.0.0",
    title_zh="投诉与办件时限",
    title_en="Complaints and case time limits",
    description_zh="投诉渠道、受理科室、投诉类别及答复时限（分钟、小时、自然日、工作日）、书面答复、匿名投诉、查实后个人和窗口扣分、"
                   "举报奖励；承诺时限比例、即办件时限、黄牌红牌及扣分。",
    description_en="Complaint channels, the intake office, classes with reply deadlines, written replies, anonymity, "
                   "points for substantiated complaints, the reporter's reward; promised-time ratio, immediate-case "
                   "limit, yellow and red cards.",
    settings=ComplaintsSettings,
    readme=Path(__file__).with_name("README.md"),
)


@hookimpl
def govhall_complaint_terms(rules: TenantRules, complaints: Sequence[ComplaintFacts]) -> dict[str, ComplaintTerms]:
    return logic.complaint_terms(rules.of(PACK.name), complaints)


@hookimpl
def govhall_case_findings(rules: TenantRules, cases: Sequence[CaseClock]) -> dict[str, CaseFinding]:
    return logic.case_findings(rules.of(PACK.name), cases)
