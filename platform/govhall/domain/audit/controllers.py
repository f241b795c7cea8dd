"""/api/t/{tenant_id}/audit: the tenant's audit trail (paged, newest first), a chain verification (against the
signed checkpoints too) and taking a checkpoint."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit.checkpoints import checkpoint_key, checkpoint_path, read_anchors, take_checkpoint
from govhall.audit.services import verify_chain
from govhall.authz.guards import requires
from govhall.domain.audit import jobs as audit_jobs
from govhall.domain.audit import schemas as s
from govhall.domain.audit import search
from govhall.errors import AppError
from govhall.jobs.runner import sync_limits, use_background_job
from govhall.tenancy.context import current_tenant_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Words = Annotated[str | None, QueryParameter(name="searchString", max_length=100, required=False)]
ActorId = Annotated[UUID | None, QueryParameter(name="actorId", required=False)]
Actions = Annotated[list[str] | None, QueryParameter(name="action", required=False)]
Since = Annotated[date | None, QueryParameter(name="from", required=False)]
Until = Annotated[date | None, QueryParameter(name="to", required=False)]
PageSize = Annotated[int, QueryParameter(name="pageSize", ge=1, le=1_000_000)]
SortParam = Annotated[str | None, QueryParameter(name="orderBy", max_length=64, required=False)]
PAGE_MAX = 200
CurrentPage = Annotated[int, QueryParameter(name="currentPage", ge=1, le=1_000_000)]
Lang = Annotated[str, QueryParameter(name="lang", pattern="^(zh|en)$")]


def _checkpoints(request: Request[Any, Any, Any]):
    return checkpoint_path(request.app.state.settings.var_dir)


def _store_unavailable() -> AppError:
    return AppError("checkpoint_store_unavailable", "审计检查点文件无法读写，请联系运维人员",
                    "The audit checkpoint file cannot be read or written; contact the operators", status=503)


class AuditController(Controller):
    path = "/api/t/{tenant_id:uuid}/audit"
    tags = ["audit"]

    @get("/", guards=[requires("audit", "read")])
    async def list_audit(self, db_session: NamedDependency[AsyncSession], q: Words = None, actor_id: ActorId = None,
                         action: Actions = None, since: Since = None, until: Until = None,
                         page_size: PageSize = 50, current_page: CurrentPage = 1,
                         ordering: SortParam = None) -> OffsetPagination[s.AuditEventView]:
        if ordering not in (None, "seq", "createdAt", "created_at"):  # newest first, always; no other order
            raise AppError("invalid_sort", f"不能按“{ordering}”排序", f"Cannot sort by {ordering!r}", status=400)
        page_size = min(page_size, PAGE_MAX)
        query = search.AuditQuery(q=q, actor_id=actor_id, actions=tuple(action or ()), since=since, until=until)
        items, total = await search.search(db_session, query, limit=page_size, offset=(current_page - 1) * page_size)
        return OffsetPagination(items=items, total=total, limit=page_size, offset=(current_page - 1) * page_size)

    @get("/facets", guards=[requires("audit", "read")])
    async def audit_facets(self, db_session: NamedDependency[AsyncSession]) -> s.AuditFacets:
        """The people and actions found in the trail, for the person and action filters."""
        return await search.facets(db_session)

    @get("/export.xlsx", guards=[requires("audit", "read")], media_type=XLSX)
    async def export_audit(self, db_session: NamedDependency[AsyncSession], q: Words = None,
                           actor_id: ActorId = None, action: Actions = None, since: Since = None,
                           until: Until = None, lang: Lang = "zh") -> Response[bytes]:
        query = search.AuditQuery(q=q, actor_id=actor_id, actions=tuple(action or ()), since=since, until=until)
        limit = sync_limits().audit_rows
        if (n := await search.count(db_session, query)) > limit:  # a big export: the job audit.export_xlsx
            raise use_background_job(audit_jobs.EXPORT, n, limit)
        body = await search.export_xlsx(db_session, query, lang, limit=n)
        return Response(body, media_type=XLSX, headers={
            "Content-Disposition": "attachment; filename=\"audit.xlsx\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.xlsx"})

    @get("/verify", guards=[requires("audit", "read")])
    async def verify_audit(self, request: Request[Any, Any, Any],
                           db_session: NamedDependency[AsyncSession]) -> s.ChainStatus:
        tenant_id = current_tenant_id()
        try:
            anchors = read_anchors(_checkpoints(request), tenant_id).of(tenant_id) if tenant_id else {}
        except OSError as exc:  # never answer "ok" without the anchors we were asked to check against
            raise _store_unavailable() from exc
        r = await verify_chain(db_session, anchors=anchors)
        return s.ChainStatus(ok=r.ok, count=r.count, broken_at=r.broken_at, reason=r.reason, keyed=r.keyed,
                             head_hash=r.head_hash, missing_from=r.missing_from, missing_to=r.missing_to,
                             checkpoint_seq=r.anchored_seq)

    @post("/checkpoint", guards=[requires("audit", "checkpoint")], status_code=201)
    async def checkpoint_audit(self, request: Request[Any, Any, Any],
                               db_session: NamedDependency[AsyncSession]) -> s.CheckpointOut:
        try:
            res = await take_checkpoint(db_session, _checkpoints(request))
        except OSError as exc:
            raise _store_unavailable() from exc
        if res.status == "broken":
            raise AppError("audit_chain_broken", "审计链校验未通过，不能建立检查点",
                           "The audit chain does not verify; no checkpoint was taken", status=409)
        if res.checkpoint is None:
            raise AppError("audit_chain_empty", "尚无审计记录", "There are no audit events yet", status=409)
        cp = res.checkpoint  # take_checkpoint recorded audit.checkpoint in the chain (its trace)
        return s.CheckpointOut(status=res.status, seq=cp.seq, hash=cp.hash, at=cp.at, keyed=checkpoint_key()[1])
