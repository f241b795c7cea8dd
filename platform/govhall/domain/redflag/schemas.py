"""Wire types of the red-flag rounds (camelCase, unknown fields refused)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct

Period = Literal["month", "quarter"]
LABEL = r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$"


class RoundIn(CamelStruct):
    period: Period
    label: Annotated[str, msgspec.Meta(pattern=LABEL, description="2026-11 (a month) or 2026-Q4 (a quarter)")]


class RatingIn(CamelStruct):
    unit_id: UUID
    rating: Annotated[float, msgspec.Meta(ge=0, le=100)]


class RatingsIn(CamelStruct):
    ratings: Annotated[list[RatingIn], msgspec.Meta(max_length=500)]


class Evidence(CamelStruct):
    """One fact counted on a line: the record (violation, bonus) or the duty day, and what it took off."""

    ref: str
    kind: str
    name: str
    day: date
    points: float
    source: str
    staff_name: str | None = None
    note: str | None = None
    files: list[str] = []
    record_id: UUID | None = None


class Line(CamelStruct):
    key: str
    name_zh: str
    name_en: str
    max_points: float
    points: float
    note_zh: str = ""
    note_en: str = ""
    clause: str = ""
    evidence: list[Evidence] = []


class UnitRank(CamelStruct):
    unit_id: UUID
    name: str
    rank: int
    total: float
    rating: float | None
    eligible: bool
    flag: bool
    lines: list[Line]
    disqualified: list[Line]


class Criterion(CamelStruct):
    key: str
    name_zh: str
    name_en: str
    max_points: float
    source: str
    scoring: str
    clause: str


class Round(CamelStruct):
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
    criteria: list[Criterion]
    ranking: list[UnitRank]
    proposed_at: datetime | None = None
    awarded_at: datetime | None = None
    published_at: datetime | None = None


class RoundSummary(CamelStruct):
    id: UUID
    period: str
    label: str
    status: str
    award_day: date
    flags: int
    awarded: list[str]


class RoundKind(CamelStruct):
    period: str
    flags: int
    award_day: int
    clause: str


class Overview(CamelStruct):
    """The center's red-flag terms and its rounds of a year."""

    enabled: bool
    unit: str
    kinds: list[RoundKind]
    rounds: list[RoundSummary]
    can_write: bool
    can_award: bool


class TallyRow(CamelStruct):
    unit_id: UUID
    name: str
    flags: int
    months: list[str]


class Tally(CamelStruct):
    year: int
    rows: list[TallyRow]
