"""The red-flag rounds (流动红旗, issue 14).

``red_flag_round``: one round of a period (a month or a quarter) of a center. It goes draft -> rated (the
council's ratings entered for every unit) -> proposed (the ranking frozen) -> awarded (the flags given) ->
published (shown to everyone and on the hall screen). While draft or rated the ranking is computed from the
records as they are; from proposed on it is the frozen ``ranking`` (every line with the facts it counted)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from govhall.db.base import Base, TenantOwned

JsonB = JSON().with_variant(JSONB(), "postgresql")

STATUSES = ("draft", "rated", "proposed", "awarded", "published")


class RedFlagRound(TenantOwned, Base):
    __tablename__ = "red_flag_round"
    __tenant_table_args__ = (
        UniqueConstraint("tenant_id", "period", "period_start", name="uq_red_flag_round_period"),
        Index("ix_red_flag_round_start", "tenant_id", "period_start"),
    )

    period: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(8))
    unit: Mapped[str] = mapped_column(String(16))
    flags: Mapped[int] = mapped_column(Integer)
    award_day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    ratings: Mapped[dict[str, float]] = mapped_column(JsonB, default=dict)
    ranking: Mapped[list[dict[str, Any]]] = mapped_column(JsonB, default=list)
    awarded: Mapped[list[str]] = mapped_column(JsonB, default=list)
    created_by: Mapped[UUID | None] = mapped_column()
    proposed_by: Mapped[UUID | None] = mapped_column()
    proposed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    awarded_by: Mapped[UUID | None] = mapped_column()
    awarded_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    published_by: Mapped[UUID | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
