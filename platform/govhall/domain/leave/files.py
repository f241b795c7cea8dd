"""Who may read the files of leave requests (purposes ``leave.*``: sick notes, attachments, scans of signed slips):
the holder, whoever may see the request (its approvers, the chief representative of the department, duty officers),
besides the uploader and the center admins (the file store's own rule)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.domain.attendance.services import my_staff
from govhall.domain.leave.approvals import steps_of
from govhall.domain.leave.common import Actor
from govhall.domain.leave.models import LeaveApprovalStep, LeaveRequest
from govhall.domain.org.models import Staff
from govhall.files.models import StoredFile
from govhall.files.services import register_reader


async def can_read(session: AsyncSession, user: Any, roles: frozenset[str], f: StoredFile) -> bool:
    from govhall.domain.leave.views import visible

    fid = str(f.id)
    by_step = select(LeaveApprovalStep.request_id).where(LeaveApprovalStep.scan_file_id == f.id)
    reqs = (await session.scalars(select(LeaveRequest).where(or_(
        LeaveRequest.sick_note_file_id == f.id, cast(LeaveRequest.attachments, String).contains(fid),
        LeaveRequest.id.in_(by_step))).limit(5))).all()
    if not reqs:
        return False
    a = Actor(user.id, frozenset(roles), await my_staff(session, user.id))
    steps = await steps_of(session, [r.id for r in reqs])
    for r in reqs:
        staff = await session.scalar(select(Staff).where(Staff.id == r.staff_id))
        if staff is not None and await visible(session, a, r, staff, steps[r.id]):
            return True
    return False


register_reader("leave.", can_read)
