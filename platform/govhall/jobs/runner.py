"""The job runner: a queue and one worker task per process, started and stopped with the app.

A domain registers a job kind once (``register``): the permission that starting it needs, bilingual titles and an
``async`` handler taking a ``JobContext``. ``submit`` writes the job row (queued) in the caller's tenant and commits;
the worker task picks it up, runs the handler inside that tenant's scope (the ORM guard and RLS apply as in a
request) and writes back progress, a result file or a bilingual error. Handlers put CPU-heavy parts in
``asyncio.to_thread`` (``JobContext.in_thread``) so the event loop keeps answering requests meanwhile.

Restarts: a job row records its worker process and a heartbeat (every progress report, at least every
``HEARTBEAT_SECONDS``). ``recover(session)`` — called whenever a tenant's jobs are read — queues again, in this
process, the jobs whose worker went silent for ``STALE_SECONDS`` (a restart or a crash), at most ``MAX_ATTEMPTS``
times, then marks them failed. No scan across tenants: a tenant's lost jobs resume when someone there looks.

Retention: a finished job (done or failed) and its result file are deleted ``GOVHALL_JOB_RETENTION_DAYS`` (default 7)
after it finished (``purge_expired``), again per tenant: when the tenant's jobs are read (with ``recover``) and when
one of its jobs is done; until then an expired job is already hidden (``expired_before``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

import structlog
from sqlalchemy import ColumnElement, and_, delete, false, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.permissions import Permission
from govhall.config import Settings, get_settings
from govhall.errors import AppError
from govhall.jobs.models import Job
from govhall.log import get_logger
from govhall.tenancy.context import current_tenant_id, tenant_scope

log = get_logger(__name__)
T = TypeVar("T")

HEARTBEAT_SECONDS = 10.0
STALE_SECONDS = 60.0
MAX_ATTEMPTS = 3
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STEP_SECONDS = 0.5
"""``JobContext.step`` writes progress at most this often (and on every whole percent it reaches)."""


@dataclass(frozen=True, slots=True)
class SyncLimits:
    """Sizes above which a request answers 409 ``use_background_job`` (settings ``GOVHALL_JOB_*``)."""

    staff: int = 300
    """Staff of a center: month sheet export, month evaluation, assessment month close."""
    audit_rows: int = 2000
    """Audit events: the audit log export."""
    centers: int = 10
    """Centers below a tenant with the pack on: the what-if over the subtree."""
    roster_rows: int = 500
    """Staff rows of a roster import."""

    @classmethod
    def from_settings(cls, settings: Settings) -> SyncLimits:
        return cls(staff=settings.job_staff, audit_rows=settings.job_audit_rows, centers=settings.job_centers,
                   roster_rows=settings.job_roster_rows)


_limits: dict[str, SyncLimits] = {}


def configure(settings: Settings) -> None:
    """Called by the app factory: the sync limits of this process."""
    _limits["sync"] = SyncLimits.from_settings(settings)


def sync_limits() -> SyncLimits:
    if "sync" not in _limits:
        configure(get_settings())
    return _limits["sync"]


@dataclass(frozen=True, slots=True)
class JobResult:
    name: str = ""
    media_type: str = ""
    data: bytes | None = None
    summary: dict[str, Any] | None = None


@dataclass
class JobContext:
    tenant_id: UUID
    job_id: UUID
    params: dict[str, Any]
    created_by: UUID
    session_factory: Callable[[], Any]
    _report: Callable[..., Awaitable[None]] = field(repr=False, default=None)  # type: ignore[assignment]  # set by the runner before the handler runs
    authz: Any = None
    """The process's authorizer (``authz.allowed(user, tenant, permission)``), for decisions of the starter."""
    _last: tuple[int, float] = (-1, 0.0)

    async def progress(self, percent: int) -> None:
        """Report progress (0-100); also the heartbeat that tells other processes this job is alive."""
        await self._report(max(0, min(100, int(percent))))

    async def input(self) -> bytes:
        """The file the job was started with (``submit(..., input_data=...)``), e.g. an uploaded roster."""
        async with self.session_factory() as session:
            data = await session.scalar(select(Job.input_data).where(Job.id == self.job_id))
            await session.commit()
        return bytes(data or b"")

    async def step(self, done: int, total: int, *, start: int = 0, end: int = 100) -> None:
        """Report ``done`` of ``total`` items (rows, centers): stored as such for the UI and as a percent between
        ``start`` and ``end``; written at most every ``STEP_SECONDS`` unless the percent grew by a whole point."""
        total = max(total, 0)
        done = max(0, min(done, total))
        percent = start + ((end - start) * done // total if total else end - start)
        now = time.monotonic()
        last_percent, last_at = self._last
        if done < total and percent == last_percent and now - last_at < STEP_SECONDS:
            return
        self._last = (percent, now)
        await self._report(max(0, min(100, percent)), done=done, total=total)

    @staticmethod
    async def in_thread(fn: Callable[..., T], *args: Any) -> T:
        """Run CPU-bound work off the event loop."""
        return await asyncio.to_thread(fn, *args)


Handler = Callable[[JobContext], Awaitable[JobResult]]


@dataclass(frozen=True, slots=True)
class JobKind:
    key: str
    permission: Permission
    zh: str
    en: str
    handler: Handler
    params: Callable[[dict[str, Any]], dict[str, Any]]
    """Validates and normalises the parameters a client sends (raises a 4xx AppError)."""
    needs_input: bool = False
    """Started only by its domain's upload route, with the file (not by ``POST /jobs``)."""


KINDS: dict[str, JobKind] = {}


def register(key: str, permission: Permission, zh: str, en: str, handler: Handler,
             params: Callable[[dict[str, Any]], dict[str, Any]] = lambda p: {}, *, needs_input: bool = False) -> None:
    KINDS[key] = JobKind(key, permission, zh, en, handler, params, needs_input)


def kind_of(key: str) -> JobKind:
    kind = KINDS.get(key)
    if kind is None:
        raise AppError("unknown_job_kind", "不支持的后台任务类型", "Unknown kind of background job", status=400)
    return kind


def use_background_job(kind: str, size: int, limit: int, *, unit: tuple[str, str] = ("条", "rows"),
                       download: bool = True) -> AppError:
    """The answer of a request too big to run on the request path: start the job ``kind`` instead. ``unit``: what
    ``size`` counts (zh, en); ``download``: whether the job leaves a file to download."""
    zh_unit, en_unit = unit
    then_zh = "完成后在“后台任务”中下载" if download else "进度和结果见“后台任务”"
    then_en = "download it from Jobs when it is done" if download else "follow it in Jobs"
    return AppError("use_background_job",
                    f"数据量较大（{size} {zh_unit}，超过 {limit} {zh_unit}），请作为后台任务运行，{then_zh}",
                    f"This is large ({size} {en_unit}, over {limit}): run it as a background job and {then_en}",
                    status=409, details={"kind": kind, "size": size, "limit": limit})


def _now() -> datetime:
    return datetime.now(UTC)


def expired_before() -> datetime | None:
    """Finished jobs that finished before this instant are expired (None: kept forever)."""
    days = get_settings().job_retention_days
    return _now() - timedelta(days=days) if days > 0 else None


def is_expired() -> ColumnElement[bool]:
    """The condition an expired job meets (false when jobs are kept forever)."""
    cutoff = expired_before()
    if cutoff is None:
        return false()
    return and_(Job.state.in_([DONE, FAILED]), Job.finished_at < cutoff)


async def purge_expired(session: AsyncSession) -> int:
    """Delete the current tenant's expired jobs with their result files (the ORM guard and RLS keep it to the
    tenant); the caller commits. Returns how many."""
    if expired_before() is None:
        return 0
    result = await session.execute(delete(Job).where(is_expired()).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


class JobRunner:
    def __init__(self, session_factory: Callable[[], Any], *, workers: int = 1, authz: Any = None) -> None:
        self.session_factory = session_factory
        self.authz = authz
        self.instance = uuid.uuid4().hex
        self._queue: asyncio.Queue[tuple[UUID, UUID]] | None = None
        self._workers = workers
        self._tasks: list[asyncio.Task[None]] = []
        self.finished = 0

    @property
    def queue(self) -> asyncio.Queue[tuple[UUID, UUID]]:
        """The queue and its worker tasks live on the loop that serves requests; they start with the first job (a
        test client runs the app's lifespan on another loop than its requests)."""
        if self._queue is None or not self._tasks or any(t.done() for t in self._tasks):
            self._queue = asyncio.Queue()
            self._tasks = [asyncio.create_task(self._work(self._queue), name=f"govhall-jobs-{i}")
                           for i in range(self._workers)]
        return self._queue

    async def start(self) -> None:
        """Nothing to do until the first job (see ``queue``)."""

    async def stop(self) -> None:
        here = asyncio.get_running_loop()
        for t in self._tasks:
            if t.get_loop() is here:
                t.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await t
            elif not t.get_loop().is_closed():
                t.get_loop().call_soon_threadsafe(t.cancel)
        self._tasks, self._queue = [], None

    async def submit(self, session: AsyncSession, kind: str, params: dict[str, Any], user_id: UUID, *,
                     input_data: bytes | None = None) -> Job:
        """Write a queued job in the current tenant, commit, and hand it to a worker of this process.
        ``input_data``: a file the job works on (an upload), kept with the job (``JobContext.input``)."""
        spec = kind_of(kind)
        if spec.needs_input and input_data is None:
            raise AppError("job_needs_upload", "此类后台任务须随文件上传启动", "This kind of job starts with an upload",
                           status=400)
        job = Job(kind=spec.key, params=spec.params(params), created_by=user_id, state=QUEUED, progress=0,
                  attempts=0, worker=self.instance, heartbeat_at=_now(), input_data=input_data)
        session.add(job)
        await session.commit()
        tenant = current_tenant_id()
        assert tenant is not None, "submit() runs in a tenant scope"
        self.queue.put_nowait((tenant, job.id))
        return job

    async def recover(self, session: AsyncSession) -> int:
        """Delete the current tenant's expired jobs and queue again those whose worker went silent (see the module
        doc); commits when it changed any (the worker must read the committed row)."""
        purged = await purge_expired(session)
        if purged:
            await session.commit()
        cutoff = _now() - timedelta(seconds=STALE_SECONDS)
        lost = (await session.scalars(select(Job).where(Job.state.in_([QUEUED, RUNNING]),
                                                        Job.heartbeat_at < cutoff))).all()
        tenant = current_tenant_id()
        again: list[UUID] = []
        for job in lost:
            if job.attempts >= MAX_ATTEMPTS:
                job.state, job.finished_at = FAILED, _now()
                job.error = {"code": "job_interrupted", "zh": "任务多次中断（服务重启），已停止",
                             "en": "The job was interrupted too often (restarts) and stopped"}
                continue
            job.state, job.worker, job.heartbeat_at = QUEUED, self.instance, _now()
            again.append(job.id)
        if lost:
            await session.commit()
        for job_id in again:
            if tenant is not None:
                self.queue.put_nowait((tenant, job_id))
        return len(lost)

    async def _work(self, queue: asyncio.Queue[tuple[UUID, UUID]]) -> None:
        # The task copied the context of the request that started the first job: its request id and user must
        # not be logged (or audited) as those of every later job. Each job binds its own (``_run``).
        structlog.contextvars.clear_contextvars()
        while True:
            tenant, job_id = await queue.get()
            try:
                await self._run(tenant, job_id)
            except Exception:  # a job's failure never stops the worker
                log.exception("job_runner_error", job_id=str(job_id))
            finally:
                queue.task_done()

    async def _set(self, tenant: UUID, job_id: UUID, **values: Any) -> None:
        with tenant_scope(tenant):
            async with self.session_factory() as session:
                await session.execute(update(Job).where(Job.id == job_id).values(**values))
                await session.commit()

    async def _run(self, tenant: UUID, job_id: UUID) -> None:
        with tenant_scope(tenant):
            async with self.session_factory() as session:
                job = await session.get(Job, job_id)
                if job is None or job.state not in (QUEUED,) or job.worker != self.instance:
                    return
                spec = KINDS.get(job.kind)
                params, created_by, attempts = dict(job.params or {}), job.created_by, job.attempts
                await session.commit()
        await self._set(tenant, job_id, state=RUNNING, started_at=_now(), heartbeat_at=_now(), attempts=attempts + 1)
        if spec is None:
            await self._set(tenant, job_id, state=FAILED, finished_at=_now(),
                            error={"code": "unknown_job_kind", "zh": "不支持的后台任务类型", "en": "Unknown kind of job"})
            return

        async def report(percent: int, done: int | None = None, total: int | None = None) -> None:
            counts = {} if total is None else {"items_done": done, "items_total": total}
            await self._set(tenant, job_id, progress=percent, heartbeat_at=_now(), **counts)

        ctx = JobContext(tenant, job_id, params, created_by, self.session_factory, report, authz=self.authz)
        beat = asyncio.create_task(self._heartbeat(tenant, job_id))
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(job_id=str(job_id), job_kind=spec.key, user_id=str(created_by))
        try:
            with tenant_scope(tenant):
                result = await spec.handler(ctx)
        except AppError as err:
            await self._set(tenant, job_id, state=FAILED, finished_at=_now(),
                            error={"code": err.code, "zh": err.zh, "en": err.en})
            return
        except Exception:
            log.exception("job_failed", job_id=str(job_id), kind=spec.key)
            await self._set(tenant, job_id, state=FAILED, finished_at=_now(),
                            error={"code": "job_failed", "zh": "任务失败，请稍后重试", "en": "The job failed; try again later"})
            return
        finally:
            beat.cancel()
            structlog.contextvars.clear_contextvars()
        await self._set(tenant, job_id, state=DONE, progress=100, finished_at=_now(), heartbeat_at=_now(),
                        result_name=result.name or None, result_type=result.media_type or None,
                        result_data=result.data, summary=result.summary)
        self.finished += 1
        with contextlib.suppress(Exception), tenant_scope(tenant):  # tidying never fails a finished job
            async with self.session_factory() as session:
                if await purge_expired(session):
                    await session.commit()

    async def _heartbeat(self, tenant: UUID, job_id: UUID) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            with contextlib.suppress(Exception):
                await self._set(tenant, job_id, heartbeat_at=_now())

    async def drain(self) -> None:
        """Wait until every queued job of this process has run (tests)."""
        await self.queue.join()
