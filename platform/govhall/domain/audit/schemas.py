from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from govhall.schemas import CamelStruct


class AuditEvent(CamelStruct):
    id: UUID
    seq: int
    actor_id: UUID | None
    actor_name: str | None
    action: str
    target_type: str
    target_id: str | None
    details: dict[str, Any]
    request_id: str | None
    created_at: datetime
    hash: str


class ChainStatus(CamelStruct):
    ok: bool
    count: int
    broken_at: int | None
    reason: str | None
    keyed: bool
    head_hash: str | None
