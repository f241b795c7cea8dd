"""Tenancy made structural: a context names the tenant; the ORM guard and PostgreSQL RLS enforce it."""

from govhall.tenancy.context import (
    TenantScopeError,
    current_tenant_id,
    is_system_scope,
    system_scope,
    tenant_scope,
)

__all__ = ("TenantScopeError", "current_tenant_id", "is_system_scope", "system_scope", "tenant_scope")
