"""Wire types of the red-flag rounds (camelCase, unknown fields refused)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct

Period = Literal["month", "quarter"]
LABEL = r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$"


class RedFlagRoundIn(CamelStruct):
    period: Period
    label: Annotated[str, msgspec.Meta(pattern=LABEL, description="2026-11 (a month) or 2026-Q4 (a quarter)")]


class RedFlagRatingIn(CamelStruct):
    unit_id: UUID
    rating: Annotated[float, msgspec.Meta(ge=0, le=100)]


class RedFlagRatingsIn(CamelStruct):
    ratings: Annotated[list[RedFlagRatingIn], msgspec.Meta(max_length=500)]


class RedFlagEvidence(CamelStruct):
    """One fact counted on a line: the record (violation, bonus) or the duty day, and what it took off."""

    ref: str
    kind: str
    name: str
    day: date
    points: float
    source: str
    staff_name: str | None = None
    note: str | None = None
    files: list[str] = msgspec.field(default_factory=list)
    record_id: UUID | None = None


class RedFlagLine(CamelStruct):
    key: str
    name_zh: str
    name_en: str
    max_points: float
    points: float
    note_zh: str = ""
    note_en: str = ""
    clause: str = ""
    evidence: list[RedFlagEvidence] = msgspec.field(default_factory=list)


class RedFlagUnitRank(CamelStruct):
    unit_id: UUID
    name: str
    rank: int
    total: float
    rating: float | None
    eligible: bool
    flag: bool
    lines: list[RedFlagLine]
    disqualified: list[RedFlagLine]


class RedFlagCriterion(CamelStruct):
    key: str
    name_zh: str
    name_en: str
    max_points: float
    source: str
    scoring: str
    clause: str


class RedFlagRound(CamelStruct):
    id: UUID
    period: str
    label: str
    period_start: date
    period_end: date
    unit: str
    flags: int
    award_day: date
    status: str
    council_required: bool
    ratings_missing: int
    criteria: list[RedFlagCriterion]
    ranking: list[RedFlagUnitRank]
    proposed_at: datetime | None = None
    awarded_at: datetime | None = None
    published_at: datetime | None = None


class RedFlagRoundSummary(CamelStruct):
    id: UUID
    period: str
    label: str
    status: str
    award_day: date
    flags: int
    awarded: list[str]


class RedFlagRoundKind(CamelStruct):
    period: str
    flags: int
    award_day: int
    clause: str


class RedFlagOverview(CamelStruct):
    """The center's red-flag terms and its rounds of a year."""

    enabled: bool
    unit: str
    kinds: list[RedFlagRoundKind]
    rounds: list[RedFlagRoundSummary]
    can_write: bool
    can_award: bool


class RedFlagTallyRow(CamelStruct):
    unit_id: UUID
    name: str
    flags: int
    months: list[str]


class RedFlagTally(CamelStruct):
    year: int
    rows: list[RedFlagTallyRow]
