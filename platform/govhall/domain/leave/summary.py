"""Read-only leave figures of one center for the overview of the centers above it (issue 12, the province's view):
approved leave whose end has passed and that still awaits its 销假 (closure), and leave that went unclosed this month
(its closure deadline passed and the rules' effect was applied; seed 002 上班请销假制度). In the caller's tenant scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.leave.models import LeaveRequest, LeaveStatus


@dataclass(frozen=True)
class LeaveFigures:
    awaiting_closure: int
    """Approved, ended before ``today``, not closed yet."""
    unclosed_this_month: int
    """Status ``unclosed`` with the closure deadline in ``today``'s month."""


async def leave_figures(session: AsyncSession, today: date) -> LeaveFigures:
    awaiting = await session.scalar(select(func.count(LeaveRequest.id)).where(
        LeaveRequest.status == LeaveStatus.approved, LeaveRequest.end_date < today))
    unclosed = await session.scalar(select(func.count(LeaveRequest.id)).where(
        LeaveRequest.status == LeaveStatus.unclosed, LeaveRequest.closure_due >= today.replace(day=1),
        LeaveRequest.closure_due <= today))
    return LeaveFigures(int(awaiting or 0), int(unclosed or 0))
