"""Wire types of /api/t/{tenant_id}/jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct


class JobIn(CamelStruct):
    kind: str
    params: dict[str, Any] = msgspec.field(default_factory=dict)


class JobError(CamelStruct):
    code: str
    zh: str
    en: str


class JobOut(CamelStruct):
    id: UUID
    kind: str
    title_zh: str
    title_en: str
    state: str
    """queued, running, done, failed"""
    progress: int
    done: int | None
    """Items done (rows, centers, staff) of ``total``, for the jobs that count."""
    total: int | None
    params: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    has_result: bool
    result_name: str | None
    summary: dict[str, Any] | None
    error: JobError | None


class JobKindOut(CamelStruct):
    key: str
    zh: str
    en: str
