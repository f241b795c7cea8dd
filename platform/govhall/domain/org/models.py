"""Departments, windows, staff and backup pairs: what a center is made of (the tenant itself: ``govhall.tenancy``)."""

from __future__ import annotations

import enum
from uuid import UUID

from sqlalchemy import CheckConstraint, Enum, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned, tenant_ref


class StaffStatus(str, enum.Enum):
    active = "active"
    suspended = "suspended"
    returned_to_unit = "returned_to_unit"  # 退回原单位
    left = "left"


class Department(TenantOwned, Base):
    """进驻单位: a government department stationed in the hall."""

    __tablename__ = "department"
    __tenant_table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_department_tenant_name"),)

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(64))


class Window(TenantOwned, Base):
    """窗口: a service counter of a department."""

    __tablename__ = "window"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_window_tenant_number"),
        tenant_ref("department_id", "department"),
    )

    number: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[UUID] = mapped_column()


class Staff(TenantOwned, Base):
    """窗口工作人员 and everyone else who works in the hall."""

    __tablename__ = "staff"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "employee_no", name="uq_staff_tenant_employee_no"),
        tenant_ref("department_id", "department"),
        tenant_ref("window_id", "window"),
        Index("ix_staff_tenant_department", "tenant_id", "department_id"),
    )

    name: Mapped[str] = mapped_column(String(100))
    """Any Unicode name: middle dot (U+00B7) for minority names, 4-byte CJK extension characters."""
    employee_no: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    department_id: Mapped[UUID | None] = mapped_column()
    window_id: Mapped[UUID | None] = mapped_column()
    status: Mapped[StaffStatus] = mapped_column(
        Enum(StaffStatus, native_enum=False, length=32), default=StaffStatus.active
    )


class BackupPair(TenantOwned, Base):
    """AB岗: post A and post B cover each other; both staff of the same center (composite FKs)."""

    __tablename__ = "backup_pair"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "staff_a_id", "staff_b_id", name="uq_backup_pair"),
        CheckConstraint("staff_a_id <> staff_b_id", name="distinct"),
        tenant_ref("staff_a_id", "staff", ondelete="CASCADE"),
        tenant_ref("staff_b_id", "staff", ondelete="CASCADE"),
    )

    staff_a_id: Mapped[UUID] = mapped_column()
    staff_b_id: Mapped[UUID] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(200))
