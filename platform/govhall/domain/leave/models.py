"""Leave tables.

- ``leave_request``: one request (请假) with its dates to the half day, working half days counted on the center's
  calendar, substitute, attachments (file ids), status, the rules fingerprint it was checked with, and its
  closure (销假) once reported back.
- ``leave_approval_step``: the request's chain, one row per approver; rows with the same ``seq`` sign together
  (共同签批). A decision is one guarded ``UPDATE ... WHERE decision = 'pending'``.
- ``leave_outcome``: what the rules made of a leave afterwards (sick -> personal, unclosed -> absence, no cover ->
  off post); unique per (request, kind, day), so each is applied once; attendance reads absence and off post.
- ``approver_assignment``: the center's approver directory (稽查督办科, 分管领导, 主要领导, 中心), kind -> user.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned, tenant_ref

JsonB = JSON().with_variant(JSONB(), "postgresql")


class LeaveStatus(str, enum.Enum):
    pending = "pending"  # in approval
    approved = "approved"  # approved, not closed yet (before, during or after the leave)
    rejected = "rejected"
    withdrawn = "withdrawn"  # by the holder before the last decision
    cancelled = "cancelled"  # after approval, before the start: the quota is given back
    closed = "closed"  # 销假 recorded
    unclosed = "unclosed"  # the closure deadline passed; the rules' effect was applied


LIVE = (LeaveStatus.pending, LeaveStatus.approved, LeaveStatus.closed, LeaveStatus.unclosed)
"""Requests that occupy their days (overlap) and count toward quotas."""


class Decision(str, enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    skipped = "skipped"  # the request was rejected or withdrawn before this step


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=16)


class LeaveRequest(TenantOwned, Base):
    __tablename__ = "leave_request"
    __tenant_table_args__ = (
        Index("ix_leave_request_staff", "tenant_id", "staff_id", "start_date"),
        Index("ix_leave_request_status", "tenant_id", "status"),
        tenant_ref("staff_id", "staff", ondelete="CASCADE"),
        tenant_ref("substitute_staff_id", "staff"),
    )

    staff_id: Mapped[UUID] = mapped_column()
    requested_by: Mapped[UUID | None] = mapped_column()
    role: Mapped[str] = mapped_column(String(32))
    """The requester's role in the center when asking (quotas are per role)."""
    leave_type: Mapped[str] = mapped_column(String(32))
    original_type: Mapped[str | None] = mapped_column(String(32))
    """The type asked for, when an outcome converted it (sick -> personal)."""
    start_date: Mapped[date] = mapped_column(Date)
    start_half: Mapped[str] = mapped_column(String(2))
    end_date: Mapped[date] = mapped_column(Date)
    end_half: Mapped[str] = mapped_column(String(2))
    half_days: Mapped[int] = mapped_column(SmallInteger)
    """Working half days on the center's calendar (holidays and rest days do not count)."""
    reason: Mapped[str] = mapped_column(String(500))
    substitute_staff_id: Mapped[UUID | None] = mapped_column()
    external_substitute: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    """{name, phone, unit}: someone the home unit sent (000 篇六 七.二)2 原单位派驻)."""
    attachments: Mapped[list[str]] = mapped_column(JsonB, default=list)
    sick_note_file_id: Mapped[UUID | None] = mapped_column()
    substitute_status: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    """none / pending (the named colleague has not answered) / confirmed / declined / registered (someone the home
    unit sent, recorded by the chief representative or the center: 备案, 000 篇六 七.三)2)."""
    substitute_answered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    substitute_answered_by: Mapped[UUID | None] = mapped_column()
    substitute_note: Mapped[str | None] = mapped_column(String(500))
    cover_rule: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    """What the rules said about cover when it was asked: none (not needed), block (the last approval waits for
    confirmed cover: 004 考勤 四 "及时确定顶岗人员，方可准假"; 000 篇七 十一(一)4) or off_post (002 六)."""
    status: Mapped[LeaveStatus] = mapped_column(_enum(LeaveStatus), default=LeaveStatus.pending)
    submitted_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    submitted_on: Mapped[date] = mapped_column(Date)
    submitted_half: Mapped[str] = mapped_column(String(8))
    rules_fingerprint: Mapped[str] = mapped_column(String(64))
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    recorded_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    """Entered by the center from an approved paper slip (the same checks; the steps recorded with scans)."""
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    attendance_leave_id: Mapped[UUID | None] = mapped_column()
    closure_due: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[UUID | None] = mapped_column()
    closure_channel: Mapped[str | None] = mapped_column(String(16))
    actual_end_date: Mapped[date | None] = mapped_column(Date)
    actual_end_half: Mapped[str | None] = mapped_column(String(2))
    closure_note: Mapped[str | None] = mapped_column(String(500))


class LeaveApprovalStep(TenantOwned, Base):
    __tablename__ = "leave_approval_step"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "request_id", "approver_kind", name="uq_leave_approval_step"),
        Index("ix_leave_approval_step_pending", "tenant_id", "decision", "approver_kind"),
        tenant_ref("request_id", "leave_request", ondelete="CASCADE"),
    )

    request_id: Mapped[UUID] = mapped_column()
    seq: Mapped[int] = mapped_column(SmallInteger)
    approver_kind: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(16), default="sequential")
    outside: Mapped[bool] = mapped_column(Boolean, default=False)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    decision: Mapped[Decision] = mapped_column(_enum(Decision), default=Decision.pending)
    decided_by: Mapped[UUID | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_for_outside: Mapped[bool] = mapped_column(Boolean, default=False)
    """The center recorded an outside approver's signed slip (the scan is ``scan_file_id``)."""
    scan_file_id: Mapped[UUID | None] = mapped_column()


class LeaveOutcomeRow(TenantOwned, Base):
    __tablename__ = "leave_outcome"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "request_id", "kind", "on_date", name="uq_leave_outcome"),
        Index("ix_leave_outcome_day", "tenant_id", "on_date"),
        tenant_ref("request_id", "leave_request", ondelete="CASCADE"),
        tenant_ref("staff_id", "staff", ondelete="CASCADE"),
    )

    request_id: Mapped[UUID] = mapped_column()
    staff_id: Mapped[UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[date] = mapped_column(Date)
    half_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    minutes: Mapped[int] = mapped_column(SmallInteger, default=0)
    leave_type: Mapped[str | None] = mapped_column(String(32))
    clause: Mapped[str] = mapped_column(String(100))
    zh: Mapped[str] = mapped_column(String(300))
    en: Mapped[str] = mapped_column(String(300))


class ApproverAssignment(TenantOwned, Base):
    __tablename__ = "approver_assignment"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "kind", "user_id", name="uq_approver_assignment"),)

    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
