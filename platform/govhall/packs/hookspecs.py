"""The pack hooks: the one documented, typed API between the core and the policy packs.

Every hook is batch-shaped: it answers for a set of days, requests or staff at once (a tenant-month is a few
calls, never one per staff-day). Every hook receives ``rules`` (``TenantRules``): the tenant and the resolved
settings of its *enabled* packs; the core only ever calls the hooks of the packs the tenant enabled, with the
settings in force on the dates the call covers (one call per span of unchanged settings).

How results combine is stated per hook:

- *firstresult*: the first implementation that returns something other than ``None`` wins (later-registered
  packs are asked first, as in pluggy). A pack returns ``None`` when it has nothing to say.
- *list*: every enabled implementation is called and the core merges the lists.

A pack implements a hook with ``@hookimpl`` (exported here) on a function of the same name; it may accept any
subset of the arguments. ``tests/packs/test_contract.py`` checks every registered pack against these specs
(``check_pending``) and that each spec documents every argument; ``tests/packs/test_hookspecs.py`` that every
spec has a caller in the core (a hook nobody calls is a promise the core does not keep) and that every test
file these docs name exists.

Changing a hook: add, never break. A new argument is optional for implementations (pluggy passes the subset a
hookimpl asks for); a hook to be retired keeps its spec with ``warn_on_impl=DeprecationWarning(...)`` (pluggy's
deprecation path: registering a pack that implements it warns) for a release before it goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import pluggy

if TYPE_CHECKING:
    from govhall.packs.spec import SettingsMigration
    from govhall.packs.types import (
        AnnualResult,
        ApprovalStep,
        AssessmentOptions,
        AttendanceStaffMonth,
        AttendanceTally,
        BonusType,
        CalendarCoverage,
        CaseClock,
        CaseFinding,
        ComplaintFacts,
        ComplaintTerms,
        DaySchedule,
        DressCode,
        FindingOutcome,
        LeaveOutcome,
        LeaveProblem,
        LeaveRequest,
        PatrolFinding,
        PatrolPlan,
        RedFlagScore,
        RedFlagTerms,
        RedFlagUnit,
        Scorecard,
        StaffMonth,
        StaffYear,
        TenantRules,
        UnitMonth,
        UnitScorecard,
        ViolationDraft,
        ViolationType,
    )

PROJECT = "govhall"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

_F = TypeVar("_F", bound=Callable[..., object])


def _spec(func: _F) -> _F:
    """A list-combining hook (every implementation is called)."""
    return hookspec(func)


def _first(func: _F) -> _F:
    """A firstresult hook (the first non-None answer wins)."""
    return hookspec(firstresult=True)(func)


# ---- work hours (作息时间) --------------------------------------------------------------------------------


@_first
def govhall_work_calendar(rules: TenantRules, days: Sequence[dt.date]) -> dict[dt.date, DaySchedule] | None:
    """The sessions of the tenant on each of ``days`` (working day or not, why, grace and punch windows).

    :param rules: the tenant and the resolved settings of its enabled packs, in force on all of ``days``.
    :param days: the dates to answer for, ascending, without gaps or duplicates.
    :returns: one ``DaySchedule`` per date of ``days``. *firstresult*.
    :raises PackRuleError: when a date lies in a year for which neither the statutory calendar nor the
        tenant's own calendar has data (never a silent guess).
    """


@_first
def govhall_calendar_coverage(rules: TenantRules, years: Sequence[int]) -> CalendarCoverage | None:
    """Whether the work calendar knows the statutory holidays and adjusted workdays of each of ``years``, so
    that a center can be warned before a year begins for which ``govhall_work_calendar`` would refuse.

    :param rules: the tenant and the resolved settings of its enabled packs, in force on the dates asked about.
    :param years: the years to answer for (e.g. the current and the next).
    :returns: a ``CalendarCoverage`` with one ``YearCoverage`` per year and the tenant's warning window.
        *firstresult*: the pack that answers ``govhall_work_calendar`` should answer this too.
    """


# ---- uniform seasons (着装规范) ---------------------------------------------------------------------------


@_first
def govhall_dress_code(rules: TenantRules, days: Sequence[dt.date]) -> dict[dt.date, DressCode] | None:
    """The dress code of each of ``days`` (season, what to wear, badge), shown to staff and on patrols.

    :param rules: the tenant and the resolved settings of its enabled packs, in force on all of ``days``.
    :param days: the dates to answer for.
    :returns: one ``DressCode`` per date (``exempt_reason`` unset). *firstresult*.
    """


@_first
def govhall_dress_exemptions(
    rules: TenantRules, days: Sequence[dt.date], employee_nos: Sequence[str]
) -> dict[str, dict[dt.date, str]] | None:
    """Registered dress-code exemptions (illness, pregnancy, ...) of the given staff on the given days.

    :param rules: the tenant and the resolved settings of its enabled packs, in force on all of ``days``.
    :param days: the dates to answer for.
    :param employee_nos: the staff members asked about (their employee numbers).
    :returns: employee_no -> {date: reason} for the exempt ones only (absent = not exempt). *firstresult*.
    """


# ---- leave (请销假) ---------------------------------------------------------------------------------------


@_spec
def govhall_check_leave(
    rules: TenantRules,
    candidates: Sequence[LeaveRequest],
    existing: Sequence[LeaveRequest],
    today: dt.date,
) -> list[LeaveProblem]:
    """Check leave requests against the tenant's leave rules (quotas, sick notes, substitutes, timing).

    :param rules: the tenant and the resolved settings of its enabled packs, in force on the requests' dates.
    :param candidates: the requests to check (new or changed).
    :param existing: the other pending and approved requests of the same staff in the months concerned; they
        count against the monthly quotas.
    :param today: the tenant's current date (for the ban on retroactive leave).
    :returns: the problems found, each naming its request and field. *list*: the problems of every enabled
        pack are concatenated; an empty list everywhere means the requests may be submitted.
    """


@_first
def govhall_leave_approval_chain(
    rules: TenantRules, requests: Sequence[LeaveRequest]
) -> dict[str, tuple[ApprovalStep, ...]] | None:
    """Who approves each request, in order, by its duration (e.g. center; home unit leader + center; ...).

    :param rules: the tenant and the resolved settings of its enabled packs.
    :param requests: the requests to route.
    :returns: request id -> the ordered approval steps. *firstresult*.
    """


@_spec
def govhall_leave_outcomes(
    rules: TenantRules, requests: Sequence[LeaveRequest], today: dt.date
) -> list[LeaveOutcome]:
    """What the rules make of leave after the fact, for a batch of a tenant's requests at once: a sick leave
    closed without its note becomes personal leave, a leave not closed by its deadline counts as absence, a
    working day without the required cover counts as off post.

    :param rules: the tenant and the resolved settings of its enabled packs.
    :param requests: approved, closed or unclosed requests whose outcome may be due, with ``closed_on``,
        ``closure_due`` and ``uncovered_days`` filled in by the workflow.
    :param today: the tenant's current date (a closure deadline has passed when it is before ``today``).
    :returns: the outcomes; the workflow applies each one once. *list*: every enabled pack's outcomes are
        concatenated.
    """


# ---- assessment (百分制考核) ------------------------------------------------------------------------------


@_first
def govhall_violation_catalogue(rules: TenantRules) -> tuple[ViolationType, ...] | None:
    """The violation types a duty officer may record, with their category and points ladder.

    :param rules: the tenant and the resolved settings of its enabled packs.
    :returns: the catalogue. *firstresult*.
    """


@_first
def govhall_score_month(
    rules: TenantRules, month: dt.date, staff: Sequence[StaffMonth]
) -> dict[str, Scorecard] | None:
    """The monthly 100-point scorecards of a set of staff from their violations and bonuses of the month.

    :param rules: the tenant and the resolved settings of its enabled packs, in force in ``month``.
    :param month: the first day of the month scored.
    :param staff: per staff member: the month's violations and bonuses (each dated) and the deductions
        already recorded earlier in the year (for the annual award threshold).
    :returns: staff id -> ``Scorecard`` (categories, total, pay, return-to-unit flag). *firstresult*.
    """


@_first
def govhall_bonus_catalogue(rules: TenantRules) -> tuple[BonusType, ...] | None:
    """The bonus items a center may award (加分项目), with their points, range, monthly cap and clause.

    :param rules: the tenant and the resolved settings of its enabled packs.
    :returns: the bonus catalogue. *firstresult*.
    """


@_first
def govhall_assessment_options(rules: TenantRules) -> AssessmentOptions | None:
    """Rule-wide assessment settings the recording domain needs (the appeal deadline in working days).

    :param rules: the tenant and the resolved settings of its enabled packs.
    :returns: the options. *firstresult*.
    """


@_first
def govhall_attendance_violations(
    rules: TenantRules, month: dt.date, staff_months: Sequence[AttendanceStaffMonth]
) -> dict[str, tuple[ViolationDraft, ...]] | None:
    """The attendance -> assessment bridge: a tenant-month's final attendance findings become violation drafts
    (stored as records with source ``attendance``), in ONE call per tenant-month.

    :param rules: the tenant and the resolved settings of its enabled packs, in force on the month's last day.
    :param month: the first day of the month.
    :param staff_months: one per staff member with findings: each stored day (lates, early leaves, missed
        punches, absence and leave half days with the leave type, off-post lengths) and the monthly conversions.
    :returns: staff id -> the drafts, each with a stable ``source_ref`` (closing a month twice never doubles a
        record). *firstresult*.
    """


@_first
def govhall_score_units(
    rules: TenantRules, month: dt.date, units: Sequence[UnitMonth]
) -> dict[str, UnitScorecard] | None:
    """Window and department scorecards of a tenant-month (e.g. the basis of 红旗窗口), in ONE call per
    tenant-month after the staff scorecards.

    :param rules: the tenant and the resolved settings of its enabled packs, in force in ``month``.
    :param month: the first day of the month scored.
    :param units: every window and department: the records whose subject is the unit itself and its members
        with the deduction lines of their scorecards (a pack may count a chief's or every member's points for the
        unit, e.g. 000 篇七 服务制度 六(五)2 "计算在本窗口分值").
    :returns: unit id -> ``UnitScorecard`` for the units the rules score (an empty dict when they score none).
        *firstresult*.
    """


@_first
def govhall_annual_consequences(
    rules: TenantRules, year: int, staff: Sequence[StaffYear]
) -> dict[str, AnnualResult] | None:
    """The year sheet of a tenant: award eligibility, the annual assessment bonus cancelled and why, candidates for
    优秀首席代表 where the rules have them; ONE call per tenant-year.

    :param rules: the tenant and the resolved settings of its enabled packs, in force at the year's end (or today).
    :param year: the calendar year.
    :param staff: per staff member: the stored monthly scorecards of the year, leave days by type and days of
        absence (e.g. 000 篇七 工作制度 二.5: sick and personal leave over 30 days or 3 days of absence cancel the
        annual bonus; 002 考核办法 四.2: 30 points a year bar awards).
    :returns: staff id -> ``AnnualResult``. *firstresult*.
    """


# ---- attendance (考勤) ------------------------------------------------------------------------------------


@_first
def govhall_attendance_conversions(
    rules: TenantRules, month: dt.date, tallies: Sequence[AttendanceTally]
) -> dict[str, dict[str, int]] | None:
    """Monthly conversions of attendance counts into half days of unexcused absence (e.g. 当月迟到或早退4次以上的
    计旷工半天; 未签到4次计旷工半天、8次计旷工1天; 擅离岗位超过2小时计旷工半天).

    :param rules: the tenant and the resolved settings of its enabled packs, in force on the month's last day.
    :param month: the first day of the month.
    :param tallies: one per staff member: the month's late / early / missed-punch counts, daily absence and the
        length of every absence from the post.
    :returns: staff id -> {conversion key: half days} (keys such as ``late_early``, ``missed_punch``,
        ``off_post``); staff without any conversion may be left out. *firstresult*.
    """


# ---- patrols and duty (巡查与值班) ----------------------------------------------------------------------------


@_first
def govhall_patrol_plan(rules: TenantRules, days: Sequence[DaySchedule]) -> dict[dt.date, PatrolPlan] | None:
    """What each day of a span requires: patrols per day and per half day (每天巡查不少于四次，原则上午、下午各两次),
    the fixed checks (上午9时卫生安全综合检查), the closing check, the checklist, the rota mode and the duty officer's
    earlier arrival (8:20 / 2:20).

    :param rules: the tenant and the resolved settings of its enabled packs, in force on all the days.
    :param days: the work calendar of the days (the work_hours pack's answer): whether each is a working day
        and its sessions.
    :returns: date -> ``PatrolPlan`` for every day asked. *firstresult*. Tested by
        ``tests/supervision/test_patrol_pack.py``.
    """


@_first
def govhall_patrol_findings(rules: TenantRules, findings: Sequence[PatrolFinding]
                            ) -> dict[str, FindingOutcome] | None:
    """What the findings of a batch of submitted patrols become (000 篇七 工作制度 七(四): 轻者口头批评、警告并责令
    当场纠正；重者书面检查、通报批评，累计扣分).

    :param rules: the tenant and the resolved settings of its enabled packs, in force on the patrols' day.
    :param findings: every failed checklist item of the patrols, each with a stable ``ref``.
    :returns: ref -> ``FindingOutcome`` (the violation kind recorded, "" for a note only; the sanction; whether a
        photo is needed); refs left out are notes. *firstresult*.
    """


# ---- the red flag (流动红旗) ---------------------------------------------------------------------------------


@_first
def govhall_red_flag_terms(rules: TenantRules) -> RedFlagTerms | None:
    """The center's red-flag rounds (monthly, quarterly: 000 篇七 工作制度 十.2 每月评选一次，每月3日颁布; 三.4
    季度评选红旗窗口), the unit that competes (window or department), the criteria and the disqualifiers.

    :param rules: the tenant and the resolved settings of its enabled packs, in force at the period's end.
    :returns: ``RedFlagTerms``. *firstresult*. Tested by ``tests/supervision/test_red_flag_pack.py``.
    """


@_first
def govhall_red_flag_score(rules: TenantRules, period_start: dt.date, period_end: dt.date,
                           units: Sequence[RedFlagUnit]) -> dict[str, RedFlagScore] | None:
    """Score every unit of a round from its facts in ONE call (000 篇七 工作制度 十.3 百分制考评: ten criteria with
    their maximum points; 004/4 四.4 值班窗口未认真履行职责，当月不得评为红旗窗口).

    :param rules: the tenant and the resolved settings of its enabled packs, in force at the period's end.
    :param period_start: the first day of the period.
    :param period_end: the last day of the period.
    :param units: every competing unit with its facts (violation and bonus records, days of duty negligence) and
        the council's rating.
    :returns: unit id -> ``RedFlagScore`` (lines per criterion with the facts counted, disqualifiers met).
        *firstresult*. Tested by ``tests/supervision/test_red_flag_pack.py``.
    """


# ---- complaints and case time limits (issue 15) --------------------------------------------------------------


@_first
def govhall_complaint_terms(rules: TenantRules, complaints: Sequence[ComplaintFacts]
                            ) -> dict[str, ComplaintTerms] | None:
    """The terms of each complaint: its class and reply deadline (amount and unit; the core turns it into a due
    time with ``govhall.packs.calendar.deadline`` on the center's own calendar), whether the reply must be
    written, what a substantiated complaint costs the person and the window, and the reporter's reward.

    :param rules: the tenant and the resolved settings of its enabled packs, in force on the day received.
    :param complaints: the complaints (id, class asked for, channel, level lodged, written, departments involved).
    :returns: complaint id -> ``ComplaintTerms``. *firstresult*. Tested by ``tests/complaints/test_pack.py``.
    """


@_first
def govhall_case_findings(rules: TenantRules, cases: Sequence[CaseClock]) -> dict[str, CaseFinding] | None:
    """The card each case earns from its position against its due time (yellow and red thresholds), the card's
    points against the window and the violation the first-responsible clerk gets.

    :param rules: the tenant and the resolved settings of its enabled packs, in force on the day evaluated.
    :param cases: one ``CaseClock`` per case (minutes and working days past its due time).
    :returns: case id -> ``CaseFinding`` (card ``""`` when none). *firstresult*. Tested by
        ``tests/complaints/test_cases.py``.
    """


# ---- the host (not per tenant) ------------------------------------------------------------------------------


@_spec
def govhall_settings_migrations() -> list[SettingsMigration]:
    """The pack's settings migrations: one ``SettingsMigration`` per step ``n -> n + 1`` of its
    ``PackSpec.schema_version`` (renamed fields, converted values, and the complete defaults of schema ``n``).

    A host hook: called once by the pack host for every installed pack (not per tenant, so no ``rules``), when
    settings are resolved. Without a step, settings saved under an older schema, and dates on which an older
    schema was in force, cannot be resolved: the core says so (409 ``pack_settings_history_missing``) instead of
    guessing. Tested by ``tests/packs/test_settings_upgrade.py``.

    :returns: the migrations of this pack. *list*: the host collects every pack's steps (each names its pack).
    """


HOST_HOOKS: tuple[str, ...] = ("govhall_settings_migrations",)
"""Hooks the host calls for every installed pack, without a tenant's ``rules``."""

HOOK_NAMES: tuple[str, ...] = tuple(
    name for name, value in list(globals().items()) if name.startswith("govhall_") and callable(value)
)

__all__ = ("HOOK_NAMES", "HOST_HOOKS", "PROJECT", "hookimpl", "hookspec")
