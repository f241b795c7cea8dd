"""/api/t/{tenant_id}/jobs: start a background job, follow it, download its result.

A user sees the jobs they started in the tenant (``job:read``); starting one needs ``job:create`` and the kind's own
permission in the tenant (the same decision as the request it replaces)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from govhall.authz.guards import requires, user_allowed
from govhall.errors import AppError, not_found
from govhall.jobs import schemas as s
from govhall.jobs.models import Job
from govhall.jobs.runner import DONE, KINDS, JobRunner, is_expired, kind_of
from govhall.tenancy.context import current_tenant_id

LIST_LIMIT = 50


def to_out(job: Job) -> s.JobOut:
    kind = KINDS.get(job.kind)
    err = job.error
    return s.JobOut(id=job.id, kind=job.kind, title_zh=kind.zh if kind else job.kind,
                    title_en=kind.en if kind else job.kind, state=job.state, progress=job.progress,
                    done=job.items_done, total=job.items_total,
                    params=dict(job.params or {}), created_at=job.created_at, started_at=job.started_at,
                    finished_at=job.finished_at, has_result=job.state == DONE and job.result_name is not None,
                    result_name=job.result_name, summary=job.summary,
                    error=s.JobError(code=str(err.get("code", "")), zh=str(err.get("zh", "")), en=str(err.get("en", "")))
                    if err else None)


def _runner(request: Request[Any, Any, Any]) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


async def _own_job(session: AsyncSession, user_id: UUID, job_id: UUID, *, with_data: bool = False) -> Job:
    stmt = select(Job).where(Job.id == job_id, Job.created_by == user_id, ~is_expired())
    if with_data:
        stmt = stmt.options(undefer(Job.result_data))
    job = await session.scalar(stmt)
    if job is None:
        raise not_found("后台任务", "Job")
    return job


class JobController(Controller):
    path = "/api/t/{tenant_id:uuid}/jobs"
    tags = ["jobs"]

    @get("/kinds", guards=[requires("job", "read")])
    async def list_job_kinds(self) -> list[s.JobKindOut]:
        return [s.JobKindOut(key=k.key, zh=k.zh, en=k.en) for k in KINDS.values()]

    @post("/", guards=[requires("job", "create")], status_code=202)
    async def start_job(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
                        data: JSONBody[s.JobIn]) -> s.JobOut:
        kind = kind_of(data.kind)
        tenant = current_tenant_id()
        assert tenant is not None  # the route guard set it
        if not await user_allowed(request.app.state.authz, request.user, tenant, kind.permission):
            raise AppError("forbidden", "您没有执行此操作的权限", "You are not allowed to do this", status=403)
        job = await _runner(request).submit(db_session, kind.key, dict(data.params), request.user.id)
        return to_out(job)

    @get("/", guards=[requires("job", "read")])
    async def list_jobs(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
                        ) -> list[s.JobOut]:
        await _runner(request).recover(db_session)
        jobs = await db_session.scalars(select(Job).where(Job.created_by == request.user.id)
                                        .order_by(Job.created_at.desc()).limit(LIST_LIMIT))
        return [to_out(j) for j in jobs.all()]

    @get("/{job_id:uuid}", guards=[requires("job", "read")])
    async def get_job(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
                      job_id: FromPath[UUID]) -> s.JobOut:
        return to_out(await _own_job(db_session, request.user.id, job_id))

    @get("/{job_id:uuid}/result", guards=[requires("job", "read")], media_type="application/octet-stream")
    async def download_job_result(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
                                  job_id: FromPath[UUID]) -> Response[bytes]:
        job = await _own_job(db_session, request.user.id, job_id, with_data=True)
        if job.state != DONE or job.result_data is None:
            raise AppError("job_not_done", "任务尚未完成或没有结果文件", "The job has not finished or has no file",
                           status=409)
        name = job.result_name or "result"
        ascii_name = name.encode("ascii", "ignore").decode() or "result"
        return Response(job.result_data, media_type=job.result_type or "application/octet-stream",
                        headers={"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; "
                                                        f"filename*=UTF-8''{quote(name)}",
                                 "Cache-Control": "no-store"})
