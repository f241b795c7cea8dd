"""/api/t/{tenant_id}/audit: the tenant's audit trail (paged, newest first), a chain verification (against the
signed checkpoints too) and taking a checkpoint."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.extensions.litestar.providers import create_service_dependencies
from advanced_alchemy.filters import FilterTypes
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit.checkpoints import checkpoint_key, checkpoint_path, read_anchors, take_checkpoint
from govhall.audit.models import AuditEvent
from govhall.audit.services import verify_chain
from govhall.authz.guards import requires
from govhall.domain.audit import schemas as s
from govhall.errors import AppError
from govhall.tenancy.context import current_tenant_id
from govhall.tenancy.service import TenantScopedService

Filters = NamedDependency[SkipValidation[list[FilterTypes]]]


class AuditService(TenantScopedService):
    """Read side only: the log is written by ``record_audit`` and never updated or deleted."""

    class Repo(SQLAlchemyAsyncRepository[AuditEvent]):
        model_type = AuditEvent

    repository_type = Repo


def _checkpoints(request: Request[Any, Any, Any]):
    return checkpoint_path(request.app.state.settings.var_dir)


def _store_unavailable() -> AppError:
    return AppError("checkpoint_store_unavailable", "审计检查点文件无法读写，请联系运维人员",
                    "The audit checkpoint file cannot be read or written; contact the operators", status=503)


class AuditController(Controller):
    path = "/api/t/{tenant_id:uuid}/audit"
    tags = ["audit"]
    dependencies = create_service_dependencies(
        AuditService, key="audit",
        filters={"pagination_type": "limit_offset", "pagination_size": 50, "sort_field": "seq", "sort_order": "desc",
                 "search": "action,target_type,target_id", "search_ignore_case": True,
                 "in_fields": ["action", "target_type"], "created_at": True},
    )

    @get("/", guards=[requires("audit", "read")])
    async def list_audit(self, audit: NamedDependency[AuditService],
                         filters: Filters) -> OffsetPagination[s.AuditEvent]:
        items, total = await audit.get_many_and_count(*filters)
        return audit.to_schema(items, total, filters=filters, schema_type=s.AuditEvent)

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
