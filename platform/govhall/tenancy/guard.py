"""The ORM guard: one place that scopes every ORM statement on a ``TenantOwned`` model.

- SELECT / UPDATE / DELETE through any Session get ``tenant_id = <current tenant>``; with no tenant and no
  system scope they match nothing (fail closed).
- New rows are stamped with the current tenant; a row for another tenant is refused.
- On PostgreSQL each transaction sets ``app.tenant_id`` (``set_config(..., true)``: transaction-local, so a
  pooled connection never carries it to the next request) for the RLS policies — the second wall.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, false, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from govhall.db.base import TenantOwned
from govhall.tenancy.context import TenantScopeError, current_tenant_id, is_system_scope

_installed = False


def _sync_rls(session: Session) -> None:
    """Keep the transaction's ``app.tenant_id`` equal to the current scope (scopes may change mid-transaction)."""
    connection = session.connection()  # begins the transaction if needed; after_begin clears the marker
    if connection.dialect.name != "postgresql":
        return
    tenant_id = current_tenant_id()
    wanted = "" if tenant_id is None else str(tenant_id)
    if session.info.get("rls_tenant") != wanted:
        connection.execute(text("SELECT set_config('app.tenant_id', :tid, true)"), {"tid": wanted})
        session.info["rls_tenant"] = wanted


ROWS_CHECKED = {"govhall_tenant_rows_checked": True}
"""Execution options of a bulk ``INSERT`` whose rows went through ``tenant_rows`` (values embedded in the
statement, which the guard cannot read back)."""


def tenant_rows(rows: Iterable[dict[str, Any]], what: str = "row") -> list[dict[str, Any]]:
    """Rows written without the ORM (bulk inserts), under the rule the guard applies to every ORM write: stamped
    with the scope's tenant, refused when they name another tenant or when there is no scope. On PostgreSQL RLS
    checks them once more; on SQLite this is the wall."""
    out = list(rows)
    if is_system_scope():
        return out
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantScopeError(f"{what} written outside any tenant scope")
    for row in out:
        value = row.get("tenant_id")
        if value is None:
            row["tenant_id"] = tenant_id
        elif value != tenant_id:
            raise TenantScopeError(f"{what} belongs to another tenant")
    return out


def _check_insert(state: ORMExecuteState) -> None:
    """Core and ORM bulk ``INSERT`` into a tenant table: executemany rows are checked here; a statement with the
    values embedded must have been built from ``tenant_rows`` (``ROWS_CHECKED``), else it is refused."""
    table: Any = getattr(state.statement, "table", None)
    columns = getattr(table, "c", None)
    if columns is None or "tenant_id" not in columns or is_system_scope():
        return
    params: Any = state.parameters
    if params:
        tenant_rows(params if isinstance(params, list) else [params], table.name)
    elif not state.execution_options.get("govhall_tenant_rows_checked"):
        raise TenantScopeError(f"bulk insert into {table.name} without tenant_rows()")


def _scope_statements(state: ORMExecuteState) -> None:
    _sync_rls(state.session)
    if is_system_scope() or state.execution_options.get("govhall_skip_tenant_filter_for_tests"):
        return
    if state.is_insert:
        _check_insert(state)
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    tenant_id = current_tenant_id()
    # The lambda's closure (tenant_id) is tracked by SQLAlchemy's statement cache as a bound parameter, so a
    # cached statement never carries one tenant's id into another's query (tests/tenancy prove it).
    criteria = (lambda cls: false()) if tenant_id is None else (lambda cls: cls.tenant_id == tenant_id)
    state.statement = state.statement.options(
        with_loader_criteria(TenantOwned, criteria, include_aliases=True)
    )


def _stamp_new_rows(session: Session, _flush_context, _instances) -> None:
    _sync_rls(session)
    if is_system_scope():
        return
    tenant_id = current_tenant_id()
    for obj in [*session.new, *session.dirty]:
        if not isinstance(obj, TenantOwned):
            continue
        if tenant_id is None:
            raise TenantScopeError(f"{type(obj).__name__} written outside any tenant scope")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantScopeError(f"{type(obj).__name__} belongs to another tenant")


def _forget_rls_tenant(session: Session, _transaction, _connection) -> None:
    # A new transaction starts with no app.tenant_id: every set_config above is transaction-local (nothing sets
    # it for the connection), so it is unset or '' — both match no row. A first statement outside any tenant
    # (the session user, read in system scope) then needs no set_config of its own.
    session.info["rls_tenant"] = ""


def install_tenant_guard() -> None:
    """Register the guard on every Session (idempotent). Called by the app factory, the CLI and tests."""
    global _installed
    if _installed:
        return
    _installed = True
    event.listen(Session, "do_orm_execute", _scope_statements)
    event.listen(Session, "before_flush", _stamp_new_rows)
    event.listen(Session, "after_begin", _forget_rls_tenant)
