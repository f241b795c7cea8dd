"""leave_quotas (请销假): leave types, monthly quotas by role, approval chains by duration, sick notes,
substitutes, no retroactive leave, annual leave in parts of at least five days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from govhall.packs import PackSpec, hookimpl
from govhall.packs.types import ApprovalStep, LeaveOutcome, LeaveProblem, LeaveRequest, TenantRules
from govhall_packs.leave_quotas import logic
from govhall_packs.leave_quotas.settings import LeaveQuotaSettings

PACK = PackSpec(
    name="leave_quotas",
    version="1.1.0",
    title_zh="请销假",
    title_en="Leave and quotas",
    description_zh="假别及是否计入限额、按岗位的月度请假限额（天数或次数以先到为准）、按天数逐级审批、病假证明、顶岗、严禁事后补假、年休假分期。",
    description_en="Leave types, monthly quotas by role (days or times, whichever first), approval chain by "
                   "duration, sick notes, substitutes, no retroactive leave, annual leave in parts.",
    settings=LeaveQuotaSettings,
    readme=Path(__file__).with_name("README.md"),
)


@hookimpl
def govhall_check_leave(rules: TenantRules, candidates: Sequence[LeaveRequest], existing: Sequence[LeaveRequest],
                        today: dt.date) -> list[LeaveProblem]:
    return logic.check(rules.of(PACK.name), candidates, existing, today)


@hookimpl
def govhall_leave_approval_chain(rules: TenantRules, requests: Sequence[LeaveRequest]
                                 ) -> dict[str, tuple[ApprovalStep, ...]]:
    return logic.approval_chain(rules.of(PACK.name), requests)


@hookimpl
def govhall_leave_outcomes(rules: TenantRules, requests: Sequence[LeaveRequest], today: dt.date
                           ) -> list[LeaveOutcome]:
    return logic.outcomes(rules.of(PACK.name), requests, today)
