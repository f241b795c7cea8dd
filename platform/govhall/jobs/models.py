"""One background job of a tenant: what it is, how far it got, and its result file or its error."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import JSON, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned


class Job(TenantOwned, Base):
    """``state``: queued -> running -> done | failed. ``progress`` 0-100. ``worker``/``heartbeat_at``: the process
    running it and when it last reported; a running job whose heartbeat is older than ``STALE_SECONDS`` lost its
    worker (a restart) and is queued again when its tenant's jobs are next read, at most ``MAX_ATTEMPTS`` times."""

    __tablename__ = "job"
    __tenant_table_args__ = (Index("ix_job_tenant_creator", "tenant_id", "created_by"),
                             Index("ix_job_tenant_state", "tenant_id", "state"))

    kind: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    items_done: Mapped[int | None] = mapped_column(Integer)
    """How many of ``items_total`` items (rows, centers, staff) are done, for the jobs that count (``step``)."""
    items_total: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[UUID] = mapped_column(GUID(length=16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """A small JSON answer (e.g. the evaluation's counts)."""
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """``{"code", "zh", "en"}`` when failed."""
    result_name: Mapped[str | None] = mapped_column(String(200))
    result_type: Mapped[str | None] = mapped_column(String(100))
    result_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    input_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    """The file the job works on (an uploaded roster), for the kinds started by an upload."""
