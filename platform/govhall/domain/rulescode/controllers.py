"""POST /api/t/{tenant_id}/packs/{pack}/impact (what-if on a past month) and GET /api/t/{tenant_id}/overview (the
centers below: the province's view)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.authz.permissions import PACK_SETTINGS_LOCK
from govhall.domain.rulescode import jobs as _jobs  # noqa: F401  # registers the job packs.impact_subtree
from govhall.domain.rulescode.impact import CenterRef, SubtreeImpact, impact, subtree_impact
from govhall.domain.rulescode.overview import OverviewOut, overview
from govhall.errors import AppError, field_error
from govhall.jobs.runner import sync_limits
from govhall.schemas import CamelStruct

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
BUDGET_MS, MAX_BUDGET_MS = 5000, 60000


class ImpactIn(CamelStruct):
    enabled: bool
    overrides: dict[str, Any] = msgspec.field(default_factory=dict)
    locks: list[str] | None = None
    month: str | None = None
    """YYYY-MM; default: last month."""


class PersonOut(CamelStruct):
    staff_id: UUID
    employee_no: str
    name: str
    before: dict[str, int]
    after: dict[str, int]
    changed_days: int
    score_before: float | None = None
    """With the points pack (before or after): the month's score as closing it would store it."""
    score_after: float | None = None
    pay_before: float | None = None
    """考核资金 in yuan."""
    pay_after: float | None = None


class DayChangeOut(CamelStruct):
    staff_id: UUID
    employee_no: str
    name: str
    day: dt.date
    before: str
    after: str


class CenterRefOut(CamelStruct):
    tenant_id: UUID
    name: str
    division_code: str


class CenterImpactOut(CamelStruct):
    tenant_id: UUID
    name: str
    division_code: str
    evaluated_through: dt.date | None
    staff: int
    people_changed: int
    changed_days: int
    totals_before: dict[str, int]
    totals_after: dict[str, int]
    milliseconds: int


class ImpactOut(CamelStruct):
    month: str
    evaluated_through: dt.date | None
    staff: int
    days: int
    people: list[PersonOut]
    totals_before: dict[str, int]
    totals_after: dict[str, int]
    changed_days: int
    sample: list[DayChangeOut]
    milliseconds: int
    settings_changed: bool
    scope: str = "tenant"
    centers: list[CenterImpactOut] | None = None
    """scope=subtree: the centers sampled within the budget (per-center totals; no names of people)."""
    skipped: list[CenterRefOut] | None = None
    """scope=subtree: affected centers left out when the budget ran out."""
    unaffected: list[CenterRefOut] | None = None
    """scope=subtree: centers where the pack is off before and after."""
    budget_ms: int | None = None
    """scope=subtree: the time budget (0: none, every center; the background job)."""
    scores: dict[str, float] | None = None
    """With the points pack enabled before or after: payBefore, payAfter (yuan, the month's total) and
    averageBefore, averageAfter (the average score)."""


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    if not MONTH.match(value):
        raise AppError("invalid_month", "月份格式应为 YYYY-MM", "Month must be YYYY-MM", status=400,
                       fields=[field_error("month", "格式应为 YYYY-MM", "Use YYYY-MM")])
    return dt.date(int(value[:4]), int(value[5:]), 1)


class ImpactController(Controller):
    path = "/api/t/{tenant_id:uuid}"
    tags = ["packs"]

    @post("/packs/{pack:str}/impact", guards=[requires("pack_settings", "update")],
          status_code=200)
    async def pack_impact(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
                          tenant_id: FromPath[UUID], pack: FromPath[str], data: JSONBody[ImpactIn],
                          over: Annotated[Literal["tenant", "subtree"], QueryParameter(
                              name="scope", required=False,
                              description="subtree: preview over the centers below (per-center totals)")] = "tenant",
                          budget_ms: Annotated[int, QueryParameter(
                              name="budgetMs", required=False, ge=100, le=MAX_BUDGET_MS,
                              description="scope=subtree: time budget; centers left out are listed")] = BUDGET_MS,
                          ) -> ImpactOut:
        """The candidate settings' effect on last month (or ``month``), per person; nothing is written. With
        ``scope=subtree`` (a province changing or locking a field): over the centers below, each with its own chain,
        sampled in a reproducible random order until ``budgetMs`` is spent, saying which were sampled. More
        centers with the pack on than ``GOVHALL_JOB_CENTERS``: 409 ``use_background_job`` (the job
        ``packs.impact_subtree`` covers every center, with progress per center)."""
        can_lock = await request.app.state.authz.allowed(request.user.id, str(tenant_id), PACK_SETTINGS_LOCK)
        if over == "subtree":
            tree = await subtree_impact(db_session, tenant_id, pack, enabled=data.enabled, overrides=data.overrides,
                                        locks=data.locks, month=_month(data.month), can_lock=can_lock,
                                        budget_seconds=budget_ms / 1000, max_centers=sync_limits().centers,
                                        offload=asyncio.to_thread)
            await db_session.rollback()
            return _subtree_out(tree)
        r = await impact(db_session, tenant_id, pack, enabled=data.enabled, overrides=data.overrides,
                         locks=data.locks, month=_month(data.month), can_lock=can_lock)
        await db_session.rollback()  # read-only, whatever the evaluation touched
        return ImpactOut(
            month=r.month.strftime("%Y-%m"), evaluated_through=r.evaluated_through, staff=r.staff, days=r.days,
            people=[PersonOut(staff_id=p.staff_id, employee_no=p.employee_no, name=p.name, before=p.before,
                              after=p.after, changed_days=p.changed_days,
                              **(dict(zip(("score_before", "score_after", "pay_before", "pay_after"), p.score,
                                          strict=True)) if p.score else {})) for p in r.people],
            totals_before=r.totals_before, totals_after=r.totals_after, changed_days=r.changed_days,
            sample=[DayChangeOut(staff_id=d.staff_id, employee_no=d.employee_no, name=d.name, day=d.day,
                                 before=d.before, after=d.after) for d in r.sample],
            milliseconds=round(r.seconds * 1000), settings_changed=bool(r.changes), scores=r.scores)

    @get("/overview", guards=[requires("pack_settings", "read")])
    async def tenant_overview(self, db_session: NamedDependency[AsyncSession], tenant_id: FromPath[UUID]
                              ) -> OverviewOut:
        """The centers below this tenant, read-only summaries: attendance this month, calendar coverage, packs
        enabled, the province's settings they override."""
        return await overview(db_session, tenant_id)


def _subtree_out(tree: SubtreeImpact) -> ImpactOut:
    def ref(c: CenterRef) -> CenterRefOut:
        return CenterRefOut(tenant_id=c.tenant_id, name=c.name, division_code=c.division_code)

    return ImpactOut(
        month=tree.month.strftime("%Y-%m"), evaluated_through=None,
        staff=sum(c.impact.staff for c in tree.centers), days=max((c.impact.days for c in tree.centers), default=0),
        people=[], totals_before=tree.totals("totals_before"), totals_after=tree.totals("totals_after"),
        changed_days=sum(c.impact.changed_days for c in tree.centers), sample=[],
        milliseconds=round(tree.seconds * 1000), settings_changed=bool(tree.changes), scope="subtree",
        centers=[CenterImpactOut(tenant_id=c.tenant_id, name=c.name, division_code=c.division_code,
                                 evaluated_through=c.impact.evaluated_through, staff=c.impact.staff,
                                 people_changed=len(c.impact.people), changed_days=c.impact.changed_days,
                                 totals_before=c.impact.totals_before, totals_after=c.impact.totals_after,
                                 milliseconds=round(c.impact.seconds * 1000)) for c in tree.centers],
        skipped=[ref(c) for c in tree.skipped], unaffected=[ref(c) for c in tree.unaffected],
        budget_ms=round(tree.budget_seconds * 1000))


def subtree_out(tree: SubtreeImpact) -> ImpactOut:
    """The wire answer of a preview over the centers below (the job's result file holds the same JSON)."""
    return _subtree_out(tree)


def rulescode_routes() -> list[type[Controller]]:
    return [ImpactController]
