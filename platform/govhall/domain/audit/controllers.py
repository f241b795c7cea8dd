"""/api/t/{tenant_id}/audit: the tenant's audit trail (paged, newest first) and a chain verification."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_dependencies
from advanced_alchemy.filters import FilterTypes
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.domain.audit import schemas as s
from govhall.domain.audit.models import AuditEvent
from govhall.domain.audit.services import verify_chain
from govhall.tenancy.service import TenantScopedService

Filters = NamedDependency[SkipValidation[list[FilterTypes]]]


class AuditService(TenantScopedService):
    """Read side only: the log is written by ``record_audit`` and never updated or deleted."""

    class Repo(SQLAlchemyAsyncRepository[AuditEvent]):
        model_type = AuditEvent

    repository_type = Repo


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
    async def verify_audit(self, db_session: NamedDependency[AsyncSession]) -> s.ChainStatus:
        r = await verify_chain(db_session)
        return s.ChainStatus(ok=r.ok, count=r.count, broken_at=r.broken_at, reason=r.reason, keyed=r.keyed,
                             head_hash=r.head_hash)
