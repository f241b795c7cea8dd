"""Assessment tables (百分制考核). Records are never deleted: a correction is a new record that voids or amends
the old one, both audited.

- ``assessment_violation`` / ``assessment_bonus``: one recorded violation or bonus (subject staff, window or
  department; catalogue kind with its name and clause copied; day, quantity, source, evidence files, note,
  recorder, sanction, status).
- ``assessment_month``: per tenant-month, the close: ``open`` -> ``closed`` -> ``published`` (reopen is explicit and
  audited), the rules fingerprint and the settings it was scored under (a later rule change cannot alter it).
  Recording and closing lock this row, so a record lands before the close or is refused.
- ``assessment_scorecard``: a staff member's stored month (categories, total, pay, fines, flags, lines with record
  ids).
- ``assessment_appeal``: 申诉 of one violation record by its subject; decided by someone else than the recorder.
- ``assessment_return_case``: 退回原单位: flagged -> reviewed -> approved -> notified -> returned, or dismissed.
- ``assessment_unit_scorecard``: a window's or department's stored month (lines name the member they count).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Boolean, Date, Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned, tenant_ref

JsonB = JSON().with_variant(JSONB(), "postgresql")

SOURCES = ("attendance", "patrol", "complaint", "case", "meeting", "manual")
SUBJECTS = ("staff", "window", "department")


class _RecordColumns:
    subject: Mapped[str] = mapped_column(String(16), default="staff")
    staff_id: Mapped[UUID | None] = mapped_column()
    window_id: Mapped[UUID | None] = mapped_column()
    department_id: Mapped[UUID | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    """The catalogue item's name when recorded (the catalogue may change later)."""
    category: Mapped[str] = mapped_column(String(40))
    clause: Mapped[str] = mapped_column(String(120), default="")
    day: Mapped[date] = mapped_column(Date)
    quantity: Mapped[float] = mapped_column(Float, default=1)
    points: Mapped[float | None] = mapped_column(Float)
    """Points per unit chosen within a range item's range (None: the catalogue's ladder)."""
    source: Mapped[str] = mapped_column(String(16), default="manual")
    source_ref: Mapped[str | None] = mapped_column(String(100))
    evidence: Mapped[list[str]] = mapped_column(JsonB, default=list)
    """Evidence file ids (the tenant file store)."""
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[UUID | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="recorded")
    """recorded, appealed, upheld, reduced, overturned, void."""
    amends_id: Mapped[UUID | None] = mapped_column()
    """The record this one corrects (that one is void)."""
    void_reason: Mapped[str | None] = mapped_column(String(500))


class ViolationRecord(_RecordColumns, TenantOwned, Base):
    __tablename__ = "assessment_violation"
    __tenant_table_args__ = (
        Index("ix_assessment_violation_day", "tenant_id", "day"),
        Index("ix_assessment_violation_staff", "tenant_id", "staff_id", "day"),
        UniqueConstraint("tenant_id", "staff_id", "source", "source_ref", name="uq_assessment_violation_source"),
        tenant_ref("staff_id", "staff"),
        tenant_ref("window_id", "window"),
        tenant_ref("department_id", "department"),
    )

    sanction: Mapped[str | None] = mapped_column(String(40))
    reduced_points: Mapped[float | None] = mapped_column(Float)
    """Points per unit after an appeal decided ``reduce``."""


class BonusRecord(_RecordColumns, TenantOwned, Base):
    __tablename__ = "assessment_bonus"
    __tenant_table_args__ = (
        Index("ix_assessment_bonus_day", "tenant_id", "day"),
        tenant_ref("staff_id", "staff"),
        tenant_ref("window_id", "window"),
        tenant_ref("department_id", "department"),
    )


class AssessmentMonth(TenantOwned, Base):
    __tablename__ = "assessment_month"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "month", name="uq_assessment_month"),)

    month: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    """open, closed, published."""
    closed_by: Mapped[UUID | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    published_by: Mapped[UUID | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    rules: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    """The point_values settings the month was scored under (appeals in a closed month are rescored with them)."""
    reopened: Mapped[int] = mapped_column(Integer, default=0)


class Scorecard(TenantOwned, Base):
    __tablename__ = "assessment_scorecard"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "month", "staff_id", name="uq_assessment_scorecard"),
        tenant_ref("staff_id", "staff"),
    )

    month: Mapped[date] = mapped_column(Date)
    staff_id: Mapped[UUID] = mapped_column()
    department_id: Mapped[UUID | None] = mapped_column()
    window_id: Mapped[UUID | None] = mapped_column()
    categories: Mapped[dict[str, float]] = mapped_column(JsonB)
    total: Mapped[float] = mapped_column(Float)
    deducted: Mapped[float] = mapped_column(Float)
    bonus: Mapped[float] = mapped_column(Float)
    pay_yuan: Mapped[float] = mapped_column(Float)
    fines_yuan: Mapped[float] = mapped_column(Float, default=0)
    return_to_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    return_reasons: Mapped[list[str]] = mapped_column(JsonB, default=list)
    award_eligible: Mapped[bool] = mapped_column(Boolean, default=True)
    year_deductions: Mapped[float] = mapped_column(Float, default=0)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)


class Appeal(TenantOwned, Base):
    __tablename__ = "assessment_appeal"
    __tenant_table_args__ = (
        Index("ix_assessment_appeal_status", "tenant_id", "status"),
        UniqueConstraint("tenant_id", "record_id", name="uq_assessment_appeal_record"),
        tenant_ref("record_id", "assessment_violation"),
        tenant_ref("staff_id", "staff"),
    )

    record_id: Mapped[UUID] = mapped_column()
    staff_id: Mapped[UUID] = mapped_column()
    reason: Mapped[str] = mapped_column(String(1000))
    evidence: Mapped[list[str]] = mapped_column(JsonB, default=list)
    filed_by: Mapped[UUID] = mapped_column()
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    """pending, upheld, reduced, overturned."""
    decided_by: Mapped[UUID | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(String(1000))
    new_points: Mapped[float | None] = mapped_column(Float)


class ReturnCase(TenantOwned, Base):
    __tablename__ = "assessment_return_case"
    __tenant_table_args__ = (
        Index("ix_assessment_return_case_status", "tenant_id", "status"),
        tenant_ref("staff_id", "staff"),
    )

    staff_id: Mapped[UUID] = mapped_column()
    month: Mapped[date] = mapped_column(Date)
    triggers: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    """[{name, recordIds}] — what opened the case."""
    status: Mapped[str] = mapped_column(String(16), default="flagged")
    """flagged, reviewed, approved, notified, returned, dismissed."""
    history: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    """Every step: {status, by, at, note}."""
    authority: Mapped[str | None] = mapped_column(String(200))
    scan_file_id: Mapped[str | None] = mapped_column(String(64))
    notices: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JsonB)


class UnitScorecard(TenantOwned, Base):
    """A window's or department's stored month (where the rules score units: ``unit_scorecards``)."""

    __tablename__ = "assessment_unit_scorecard"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "month", "subject", "unit_id", name="uq_assessment_unit_scorecard"),
        tenant_ref("window_id", "window"),
        tenant_ref("department_id", "department"),
    )

    month: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(16))
    """window or department."""
    unit_id: Mapped[UUID] = mapped_column()
    window_id: Mapped[UUID | None] = mapped_column()
    department_id: Mapped[UUID | None] = mapped_column()
    categories: Mapped[dict[str, float]] = mapped_column(JsonB)
    total: Mapped[float] = mapped_column(Float)
    deducted: Mapped[float] = mapped_column(Float)
    bonus: Mapped[float] = mapped_column(Float)
    award_eligible: Mapped[bool] = mapped_column(Boolean, default=True)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
