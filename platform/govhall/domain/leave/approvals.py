"""Who approves what, and deciding a step.

Approver kinds map to people of the center: the duty officers (role rows), the chief representative of the
requester's department (role rows + staff department), the approver directory (``approver_assignment``:
稽查督办科, 分管领导, 主要领导, 中心) and, for ``center``, the center admins too. Approvers outside the center
(home unit, county government) are recorded by the center admin with the scan of the signed slip.

A decision is one guarded ``UPDATE ... WHERE decision = 'pending'`` on the step, under a row lock of the request
(PostgreSQL), so two approvers clicking at once leave exactly one decision, and the last approval of an all-of
group approves the request exactly once. Nobody decides their own request; deciding out of turn or twice: 409.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import Role
from govhall.clock import utcnow
from govhall.domain.identity.models import User
from govhall.domain.leave import schemas as s
from govhall.domain.leave.common import Actor, bad, check_files
from govhall.domain.leave.models import (
    ApproverAssignment,
    Decision,
    LeaveApprovalStep,
    LeaveRequest,
    LeaveStatus,
)
from govhall.domain.org.models import Staff
from govhall.errors import AppError, not_found

DIRECTORY_KINDS = ("inspection_office", "center_deputy_director", "center_director", "center")
OUTSIDE_KINDS = frozenset({"home_unit_leader", "home_unit_deputy", "window_unit_head", "county_government_office",
                           "county_leader"})


async def _role_users(session: AsyncSession, role: str) -> list[UUID]:
    return list(await session.scalars(select(RoleAssignment.user_id).where(RoleAssignment.role == role)))


async def deciders(session: AsyncSession, kind: str, staff: Staff, *, exclude_staff: UUID | None = None
                   ) -> list[UUID]:
    """The users who may decide a step of ``kind`` for ``staff``'s request (never the requester)."""
    users: list[UUID] = []
    if kind == "duty_officer":
        users = await _role_users(session, Role.duty_officer.value)
    elif kind == "chief_representative":
        if staff.department_id is not None:
            users = list(await session.scalars(
                select(RoleAssignment.user_id).join(User, User.id == RoleAssignment.user_id)
                .join(Staff, Staff.id == User.staff_id)
                .where(RoleAssignment.role == Role.chief_representative.value,
                       Staff.department_id == staff.department_id)))
    elif kind in DIRECTORY_KINDS:
        users = list(await session.scalars(select(ApproverAssignment.user_id).where(ApproverAssignment.kind == kind)))
        if kind == "center":
            users += await _role_users(session, Role.center_admin.value)
    elif kind in OUTSIDE_KINDS:
        users = await _role_users(session, Role.center_admin.value)  # they record the signed slip
    if exclude_staff is not None and users:
        own = set(await session.scalars(select(User.id).where(User.staff_id == exclude_staff)))
        users = [u for u in users if u not in own]
    return list(dict.fromkeys(users))


async def names_of(session: AsyncSession, users: Sequence[UUID]) -> list[str]:
    if not users:
        return []
    rows = dict((await session.execute(select(User.id, User.display_name).where(User.id.in_(users)))).all())
    return [rows[u] for u in users if u in rows]


def open_seq(steps: Sequence[LeaveApprovalStep]) -> int | None:
    pending = [st.seq for st in steps if st.decision is Decision.pending]
    return min(pending) if pending else None


async def may_decide(session: AsyncSession, a: Actor, req: LeaveRequest, staff: Staff, step: LeaveApprovalStep,
                     steps: Sequence[LeaveApprovalStep], cache: dict[tuple[str, UUID], list[UUID]] | None = None
                     ) -> bool:
    if req.status is not LeaveStatus.pending or step.decision is not Decision.pending or a.owns(req):
        return False
    if step.seq != open_seq(steps):
        return False
    if any(st.decided_by == a.user_id for st in steps if st.id != step.id):
        return False
    if req.recorded_paper and a.is_admin:
        return True
    key = (step.approver_kind, staff.id)
    if cache is not None and key in cache:
        users = cache[key]
    else:
        users = await deciders(session, step.approver_kind, staff, exclude_staff=staff.id)
        if cache is not None:
            cache[key] = users
    return a.user_id in users


async def steps_of(session: AsyncSession, request_ids: Sequence[UUID]) -> dict[UUID, list[LeaveApprovalStep]]:
    out: dict[UUID, list[LeaveApprovalStep]] = {rid: [] for rid in request_ids}
    if not request_ids:
        return out
    for st in (await session.scalars(select(LeaveApprovalStep).where(LeaveApprovalStep.request_id.in_(request_ids))
                                     .order_by(LeaveApprovalStep.seq, LeaveApprovalStep.created_at)
                                     .execution_options(populate_existing=True))).all():
        out[st.request_id].append(st)
    return out


async def decide(session: AsyncSession, a: Actor, request_id: UUID, data: s.DecisionIn) -> LeaveRequest:
    from govhall.domain.leave.effects import approve_effect
    from govhall.domain.leave.services import get_request

    req = await get_request(session, request_id, lock=True)
    staff = await session.scalar(select(Staff).where(Staff.id == req.staff_id))
    if staff is None:  # pragma: no cover - the FK cascades
        raise not_found("请假申请", "Leave request")
    if a.owns(req):
        raise AppError("own_request", "不能审批自己的请假", "You cannot decide your own leave request", status=403)
    if req.status is not LeaveStatus.pending:
        raise AppError("already_decided", "该请假申请已处理完毕", "This request has already been decided", status=409)
    steps = (await steps_of(session, [req.id]))[req.id]
    if data.step_id is not None:
        step = next((st for st in steps if st.id == data.step_id), None)
        if step is None:
            raise not_found("审批步骤", "Approval step")
    else:
        cache: dict[tuple[str, UUID], list[UUID]] = {}
        step = None
        # the caller's own approval before recording an outside approver's slip (a director who is also a
        # center admin approves as director; the slip is recorded separately, naming its step)
        for st in sorted(steps, key=lambda x: (x.seq, x.outside)):
            if await may_decide(session, a, req, staff, st, steps, cache):
                step = st
                break
        if step is None:
            if any(st.decided_by == a.user_id for st in steps):
                raise AppError("already_decided", "您已对该申请作出过决定", "You have already decided on this request",
                               status=409)
            for st in steps:
                if st.decision is Decision.pending and a.user_id in await deciders(
                        session, st.approver_kind, staff, exclude_staff=staff.id):
                    raise AppError("not_your_turn", "尚未轮到您审批，请等待前一级审批", "It is not your turn yet",
                                   status=409)
            raise AppError("not_an_approver", "您不是该申请的审批人", "You are not an approver of this request",
                           status=403)
    if step.decision is not Decision.pending or any(st.decided_by == a.user_id for st in steps if st.id != step.id):
        raise AppError("already_decided", "该审批步骤已处理", "This step has already been decided", status=409)
    if step.seq != open_seq(steps):
        raise AppError("not_your_turn", "尚未轮到该步骤审批，请等待前一级审批", "It is not this step's turn yet",
                       status=409)
    if not await may_decide(session, a, req, staff, step, steps):
        raise AppError("not_an_approver", "您不是该步骤的审批人", "You are not an approver of this step", status=403)
    recorded = step.outside or (req.recorded_paper and a.is_admin)
    if recorded and data.approve and data.scan_file_id is None:
        raise bad("scan_required", "scanFileId", "请上传签字盖章的请假单扫描件", "Upload the scan of the signed slip")
    if data.scan_file_id is not None:
        await check_files(session, [data.scan_file_id], "scanFileId")
    now = utcnow()
    done = await session.execute(
        update(LeaveApprovalStep).where(LeaveApprovalStep.id == step.id, LeaveApprovalStep.decision == Decision.pending)
        .values(decision=Decision.approved if data.approve else Decision.rejected, decided_by=a.user_id,
                decided_at=now, note=data.note or None, recorded_for_outside=recorded,
                scan_file_id=data.scan_file_id, updated_at=now)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE answers a CursorResult (rowcount)
        raise AppError("already_decided", "该审批步骤已处理", "This step has already been decided", status=409)
    await record_audit(session, action="leave.approve_step" if data.approve else "leave.reject",
                       target_type="leave_request", target_id=str(req.id),
                       details={"step": step.approver_kind, "seq": step.seq, "note": data.note,
                                "recordedForOutside": recorded,
                                "scanFileId": str(data.scan_file_id) if data.scan_file_id else None})
    if not data.approve:
        await session.execute(update(LeaveApprovalStep).where(LeaveApprovalStep.request_id == req.id,
                                                              LeaveApprovalStep.decision == Decision.pending)
                              .values(decision=Decision.skipped, updated_at=now)
                              .execution_options(synchronize_session=False))
        await _finish(session, req, LeaveStatus.rejected, now)
    else:
        left = (await steps_of(session, [req.id]))[req.id]
        if all(st.decision is Decision.approved for st in left):
            await _finish(session, req, LeaveStatus.approved, now)
            await approve_effect(session, req)
            await record_audit(session, action="leave.approved", target_type="leave_request", target_id=str(req.id),
                               details={"staffId": str(req.staff_id), "type": req.leave_type,
                                        "halfDays": req.half_days})
    await session.commit()
    return await get_request(session, request_id)


async def _finish(session: AsyncSession, req: LeaveRequest, to: LeaveStatus, now: Any) -> None:
    done = await session.execute(update(LeaveRequest).where(LeaveRequest.id == req.id,
                                                            LeaveRequest.status == LeaveStatus.pending)
                                 .values(status=to, decided_at=now, updated_at=now)
                                 .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE answers a CursorResult (rowcount)
        raise AppError("request_changed", "该请假申请的状态已变化，请刷新后重试",
                       "The request has changed meanwhile; reload and try again", status=409)


# ---- the approver directory (请假设置) ---------------------------------------------------------------------------


async def directory(session: AsyncSession) -> list[s.ApproverRow]:
    rows = (await session.execute(select(ApproverAssignment, User.username, User.display_name)
                                  .join(User, User.id == ApproverAssignment.user_id)
                                  .order_by(ApproverAssignment.kind, User.username))).all()
    return [s.ApproverRow(id=r.id, kind=r.kind, user_id=r.user_id, username=u, display_name=n) for r, u, n in rows]


async def assign(session: AsyncSession, data: s.ApproverIn) -> s.ApproverRow:
    user = await session.scalar(select(User).where(User.id == data.user_id, User.is_active.is_(True)))
    if user is None:
        raise bad("invalid_reference", "userId", "所选账号不存在或已停用", "Unknown or disabled account")
    exists = await session.scalar(select(ApproverAssignment).where(ApproverAssignment.kind == data.kind,
                                                                   ApproverAssignment.user_id == data.user_id))
    if exists is not None:
        raise bad("duplicate", "userId", "该账号已是此类审批人", "This account is already such an approver", 409)
    row = ApproverAssignment(kind=data.kind, user_id=data.user_id)
    session.add(row)
    await session.flush()
    await record_audit(session, action="leave_approver.assign", target_type="approver_assignment",
                       target_id=str(row.id), details={"kind": data.kind, "userId": str(data.user_id)})
    await session.commit()
    return s.ApproverRow(id=row.id, kind=row.kind, user_id=row.user_id, username=user.username,
                         display_name=user.display_name)


async def unassign(session: AsyncSession, assignment_id: UUID) -> None:
    row = await session.scalar(select(ApproverAssignment).where(ApproverAssignment.id == assignment_id))
    if row is None:
        raise not_found("审批人", "Approver")
    await record_audit(session, action="leave_approver.remove", target_type="approver_assignment",
                       target_id=str(row.id), details={"kind": row.kind, "userId": str(row.user_id)})
    await session.delete(row)
    await session.commit()
