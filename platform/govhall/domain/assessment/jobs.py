"""The assessment domain's background job (govhall.jobs): a big center's month close.

A center with more than ``sync_limits().staff`` staff (``GOVHALL_JOB_STAFF``, default 300) gets
``409 use_background_job`` from ``POST .../assessment/months/{month}/close`` and closes the month as the job
``assessment.close_month`` instead (the UI starts it and follows it): the close evaluates the month's attendance if
it is stale, turns the findings into records and scores every staff member, about 0.35 s for 1,000 staff on a quiet
machine and seconds under load or at 10,000 (issue 16). The job calls the same ``closing.close_month``, as the user
who started it (the lock's ``closed_by`` and the audit event's actor)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from govhall.authz.permissions import ASSESSMENT_CLOSE
from govhall.domain.assessment import closing
from govhall.domain.assessment import services as svc
from govhall.domain.org.models import Staff
from govhall.domain.org.rules import scope_for
from govhall.errors import AppError, field_error
from govhall.jobs.runner import JobContext, JobResult, register

CLOSE_MONTH = "assessment.close_month"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _params(p: dict[str, Any]) -> dict[str, Any]:
    month = p.get("month")
    if not (isinstance(month, str) and _MONTH.match(month)):
        raise AppError("invalid_month", "月份格式应为 YYYY-MM", "Month must be YYYY-MM", status=400,
                       fields=[field_error("month", "月份格式应为 YYYY-MM", "Month must be YYYY-MM")])
    return {"month": month}


async def _close(ctx: JobContext) -> JobResult:
    month = svc.parse_month(ctx.params["month"])
    # close_month needs only who closes (the lock's closed_by); the permission was decided when the job started
    actor = svc.Actor(ctx.created_by, frozenset(), None, scope_for(frozenset(), None))
    async with ctx.session_factory() as session:
        staff = await session.scalar(select(func.count()).select_from(Staff)) or 0
        await ctx.step(0, staff)  # close_month is one transaction: the staff count is done when it commits
        r = await closing.close_month(session, actor, month)
    await ctx.step(staff, staff)
    return JobResult(summary={"month": r.month, "staff": r.staff, "scorecards": r.scorecards,
                              "attendanceRecords": r.attendance_records,
                              "voidedAttendanceRecords": r.voided_attendance_records,
                              "returnCases": r.return_cases, "unitScorecards": r.unit_scorecards,
                              "seconds": r.seconds})


register(CLOSE_MONTH, ASSESSMENT_CLOSE, "考核月度结算", "Close the assessment month", _close, _params)
