"""Calendar coverage: does a tenant's work calendar know the statutory holidays of this year and the next?

chinesecalendar ships each year's State Council arrangement some weeks after it is published; for a year it
lacks, ``work_calendar`` refuses (409 ``calendar_year_missing``) until the tenant, or a level above it, enters
its own calendar. This module says so in advance: per tenant, the current and the next year, where their data
comes from (the package, whose own calendar, or nowhere), and whether to warn now (the pack's warning window).

It asks the ``govhall_calendar_coverage`` hook of the tenant's enabled packs with the settings in force on each
span of the year still ahead, exactly as ``work_calendar`` would resolve them, so a calendar saved today or
scheduled for 1 January both count, and a province's entry reaches every center that inherits it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.packs.resolve import Chain, Source
from govhall.packs.services import hooks_for, load_chain, load_chains_below, resolve_all
from govhall.packs.types import CalendarCoverage, YearCoverage

Status = Literal["package", "own_calendar", "missing", "not_used", "not_enabled"]
# When the spans of a year disagree, the first of these wins (a single missing span breaks attendance there).
_ORDER: tuple[Status, ...] = ("missing", "own_calendar", "package", "not_used", "not_enabled")


@dataclass(frozen=True)
class YearState:
    year: int
    status: Status
    source: Source | None = None
    """For ``own_calendar``: whose setting holds the year (the tenant itself or a level above)."""
    missing_from: dt.date | None = None
    """For ``missing``: the first date from which attendance of that year cannot be evaluated."""
    field: str | None = None
    """The setting to fill in (``own_calendar``)."""
    pack: str | None = None


@dataclass(frozen=True)
class TenantCoverage:
    tenant_id: UUID
    name: str
    level: str
    today: dt.date
    years: tuple[YearState, ...]
    """The current year, then the next."""
    warn_days: int | None
    """The tenant's warning window (None: no enabled pack keeps a calendar)."""

    @property
    def missing_from(self) -> dt.date | None:
        return min((y.missing_from for y in self.years if y.missing_from), default=None)

    @property
    def blocked(self) -> bool:
        """Attendance cannot be evaluated today (the clock-in page and the board explain why)."""
        return self.missing_from is not None and self.missing_from <= self.today

    @property
    def warning(self) -> bool:
        """A gap lies ahead within the warning window (or has begun)."""
        start = self.missing_from
        if start is None:
            return False
        return self.blocked or (self.warn_days is not None and (start - self.today).days <= self.warn_days)


def _year(chain: Chain, tenant_id: UUID, year: int, today: dt.date) -> tuple[YearState, int | None]:
    start, end = max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31)
    states: list[YearState] = []
    warn_days: int | None = None
    for s, _e in chain.spans(start, end):
        resolved = resolve_all(chain, s)
        hooks = hooks_for(tenant_id, resolved)
        answer: CalendarCoverage | None = hooks.hook.govhall_calendar_coverage(rules=hooks.rules, years=[year])
        if answer is None:
            states.append(YearState(year, "not_enabled"))
            continue
        if warn_days is None:
            warn_days = answer.warn_days
        got = next((y for y in answer.years if y.year == year), None)
        if got is None:  # a pack that keeps the calendar but says nothing of the year: assume the worst
            got = YearCoverage(year=year, status="missing")
        source = None
        if got.status == "own_calendar" and got.field and answer.pack in resolved:
            state = resolved[answer.pack].fields.get(got.field)
            source = state.source if state else None
        states.append(YearState(year, got.status, source, s if got.status == "missing" else None, got.field,
                                answer.pack))
    return min(states, key=lambda st: _ORDER.index(st.status)), warn_days


def coverage_of(chain: Chain, today: dt.date) -> TenantCoverage:
    """The coverage of the chain's tenant for ``today``'s year and the next (pure, given the chain)."""
    t = chain.tenant
    current, warn_now = _year(chain, t.tenant_id, today.year, today)
    upcoming, warn_next = _year(chain, t.tenant_id, today.year + 1, today)
    warn_days = warn_now if warn_now is not None else warn_next
    return TenantCoverage(t.tenant_id, t.name, t.level, today, (current, upcoming), warn_days)


async def tenant_coverage(session: AsyncSession, tenant_id: UUID, today: dt.date) -> TenantCoverage:
    return coverage_of(await load_chain(session, tenant_id), today)


async def coverage_below(session: AsyncSession, tenant_id: UUID, today: dt.date,
                         may_read: Callable[[UUID], Awaitable[bool]]) -> tuple[TenantCoverage, list[TenantCoverage]]:
    """The tenant's coverage and that of every tenant below it that ``may_read`` allows (tree order)."""
    chains = await load_chains_below(session, tenant_id)
    own = coverage_of(chains.pop(tenant_id), today)
    below = [coverage_of(chain, today) for tid, chain in chains.items() if await may_read(tid)]
    return own, below
