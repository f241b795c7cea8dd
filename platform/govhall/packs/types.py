"""Value types that cross the pack host boundary: what hooks receive and what they return.

They are plain frozen msgspec structs (cheap to build in month-sized batches, encodable to JSON as they are).
Other domains (attendance, leave, assessment) import them from here; packs never import a domain.

The work calendar contract (agreed with attendance, issue 5):

- ``WorkSession(label, start, end, open_to_public=True)``
- ``DaySchedule(day, workday, sessions, late_grace_minutes, early_grace_minutes, punch_open_before_minutes,
  punch_close_after_minutes, reason)`` with ``reason`` one of ``None`` (an ordinary working day), ``"weekend"``,
  ``"statutory_holiday"``, ``"adjusted_workday"`` (调休上班), ``"tenant_closure"``, ``"tenant_extra_workday"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal
from uuid import UUID

import msgspec

__all__ = (
    "LEAVE_TYPES",
    "AnnualResult",
    "ApprovalStep",
    "AssessmentOptions",
    "AttendanceDayFinding",
    "AttendanceStaffMonth",
    "BonusEvent",
    "BonusType",
    "CalendarCoverage",
    "ChecklistEntry",
    "DayReason",
    "DaySchedule",
    "DressCode",
    "FindingOutcome",
    "FixedCheckPlan",
    "LeaveOutcome",
    "LeaveProblem",
    "LeaveRequest",
    "LeaveType",
    "MonthResult",
    "PackRuleError",
    "PatrolFinding",
    "PatrolPlan",
    "RedFlagCriterion",
    "RedFlagFact",
    "RedFlagLine",
    "RedFlagRoundKind",
    "RedFlagScore",
    "RedFlagTerms",
    "RedFlagUnit",
    "ScoreLine",
    "Scorecard",
    "StaffMonth",
    "StaffYear",
    "TenantRules",
    "UnitMember",
    "UnitMonth",
    "UnitScorecard",
    "ViolationDraft",
    "ViolationEvent",
    "ViolationType",
    "WorkSession",
    "YearCoverage",
    "YearStatus",
)

DayReason = Literal["weekend", "statutory_holiday", "adjusted_workday", "tenant_closure", "tenant_extra_workday"]


class WorkSession(msgspec.Struct, frozen=True):
    """One opening session of the hall on a day, e.g. 上午 08:30-11:30."""

    label: str
    start: dt.time
    end: dt.time
    open_to_public: bool = True
    """False for sessions the staff work but the public is not served (e.g. Friday afternoon internal study)."""


class DaySchedule(msgspec.Struct, frozen=True):
    """The rules of one calendar day for one tenant (the work_hours pack's answer)."""

    day: dt.date
    workday: bool
    sessions: tuple[WorkSession, ...]
    late_grace_minutes: int
    early_grace_minutes: int
    punch_open_before_minutes: int
    punch_close_after_minutes: int
    reason: DayReason | None
    """Why the day is (not) a working day; None for an ordinary working weekday."""


class DressCode(msgspec.Struct, frozen=True):
    """The dress code of one day (the uniform_seasons pack's answer), optionally for one staff member."""

    day: dt.date
    season: str
    """The season's key, e.g. ``summer`` / ``winter``."""
    season_name: str
    season_name_en: str
    dress: str
    """What to wear, as the center wrote it (shown to staff and on the duty officer's patrol checklist)."""
    badge_required: bool = True
    forbidden: str = ""
    """What may never be worn on duty (e.g. vests, shorts, slippers)."""
    exempt_reason: str | None = None
    """Set when the staff member asked about has a registered exemption on that day (illness, pregnancy)."""


class TenantRules(msgspec.Struct, frozen=True):
    """What every hook receives as ``rules``: the tenant and the resolved settings of its enabled packs.

    ``settings`` maps pack name -> that pack's settings struct (defaults, then province, city, county, township
    overrides, as in force on the dates the call covers). A pack reads its own entry with ``rules.of(PACK)``.
    """

    tenant_id: UUID
    settings: Mapping[str, Any]
    fingerprint: tuple[tuple[str, str], ...] = ()
    """Which settings versions produced ``settings`` (for caches and for the record of a computation)."""

    def of(self, pack: str) -> Any:
        try:
            return self.settings[pack]
        except KeyError:
            raise KeyError(f"pack {pack!r} is not enabled for tenant {self.tenant_id}") from None


YearStatus = Literal["package", "own_calendar", "missing", "not_used"]


class YearCoverage(msgspec.Struct, frozen=True, kw_only=True):
    """Whether the statutory holidays and adjusted workdays of one year are known to a tenant's work calendar.

    ``package``: from data shipped with the pack (chinesecalendar); ``own_calendar``: from the tenant's own
    calendar setting (``field``); ``missing``: from neither, so the work calendar of that year raises
    ``calendar_year_missing``; ``not_used``: the tenant does not follow the statutory calendar at all.
    """

    year: int
    status: YearStatus
    field: str | None = None
    """The setting that holds (or should hold) the tenant's own calendar of the year, e.g. ``own_calendar``."""


class CalendarCoverage(msgspec.Struct, frozen=True, kw_only=True):
    """A pack's answer about calendar data: one ``YearCoverage`` per year asked, and how early to warn."""

    pack: str
    years: tuple[YearCoverage, ...]
    warn_days: int
    """Warn this many days before a year begins whose calendar is missing (0: only once it has begun)."""


class PackRuleError(Exception):
    """A pack cannot answer with the rules it has (e.g. no holiday calendar for a year). Bilingual.

    The host turns it into a 4xx ``AppError`` with the same code, messages and ``details`` (plain JSON values
    for the UI, e.g. ``{"year": 2027}``).
    """

    def __init__(self, code: str, zh: str, en: str, *, field: str | None = None, status: int = 409,
                 details: Mapping[str, Any] | None = None) -> None:
        super().__init__(en)
        self.code, self.zh, self.en, self.field, self.status = code, zh, en, field, status
        self.details = dict(details or {})


# ---- leave (请销假) ---------------------------------------------------------------------------------------

LeaveType = Literal["personal", "sick", "annual", "marriage", "maternity", "family_visit", "bereavement", "official"]
LEAVE_TYPES: tuple[str, ...] = ("personal", "sick", "annual", "marriage", "maternity", "family_visit", "bereavement",
                                "official")


class LeaveRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A leave request as the leave rules see it (the leave workflow owns the stored request)."""

    id: str
    staff_id: str
    role: str
    """The requester's role in the center: ``chief_representative``, ``clerk``, ..."""
    leave_type: LeaveType
    start: dt.date
    end: dt.date
    days: float
    """Working days requested (half days allowed: 0.5)."""
    submitted_on: dt.date
    status: Literal["draft", "pending", "approved", "closed", "unclosed"] = "draft"
    has_sick_note: bool = False
    substitute_staff_id: str | None = None
    start_half: Literal["am", "pm"] = "am"
    """The half day the leave starts with (``pm``: from the afternoon)."""
    end_half: Literal["am", "pm"] = "pm"
    """The half day the leave ends with (``am``: up to noon)."""
    submitted_half: Literal["before", "am", "pm"] = "before"
    """When on ``submitted_on`` it was asked: before the day's first session, during the morning, or later."""
    has_external_substitute: bool = False
    """Covered by someone the home unit sent (not a staff member of the center)."""
    single_staff_window: bool = False
    """The requester is the only staff member at their window (AB cover rule 000/7 十一(一)4)."""
    closed_on: dt.date | None = None
    """When the leave was closed (销假), if it was."""
    closure_due: dt.date | None = None
    """The last day to close it (the workflow counts the working days on the center's calendar)."""
    uncovered_days: tuple[dt.date, ...] = ()
    """Working days of the leave on which the required cover was missing (no substitute, or the substitute had
    not punched in when the rules want them on post first)."""


class LeaveOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """What happens to a leave after the fact (``govhall_leave_outcomes``): a type conversion, a day of absence
    for an unclosed leave, or off post for days without cover."""

    request_id: str
    kind: Literal["convert_type", "absence", "off_post"]
    on: dt.date | None = None
    """The day the absence or off-post counts on (None for a type conversion)."""
    leave_type: str | None = None
    """The new type of a ``convert_type`` outcome."""
    half_days: int = 0
    """Half days of absence (``absence``: 2 = one day)."""
    clause: str = ""
    zh: str = ""
    en: str = ""


class LeaveProblem(msgspec.Struct, frozen=True, kw_only=True):
    """Why a request may not be submitted as it is; bilingual, naming the request field concerned."""

    request_id: str
    code: str
    field: str | None
    zh: str
    en: str
    severity: Literal["error", "warning"] = "error"
    """``error``: the request may not be submitted; ``warning``: it may, but the person must act (e.g. bring
    the sick note when reporting back)."""


class ApprovalStep(msgspec.Struct, frozen=True, kw_only=True):
    """One approver in a leave request's chain."""

    approver: str
    """e.g. ``center``, ``home_unit_leader``, ``county_government_office``, ``county_leader``."""
    name_zh: str
    name_en: str
    seq: int = 0
    """Steps with the same ``seq`` sign together (共同签批, all of them); a higher ``seq`` waits for the lower
    ones. 0: numbered by position (one after another)."""
    mode: Literal["sequential", "all_of"] = "sequential"
    outside: bool = False
    """The approver is outside the center: the center records their signed slip with its scan."""


# ---- assessment (百分制考核) ------------------------------------------------------------------------------


class ViolationType(msgspec.Struct, frozen=True, kw_only=True):
    """A catalogue entry: what a duty officer may record and what it costs."""

    key: str
    name_zh: str
    name_en: str
    category: str
    points: tuple[float, ...]
    """Points deducted by occurrence within the month: 1st, 2nd, ...; the last value repeats."""
    ladder_group: str = ""
    """Violations of one group share their occurrence count (late and early leave: 迟到、早退 第1次、第2次)."""
    return_to_unit_at: float = 0
    """How many within the month flag return to the home unit (0: never), from the return triggers."""
    zeroes_category: bool = False
    """The category scores 0 for the month (e.g. a physical fight: 此项不得分)."""
    zeroes_month_at: float = 0
    """How many within the month make the whole month score 0 (e.g. 3 days of absence; 0: never)."""
    stops_pay: bool = False
    """No assessment pay for the month (e.g. exposed online or punished by the discipline commission)."""
    clause: str = ""
    """Where the rule comes from (e.g. "000 篇七 十一(二)3"), shown on every record and scorecard line."""
    subject: str = "staff"
    """Who a record of this kind is about: ``staff``, ``window`` or ``department``."""
    evidence_required: bool = False
    """A record of this kind needs at least one evidence file (photo, scan)."""
    warn_first: bool = False
    """The first occurrence in the month is a warning without points (虽经指出但不及时纠正)."""
    points_min: float = 0
    points_max: float = 0
    """A range (视情节扣10—20分): the recorder chooses the points within it; both 0 = the ladder applies."""
    fine_yuan: float = 0
    """A fine in yuan per unit, besides the points (004/14)."""
    bars_awards: str = ""
    """``person``, ``window`` or ``both``: the record bars awards for the year (取消评先资格)."""
    sanctions: tuple[str, ...] = ()
    """The sanction by occurrence in the month (警告, 书面检查, 通报批评, ...); the last value repeats."""
    immediate_return: bool = False
    """One record opens a return-to-unit case at once, without waiting for the month close (直接退回)."""


class BonusType(msgspec.Struct, frozen=True, kw_only=True):
    """A bonus item of the catalogue."""

    key: str
    name_zh: str
    name_en: str
    category: str
    points: float
    monthly_cap: float
    points_min: float = 0
    points_max: float = 0
    clause: str = ""


class ViolationEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One recorded violation of one staff member on one day."""

    kind: str
    day: dt.date
    quantity: float = 1
    """How many units (e.g. days of absence, items not entered); points are multiplied by it."""
    note: str = ""
    ref: str = ""
    """The recording domain's id of the record (copied onto the scorecard line)."""
    points: float | None = None
    """Points per unit chosen within the kind's range, or set by an appeal decision (None: the ladder)."""


class BonusEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One bonus item earned (e.g. an article published, a thank-you banner)."""

    kind: str
    day: dt.date
    quantity: float = 1
    note: str = ""
    ref: str = ""
    points: float | None = None


class StaffMonth(msgspec.Struct, frozen=True, kw_only=True):
    """The scoring input of one staff member for one month."""

    staff_id: str
    violations: tuple[ViolationEvent, ...] = ()
    bonuses: tuple[BonusEvent, ...] = ()
    year_deductions_before: float = 0
    """Points already deducted in earlier months of the same year (annual award threshold)."""
    quarter_counts_before: dict[str, float] = {}
    """Violation kind -> how many were recorded in earlier months of the same quarter (quarterly triggers)."""
    year_counts_before: dict[str, float] = {}
    """Violation kind -> how many were recorded in earlier months of the same year (yearly triggers)."""


class ScoreLine(msgspec.Struct, frozen=True, kw_only=True):
    """One deduction (negative points) or bonus (positive) on a scorecard, with its reason."""

    kind: str
    name_zh: str
    name_en: str
    category: str
    day: dt.date
    occurrence: int
    points: float
    ref: str = ""
    clause: str = ""
    quantity: float = 1
    fine_yuan: float = 0
    sanction: str = ""
    warning: bool = False
    """The first occurrence of a warn-first kind: recorded, no points."""
    staff_id: str = ""
    """On a window or department scorecard: the member whose record counts for the unit (empty: the unit's own)."""


class Scorecard(msgspec.Struct, frozen=True, kw_only=True):
    staff_id: str
    month: dt.date
    categories: dict[str, float]
    """Category key -> score (between 0 and the category's maximum)."""
    total: float
    deducted: float
    """Points actually lost this month (after the floors at zero), for the annual threshold."""
    bonus: float
    pay_yuan: float
    return_to_unit: bool
    return_reasons: tuple[str, ...]
    year_deductions: float
    award_eligible: bool
    lines: tuple[ScoreLine, ...]
    fines_yuan: float = 0
    bars_awards: tuple[str, ...] = ()
    """``window`` when a record bars the window's awards too (the person's bar is ``award_eligible``)."""
    return_refs: tuple[str, ...] = ()
    """The record refs behind the return-to-unit reasons."""


class UnitMember(msgspec.Struct, frozen=True, kw_only=True):
    """A staff member of a window or department, with the deduction lines of their month's scorecard."""

    staff_id: str
    chief: bool = False
    """The unit's chief representative (首席代表)."""
    lines: tuple[ScoreLine, ...] = ()
    bars_window: bool = False
    """A record of theirs bars the window's awards (e.g. 002 "取消所在窗口和本人评先资格")."""


class UnitMonth(msgspec.Struct, frozen=True, kw_only=True):
    """The scoring input of one window or department for one month."""

    unit_id: str
    subject: Literal["window", "department"]
    violations: tuple[ViolationEvent, ...] = ()
    """Records whose subject is the unit itself."""
    bonuses: tuple[BonusEvent, ...] = ()
    members: tuple[UnitMember, ...] = ()


class UnitScorecard(msgspec.Struct, frozen=True, kw_only=True):
    """A window's or department's month (e.g. the basis of 红旗窗口)."""

    unit_id: str
    subject: Literal["window", "department"]
    month: dt.date
    categories: dict[str, float]
    total: float
    deducted: float
    bonus: float
    award_eligible: bool
    lines: tuple[ScoreLine, ...]


class MonthResult(msgspec.Struct, frozen=True, kw_only=True):
    """One stored monthly scorecard, as the annual view sees it."""

    month: dt.date
    total: float
    deducted: float
    award_eligible: bool = True
    return_to_unit: bool = False


class StaffYear(msgspec.Struct, frozen=True, kw_only=True):
    """A staff member's year for the annual consequences."""

    staff_id: str
    chief: bool = False
    months: tuple[MonthResult, ...] = ()
    leave_days: dict[str, float] = {}
    """Leave type -> working days taken in the year (from the attendance days)."""
    absence_days: float = 0
    """Days of unexcused absence in the year (half days / 2, monthly conversions included)."""


class AnnualResult(msgspec.Struct, frozen=True, kw_only=True):
    staff_id: str
    year: int
    deductions: float
    average_total: float
    months_scored: int
    award_eligible: bool
    award_reasons: tuple[str, ...] = ()
    """Why awards are barred (each with its clause)."""
    bonus_cancelled: bool = False
    bonus_reasons: tuple[str, ...] = ()
    """Why the annual assessment bonus (年度考核奖) is cancelled (each with its clause)."""
    chief_candidate: bool = False
    """A candidate for 优秀首席代表 where the rules name some."""


class AttendanceDayFinding(msgspec.Struct, frozen=True, kw_only=True):
    """One evaluated staff-day with something to say (as stored by attendance)."""

    day: dt.date
    late: int = 0
    early: int = 0
    missed_punches: int = 0
    absence_half_days: int = 0
    leave_half_days: int = 0
    leave_type: str = ""
    off_post_minutes: tuple[int, ...] = ()


class AttendanceStaffMonth(msgspec.Struct, frozen=True, kw_only=True):
    """A staff member's final attendance month, for the attendance -> assessment bridge."""

    staff_id: str
    days: tuple[AttendanceDayFinding, ...] = ()
    converted_half_days: int = 0
    """Half days of absence from the monthly conversions (e.g. 4 lates = half a day)."""


class AssessmentOptions(msgspec.Struct, frozen=True, kw_only=True):
    """Rule-wide assessment settings the recording domain needs besides the catalogue."""

    appeal_working_days: int = 5
    """How many working days after a record its subject may appeal it (申诉期限)."""
    return_authority: str = ""
    """Who approves a return to the home unit (退回原单位的批准机关); empty: the center."""
    return_authority_outside: bool = False
    """The authority is outside the center: its decision is recorded with a scan."""


class ViolationDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A violation the recording domain stores with source ``attendance``."""

    kind: str
    day: dt.date
    quantity: float = 1
    source_ref: str
    """Stable per finding (e.g. ``2026-03-02/late/1``): closing a month twice never doubles a record."""
    note: str = ""


# ---- attendance (考勤) --------------------------------------------------------------------------------------


class AttendanceTally(msgspec.Struct, frozen=True, kw_only=True):
    """One staff member's evaluated month, as the monthly attendance conversions see it (issue 5)."""

    staff_id: str
    workdays: int
    late_count: int
    early_count: int
    late_minutes: int = 0
    early_minutes: int = 0
    missed_punches: int
    """Sessions with one of their two punches missing (未签到), when the tenant counts them as such."""
    absence_half_days: int
    """Unexcused absence found day by day (旷工), in half days."""
    off_post_minutes: tuple[int, ...] = ()
    """The length of every recorded absence from the post (脱岗) in the month, in minutes."""


# ---- patrols and duty (巡查与值班) ----------------------------------------------------------------------------


class ChecklistEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One thing a patrol checks (the patrols pack's checklist)."""

    key: str
    name_zh: str
    name_en: str
    applies_to: str
    """``hall``, ``window`` or ``staff`` (only ``staff`` items are findings about a person)."""
    violation_kind: str = ""
    """The point-values catalogue key a failed item records ("" = noted, no deduction)."""
    sanction: str = "deduction"
    """verbal_warning, written_self_criticism, public_criticism, deduction (000 篇七 工作制度 七(四))."""
    photo_required: bool = False
    clause: str = ""
    off_post: bool = False
    """The person is away without a reported outing: an off-post timer starts (脱岗, timed on the phone)."""


class FixedCheckPlan(msgspec.Struct, frozen=True, kw_only=True):
    """A check due at a set time of one day (e.g. 9:00 卫生安全综合检查)."""

    key: str
    name_zh: str
    name_en: str
    at: dt.time
    items: tuple[str, ...] = ()
    clause: str = ""


class PatrolPlan(msgspec.Struct, frozen=True, kw_only=True):
    """What one day requires of the patrols and the duty rota (the patrols pack's answer)."""

    day: dt.date
    duty_day: bool
    """Someone must be on duty (a working day, or a rest day with holiday duty)."""
    required_total: int
    required_am: int
    required_pm: int
    midday: dt.time
    """Patrols started before this count for the morning, the others for the afternoon."""
    fixed_checks: tuple[FixedCheckPlan, ...] = ()
    closing_check: bool = False
    closing_items: tuple[str, ...] = ()
    checklist: tuple[ChecklistEntry, ...] = ()
    modes: tuple[str, ...] = ()
    rota_mode: str = "staff_weekly"
    """``staff_weekly`` (a person per week) or ``window_monthly`` (windows per month)."""
    windows_per_month: int = 4
    duty_arrival_offset_minutes: int = 0
    """On their duty days the duty officer's sessions start this much earlier (8:20 for 8:30)."""
    gaps_allowed: bool = False
    outing_approval: str = "report"
    """``report`` (told to the duty officer, 000 篇七 二.2) or ``approval`` (002 四.4)."""
    meeting_day: int = 3
    """The monthly meeting's day of the month (moved to the next working day), 0 = the first working day."""
    meeting_time: dt.time = dt.time(8, 30)
    meeting_late_after_minutes: int = 0
    meeting_late_kind: str = "meeting_late"
    meeting_absent_kind: str = "meeting_absent"


class PatrolFinding(msgspec.Struct, frozen=True, kw_only=True):
    """One failed checklist item of a submitted patrol, as the patrols pack judges it."""

    ref: str
    """Stable per finding (patrol id / finding id)."""
    day: dt.date
    item_key: str
    staff_id: str | None = None
    window_id: str | None = None
    mode: str = "on_site"


class FindingOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """What a finding becomes: a violation of ``violation_kind`` (or only a note when empty) with a sanction."""

    violation_kind: str
    sanction: str
    photo_required: bool = False
    clause: str = ""
    off_post: bool = False


# ---- the red flag (流动红旗) ---------------------------------------------------------------------------------


class RedFlagRoundKind(msgspec.Struct, frozen=True, kw_only=True):
    """One kind of round a center holds: monthly or quarterly, how many flags, on which day they are awarded."""

    period: str
    """``month`` or ``quarter``."""
    flags: int
    award_day: int
    """The day of the month after the period the flags are awarded on (moved to the next working day)."""
    clause: str = ""


class RedFlagCriterion(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name_zh: str
    name_en: str
    max_points: float
    source: str
    """``violations``, ``attendance``, ``meetings``, ``patrols``, ``complaints``, ``bonuses`` or ``council``."""
    scoring: str
    """``deduct`` (from the maximum), ``earn`` (up to the maximum) or ``rating`` (the council's rating scaled)."""
    clause: str = ""


class RedFlagTerms(msgspec.Struct, frozen=True, kw_only=True):
    """The red_flag pack's terms for a center: its rounds, the unit that competes, the criteria."""

    rounds: tuple[RedFlagRoundKind, ...]
    unit: str
    """``window`` or ``department``."""
    criteria: tuple[RedFlagCriterion, ...]
    council_required: bool
    """Council ratings (评议) must be entered for every unit before a round is proposed or awarded."""
    min_total: float = 0
    disqualifiers: tuple[tuple[str, str, str], ...] = ()
    """(key, zh, en) of every disqualifier, for the page."""


class RedFlagFact(msgspec.Struct, frozen=True, kw_only=True):
    """One fact about a unit in the period: a violation or bonus record, or a day of duty negligence."""

    ref: str
    """Stable: ``violation/<id>``, ``bonus/<id>``, ``duty/<date>``."""
    source: str
    """The record's origin (``attendance``, ``patrol``, ``meeting``, ``complaint``, ``case``, ``manual``),
    ``bonus`` for a bonus record, ``duty`` for a duty day whose patrols fell short."""
    kind: str
    day: dt.date
    points: float = 0
    """The record's own points (catalogue value times quantity), positive."""
    quantity: float = 1


class RedFlagUnit(msgspec.Struct, frozen=True, kw_only=True):
    unit_id: str
    facts: tuple[RedFlagFact, ...] = ()
    council_rating: float | None = None
    """The council's rating out of 100 (评议), ``None`` while not entered."""


class RedFlagLine(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name_zh: str
    name_en: str
    max_points: float
    points: float
    refs: tuple[str, ...] = ()
    """The facts counted on this line."""
    deductions: tuple[float, ...] = ()
    """What each fact of ``refs`` took off (or added), in the same order."""
    note_zh: str = ""
    note_en: str = ""
    clause: str = ""


class RedFlagScore(msgspec.Struct, frozen=True, kw_only=True):
    unit_id: str
    total: float
    lines: tuple[RedFlagLine, ...]
    disqualified: tuple[RedFlagLine, ...] = ()
    """One line per disqualifier met (``refs``: the facts that met it); empty = eligible."""


# ---- complaints and case time limits (投诉、办件时限, issue 15) -------------------------------------------------

DeadlineUnit = Literal["minutes", "hours", "days", "working_days"]
"""How a deadline counts: ``minutes`` / ``hours`` run on working days only (the clock stops over rest days and
holidays, runs on 调休 workdays); ``days`` are calendar days, the last one postponed to the next working day when
``postpone`` (遇法定假日顺延); ``working_days`` count on the center's work calendar. Computed by the one function
``govhall.packs.calendar.deadline``."""


class Deadline(msgspec.Struct, frozen=True, kw_only=True):
    amount: int
    unit: DeadlineUnit
    postpone: bool = True
    """``days`` only: a last day that is not a working day moves to the next working day."""


class ComplaintFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What the complaints pack decides about one complaint from."""

    complaint_id: str
    class_key: str
    channel: str
    level: str = "center"
    """Where it was lodged: ``center`` (at the hall, oral or written), ``city``, ``province``."""
    written: bool = False
    departments: int = 1
    """How many departments (windows' units) it involves (002 四.3: two or more -> its own class)."""


class ComplaintTerms(msgspec.Struct, frozen=True, kw_only=True):
    """The rules' answer for one complaint."""

    class_key: str
    class_name: str
    class_name_en: str
    deadline: Deadline
    clause: str = ""
    reply_in_writing: bool = False
    """The reply must be written (004 投诉 7 "书面投诉必须书面答复")."""
    person_violation_kind: str = ""
    """The assessment catalogue kind a substantiated complaint records for the person ("" = none)."""
    window_points: float = 0
    """What it costs the window by the level it was lodged at (000 篇七 十.3⑧: 口头1、书面3、到市5)."""
    window_zeroes: bool = False
    """Lodged at province level or above: the window's criterion scores 0 (此项不得分)."""
    reporter_reward_yuan: float = 0


class CaseClock(msgspec.Struct, frozen=True, kw_only=True):
    """One case's position against its due time, as the cards rule sees it."""

    case_id: str
    case_type: str
    overdue_minutes: int
    """Minutes past the due time on the working-day clock (0 = not overdue)."""
    overdue_working_days: int
    """Working days past the due date (the due day itself not counted)."""


class CaseFinding(msgspec.Struct, frozen=True, kw_only=True):
    """The card a case earns and what it costs (000 篇七 十.3⑨; 004/14 (三)(6); 002 罗田 考核 (三)2)."""

    card: Literal["", "yellow", "red"]
    card_points: float = 0
    """Against the window (the red-flag criterion 协同办公平台)."""
    violation_kind: str = ""
    """Catalogue kind recorded for the first-responsible clerk ("" = none)."""
    quantity: float = 1
    """Per case, or days overdue with ``per_day`` rules (每件每超过1天扣2分)."""
    clause: str = ""
