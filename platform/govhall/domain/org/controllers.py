"""/api/t/{tenant_id}/departments|windows|staff|backup-pairs: thin handlers over the tenant-scoped services."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from advanced_alchemy.extensions.litestar.providers import FilterConfig, create_service_dependencies
from advanced_alchemy.filters import FilterTypes
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, MultipartBody, SkipValidation
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.domain.org import schemas as s
from govhall.domain.org.roster import check_roster, import_roster, read_roster, template_xlsx
from govhall.domain.org.roster_job import ROSTER_IMPORT
from govhall.domain.org.rules import StaffScope, staff_scope
from govhall.domain.org.services import BackupPairService, DepartmentService, StaffService, WindowService
from govhall.files.limits import limits as upload_limits
from govhall.files.limits import missing_file_part, route_body_limit
from govhall.jobs.controllers import to_out as job_out
from govhall.jobs.runner import sync_limits, use_background_job
from govhall.jobs.schemas import JobOut
from govhall.tenancy.context import current_tenant_id

Filters = NamedDependency[SkipValidation[list[FilterTypes]]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_PAGED: FilterConfig = {"pagination_type": "limit_offset", "pagination_size": 20, "sort_field": "created_at", "sort_order": "asc"}


async def provide_staff_scope(request: Request[Any, Any, Any],
                              db_session: NamedDependency[AsyncSession]) -> StaffScope:
    """The caller's data rule for staff records in the route's tenant (after the guard set the scope)."""
    return await staff_scope(db_session, request.app.state.authz, request.user, current_tenant_id())  # type: ignore[arg-type]  # a tenant route: the guard set the scope, so the id is not None


class DepartmentController(Controller):
    path = "/api/t/{tenant_id:uuid}/departments"
    tags = ["org"]
    dependencies = create_service_dependencies(
        DepartmentService, key="departments",
        filters={**_PAGED, "pagination_size": 100, "search": "name,code", "search_ignore_case": True},
    )

    @get("/", guards=[requires("department", "read")])
    async def list_departments(self, departments: NamedDependency[DepartmentService],
                               filters: Filters) -> OffsetPagination[s.Department]:
        items, total = await departments.get_many_and_count(*filters)
        return departments.to_schema(items, total, filters=filters, schema_type=s.Department)

    @post("/", guards=[requires("department", "write")])
    async def create_department(self, departments: NamedDependency[DepartmentService],
                                data: JSONBody[s.DepartmentIn]) -> s.Department:
        obj = await departments.create_department(data.name, data.code)
        return departments.to_schema(obj, schema_type=s.Department)

    @patch("/{department_id:uuid}", guards=[requires("department", "write")])
    async def update_department(self, departments: NamedDependency[DepartmentService],
                                department_id: FromPath[UUID],
                                data: JSONBody[s.DepartmentPatch]) -> s.Department:
        obj = await departments.update_department(department_id, s.set_fields(data))
        return departments.to_schema(obj, schema_type=s.Department)

    @delete("/{department_id:uuid}", guards=[requires("department", "write")])
    async def delete_department(self, departments: NamedDependency[DepartmentService],
                                department_id: FromPath[UUID]) -> None:
        await departments.delete_department(department_id)


class WindowController(Controller):
    path = "/api/t/{tenant_id:uuid}/windows"
    tags = ["org"]
    dependencies = create_service_dependencies(
        WindowService, key="windows",
        filters={**_PAGED, "pagination_size": 100, "search": "name,number", "search_ignore_case": True,
                 "in_fields": ["department_id"]},
    )

    @get("/", guards=[requires("window", "read")])
    async def list_windows(self, windows: NamedDependency[WindowService],
                           filters: Filters) -> OffsetPagination[s.Window]:
        items, total = await windows.get_many_and_count(*filters)
        return windows.to_schema(items, total, filters=filters, schema_type=s.Window)

    @post("/", guards=[requires("window", "write")])
    async def create_window(self, windows: NamedDependency[WindowService],
                            data: JSONBody[s.WindowIn]) -> s.Window:
        obj = await windows.create_window(data.number, data.name, data.department_id)
        return windows.to_schema(obj, schema_type=s.Window)

    @patch("/{window_id:uuid}", guards=[requires("window", "write")])
    async def update_window(self, windows: NamedDependency[WindowService], window_id: FromPath[UUID],
                            data: JSONBody[s.WindowPatch]) -> s.Window:
        obj = await windows.update_window(window_id, s.set_fields(data))
        return windows.to_schema(obj, schema_type=s.Window)

    @delete("/{window_id:uuid}", guards=[requires("window", "write")])
    async def delete_window(self, windows: NamedDependency[WindowService], window_id: FromPath[UUID]) -> None:
        await windows.delete_window(window_id)


class StaffController(Controller):
    path = "/api/t/{tenant_id:uuid}/staff"
    tags = ["org"]
    dependencies = {
        **create_service_dependencies(
            StaffService, key="staff_service",
            filters={**_PAGED, "search": "name,employee_no,phone", "search_ignore_case": True,
                     "in_fields": ["department_id", "window_id", "status"]},
        ),
        "staff_scope": Provide(provide_staff_scope),
    }

    @get("/", guards=[requires("staff", "read")])
    async def list_staff(self, staff_service: NamedDependency[StaffService], filters: Filters,
                         staff_scope: NamedDependency[StaffScope]) -> OffsetPagination[s.Staff]:
        items, total = await staff_service.list_visible(staff_scope, filters)
        return staff_service.to_schema(items, total, filters=filters, schema_type=s.Staff)

    @post("/import", guards=[requires("staff", "write")], status_code=200, request_max_body_size=route_body_limit())
    async def import_staff(
        self, db_session: NamedDependency[AsyncSession],
        data: MultipartBody[UploadFile],
    ) -> s.RosterImported:
        # A request without a file part never gets here: govhall.boundary answers 400 file_missing.
        if not isinstance(data, UploadFile):
            raise missing_file_part()
        limit = sync_limits().roster_rows
        result = await import_roster(db_session, await data.read(upload_limits().max_bytes + 1), max_rows=limit,
                                     too_many=lambda n, m: use_background_job(ROSTER_IMPORT, n, m, download=False))
        return s.RosterImported(created=result.created, updated=result.updated)

    @post("/import-job", guards=[requires("staff", "write")], status_code=202,
          request_max_body_size=route_body_limit())
    async def import_staff_job(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
        data: MultipartBody[UploadFile],
    ) -> JobOut:
        """A big roster (over ``GOVHALL_JOB_ROSTER_ROWS`` rows): read and checked like ``/import`` (400 naming every
        wrong row), then applied by the background job ``staff.roster_import`` (202, the queued job)."""
        if not isinstance(data, UploadFile):
            raise missing_file_part()
        content = await data.read(upload_limits().max_bytes + 1)
        await check_roster(db_session, await read_roster(content))
        await db_session.rollback()
        job = await request.app.state.jobs.submit(db_session, ROSTER_IMPORT, {}, request.user.id, input_data=content)
        return job_out(job)

    @get("/import-template", guards=[requires("staff", "write")])
    async def staff_import_template(self) -> Response[bytes]:
        return Response(template_xlsx(), media_type=XLSX, headers={
            "Content-Disposition": "attachment; filename=\"roster.xlsx\"; filename*=UTF-8''%E8%8A%B1%E5%90%8D%E5%86%8C.xlsx"})

    @get("/{staff_id:uuid}", guards=[requires("staff", "read")])
    async def get_staff(self, staff_service: NamedDependency[StaffService], staff_id: FromPath[UUID],
                        staff_scope: NamedDependency[StaffScope]) -> s.Staff:
        return staff_service.to_schema(await staff_service.get_visible(staff_scope, staff_id), schema_type=s.Staff)

    @post("/", guards=[requires("staff", "write")])
    async def create_staff(self, staff_service: NamedDependency[StaffService],
                           data: JSONBody[s.StaffIn]) -> s.Staff:
        obj = await staff_service.create_staff(
            {"name": data.name, "employee_no": data.employee_no, "phone": data.phone,
             "department_id": data.department_id, "window_id": data.window_id, "status": data.status},
        )
        return staff_service.to_schema(obj, schema_type=s.Staff)

    @patch("/{staff_id:uuid}", guards=[requires("staff", "write")])
    async def update_staff(self, staff_service: NamedDependency[StaffService], staff_id: FromPath[UUID],
                           data: JSONBody[s.StaffPatch],
                           staff_scope: NamedDependency[StaffScope]) -> s.Staff:
        obj = await staff_service.update_staff(staff_scope, staff_id, s.set_fields(data))
        return staff_service.to_schema(obj, schema_type=s.Staff)

    @delete("/{staff_id:uuid}", guards=[requires("staff", "write")])
    async def delete_staff(self, staff_service: NamedDependency[StaffService], staff_id: FromPath[UUID],
                           staff_scope: NamedDependency[StaffScope]) -> None:
        await staff_service.delete_staff(staff_scope, staff_id)


class BackupPairController(Controller):
    path = "/api/t/{tenant_id:uuid}/backup-pairs"
    tags = ["org"]
    dependencies = {
        **create_service_dependencies(BackupPairService, key="pairs", filters={**_PAGED, "pagination_size": 100}),
        "staff_scope": Provide(provide_staff_scope),
    }

    @get("/", guards=[requires("staff", "read")])
    async def list_backup_pairs(self, pairs: NamedDependency[BackupPairService], filters: Filters,
                                staff_scope: NamedDependency[StaffScope]) -> OffsetPagination[s.BackupPair]:
        items, total = await pairs.list_visible(staff_scope, filters)
        return pairs.to_schema(items, total, filters=filters, schema_type=s.BackupPair)

    @post("/", guards=[requires("staff", "write")])
    async def create_backup_pair(self, pairs: NamedDependency[BackupPairService],
                                 data: JSONBody[s.BackupPairIn]) -> s.BackupPair:
        obj = await pairs.create_pair(data.staff_a_id, data.staff_b_id, data.note)
        return pairs.to_schema(obj, schema_type=s.BackupPair)

    @delete("/{pair_id:uuid}", guards=[requires("staff", "write")])
    async def delete_backup_pair(self, pairs: NamedDependency[BackupPairService],
                                 pair_id: FromPath[UUID]) -> None:
        await pairs.delete_pair(pair_id)
