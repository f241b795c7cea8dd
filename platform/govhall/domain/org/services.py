"""Departments, windows and staff of one center. Tenant scope comes from the guard; never chosen here.

Every write is audited (``record_audit``) in the same transaction and committed here, so a change and its
audit event exist together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from advanced_alchemy.filters import StatementFilter
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import ModelDictT
from sqlalchemy import func, select

from govhall.audit import record_audit, update_audited
from govhall.domain.org.models import BackupPair, Department, Staff, StaffStatus, Window
from govhall.domain.org.names import normalize_name
from govhall.domain.org.rules import StaffScope
from govhall.errors import AppError, field_error, not_found
from govhall.tenancy.service import TenantScopedService


def _text(value: str | None, field: str, zh: str, en: str, max_len: int, *, required: bool = True) -> str | None:
    cleaned = (value or "").strip()
    if (required and not cleaned) or len(cleaned) > max_len or any(not c.isprintable() for c in cleaned):
        raise AppError("invalid_field", f"{zh}不能为空且不超过 {max_len} 个字符", f"{en}: 1-{max_len} printable characters",
                       fields=[field_error(field, f"{zh}格式不正确", f"Invalid {en.lower()}")])
    return cleaned or None


def _in_use(zh: str, en: str) -> AppError:
    return AppError("in_use", f"{zh}仍被使用，不能删除", f"{en} is still in use and cannot be deleted", status=409)


async def _count(session: Any, stmt: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


class DepartmentService(TenantScopedService):
    class Repo(SQLAlchemyAsyncRepository[Department]):
        model_type = Department

    repository_type = Repo

    async def _unique_name(self, name: str, exclude: UUID | None = None) -> None:
        stmt = select(Department.id).where(Department.name == name)
        if exclude:
            stmt = stmt.where(Department.id != exclude)
        if await self.repository.session.scalar(stmt):
            raise AppError("duplicate_department", "已有同名部门", "A department with this name exists", status=409,
                           fields=[field_error("name", "已有同名部门", "Name already used")])

    async def create_department(self, name: str, code: str | None) -> Department:
        name = _text(name, "name", "部门名称", "Department name", 200)  # type: ignore[assignment]  # _text answers str for a required field
        code = _text(code, "code", "部门代码", "Department code", 64, required=False)
        await self._unique_name(name)
        obj = await self.create({"name": name, "code": code})
        await record_audit(self.repository.session, action="department.create", target_type="department",
                           target_id=str(obj.id), details={"name": name, "code": code})
        await self.repository.session.commit()
        return obj

    async def update_department(self, dept_id: UUID, changes: dict[str, Any]) -> Department:
        obj = await self.get_one_or_none(id=dept_id)
        if obj is None:
            raise not_found("部门", "Department")
        if "name" in changes:
            changes["name"] = _text(changes["name"], "name", "部门名称", "Department name", 200)
            await self._unique_name(changes["name"], exclude=dept_id)
        if "code" in changes:
            changes["code"] = _text(changes["code"], "code", "部门代码", "Department code", 64, required=False)
        return await update_audited(self.repository.session, obj, changes, target_type="department", target_id=str(dept_id))

    async def delete_department(self, dept_id: UUID, *, commit: bool = True) -> None:
        """``commit=False``: the caller's transaction commits (tenants as code: one transaction per tenant)."""
        session = self.repository.session
        obj = await self.get_one_or_none(id=dept_id)
        if obj is None:
            raise not_found("部门", "Department")
        if await _count(session, select(Window.id).where(Window.department_id == dept_id)) or await _count(
            session, select(Staff.id).where(Staff.department_id == dept_id)
        ):
            raise _in_use("部门（其下还有窗口或人员）", "Department (it still has windows or staff)")
        await session.delete(obj)
        await record_audit(session, action="department.delete", target_type="department", target_id=str(dept_id),
                           details={"name": obj.name})
        if commit:
            await session.commit()


class WindowService(TenantScopedService):
    class Repo(SQLAlchemyAsyncRepository[Window]):
        model_type = Window

    repository_type = Repo

    async def _check(self, data: dict[str, Any], exclude: UUID | None = None) -> None:
        if "number" in data:
            data["number"] = _text(data["number"], "number", "窗口号", "Window number", 32)
            stmt = select(Window.id).where(Window.number == data["number"])
            if exclude:
                stmt = stmt.where(Window.id != exclude)
            if await self.repository.session.scalar(stmt):
                raise AppError("duplicate_window", "窗口号已存在", "Window number already used", status=409,
                               fields=[field_error("number", "窗口号已存在", "Already used")])
        if "name" in data:
            data["name"] = _text(data["name"], "name", "窗口名称", "Window name", 200)
        if "department_id" in data:
            await _require_in_tenant(self, Department, data["department_id"], "departmentId", "部门", "department",
                                     required=True)

    async def create_window(self, number: str, name: str, department_id: UUID) -> Window:
        data = {"number": number, "name": name, "department_id": department_id}
        await self._check(data)
        obj = await self.create(data)
        await record_audit(self.repository.session, action="window.create", target_type="window",
                           target_id=str(obj.id), details=data)
        await self.repository.session.commit()
        return obj

    async def update_window(self, window_id: UUID, changes: dict[str, Any]) -> Window:
        obj = await self.get_one_or_none(id=window_id)
        if obj is None:
            raise not_found("窗口", "Window")
        await self._check(changes, exclude=window_id)
        return await update_audited(self.repository.session, obj, changes, target_type="window", target_id=str(window_id))

    async def delete_window(self, window_id: UUID, *, commit: bool = True) -> None:
        session = self.repository.session
        obj = await self.get_one_or_none(id=window_id)
        if obj is None:
            raise not_found("窗口", "Window")
        if await _count(session, select(Staff.id).where(Staff.window_id == window_id)):
            raise _in_use("窗口（仍有人员在此窗口）", "Window (staff still work at it)")
        await session.delete(obj)
        await record_audit(session, action="window.delete", target_type="window", target_id=str(window_id),
                           details={"number": obj.number, "name": obj.name})
        if commit:
            await session.commit()


class StaffService(TenantScopedService):
    class Repo(SQLAlchemyAsyncRepository[Staff]):
        model_type = Staff

    repository_type = Repo

    async def to_model_on_create(self, data: ModelDictT[Staff]) -> ModelDictT[Staff]:
        data = await super().to_model_on_create(data)
        return await self._check(data)

    async def _check(self, data: Any, exclude: UUID | None = None) -> Any:
        if not isinstance(data, dict):
            return data
        if "name" in data:
            data["name"] = normalize_name(data["name"])
        if "employee_no" in data:
            data["employee_no"] = _text(data["employee_no"], "employeeNo", "工号", "Employee number", 64)
            stmt = select(Staff.id).where(Staff.employee_no == data["employee_no"])
            if exclude:
                stmt = stmt.where(Staff.id != exclude)
            if await self.repository.session.scalar(stmt):
                raise AppError("duplicate_employee_no", "工号已存在", "Employee number already used", status=409,
                               fields=[field_error("employeeNo", "工号已存在", "Already used")])
        if "phone" in data:
            data["phone"] = _text(data["phone"], "phone", "电话", "Phone", 32, required=False)
        await _require_in_tenant(self, Department, data.get("department_id"), "departmentId", "部门", "department")
        window = await _require_in_tenant(self, Window, data.get("window_id"), "windowId", "窗口", "window")
        if window is not None:
            dept = data.get("department_id") or window.department_id
            if dept != window.department_id:
                raise AppError("window_department_mismatch", "所选窗口不属于所选部门",
                               "The window belongs to another department",
                               fields=[field_error("windowId", "窗口不属于该部门", "Window of another department")])
            data["department_id"] = dept
        return data

    async def list_visible(self, scope: StaffScope, filters: Sequence[StatementFilter]) -> tuple[Sequence[Staff], int]:
        return await self.get_many_and_count(*filters, scope.criteria(Staff))

    async def get_visible(self, scope: StaffScope, staff_id: UUID) -> Staff:
        obj = await self.get_one_or_none(id=staff_id)
        if not scope.allows(obj):
            raise not_found("人员", "Staff member")
        return obj  # type: ignore[return-value]  # scope.allows(None) is False, so obj is a Staff here

    async def create_staff(self, data: dict[str, Any]) -> Staff:
        obj = await self.create(data)
        await record_audit(self.repository.session, action="staff.create", target_type="staff",
                           target_id=str(obj.id), details={k: v for k, v in data.items()})
        await self.repository.session.commit()
        return obj

    async def update_staff(self, scope: StaffScope, staff_id: UUID, changes: dict[str, Any]) -> Staff:
        obj = await self.get_visible(scope, staff_id)
        if "department_id" in changes and "window_id" not in changes and obj.window_id is not None:
            window = await self.repository.session.get(Window, obj.window_id)
            if window is not None and window.department_id != changes["department_id"]:
                changes["window_id"] = None  # moved to another department: the old window no longer applies
        await self._check(changes, exclude=staff_id)
        return await update_audited(self.repository.session, obj, changes, target_type="staff", target_id=str(staff_id))

    async def delete_staff(self, scope: StaffScope, staff_id: UUID) -> None:
        from govhall.domain.identity.models import User

        session = self.repository.session
        obj = await self.get_visible(scope, staff_id)
        if await _count(session, select(User.id).where(User.staff_id == staff_id)):
            raise AppError("in_use", "该人员关联了登录账号，请先解除关联或将状态设为“离岗”",
                           "A login account is linked to this person; unlink it or set the status to 'left'",
                           status=409)
        await session.delete(obj)
        await record_audit(session, action="staff.delete", target_type="staff", target_id=str(staff_id),
                           details={"name": obj.name, "employeeNo": obj.employee_no})
        await session.commit()


class BackupPairService(TenantScopedService):
    """AB岗: two staff of the same center cover each other's post."""

    class Repo(SQLAlchemyAsyncRepository[BackupPair]):
        model_type = BackupPair

    repository_type = Repo

    async def list_visible(self, scope: StaffScope,
                           filters: Sequence[StatementFilter]) -> tuple[Sequence[BackupPair], int]:
        """Pairs in which at least one of the two is within the caller's staff scope."""
        visible = scope.criteria(BackupPair, staff_column="staff_a_id") | scope.criteria(
            BackupPair, staff_column="staff_b_id")
        return await self.get_many_and_count(*filters, visible)

    async def create_pair(self, staff_a_id: UUID, staff_b_id: UUID, note: str | None) -> BackupPair:
        session = self.repository.session
        if staff_a_id == staff_b_id:
            raise AppError("same_staff", "A 岗和 B 岗不能是同一人", "Post A and post B must be different people",
                           fields=[field_error("staffBId", "不能与 A 岗相同", "Same as post A")])
        a = await _require_in_tenant(self, Staff, staff_a_id, "staffAId", "人员", "staff member", required=True)
        b = await _require_in_tenant(self, Staff, staff_b_id, "staffBId", "人员", "staff member", required=True)
        for s in (a, b):
            if s is not None and s.status is not StaffStatus.active:
                raise AppError("staff_not_active", f"{s.name} 不在岗，不能设为 AB 岗", f"{s.name} is not active")
        exists = await session.scalar(select(BackupPair.id).where(
            ((BackupPair.staff_a_id == staff_a_id) & (BackupPair.staff_b_id == staff_b_id))
            | ((BackupPair.staff_a_id == staff_b_id) & (BackupPair.staff_b_id == staff_a_id))
        ))
        if exists:
            raise AppError("duplicate_pair", "这两人已是 AB 岗", "These two already back each other up", status=409)
        note = _text(note, "note", "备注", "Note", 200, required=False)
        obj = await self.create({"staff_a_id": staff_a_id, "staff_b_id": staff_b_id, "note": note})
        await record_audit(session, action="backup_pair.create", target_type="backup_pair", target_id=str(obj.id),
                           details={"staffA": a.name if a else None, "staffB": b.name if b else None,
                                    "staffAId": staff_a_id, "staffBId": staff_b_id})
        await session.commit()
        return obj

    async def delete_pair(self, pair_id: UUID) -> None:
        session = self.repository.session
        obj = await self.get_one_or_none(id=pair_id)
        if obj is None:
            raise not_found("AB 岗", "Backup pair")
        await session.delete(obj)
        await record_audit(session, action="backup_pair.delete", target_type="backup_pair", target_id=str(pair_id),
                           details={"staffAId": obj.staff_a_id, "staffBId": obj.staff_b_id})
        await session.commit()


async def _require_in_tenant(svc: TenantScopedService, model: type, ident: UUID | None, field: str,
                             zh: str, en: str, *, required: bool = False) -> Any:
    """A clear 400 for a reference the composite FK would refuse anyway (unknown or another tenant's)."""
    if ident is None:
        if required:
            raise AppError("invalid_reference", f"请选择{zh}", f"Choose a {en}",
                           fields=[field_error(field, f"请选择{zh}", f"Choose a {en}")])
        return None
    found = await svc.repository.session.get(model, ident)
    if found is None:  # the ORM guard hides other tenants' rows, so this covers both cases
        raise AppError("invalid_reference", f"所选{zh}不存在", f"Unknown {en}", status=400,
                       fields=[field_error(field, f"所选{zh}不存在", f"Unknown {en}")])
    return found
