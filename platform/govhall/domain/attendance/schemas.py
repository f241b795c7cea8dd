"""Wire schemas of attendance (camelCase; unknown fields refused; one type per direction)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct

MAX_BATCH = 5000
INT32_MAX = 2**31 - 1
"""Counters are stored as 32-bit integers; the schema says so, and larger values are refused by name."""


# ---- terminals (JSON endpoint) ------------------------------------------------------------------------------


class DevicePunchBatch(CamelStruct):
    """``POST /api/devices/punches``. Each punch: ``{"pin", "time", "status"?, "verify"?, "workcode"?}``;
    ``time`` is ISO 8601, the center's local time unless it carries an offset."""

    punches: Annotated[list[Any], msgspec.Meta(max_length=MAX_BATCH)]
    pending: Annotated[int, msgspec.Meta(ge=0, le=INT32_MAX)] | None = None
    """How many records the terminal still holds undelivered after this batch (0 = caught up)."""
    synced_until: str | None = None
    """The terminal has delivered everything it recorded up to this instant (ISO 8601)."""


class Message(CamelStruct):
    zh: str
    en: str


class RejectedLine(CamelStruct):
    index: int
    code: str
    message: Message
    raw: str | None = None


class BatchNotice(CamelStruct):
    field: str
    code: str
    message: Message


class BatchResult(CamelStruct, omit_defaults=True):
    received: int
    accepted: int
    duplicates: int
    rejected: list[RejectedLine]
    unmapped_pins: list[str]
    ignored: list[BatchNotice] = msgspec.field(default_factory=list)
    """Batch fields that could not be used (e.g. a ``syncedUntil`` outside years 1900-2999): the punches are
    stored all the same, the field is ignored and named here."""


# ---- clock-in and my attendance -----------------------------------------------------------------------------


class ClockIn(CamelStruct):
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    accuracy: Annotated[float, msgspec.Meta(ge=0, le=100_000)] | None = None


class OutsidePunchView(CamelStruct):
    """A punch stored but counted for no session, and why: the nearest punch window, as hh:mm."""

    time: str
    reason: str
    """``before_window`` / ``after_window`` / ``between_windows`` / ``rest_day``."""
    label: str | None = None
    window: str | None = None
    """``in`` (the session's arrival window) or ``out`` (its departure window)."""
    window_start: str | None = None
    window_end: str | None = None


class ClockInResult(CamelStruct):
    punched_at: datetime
    work_date: date
    time: str
    duplicate: bool
    outside: OutsidePunchView | None = None
    """Set when the punch falls outside every punch window of the day: stored, not counted."""


class SessionView(CamelStruct):
    label: str
    start: str
    end: str
    status: str
    open_to_public: bool = True
    in_time: str | None = None
    out_time: str | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    partial_leave: bool = False
    missing: str | None = None
    correction: str | None = None
    """``present`` / ``elsewhere`` when the center corrected the session (status ``corrected``)."""


class DressCodeView(CamelStruct):
    season: str
    season_name: str
    season_name_en: str
    dress: str
    badge_required: bool = True


class CorrectionMark(CamelStruct):
    """A correction by the center (考勤更正) that decided sessions of a day."""

    id: UUID
    kind: str
    """present (按出勤) / elsewhere (外出公务)"""
    sessions: str
    """am / pm / day"""
    reason: str


class DayView(CamelStruct):
    date: date
    finding: str
    workday: bool
    reason: str | None
    sessions: list[SessionView]
    punches: list[str]
    late_minutes: int = 0
    early_minutes: int = 0
    missed_punches: int = 0
    absence_half_days: int = 0
    leave_half_days: int = 0
    final: bool = True
    leave_type: str | None = None
    """The type of the leave on the day (personal, sick, ...), when there is one."""
    effect: str | None = None
    """``unclosed_leave``: a day of absence because a leave was not closed in time."""
    outside_punches: list[OutsidePunchView] = msgspec.field(default_factory=list)
    """The day's punches outside every punch window: stored, counted for no session."""
    corrections: list[CorrectionMark] = msgspec.field(default_factory=list)
    """The center's corrections that decided sessions of the day (shown as 更)."""


class TodayView(CamelStruct):
    staff_id: UUID
    name: str
    now: datetime
    day: DayView
    dress_code: DressCodeView | None
    web_clock_in: bool
    location_required: bool


class MonthTotals(CamelStruct):
    workdays: int
    on_time_days: int
    late_count: int
    early_count: int
    late_minutes: int
    early_minutes: int
    missed_punches: int
    absence_half_days: int
    converted_half_days: int
    total_absence_half_days: int
    leave_half_days: int
    pending_days: int
    converted: dict[str, int]


class MyMonth(CamelStruct):
    staff_id: UUID
    name: str
    month: str
    days: list[DayView]
    totals: MonthTotals
    missed_punch_requests_left: int


# ---- boards and the sheet -----------------------------------------------------------------------------------


class BoardCover(CamelStruct):
    name: str
    external: bool
    on_post: bool | None
    """A colleague's punch today; None for someone the home unit sent."""
    on_post_first: bool
    """The rules want the substitute on post before the holder leaves: ✗ makes the holder off post."""
    status: str


class BoardRow(CamelStruct):
    staff_id: UUID
    name: str
    employee_no: str
    department: str | None
    window: str | None
    state: str
    """in / late / left / on_leave / not_punched / absent / rest / upcoming"""
    finding: str
    sessions: list[SessionView]
    first_punch: str | None
    last_punch: str | None
    late_minutes: int = 0
    leave_type: str | None = None
    cover: BoardCover | None = None
    """Who covers the person on leave today (顶岗), and whether they have punched in."""
    corrections: list[CorrectionMark] = msgspec.field(default_factory=list)
    """The center's corrections of today for this person (更)."""


class Board(CamelStruct):
    date: date
    now: datetime
    workday: bool
    reason: str | None
    current_session: str | None
    counts: dict[str, int]
    rows: list[BoardRow]
    scope: str
    """center (duty officer, center admin) or department (chief representative)."""
    total: int = 0
    """Rows matching the search; ``rows`` is the page at ``offset`` of at most ``limit`` (counts cover everyone)."""
    limit: int = 0
    offset: int = 0


class SheetRow(CamelStruct):
    staff_id: UUID
    name: str
    employee_no: str
    department: str | None
    window: str | None
    days: dict[str, str]
    """ISO date -> finding."""
    totals: MonthTotals
    leave_types: dict[str, str] = msgspec.field(default_factory=dict)
    """ISO date -> leave type, on the days with leave."""
    leave_by_type: dict[str, int] = msgspec.field(default_factory=dict)
    """Half days of leave in the month per type."""
    corrections: dict[str, list[CorrectionMark]] = msgspec.field(default_factory=dict)
    """ISO date -> the center's corrections on the days that have one (更)."""


class Sheet(CamelStruct):
    month: str
    dates: list[date]
    workdays: list[date]
    rows: list[SheetRow]
    final_through: date | None
    evaluated_at: datetime | None
    total: int = 0
    """Staff matching the search; ``rows`` is the page at ``offset`` of at most ``limit``."""
    limit: int = 0
    offset: int = 0


# ---- missed-punch requests (补卡) ----------------------------------------------------------------------------


class MissedPunchIn(CamelStruct):
    work_date: date
    time: Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class MissedPunchDecision(CamelStruct):
    approve: bool
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class MissedPunchView(CamelStruct):
    id: UUID
    staff_id: UUID
    staff_name: str
    work_date: date
    time: str
    reason: str
    status: str
    created_at: datetime
    decided_at: datetime | None = None
    decision_note: str | None = None


# ---- leave records (until the leave workflow writes them) ---------------------------------------------------


class LeaveView(CamelStruct):
    id: UUID
    staff_id: UUID
    starts_at: datetime
    ends_at: datetime
    kind: str
    note: str | None


# ---- terminals page -----------------------------------------------------------------------------------------


class TerminalView(CamelStruct):
    device_id: UUID | None
    serial_number: str
    name: str | None
    revoked: bool
    last_contact_at: datetime | None
    last_upload_at: datetime | None
    last_punch_at: datetime | None
    synced_until: datetime | None
    received_count: int
    device_record_count: int | None
    pending_count: int | None
    backlog: int | None
    """Records the terminal holds that the server has not received (its own count minus ours), when known."""
    rejected_lines_7d: int
    last_error: str | None


class EvaluateResult(CamelStruct):
    month: str
    staff: int
    days: int
    final_through: date | None
    seconds: float


# ---- corrections by the center (考勤更正) ---------------------------------------------------------------------------


class CorrectionIn(CamelStruct):
    """A correction for many staff at once: the people are the union of ``staff_ids``, the active staff of
    ``department_ids`` and ``window_ids``, or everyone (``everyone``)."""

    date_from: date
    date_to: date
    sessions: Literal["am", "pm", "day"]
    kind: Literal["present", "elsewhere"]
    reason: Annotated[str, msgspec.Meta(max_length=500)]
    file_ids: Annotated[list[UUID], msgspec.Meta(max_length=10)]
    staff_ids: Annotated[list[UUID], msgspec.Meta(max_length=5000)] = msgspec.field(default_factory=list)
    department_ids: Annotated[list[UUID], msgspec.Meta(max_length=500)] = msgspec.field(default_factory=list)
    window_ids: Annotated[list[UUID], msgspec.Meta(max_length=2000)] = msgspec.field(default_factory=list)
    everyone: bool = False


class CorrectionVoidIn(CamelStruct):
    reason: Annotated[str, msgspec.Meta(max_length=500)]


class CorrectionFile(CamelStruct):
    id: UUID
    name: str
    mime: str


class CorrectionView(CamelStruct):
    id: UUID
    date_from: date
    date_to: date
    sessions: str
    kind: str
    reason: str
    files: list[CorrectionFile]
    staff_count: int
    staff_names: list[str]
    """The first names (up to 20) of the people it applies to, by employee number."""
    created_at: datetime
    created_by: str | None
    voided_at: datetime | None = None
    voided_by: str | None = None
    void_reason: str | None = None


class CorrectionPage(CamelStruct):
    items: list[CorrectionView]
    total: int
    limit: int
    offset: int
