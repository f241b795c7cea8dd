"""Wire schemas of /api/t/{tenant_id}/assessment (camelCase, one type per direction)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct

Source = Literal["attendance", "patrol", "complaint", "case", "meeting", "manual"]
Sanction = Literal["verbal_warning", "written_self_criticism", "public_criticism", "efficiency_warning",
                   "removed_from_window", "referred_to_discipline"]
Note = Annotated[str, msgspec.Meta(max_length=500)]
Qty = Annotated[float, msgspec.Meta(gt=0, le=100)]


class RecordIn(CamelStruct):
    kind: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    day: date
    quantity: Qty = 1
    staff_id: UUID | None = None
    window_id: UUID | None = None
    department_id: UUID | None = None
    points: Annotated[float, msgspec.Meta(ge=0, le=100)] | None = None
    source: Source = "manual"
    source_ref: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    evidence: Annotated[list[UUID], msgspec.Meta(max_length=10)] = msgspec.field(default_factory=list)
    note: Note | None = None
    sanction: Sanction | None = None


class VoidIn(CamelStruct):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class AmendIn(CamelStruct):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    record: RecordIn


class RecordView(CamelStruct):
    id: UUID
    type: Literal["violation", "bonus"]
    subject: str
    staff_id: UUID | None
    staff_name: str | None
    window_id: UUID | None
    window_label: str | None
    department_id: UUID | None
    department_name: str | None
    kind: str
    name: str
    category: str
    clause: str
    day: date
    quantity: float
    points: float | None
    source: str
    source_ref: str | None
    evidence: list[str]
    note: str | None
    recorded_by: UUID | None
    recorder_name: str | None
    recorded_at: datetime
    status: str
    sanction: str | None = None
    amends_id: UUID | None = None
    void_reason: str | None = None
    appeal_status: str | None = None


class RecordPage(CamelStruct):
    items: list[RecordView]
    total: int
    page: int
    page_size: int


class CatalogueItem(CamelStruct):
    key: str
    name: str
    name_en: str
    category: str
    category_name: str
    clause: str
    points: list[float]
    points_min: float = 0
    points_max: float = 0
    subject: str = "staff"
    evidence_required: bool = False
    warn_first: bool = False
    fine_yuan: float = 0
    immediate_return: bool = False
    monthly_cap: float = 0


class Category(CamelStruct):
    key: str
    name: str
    name_en: str
    max_points: float


class Catalogue(CamelStruct):
    categories: list[Category]
    violations: list[CatalogueItem]
    bonuses: list[CatalogueItem]
    appeal_working_days: int
    return_authority: str = ""
    return_authority_outside: bool = False


class PersonOption(CamelStruct):
    id: UUID
    name: str
    employee_no: str


class WindowOption(CamelStruct):
    id: UUID | None
    label: str
    department_id: UUID | None
    department_name: str | None
    staff: list[PersonOption]


class CardLine(CamelStruct):
    record_id: str
    type: Literal["violation", "bonus"]
    kind: str
    name: str
    name_en: str
    category: str
    clause: str
    day: date
    occurrence: int
    quantity: float
    points: float
    fine_yuan: float
    sanction: str
    warning: bool
    source: str
    evidence: list[str]
    note: str | None
    recorder_name: str | None
    status: str
    appeal_status: str | None
    appeal_deadline: date | None
    can_appeal: bool


class CategoryScore(CamelStruct):
    key: str
    name: str
    name_en: str
    max_points: float
    score: float
    lines: list[CardLine]


class ScorecardView(CamelStruct):
    staff_id: UUID
    staff_name: str
    employee_no: str
    department_name: str | None
    month: str
    state: Literal["provisional", "closed", "published"]
    total: float
    deducted: float
    bonus: float
    pay_yuan: float
    fines_yuan: float
    return_to_unit: bool
    return_reasons: list[str]
    award_eligible: bool
    year_deductions: float
    categories: list[CategoryScore]
    excluded: list[CardLine]
    """Void or overturned records of the month (shown struck through, never silently gone)."""
    sanctions_only: bool = False
    """A center without points (001 townships): each line shows its sanction, the card no score or pay."""


class MonthView(CamelStruct):
    month: str
    status: str
    closed_at: datetime | None
    closed_by_name: str | None
    published_at: datetime | None
    reopened: int
    attendance_final_through: date | None
    attendance_final: bool
    records: int
    scorecards: int
    open_appeals: int
    return_cases: int


class ReopenIn(CamelStruct):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class PayRow(CamelStruct):
    staff_id: UUID
    employee_no: str
    name: str
    department_id: UUID | None
    department_name: str | None
    window_label: str | None
    categories: dict[str, float]
    total: float
    deducted: float
    bonus: float
    pay_yuan: float
    fines_yuan: float
    return_to_unit: bool
    award_eligible: bool


class PayList(CamelStruct):
    month: str
    status: str
    center: str
    categories: list[Category]
    rows: list[PayRow]
    total_pay_yuan: float
    total_fines_yuan: float


class NoticeLine(CamelStruct):
    day: date
    name: str
    clause: str
    points: float
    fine_yuan: float


class NoticePerson(CamelStruct):
    name: str
    employee_no: str
    total: float
    pay_yuan: float
    fines_yuan: float
    return_to_unit: bool
    lines: list[NoticeLine]


class DepartmentNotice(CamelStruct):
    month: str
    center: str
    department_id: UUID
    department_name: str
    people: list[NoticePerson]


class AppealIn(CamelStruct):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    evidence: Annotated[list[UUID], msgspec.Meta(max_length=10)] = msgspec.field(default_factory=list)


class AppealDecisionIn(CamelStruct):
    decision: Literal["uphold", "reduce", "overturn"]
    note: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    new_points: Annotated[float, msgspec.Meta(ge=0, le=100)] | None = None


class AppealView(CamelStruct):
    id: UUID
    record: RecordView
    staff_name: str
    reason: str
    evidence: list[str]
    filed_at: datetime
    deadline: date
    status: str
    decided_by_name: str | None
    decided_at: datetime | None
    decision_note: str | None
    new_points: float | None
    total_before: float | None = None
    total_after: float | None = None


class CaseStepIn(CamelStruct):
    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    confirm: bool = True
    authority: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    outside: bool = False
    scan_file_id: UUID | None = None


class ReturnCaseView(CamelStruct):
    id: UUID
    staff_id: UUID
    staff_name: str
    department_name: str | None
    month: str
    status: str
    triggers: list[dict[str, object]]
    history: list[dict[str, object]]
    authority: str | None
    scan_file_id: str | None
    notices: list[dict[str, object]]
    outcome: dict[str, object] | None
    created_at: datetime


class CloseResult(CamelStruct):
    month: str
    status: str
    staff: int
    attendance_records: int
    voided_attendance_records: int
    scorecards: int
    return_cases: int
    seconds: float
    unit_scorecards: int = 0


class UnitLine(CamelStruct):
    record_id: str
    name: str
    clause: str
    category: str
    day: date
    occurrence: int
    points: float
    staff_name: str | None
    """The member whose record counts for the unit (None: a record of the unit itself)."""


class UnitCardView(CamelStruct):
    subject: Literal["window", "department"]
    unit_id: UUID
    name: str
    department_name: str | None
    categories: dict[str, float]
    total: float
    deducted: float
    bonus: float
    award_eligible: bool
    lines: list[UnitLine]


class CountRow(CamelStruct):
    key: str
    name: str
    count: float
    points: float


class MonthSummary(CamelStruct):
    """The center's month at a glance (中心月度考核汇总)."""

    month: str
    status: str
    center: str
    staff: int
    average_total: float
    full_marks: int
    distribution: dict[str, int]
    """Score bands: 100, 95-99.9, 90-94.9, 80-89.9, below 80."""
    total_pay_yuan: float
    total_fines_yuan: float
    by_source: list[CountRow]
    by_category: list[CountRow]
    top_kinds: list[CountRow]
    appeals: dict[str, int]
    return_cases: dict[str, int]
    award_ineligible: int
    units: list[UnitCardView]


class AnnualRow(CamelStruct):
    staff_id: UUID
    employee_no: str
    name: str
    department_name: str | None
    chief: bool
    months_scored: int
    average_total: float
    deductions: float
    leave_days: dict[str, float]
    absence_days: float
    award_eligible: bool
    award_reasons: list[str]
    bonus_cancelled: bool
    bonus_reasons: list[str]
    chief_candidate: bool


class AnnualView(CamelStruct):
    year: int
    center: str
    months_closed: list[str]
    rows: list[AnnualRow]
    chief_candidates: int
    """How many 优秀首席代表 candidates the rules name (0: the rules have none)."""
