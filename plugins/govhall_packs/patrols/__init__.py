"""patrols (巡查与值班): patrols per day and per half day, modes, the checklist with the violation each failed item
records, fixed checks at set times, the closing check, the duty rota's mode, the duty officer's earlier arrival,
holiday duty and the findings that need a photo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from govhall.packs import PackSpec, hookimpl
from govhall.packs.types import DaySchedule, FindingOutcome, PatrolFinding, PatrolPlan, TenantRules
from govhall_packs.patrols import logic
from govhall_packs.patrols.settings import PatrolsSettings

PACK = PackSpec(
    name="patrols",
    version="1.0.0",
    title_zh="巡查与值班",
    title_en="Patrols and duty",
    description_zh="每天及上午、下午巡查次数，巡查方式，检查项目及不合格时的扣分项目与处理，定时检查，下班前关闭检查，"
                   "值班方式（人员按周或窗口按月），值班人员提前到岗，节假日值班，须拍照取证的项目。",
    description_en="Patrols per day and per half day, modes, the checklist with the violation a failed item records, "
                   "fixed checks, the closing check, the rota mode (a person per week or windows per month), the duty "
                   "officer's earlier arrival, holiday duty, findings that need a photo.",
    settings=PatrolsSettings,
    readme=Path(__file__).with_name("README.md"),
)


@hookimpl
def govhall_patrol_plan(rules: TenantRules, days: Sequence[DaySchedule]) -> dict[dt.date, PatrolPlan]:
    return logic.plan(rules.of(PACK.name), days)


@hookimpl
def govhall_patrol_findings(rules: TenantRules, findings: Sequence[PatrolFinding]) -> dict[str, FindingOutcome]:
    return logic.findings(rules.of(PACK.name), findings)
