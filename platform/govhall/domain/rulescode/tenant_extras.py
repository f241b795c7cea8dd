"""Tenant-file keys that belong to domains above org, applied and exported by tenants as code
(``govhall tenants plan|apply|export``, so also ``govhall demo``):

- ``leave_approvers``: username -> approver kinds of the leave workflow's directory (请假审批人, seed 002 上班请销假制度 五);
- ``backup_pairs``: AB pairs by employee number (AB岗, seed 002 六).

Like the other rows: added when missing, audited with ``"source": "tenants-as-code"``; rows only in the database are
listed as kept, and removed only with ``remove`` (``--remove``). A key absent from a file leaves the database as it
is. Problems (an account or employee number that is not the center's, an unknown kind) are reported with file and
line by the plan, and apply writes nothing.
"""

from __future__ import annotations

from typing import Any, get_args

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.domain.identity.models import User
from govhall.domain.leave.models import ApproverAssignment
from govhall.domain.leave.schemas import ApproverIn
from govhall.domain.org.models import BackupPair, Staff, StaffStatus
from govhall.domain.org.tenant_yaml import FileProblem, TenantDoc, line_of

KINDS: tuple[str, ...] = get_args(ApproverIn.__annotations__["kind"]) or (
    "inspection_office", "center_deputy_director", "center_director", "center")
SOURCE = {"source": "tenants-as-code"}


def _problem(doc: TenantDoc, line: int, zh: str, en: str) -> FileProblem:
    return FileProblem(doc.file, line, zh, en)


async def apply_extras(session: AsyncSession, doc: TenantDoc, *, remove: bool, changes: list[str], kept: list[str],
                       problems: list[FileProblem]) -> None:
    """In the tenant's scope, after its staff and accounts."""
    await _approvers(session, doc, remove=remove, changes=changes, kept=kept, problems=problems)
    await _pairs(session, doc, remove=remove, changes=changes, kept=kept, problems=problems)


async def _approvers(session: AsyncSession, doc: TenantDoc, *, remove: bool, changes: list[str], kept: list[str],
                     problems: list[FileProblem]) -> None:
    data = doc.data.get("leave_approvers")
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(_problem(doc, line_of(doc.data, "leave_approvers"), "leave_approvers 应为“用户名: [审批人类型]”的映射",
                                 "leave_approvers must map usernames to lists of approver kinds"))
        return
    users = {u.username: u for u in (await session.scalars(select(User))).all()}
    rows = (await session.scalars(select(ApproverAssignment))).all()
    have = {(r.user_id, r.kind): r for r in rows}
    wanted: set[tuple[Any, str]] = set()
    for username, kinds in data.items():
        line = line_of(data, str(username))
        user = users.get(str(username))
        if user is None:
            problems.append(_problem(doc, line, f"请假审批人 {username} 不是本中心的账号",
                                     f"leave approver {username!r} is not an account of this center"))
            continue
        if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
            problems.append(_problem(doc, line, f"审批人类型应为 {'、'.join(KINDS)} 中的一个或多个",
                                     f"approver kinds must be among {', '.join(KINDS)}"))
            continue
        for kind in kinds:
            wanted.add((user.id, kind))
            if (user.id, kind) in have:
                continue
            row = ApproverAssignment(kind=kind, user_id=user.id)
            session.add(row)
            await session.flush()
            await record_audit(session, action="leave_approver.assign", target_type="approver_assignment",
                               target_id=str(row.id), details={"kind": kind, "userId": str(user.id), **SOURCE})
            changes.append(f"+ leave approver {kind}: {username}")
    names = {u.id: u.username for u in users.values()}
    for (uid, kind), row in sorted(have.items(), key=lambda x: (names.get(x[0][0], ""), x[0][1])):
        if (uid, kind) in wanted:
            continue
        who = names.get(uid, str(uid))
        if not remove:
            kept.append(f"leave approver {kind}: {who} only in the database (kept; --remove removes it)")
            continue
        await record_audit(session, action="leave_approver.remove", target_type="approver_assignment",
                           target_id=str(row.id), details={"kind": kind, "userId": str(uid), **SOURCE})
        await session.delete(row)
        changes.append(f"- leave approver {kind}: {who}")


async def _pairs(session: AsyncSession, doc: TenantDoc, *, remove: bool, changes: list[str], kept: list[str],
                 problems: list[FileProblem]) -> None:
    data = doc.data.get("backup_pairs")
    if data is None:
        return
    line = line_of(doc.data, "backup_pairs")
    if not isinstance(data, list):
        problems.append(_problem(doc, line, "backup_pairs 应为 [[A岗工号, B岗工号], ...]",
                                 "backup_pairs must be a list of [A, B] employee numbers"))
        return
    staff = {p.employee_no: p for p in (await session.scalars(select(Staff))).all()}
    nos = {p.id: p.employee_no for p in staff.values()}
    have = {frozenset((r.staff_a_id, r.staff_b_id)): r for r in (await session.scalars(select(BackupPair))).all()}
    wanted: set[frozenset[Any]] = set()
    for i, pair in enumerate(data):
        at = line_of(pair) or line + i
        if not isinstance(pair, list) or len(pair) != 2 or str(pair[0]) == str(pair[1]):
            problems.append(_problem(doc, at, "每个 AB 岗应为两个不同的工号", "each backup pair is two different employee numbers"))
            continue
        people = [staff.get(str(n)) for n in pair]
        missing = [str(n) for n, p in zip(pair, people, strict=True) if p is None]
        if missing:
            problems.append(_problem(doc, at, f"工号 {'、'.join(missing)} 不是本中心的人员",
                                     f"employee number(s) {', '.join(missing)} are not staff of this center"))
            continue
        a, b = people[0], people[1]
        assert a is not None and b is not None
        key = frozenset((a.id, b.id))
        wanted.add(key)
        if key in have:
            continue
        if a.status is not StaffStatus.active or b.status is not StaffStatus.active:
            problems.append(_problem(doc, at, "AB 岗的两人都应在岗", "both staff of a backup pair must be active"))
            continue
        row = BackupPair(staff_a_id=a.id, staff_b_id=b.id)
        session.add(row)
        await session.flush()
        await record_audit(session, action="backup_pair.create", target_type="backup_pair", target_id=str(row.id),
                           details={"staffA": a.name, "staffB": b.name, "staffAId": a.id, "staffBId": b.id, **SOURCE})
        changes.append(f"+ backup pair {a.employee_no} / {b.employee_no}")
    for key, row in have.items():
        if key in wanted:
            continue
        label = f"{nos.get(row.staff_a_id)} / {nos.get(row.staff_b_id)}"
        if not remove:
            kept.append(f"backup pair {label} only in the database (kept; --remove removes it)")
            continue
        await session.delete(row)
        await record_audit(session, action="backup_pair.delete", target_type="backup_pair", target_id=str(row.id),
                           details={"staffAId": row.staff_a_id, "staffBId": row.staff_b_id, **SOURCE})
        changes.append(f"- backup pair {label}")


async def export_extras(session: AsyncSession) -> dict[str, Any]:
    """The tenant's ``leave_approvers`` (active accounts) and ``backup_pairs``, in the caller's tenant scope."""
    out: dict[str, Any] = {}
    rows = (await session.execute(select(User.username, ApproverAssignment.kind)
                                  .join(User, User.id == ApproverAssignment.user_id)
                                  .where(User.is_active.is_(True))
                                  .order_by(User.username, ApproverAssignment.kind))).all()
    approvers: dict[str, list[str]] = {}
    for username, kind in rows:
        approvers.setdefault(username, []).append(kind)
    if approvers:
        out["leave_approvers"] = approvers
    nos = dict((await session.execute(select(Staff.id, Staff.employee_no))).all())
    pairs = sorted([nos[r.staff_a_id], nos[r.staff_b_id]] for r in (await session.scalars(select(BackupPair))).all())
    if pairs:
        out["backup_pairs"] = pairs
    return out
