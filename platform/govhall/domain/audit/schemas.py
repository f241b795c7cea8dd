from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

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


class AuditField(CamelStruct):
    key: str
    label: str
    label_en: str
    value: str


class AuditEventView(AuditEvent):
    """An event as the audit page shows it: who (their name), what (the action in words), on what, and the details
    as labelled fields."""

    actor_display: str | None = None
    action_label: str = ""
    action_label_en: str = ""
    target_label: str = ""
    target_label_en: str = ""
    target_display: str | None = None
    """The target's name when it is a person or an account of this center."""
    fields: list[AuditField] = msgspec.field(default_factory=list)


class AuditActor(CamelStruct):
    id: UUID
    name: str
    username: str | None


class AuditActionOption(CamelStruct):
    code: str
    label: str
    label_en: str


class AuditFacets(CamelStruct):
    actors: list[AuditActor]
    actions: list[AuditActionOption]


class ChainStatus(CamelStruct):
    ok: bool
    count: int
    broken_at: int | None
    reason: str | None
    """``missing_event``, ``broken_link``, ``hash_mismatch``, ``truncated`` or ``checkpoint_mismatch``."""
    keyed: bool
    head_hash: str | None
    missing_from: int | None = None
    missing_to: int | None = None
    checkpoint_seq: int | None = None
    """The newest signed checkpoint the chain was checked against (None: none taken yet)."""


class CheckpointOut(CamelStruct):
    status: str
    """``written`` or ``unchanged`` (the head was already anchored)."""
    seq: int
    hash: str
    at: datetime
    keyed: bool
