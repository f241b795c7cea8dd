"""Complaint and case-ledger tables.

- ``complaint``: one complaint (投诉) with its number, channel, class and reply due time, the subject (window,
  department, staff), the problem and demand, the conclusion and reply; the complainant's name and contact only
  encrypted (``identity``: AES-GCM with the tenant's key, ``govhall.domain.complaints.identity``).
- ``complaint_event``: the timeline (one row per step, who and when, a note; never the identity).
- ``service_item``: the center's service items (事项: code, name, department, legal and promised days, type).
- ``case_record``: a case (办件) logged at the window or imported: type, first-responsible clerk, accepted at,
  due at, completed at; joint cases have one ``case_participant`` per department with its own due time.
- ``case_pause``: clock pauses (补正, 听证, 鉴定...) and approved extensions (kind ``extension``).
- ``case_notice``: printable numbered notices (一次性告知书, 补正告知书, 受理通知书, 承诺通知书).
- ``case_card``: yellow and red cards issued, once per case and colour.
- ``case_import_event``: external case events already applied (idempotent re-import).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Boolean, Float, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned, tenant_ref

JsonB = JSON().with_variant(JSONB(), "postgresql")
TS = DateTimeUTC(timezone=True)

COMPLAINT_STATUSES = ("received", "registered", "reviewed", "assigned", "investigating", "concluded", "replied",
                      "feedback", "closed")


class Complaint(TenantOwned, Base):
    __tablename__ = "complaint"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_complaint_number"),
        Index("ix_complaint_received", "tenant_id", "received_at"),
        tenant_ref("staff_id", "staff"),
        tenant_ref("window_id", "window"),
        tenant_ref("department_id", "department"),
    )

    number: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16), default="center")
    written: Mapped[bool] = mapped_column(Boolean, default=False)
    class_key: Mapped[str] = mapped_column(String(40))
    class_name: Mapped[str] = mapped_column(String(60))
    clause: Mapped[str] = mapped_column(String(100), default="")
    deadline_amount: Mapped[int] = mapped_column(Integer)
    deadline_unit: Mapped[str] = mapped_column(String(16))
    departments: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime] = mapped_column(TS)
    received_by: Mapped[UUID | None] = mapped_column()
    due_at: Mapped[datetime] = mapped_column(TS)
    status: Mapped[str] = mapped_column(String(16), default="received")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    identity: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The complainant's name and contact, encrypted (nonce + AES-GCM ciphertext); never in clear anywhere."""
    identity_key_version: Mapped[int] = mapped_column(Integer, default=1)
    staff_id: Mapped[UUID | None] = mapped_column()
    window_id: Mapped[UUID | None] = mapped_column()
    department_id: Mapped[UUID | None] = mapped_column()
    subject: Mapped[str] = mapped_column(String(200))
    """What the complaint is about (投诉的问题, short)."""
    problem: Mapped[str] = mapped_column(String(2000), default="")
    demand: Mapped[str] = mapped_column(String(1000), default="")
    reply_in_writing: Mapped[bool] = mapped_column(Boolean, default=False)
    review_note: Mapped[str | None] = mapped_column(String(1000))
    assigned_to: Mapped[str | None] = mapped_column(String(16))
    """``window``, ``back_office``, ``discipline`` (纪委监察), ``judicial`` (司法) — 000 篇七 九.3, 002 四.5."""
    conclusion: Mapped[str | None] = mapped_column(String(16))
    """``substantiated``, ``partly``, ``unsubstantiated``."""
    opinion: Mapped[str | None] = mapped_column(String(2000))
    reply_channel: Mapped[str | None] = mapped_column(String(16))
    replied_at: Mapped[datetime | None] = mapped_column(TS)
    feedback: Mapped[str | None] = mapped_column(String(16))
    """``satisfied``, ``basically``, ``unsatisfied`` (000 篇七 九.4 征求意见)."""
    closed_at: Mapped[datetime | None] = mapped_column(TS)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_note: Mapped[str | None] = mapped_column(String(1000))
    window_points: Mapped[float] = mapped_column(Float, default=0)
    window_zeroes: Mapped[bool] = mapped_column(Boolean, default=False)
    person_violation_id: Mapped[UUID | None] = mapped_column()
    reward_yuan: Mapped[float] = mapped_column(Float, default=0)


class ComplaintEvent(TenantOwned, Base):
    __tablename__ = "complaint_event"
    __tenant_table_args__ = (tenant_ref("complaint_id", "complaint", ondelete="CASCADE"),
                             Index("ix_complaint_event", "tenant_id", "complaint_id", "at"))

    complaint_id: Mapped[UUID] = mapped_column()
    action: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(TS)
    by: Mapped[UUID | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(2000))


class ServiceItem(TenantOwned, Base):
    __tablename__ = "service_item"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_service_item_code"),
                             tenant_ref("department_id", "department"))

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[UUID | None] = mapped_column()
    legal_days: Mapped[int] = mapped_column(Integer)
    promised_days: Mapped[int] = mapped_column(Integer)
    default_type: Mapped[str] = mapped_column(String(16))


class CaseRecord(TenantOwned, Base):
    __tablename__ = "case_record"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_case_number"),
        UniqueConstraint("tenant_id", "external_ref", name="uq_case_external_ref"),
        Index("ix_case_open", "tenant_id", "completed_at", "due_at"),
        tenant_ref("item_id", "service_item"),
        tenant_ref("staff_id", "staff"),
        tenant_ref("department_id", "department"),
        tenant_ref("window_id", "window"),
    )

    number: Mapped[str] = mapped_column(String(32))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    item_id: Mapped[UUID] = mapped_column()
    case_type: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[UUID | None] = mapped_column()
    department_id: Mapped[UUID | None] = mapped_column()
    window_id: Mapped[UUID | None] = mapped_column()
    applicant: Mapped[str] = mapped_column(String(100), default="")
    accepted_at: Mapped[datetime] = mapped_column(TS)
    logged_by: Mapped[UUID | None] = mapped_column()
    due_at: Mapped[datetime] = mapped_column(TS)
    completed_at: Mapped[datetime | None] = mapped_column(TS)
    paused_since: Mapped[datetime | None] = mapped_column(TS)
    pause_kind: Mapped[str | None] = mapped_column(String(16))


class CaseParticipant(TenantOwned, Base):
    __tablename__ = "case_participant"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "case_id", "department_id", name="uq_case_participant"),
                             tenant_ref("case_id", "case_record", ondelete="CASCADE"),
                             tenant_ref("department_id", "department"))

    case_id: Mapped[UUID] = mapped_column()
    department_id: Mapped[UUID] = mapped_column()
    days: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(TS)
    completed_at: Mapped[datetime | None] = mapped_column(TS)


class CasePause(TenantOwned, Base):
    __tablename__ = "case_pause"
    __tenant_table_args__ = (tenant_ref("case_id", "case_record", ondelete="CASCADE"),)

    case_id: Mapped[UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(16))
    """``supplement`` 补正, ``hearing`` 听证, ``appraisal`` 鉴定, ``expert`` 专家评审, ``inspection`` 检验检疫,
    ``tender`` 招标拍卖, or ``extension`` (an approved extension: ``days`` working days)."""
    started_at: Mapped[datetime] = mapped_column(TS)
    ended_at: Mapped[datetime | None] = mapped_column(TS)
    days: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(String(500))
    approved_by: Mapped[str | None] = mapped_column(String(100))
    by: Mapped[UUID | None] = mapped_column()


class CaseNotice(TenantOwned, Base):
    __tablename__ = "case_notice"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "kind", "year", "seq", name="uq_case_notice_number"),
                             tenant_ref("case_id", "case_record", ondelete="CASCADE"))

    case_id: Mapped[UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(24))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40))
    issued_at: Mapped[datetime] = mapped_column(TS)
    issued_by: Mapped[UUID | None] = mapped_column()
    body: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)


class CaseCard(TenantOwned, Base):
    __tablename__ = "case_card"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "case_id", "card", name="uq_case_card"),
                             tenant_ref("case_id", "case_record", ondelete="CASCADE"))

    case_id: Mapped[UUID] = mapped_column()
    card: Mapped[str] = mapped_column(String(8))
    points: Mapped[float] = mapped_column(Float, default=0)
    issued_at: Mapped[datetime] = mapped_column(TS)
    violation_id: Mapped[UUID | None] = mapped_column()


class CaseImportEvent(TenantOwned, Base):
    __tablename__ = "case_import_event"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "event_id", name="uq_case_import_event"),)

    event_id: Mapped[str] = mapped_column(String(100))
    case_id: Mapped[UUID | None] = mapped_column()
    applied_at: Mapped[datetime] = mapped_column(TS)
