"""Attendance tables: raw punches and their inbox (never changed), and what is derived from them (recomputable).

- ``attendance_inbox``: every device message as received (body, counts, rejected lines with reasons).
- ``attendance_punch``: one row per punch, idempotent on (tenant, device key, PIN, time). The device key is the
  terminal's serial number, ``web`` for the clock-in button and ``missed_punch`` for approved 补卡 requests.
- ``attendance_leave``: approved leave (a simple record until the leave workflow writes it).
- ``attendance_missed_punch``: 补卡 requests and their decision.
- ``attendance_off_post``: recorded absences from the post (脱岗) with their length.
- ``attendance_day`` / ``attendance_month``: evaluated staff-days and months (derived; rewritten on recompute).
- ``attendance_month_state``: per tenant-month, whether the derived rows are current.
- ``attendance_device_sync``: per terminal, last contact, the data watermark and the backlog it reported.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Date, Enum, Float, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned, tenant_ref

JsonB = JSON().with_variant(JSONB(), "postgresql")

WEB_DEVICE = "web"
MISSED_PUNCH_DEVICE = "missed_punch"


class PunchSource(str, enum.Enum):
    iclock = "iclock"  # ZKTeco ADMS push
    device_api = "device_api"  # the JSON endpoint for terminals and integrators
    web = "web"  # the clerk's clock-in button
    missed_punch = "missed_punch"  # an approved 补卡 request


class RequestStatus(str, enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


def _enum(e: type[enum.Enum]) -> Enum:
    return Enum(e, native_enum=False, length=16)


class PunchInbox(TenantOwned, Base):
    """One device message exactly as it arrived (append-only), with what became of its lines."""

    __tablename__ = "attendance_inbox"
    __tenant_table_args__ = (Index("ix_attendance_inbox_tenant_device", "tenant_id", "device_key", "created_at"),)

    source: Mapped[PunchSource] = mapped_column(_enum(PunchSource))
    device_key: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    lines: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonB)


class Punch(TenantOwned, Base):
    """A punch as received. ``work_date`` and ``local_seconds`` are the tenant's local date and time of day."""

    __tablename__ = "attendance_punch"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "device_key", "pin", "punched_at", name="uq_attendance_punch_key"),
        Index("ix_attendance_punch_day", "tenant_id", "work_date", "staff_id"),
        tenant_ref("staff_id", "staff"),
    )

    source: Mapped[PunchSource] = mapped_column(_enum(PunchSource))
    device_key: Mapped[str] = mapped_column(String(64))
    pin: Mapped[str] = mapped_column(String(64))
    """The person as the terminal knows them (its user PIN); the staff member's employee number."""
    staff_id: Mapped[UUID | None] = mapped_column()
    punched_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    work_date: Mapped[date] = mapped_column(Date)
    local_seconds: Mapped[int] = mapped_column(Integer)
    status: Mapped[int | None] = mapped_column(SmallInteger)
    """The terminal's punch state (ZKTeco: 0 check-in, 1 check-out, 2 break-out, 3 break-in, 4/5 overtime)."""
    verify: Mapped[int | None] = mapped_column(SmallInteger)
    """How the person was verified (ZKTeco: 0 password, 1 fingerprint, 4 card, 15 face, ...)."""
    workcode: Mapped[str | None] = mapped_column(String(32))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    inbox_id: Mapped[UUID | None] = mapped_column()


class LeaveRecord(TenantOwned, Base):
    """Approved leave of one staff member (written by the leave workflow, or entered by the center)."""

    __tablename__ = "attendance_leave"
    __tenant_table_args__ = (
        Index("ix_attendance_leave_staff", "tenant_id", "staff_id", "starts_at"),
        tenant_ref("staff_id", "staff", ondelete="CASCADE"),
    )

    staff_id: Mapped[UUID] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    kind: Mapped[str] = mapped_column(String(32), default="personal")
    note: Mapped[str | None] = mapped_column(String(500))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    """The leave request it came from, when the leave workflow wrote it."""


class MissedPunchRequest(TenantOwned, Base):
    """补卡: a clerk asks to record a punch the terminal missed; the duty officer or chief representative decides."""

    __tablename__ = "attendance_missed_punch"
    __tenant_table_args__ = (
        Index("ix_attendance_missed_punch_staff", "tenant_id", "staff_id", "work_date"),
        Index("ix_attendance_missed_punch_status", "tenant_id", "status"),
        tenant_ref("staff_id", "staff", ondelete="CASCADE"),
    )

    staff_id: Mapped[UUID] = mapped_column()
    work_date: Mapped[date] = mapped_column(Date)
    punch_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), default=RequestStatus.pending)
    requested_by: Mapped[UUID | None] = mapped_column()
    decided_by: Mapped[UUID | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(String(500))
    punch_id: Mapped[UUID | None] = mapped_column()


class OffPostRecord(TenantOwned, Base):
    """脱岗: a recorded absence from the post during working time, with its length in minutes."""

    __tablename__ = "attendance_off_post"
    __tenant_table_args__ = (
        Index("ix_attendance_off_post_day", "tenant_id", "work_date"),
        tenant_ref("staff_id", "staff", ondelete="CASCADE"),
    )

    staff_id: Mapped[UUID] = mapped_column()
    work_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[UUID | None] = mapped_column()


class AttendanceDay(TenantOwned, Base):
    """An evaluated staff-day (derived; the month-end batch rewrites it).

    No foreign key on ``staff_id`` (migration 0014_monthend): it cost a check per row of every month-end, and the
    tenant wall holds without it — row-level security admits only the tenant's rows, ``tenant_id`` references
    ``tenant``, and the month-end (the only writer) takes every ``staff_id`` from the tenant's own staff, read in
    the same tenant scope. Staff are never deleted (they leave or are suspended)."""

    __tablename__ = "attendance_day"
    __tenant_table_args__ = (
        # date first: the month's rows are one range (sheet, re-evaluation); a person's month is a range too
        UniqueConstraint("tenant_id", "work_date", "staff_id", name="uq_attendance_day"),
    )

    staff_id: Mapped[UUID] = mapped_column()
    work_date: Mapped[date] = mapped_column(Date)
    finding: Mapped[str] = mapped_column(String(16))
    late_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    early_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    early_minutes: Mapped[int] = mapped_column(Integer, default=0)
    missed_punches: Mapped[int] = mapped_column(SmallInteger, default=0)
    absence_half_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    leave_half_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    details: Mapped[dict[str, Any] | None] = mapped_column(JsonB)


class AttendanceMonth(TenantOwned, Base):
    """A staff member's month with the tenant's conversions applied (derived)."""

    __tablename__ = "attendance_month"
    __tenant_table_args__ = (
        # no foreign key on staff_id, for the reasons given on AttendanceDay (migration 0014_monthend)
        UniqueConstraint("tenant_id", "month", "staff_id", name="uq_attendance_month"),
    )

    staff_id: Mapped[UUID] = mapped_column()
    month: Mapped[date] = mapped_column(Date)
    workdays: Mapped[int] = mapped_column(SmallInteger, default=0)
    on_time_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    late_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    early_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    early_minutes: Mapped[int] = mapped_column(Integer, default=0)
    missed_punches: Mapped[int] = mapped_column(SmallInteger, default=0)
    absence_half_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    converted_half_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    total_absence_half_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    leave_half_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    pending_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    details: Mapped[dict[str, Any] | None] = mapped_column(JsonB)


class MonthState(TenantOwned, Base):
    """Whether a tenant-month's derived rows are current: ``dirty`` after late punches, leave or 补卡; the
    fingerprint of the rules and calendar they were computed with; the last day that was final."""

    __tablename__ = "attendance_month_state"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "month", name="uq_attendance_month_state"),)

    month: Mapped[date] = mapped_column(Date)
    dirty: Mapped[bool] = mapped_column(default=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    final_through: Mapped[date | None] = mapped_column(Date)
    evaluated_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    evaluated_days: Mapped[int] = mapped_column(Integer, default=0)


class DeviceSync(TenantOwned, Base):
    """What the server knows of a terminal's delivery: contact, watermark and backlog."""

    __tablename__ = "attendance_device_sync"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "device_key", name="uq_attendance_device_sync"),)

    device_key: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[UUID | None] = mapped_column()
    last_contact_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_upload_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_punch_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    synced_until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    """Everything the terminal recorded up to this instant has been received (the evaluation watermark)."""
    received_count: Mapped[int] = mapped_column(Integer, default=0)
    device_record_count: Mapped[int | None] = mapped_column(Integer)
    """The terminal's own count of stored attendance records (ADMS INFO), when it reports one."""
    pending_count: Mapped[int | None] = mapped_column(Integer)
    """Records the terminal says it has not delivered yet (JSON endpoint ``pending``)."""
    attlog_stamp: Mapped[str | None] = mapped_column(String(32))
    firmware: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(String(200))


class CorrectionKind(str, enum.Enum):
    present = "present"  # 按出勤: the terminal failed, the people were here
    elsewhere = "elsewhere"  # 外出公务: the center (or these people) worked elsewhere on duty


class CorrectionSessions(str, enum.Enum):
    am = "am"
    pm = "pm"
    day = "day"


class AttendanceCorrection(TenantOwned, Base):
    """考勤更正: the center corrects a day or a date range for many staff at once (a failed terminal, the center
    working elsewhere for a morning), with a reason and evidence. Never deleted: a mistaken one is voided."""

    __tablename__ = "attendance_correction"
    __tenant_table_args__ = (Index("ix_attendance_correction_dates", "tenant_id", "date_from", "date_to"),)

    date_from: Mapped[date] = mapped_column(Date)
    date_to: Mapped[date] = mapped_column(Date)
    sessions: Mapped[CorrectionSessions] = mapped_column(_enum(CorrectionSessions))
    kind: Mapped[CorrectionKind] = mapped_column(_enum(CorrectionKind))
    reason: Mapped[str] = mapped_column(String(500))
    file_ids: Mapped[list[str]] = mapped_column(JsonB)
    """The evidence: ids of files in the tenant file store (purpose ``attendance.correction``)."""
    staff_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[UUID | None] = mapped_column()
    voided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    voided_by: Mapped[UUID | None] = mapped_column()
    void_reason: Mapped[str | None] = mapped_column(String(500))


class AttendanceCorrectionStaff(TenantOwned, Base):
    """One staff member a correction applies to."""

    __tablename__ = "attendance_correction_staff"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "correction_id", "staff_id", name="uq_attendance_correction_staff"),
        Index("ix_attendance_correction_staff_staff", "tenant_id", "staff_id"),
        tenant_ref("correction_id", "attendance_correction", ondelete="CASCADE"),
        tenant_ref("staff_id", "staff", ondelete="CASCADE"),
    )

    correction_id: Mapped[UUID] = mapped_column()
    staff_id: Mapped[UUID] = mapped_column()
