"""Write and verify the audit chain.

``record_audit`` appends one event in the current tenant scope, inside the caller's transaction: the event
exists if and only if the change it describes was committed. Per tenant the events are numbered 1, 2, 3, ...
and chained by an HMAC over the previous hash and a canonical JSON of the event. Appends of one tenant are
serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite by the database's single writer
(a no-op write makes the transaction the writer before it reads the chain head).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit.models import AuditEvent
from govhall.config import get_settings
from govhall.tenancy.context import TenantScopeError, current_tenant_id, system_scope

GENESIS = "0" * 64
_DEV_KEY = b"govhall-insecure-development-audit-key"


def audit_key() -> tuple[bytes, bool]:
    """The HMAC key (derived from GOVHALL_SECRET_KEY) and whether it is a real secret."""
    secret = get_settings().secret_key
    if not secret:
        return _DEV_KEY, False
    return hashlib.sha256(b"govhall-audit-v1:" + secret.encode()).digest(), True


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    """The details exactly as the database will give them back (UUIDs, dates, enums become strings)."""
    return json.loads(json.dumps(details, default=_default, ensure_ascii=False))


def _default(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (str, int, float)):  # enums
        return value.value
    return str(value)


def _canonical(*, tenant_id: UUID, seq: int, prev_hash: str, actor_id: UUID | None, actor_name: str | None,
               action: str,
               target_type: str, target_id: str | None, details: dict[str, Any], request_id: str | None,
               at: datetime) -> bytes:
    doc = {
        "v": 1, "tenant": str(tenant_id), "seq": seq, "prev": prev_hash,
        "actor": str(actor_id) if actor_id else None, "actor_name": actor_name, "action": action, "target_type": target_type,
        "target_id": target_id, "details": details, "request_id": request_id,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _mac(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def _event_hash(key: bytes, e: AuditEvent) -> str:
    return _mac(key, _canonical(
        tenant_id=e.tenant_id, seq=e.seq, prev_hash=e.prev_hash, actor_id=e.actor_id, actor_name=e.actor_name,
        action=e.action,
        target_type=e.target_type, target_id=e.target_id, details=e.details or {}, request_id=e.request_id,
        at=e.created_at,
    ))


def _context_actor() -> UUID | None:
    raw = structlog.contextvars.get_contextvars().get("user_id")
    try:
        return UUID(str(raw)) if raw else None
    except ValueError:
        return None


ActorNames = Callable[[AsyncSession, UUID], Awaitable[str | None]]
_actor_names: list[ActorNames] = []


def name_actors_with(resolver: ActorNames) -> None:
    """Tell the log how to find an actor's username (the identity domain owns accounts and registers it when its
    models are imported; the log is a core service and knows no account table)."""
    _actor_names[:] = [resolver]


async def _actor_name(session: AsyncSession, actor: UUID | None) -> str | None:
    if actor is None or not _actor_names:
        return None
    with system_scope():  # the actor may live in another tenant (a provincial admin acting in a child)
        return await _actor_names[0](session, actor)


async def record_audit(session: AsyncSession, *, action: str, target_type: str, target_id: str | None,
                       details: dict[str, Any], actor_id: UUID | None = None) -> None:
    """Append one event to the current tenant's chain (same transaction as the change it describes).

    The tenant is the current scope (set by the route guard, or ``tenant_scope`` in jobs); the actor defaults
    to the request's user (bound in structlog's context by the session layer).
    """
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantScopeError("record_audit needs a tenant scope")
    await session.flush()  # the change it describes goes first
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"audit:{tenant_id}", 0))))
    else:
        # SQLite has one writer: a write statement (here one that matches no row) makes this transaction the
        # writer before it reads the chain head, so two appends can never pick the same sequence number.
        await session.execute(text("UPDATE audit_event SET seq = seq WHERE 1 = 0"))
    head = (await session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    )).first()
    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS)
    ctx = structlog.contextvars.get_contextvars()
    actor = actor_id or _context_actor()
    actor_name = await _actor_name(session, actor)
    request_id = str(ctx["request_id"])[:64] if ctx.get("request_id") else None
    clean = _jsonable(details)
    at = datetime.now(UTC)
    key, _ = audit_key()
    digest = _mac(key, _canonical(tenant_id=tenant_id, seq=seq, prev_hash=prev_hash, actor_id=actor, actor_name=actor_name,
                                  action=action, target_type=target_type, target_id=target_id, details=clean,
                                  request_id=request_id, at=at))
    session.add(AuditEvent(tenant_id=tenant_id, seq=seq, actor_id=actor, actor_name=actor_name, action=action, target_type=target_type,
                           target_id=target_id, details=clean, request_id=request_id, prev_hash=prev_hash,
                           hash=digest, created_at=at, updated_at=at))
    await session.flush()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    broken_at: int | None = None
    reason: str | None = None
    keyed: bool = True
    head_hash: str | None = None
    missing_from: int | None = None
    """With ``missing_event`` / ``truncated``: the first and last sequence number that should exist and does not."""
    missing_to: int | None = None
    anchored_seq: int | None = None
    """The highest checkpoint the chain was checked against (None: no checkpoint given)."""


async def verify_chain(session: AsyncSession, batch: int = 500, anchors: Mapping[int, str] | None = None) -> ChainReport:
    """Recompute the current tenant's chain: gaps (deleted rows), broken links (inserted/reordered rows) and
    HMAC mismatches (edited rows) are reported with the first sequence number where the chain breaks.

    ``anchors`` (seq -> hash, from signed checkpoints kept outside the database) catch what the chain alone
    cannot: a chain shorter than a checkpoint (the newest events deleted: ``truncated``, with the missing range)
    or one whose event at a checkpointed seq has another hash (rewritten from there on: ``checkpoint_mismatch``).
    """
    key, keyed = audit_key()
    anchors = anchors or {}
    top = max(anchors, default=None)
    expected_seq, prev = 1, GENESIS
    count = 0
    while True:
        rows = (await session.scalars(
            select(AuditEvent).where(AuditEvent.seq >= expected_seq).order_by(AuditEvent.seq).limit(batch)
            .execution_options(populate_existing=True)
        )).all()
        if not rows:
            break
        for e in rows:
            if e.seq != expected_seq:
                return ChainReport(False, count, expected_seq, "missing_event", keyed, missing_from=expected_seq,
                                   missing_to=e.seq - 1, anchored_seq=top)
            if e.prev_hash != prev:
                return ChainReport(False, count, e.seq, "broken_link", keyed, anchored_seq=top)
            if not hmac.compare_digest(_event_hash(key, e), e.hash):
                return ChainReport(False, count, e.seq, "hash_mismatch", keyed, anchored_seq=top)
            if e.seq in anchors and not hmac.compare_digest(anchors[e.seq], e.hash):
                return ChainReport(False, count, e.seq, "checkpoint_mismatch", keyed, anchored_seq=top)
            prev, expected_seq, count = e.hash, expected_seq + 1, count + 1
    if top is not None and top > count:
        return ChainReport(False, count, count + 1, "truncated", keyed, head_hash=prev if count else None,
                           missing_from=count + 1, missing_to=top, anchored_seq=top)
    return ChainReport(True, count, keyed=keyed, head_hash=prev if count else None, anchored_seq=top)


async def update_audited(session: AsyncSession, obj: Any, changes: dict[str, Any], *, target_type: str,
                         target_id: str) -> Any:
    """Apply field changes to a row, record ``<target_type>.update`` with before/after, and commit: one
    transaction for the change and its audit event."""
    before = {k: getattr(obj, k) for k in changes}
    for k, v in changes.items():
        setattr(obj, k, v)
    await record_audit(session, action=f"{target_type}.update", target_type=target_type, target_id=target_id,
                       details={"before": before, "after": changes})
    await session.commit()
    return obj
