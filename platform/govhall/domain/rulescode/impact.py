"""What-if: the effect of a candidate pack-settings change on a past month, computed in memory, nothing written.

The candidate is checked exactly like a save (``preview_version``: locks from above, field validation), then put
into an in-memory copy of the tenant's settings chain as if saved effective from the month's first day. The
month is evaluated twice with the same inputs (staff, punches, leave, off-post records): under the saved rules
and under the candidate (``month_context(spans=...)`` + ``evaluate_staff_days`` + ``convert_months``: the month-end
pipeline without its writes). Per person: findings, late/early/missed counts and absence half-days before and
after; totals; a sample of changed days.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.errors import AppError, field_error
from govhall.gc_tuning import gc_paused
from govhall.jobs.runner import use_background_job
from govhall.packs.manager import get_host
from govhall.packs.resolve import Chain, VersionRow
from govhall.packs.services import TenantHooks, load_chain, preview_version, resolve_all, tenant_today
from govhall.packs.types import TenantRules

SAMPLE_DAYS = 30
SUBTREE_JOB = "packs.impact_subtree"
"""The background job of a what-if over more centers than ``sync_limits().centers`` (``rulescode.jobs``)."""
Offload = Callable[[Callable[[], Any]], Awaitable[Any]]
OnCenter = Callable[[int, int], Awaitable[None]]
MEASURES = ("late_count", "early_count", "missed_punches", "absence_half_days", "converted_half_days",
            "total_absence_half_days", "leave_half_days", "on_time_days")


@dataclass
class PersonImpact:
    staff_id: UUID
    employee_no: str
    name: str
    before: dict[str, int]
    after: dict[str, int]
    changed_days: int
    score: tuple[float, float, float, float] | None = None
    """With the points pack: (score before, after, pay before, after) in points and yuan."""


@dataclass
class DayChange:
    staff_id: UUID
    employee_no: str
    name: str
    day: dt.date
    before: str
    after: str


@dataclass
class Impact:
    month: dt.date
    evaluated_through: dt.date | None
    staff: int
    days: int
    people: list[PersonImpact] = field(default_factory=list)
    """Only the people whose month changes."""
    totals_before: dict[str, int] = field(default_factory=dict)
    totals_after: dict[str, int] = field(default_factory=dict)
    changed_days: int = 0
    sample: list[DayChange] = field(default_factory=list)
    seconds: float = 0.0
    changes: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, float] | None = None
    """With the points pack enabled before or after: the month's pay in total and the average score, before and
    after (``payBefore``, ``payAfter``, ``averageBefore``, ``averageAfter``)."""


def candidate_chain(chain: Chain, pack: str, start: dt.date, *, enabled: bool, overrides: dict[str, Any],
                    locks: list[str], at: UUID | None = None) -> Chain:
    """The chain as if the candidate were saved at tenant ``at`` (default: the chain's own tenant; a province
    previewing its centers puts it at its own level of each center's chain), effective from ``start`` (that level's
    later versions of the pack dropped, so the candidate holds for the whole period looked at)."""
    i = next((n for n, lv in enumerate(chain.levels) if lv.tenant_id == at), len(chain.levels) - 1)
    own = chain.levels[i]
    rows = [r for r in own.versions.get(pack, ()) if r.effective_from <= start]
    fake = VersionRow(id=uuid.uuid4(), tenant_id=own.tenant_id, pack=pack, version=max((r.version for r in rows),
                      default=0) + 1, effective_from=start, enabled=enabled, overrides=dict(overrides),
                      locks=tuple(sorted(set(locks))), note="what-if")
    versions = {**own.versions, pack: tuple(sorted([*rows, fake], key=lambda r: (r.effective_from, r.version)))}
    levels = list(chain.levels)
    levels[i] = replace(own, versions=versions)
    return Chain(tuple(levels))


def _preview_spans(tenant_id: UUID, chain: Chain, start: dt.date, end: dt.date
                   ) -> list[tuple[dt.date, dt.date, TenantHooks]]:
    """Hooks per span of the candidate chain; their ``rules`` carry a ``preview`` fingerprint and never enter the
    per-version rules cache (a later real save must not meet a preview's settings)."""
    out = []
    tag = uuid.uuid4().hex
    for s, e in chain.spans(start, end):
        enabled = {n: r for n, r in resolve_all(chain, s).items() if r.enabled}
        rules = TenantRules(tenant_id=tenant_id, settings={n: r.settings for n, r in enabled.items()},
                            fingerprint=(("preview", tag),))
        out.append((s, e, TenantHooks(get_host().relay(enabled), rules, frozenset(enabled))))
    return out


def _measures(m: Any) -> dict[str, int]:
    return {k: int(getattr(m, k)) for k in MEASURES}


async def last_month(session: AsyncSession, tenant_id: UUID) -> dt.date:
    today = await tenant_today(session, tenant_id)
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@dataclass
class _Candidate:
    month: dt.date
    start: dt.date
    end: dt.date
    chain: Chain
    clean: dict[str, Any]
    locks: list[str]
    changes: list[dict[str, Any]]


async def _check(session: AsyncSession, tenant_id: UUID, pack: str, *, enabled: bool, overrides: dict[str, Any],
                 locks: list[str] | None, month: dt.date | None, can_lock: bool) -> _Candidate:
    """The candidate checked exactly like a save at ``tenant_id`` (locks from above, field validation)."""
    from govhall.domain.attendance.evaluation import month_bounds

    today = await tenant_today(session, tenant_id)
    month = (month or await last_month(session, tenant_id)).replace(day=1)
    if month > today.replace(day=1):
        raise AppError("invalid_month", "只能预览已开始的月份", "Only a month that has begun can be previewed",
                       status=400, fields=[field_error("month", "月份不能晚于本月", "Not after this month")])
    start, end = month_bounds(month)
    chain = await load_chain(session, tenant_id)
    in_force = chain.tenant.in_force(pack, start)
    current_locks = list(in_force.locks) if in_force else []
    wanted_locks = current_locks if locks is None else locks
    _current, clean, changes = await preview_version(
        session, tenant_id, pack, effective_from=start, enabled=enabled, overrides=overrides, locks=wanted_locks,
        can_lock=can_lock, today=today, allow_past=True)
    return _Candidate(month, start, end, chain, clean, wanted_locks, changes)


async def _month(session: AsyncSession, tenant_id: UUID, c: _Candidate, candidate: Chain, now: dt.datetime | None,
                 t0: float, *, scores: bool = True, offload: Offload | None = None) -> Impact:
    """The month of ``tenant_id`` (the caller's scope) under its saved rules and under ``candidate``; with
    ``scores``, each person's score and pay too where the points pack is enabled. ``offload`` runs the evaluation
    (pure Python, no database) elsewhere, e.g. ``asyncio.to_thread`` in a background job."""
    from govhall.domain.attendance.evaluation import convert_months, evaluate_staff_days, month_context
    from govhall.domain.attendance.inputs import (
        load_corrections,
        load_excused,
        load_leaves,
        load_off_post,
        load_staff,
        load_staff_punches,
        load_start_offsets,
    )
    from govhall.domain.attendance.rules import summarize_month

    start, end = c.start, c.end
    before_ctx = await month_context(session, tenant_id, c.month, now)
    spans = _preview_spans(tenant_id, candidate, start, end)
    after_ctx = await month_context(session, tenant_id, c.month, now, spans=spans)
    last = before_ctx.final_through
    days: list[dt.date] = []
    if last is not None:
        d = start
        while d <= last:
            days.append(d)
            d += dt.timedelta(days=1)
    staff = await load_staff(session)
    out = Impact(month=c.month, evaluated_through=last, staff=len(staff), days=len(days), changes=c.changes)
    out.totals_before = {k: 0 for k in MEASURES}
    out.totals_after = {k: 0 for k in MEASURES}
    if last is None or not days or not staff:
        out.seconds = time.perf_counter() - t0
        return out
    punches = await load_staff_punches(session, start, last, staff)
    leaves = await load_leaves(session, start, last, before_ctx.tz)
    off_post = await load_off_post(session, start, last)
    starts = await load_start_offsets(session, start, last)
    excused = await load_excused(session, start, last)
    corrections = await load_corrections(session, start, last)
    names = {s.id: s for s in staff}

    def evaluate_sides() -> tuple[dict[str, dict[UUID, Any]], dict[str, dict[UUID, list[tuple[dt.date, str]]]],
                                  dict[str, dict[UUID, list[Any]]]]:
        """Both sides' month of every person: the CPU-bound part, no database (``offload`` may run it in a
        thread)."""
        results: dict[str, dict[UUID, Any]] = {}
        findings: dict[str, dict[UUID, list[tuple[dt.date, str]]]] = {"before": {}, "after": {}}
        day_results: dict[str, dict[UUID, list[Any]]] = {"before": {}, "after": {}}
        with gc_paused():  # a collection triggered here holds the GIL: the event loop would stall through it
            _evaluate_into(results, findings, day_results)
        return results, findings, day_results

    def _evaluate_into(results: dict[str, dict[UUID, Any]],
                       findings: dict[str, dict[UUID, list[tuple[dt.date, str]]]],
                       day_results: dict[str, dict[UUID, list[Any]]]) -> None:
        for key, ctx in (("before", before_ctx), ("after", after_ctx)):
            months = {}
            for sid, res in evaluate_staff_days(ctx, staff, days, punches, leaves, off_post, starts=starts,
                                                excused=excused, corrections=corrections):
                months[sid] = summarize_month(res)
                findings[key][sid] = [(r.day, r.finding.value) for r in res]
                day_results[key][sid] = res
            convert_months(ctx, months)
            results[key] = months

    results, findings, day_results = await offload(evaluate_sides) if offload else evaluate_sides()
    cards = (await _scores(session, c.month, {"before": before_ctx, "after": after_ctx}, day_results, results)
             if scores else None)
    pay = {"payBefore": 0.0, "payAfter": 0.0, "averageBefore": 0.0, "averageAfter": 0.0}
    for s in staff:
        b, a = _measures(results["before"][s.id]), _measures(results["after"][s.id])
        for k in MEASURES:
            out.totals_before[k] += b[k]
            out.totals_after[k] += a[k]
        changed = [(d, fb, fa) for (d, fb), (_d, fa) in zip(findings["before"][s.id], findings["after"][s.id],
                                                            strict=True) if fb != fa]
        out.changed_days += len(changed)
        for d, fb, fa in changed:
            if len(out.sample) < SAMPLE_DAYS:
                out.sample.append(DayChange(s.id, s.employee_no, names[s.id].name, d, fb, fa))
        score = None
        if cards is not None:
            cb, ca = cards["before"].get(s.id), cards["after"].get(s.id)
            score = (cb.total if cb else 0.0, ca.total if ca else 0.0, cb.pay_yuan if cb else 0.0,
                     ca.pay_yuan if ca else 0.0)
            for k, v in zip(pay, (score[2], score[3], score[0], score[1]), strict=True):
                pay[k] += v
        if b != a or changed or (score is not None and (score[0] != score[1] or score[2] != score[3])):
            out.people.append(PersonImpact(s.id, s.employee_no, s.name, b, a, len(changed), score))
    if cards is not None:
        n = len(staff)
        out.scores = {"payBefore": round(pay["payBefore"], 2), "payAfter": round(pay["payAfter"], 2),
                      "averageBefore": round(pay["averageBefore"] / n, 2),
                      "averageAfter": round(pay["averageAfter"] / n, 2)}
    out.seconds = time.perf_counter() - t0
    return out


async def _scores(session: AsyncSession, month: dt.date, ctxs: dict[str, Any], day_results: dict[str, Any],
                  results: dict[str, dict[UUID, Any]]) -> dict[str, dict[UUID, Any]] | None:
    """Each side's scorecards as closing the month would store them (the points pack's settings of the month's
    last day, the attendance findings just evaluated as its attendance records); None when the points pack is
    enabled on neither side. Nothing is written."""
    from govhall.domain.assessment.preview import closing_attendance, preview_cards

    out: dict[str, dict[UUID, Any]] = {}
    enabled = False
    for key, ctx in ctxs.items():
        hooks = ctx.month_end_hooks
        cards = None
        if hooks is not None:
            converted = {sid: m.converted_half_days for sid, m in results[key].items()}
            cards = await preview_cards(session, month, hooks,
                                        await closing_attendance(session, month, day_results[key], converted))
        enabled = enabled or cards is not None
        out[key] = cards or {}
    return out if enabled else None


async def impact(session: AsyncSession, tenant_id: UUID, pack: str, *, enabled: bool, overrides: dict[str, Any],
                 locks: list[str] | None, month: dt.date | None, can_lock: bool, now: dt.datetime | None = None,
                 offload: Offload | None = None) -> Impact:
    """The candidate's effect on ``month`` (default: last month) in the caller's tenant scope; writes nothing.
    ``offload``: see ``_month``."""
    t0 = time.perf_counter()
    c = await _check(session, tenant_id, pack, enabled=enabled, overrides=overrides, locks=locks, month=month,
                     can_lock=can_lock)
    candidate = candidate_chain(c.chain, pack, c.start, enabled=enabled, overrides=c.clean, locks=c.locks)
    return await _month(session, tenant_id, c, candidate, now, t0, offload=offload)


# ---- a province (or county) previewing its centers -------------------------------------------------------------


@dataclass
class CenterImpact:
    tenant_id: UUID
    name: str
    division_code: str
    impact: Impact


@dataclass
class CenterRef:
    tenant_id: UUID
    name: str
    division_code: str


@dataclass
class SubtreeImpact:
    month: dt.date
    centers: list[CenterImpact]
    """The centers sampled within the budget (a reproducible random order: the sample spreads over the tree)."""
    skipped: list[CenterRef]
    """Affected centers left out when the budget ran out."""
    unaffected: list[CenterRef]
    """Centers where the pack is off before and after: nothing to evaluate."""
    budget_seconds: float
    seconds: float = 0.0
    changes: list[dict[str, Any]] = field(default_factory=list)

    def totals(self, key: str) -> dict[str, int]:
        out = {k: 0 for k in MEASURES}
        for c in self.centers:
            for k, v in getattr(c.impact, key).items():
                out[k] += v
        return out


async def subtree_impact(session: AsyncSession, tenant_id: UUID, pack: str, *, enabled: bool,
                         overrides: dict[str, Any], locks: list[str] | None, month: dt.date | None, can_lock: bool,
                         budget_seconds: float | None, now: dt.datetime | None = None,
                         max_centers: int | None = None, on_center: OnCenter | None = None,
                         offload: Offload | None = None) -> SubtreeImpact:
    """The candidate saved at ``tenant_id`` (typically a province changing or locking a field), previewed over the
    centers below it, each in its own tenant scope with its own chain (its own overrides still apply, unless the
    candidate locks them away), until ``budget_seconds`` is spent (None: every center); writes nothing.

    ``max_centers``: more affected centers than this is ``409 use_background_job`` (before any is evaluated).
    ``on_center(done, total)``: called before the first and after each center (a job's progress)."""
    from sqlalchemy import select

    from govhall.packs.resolve import resolve
    from govhall.packs.services import load_chains_below
    from govhall.tenancy.context import system_scope, tenant_scope
    from govhall.tenancy.models import Tenant

    t0 = time.perf_counter()
    c = await _check(session, tenant_id, pack, enabled=enabled, overrides=overrides, locks=locks, month=month,
                     can_lock=can_lock)
    spec = get_host().packs[pack].spec
    chains = await load_chains_below(session, tenant_id)
    chains.pop(tenant_id, None)
    with system_scope():
        tenants = {t.id: t for t in (await session.scalars(select(Tenant).where(Tenant.id.in_(list(chains))))).all()}
    out = SubtreeImpact(month=c.month, centers=[], skipped=[], unaffected=[], budget_seconds=budget_seconds or 0.0,
                        changes=c.changes)
    affected: list[tuple[UUID, Chain]] = []
    for tid, chain in chains.items():
        cand = candidate_chain(chain, pack, c.start, enabled=enabled, overrides=c.clean, locks=c.locks, at=tenant_id)
        if any(resolve(spec, ch, d).enabled for ch in (chain, cand) for d in (c.start, c.end)):
            affected.append((tid, cand))
        else:
            t = tenants[tid]
            out.unaffected.append(CenterRef(tid, t.name, t.division_code))
    if max_centers is not None and len(affected) > max_centers:
        raise use_background_job(SUBTREE_JOB, len(affected), max_centers, unit=("个中心", "centers"), download=False)
    random.Random(f"{tenant_id}:{pack}:{c.month}").shuffle(affected)
    spent: list[float] = []
    if on_center is not None:
        await on_center(0, len(affected))
    for i, (tid, cand) in enumerate(affected, start=1):
        t = tenants[tid]
        elapsed = time.perf_counter() - t0
        guess = sum(spent) / len(spent) if spent else 0.0
        if out.centers and budget_seconds is not None and elapsed + guess > budget_seconds:
            out.skipped.append(CenterRef(tid, t.name, t.division_code))
            continue
        t1 = time.perf_counter()
        with tenant_scope(tid):
            r = await _month(session, tid, c, cand, now, t1, scores=False,  # per-center totals: no people
                             offload=offload)
        spent.append(r.seconds)
        out.centers.append(CenterImpact(tid, t.name, t.division_code, r))
        if on_center is not None:
            await on_center(i, len(affected))
    out.centers.sort(key=lambda x: x.division_code)
    out.skipped.sort(key=lambda x: x.division_code)
    out.unaffected.sort(key=lambda x: x.division_code)
    out.seconds = time.perf_counter() - t0
    return out
