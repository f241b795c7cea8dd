"""The tenant a unit of work acts for.

Request code never passes the tenant around: the authorization guard puts it here after Casbin allowed the
request, and the ORM guard (``govhall.tenancy.guard``) plus PostgreSQL RLS read it. Code outside requests
(CLI, jobs) opens an explicit ``tenant_scope`` or, rarely and visibly, a ``system_scope``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

import structlog

from govhall.errors import AccessViolation

_tenant: ContextVar[UUID | None] = ContextVar("govhall_tenant", default=None)
_system: ContextVar[bool] = ContextVar("govhall_system_scope", default=False)


class TenantScopeError(AccessViolation, RuntimeError):
    """A tenant-owned row was written outside its tenant's scope."""


def current_tenant_id() -> UUID | None:
    return _tenant.get()


def is_system_scope() -> bool:
    return _system.get()


def set_tenant(tenant_id: UUID) -> None:
    """Set the tenant for the rest of the current request (used by the authorization guard only)."""
    if not isinstance(tenant_id, UUID):
        raise TenantScopeError("tenant id must be a UUID")
    _tenant.set(tenant_id)
    structlog.contextvars.bind_contextvars(tenant_id=str(tenant_id))


@contextmanager
def tenant_scope(tenant_id: UUID) -> Iterator[None]:
    if not isinstance(tenant_id, UUID):
        raise TenantScopeError("tenant id must be a UUID")
    t1, t2 = _tenant.set(tenant_id), _system.set(False)
    try:
        yield
    finally:
        _tenant.reset(t1)
        _system.reset(t2)


@contextmanager
def system_scope() -> Iterator[None]:
    """Cross-tenant access for platform code paths (login lookup, CLI, migrations of data). Never in handlers."""
    t1, t2 = _tenant.set(None), _system.set(True)
    try:
        yield
    finally:
        _tenant.reset(t1)
        _system.reset(t2)
