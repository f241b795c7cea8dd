"""Attendance rules with concrete punches: every finding and every monthly conversion, each citing its seed clause.

Seed file names are relative to the shared folder (``shared/seeds/``); line numbers locate the clause.
"""

from __future__ import annotations

from govhall.domain.attendance.rules import (
    AttendanceRules,
    DayResult,
    Finding,
    MissingPunch,
    compile_day,
    evaluate_day,
    hhmm,
    outside_windows,
    summarize_month,
)
from tests.attendance.schedules import FRIDAY, MONDAY, city, county, luotian, rest, t

RULES = AttendanceRules()


def run(schedule, punches, leaves=(), rules=RULES, **kw) -> DayResult:  # type: ignore[no-untyped-def]
    return evaluate_day(compile_day(schedule, rules), [t(p) for p in punches],
                        [(t(a), t(b)) for a, b in leaves], rules, **kw)


# ---- daily findings -------------------------------------------------------------------------------------------


def test_four_punches_in_time_is_on_time() -> None:
    """seed 000 (line 1024, 二、考勤制度 2): 考勤实行上、下班全天四次人脸识别录入制度; county hall hours
    (line 844, 七、考勤规范 一)1): 上午8:30至12:00, 下午14:30至18:00."""
    r = run(county(), ["08:25", "12:01", "14:28", "18:02"])
    assert r.finding is Finding.on_time
    assert (r.late_count, r.early_count, r.missed_punches, r.absence_half_days) == (0, 0, 0, 0)
    assert [s["status"] for s in r.sessions] == ["on_time", "on_time"]
    assert r.sessions[0]["in"] == "08:25" and r.sessions[1]["out"] == "18:02"


def test_arrival_after_start_is_late_by_whole_minutes() -> None:
    """seed 000 (line 848, 七、考勤规范 一)2): 时间为上午8:30前…下午2:30前; a punch at 08:42 is 12 minutes late,
    08:30:59 is still 08:30 (whole minutes)."""
    r = run(county(), ["08:42", "12:00", "14:30:59", "18:00"])
    assert r.finding is Finding.late
    assert (r.late_count, r.late_minutes) == (1, 12)
    assert r.sessions[0]["lateMinutes"] == 12 and r.sessions[1]["status"] == "on_time"


def test_departure_before_end_is_early_leave() -> None:
    """seed 000 (line 848): 中午12:00后…18:00后; leaving at 17:50 is 10 minutes early (早退)."""
    r = run(county(), ["08:20", "12:00", "14:20", "17:50"])
    assert r.finding is Finding.early_leave
    assert (r.early_count, r.early_minutes) == (1, 10)


def test_late_and_early_on_the_same_day() -> None:
    """seed 000 (line 188): 严格遵守考勤制度，不迟到、不早退 — both on one day are counted separately."""
    r = run(county(), ["08:35", "11:45", "14:30", "18:00"])
    assert r.finding is Finding.late_early
    assert (r.late_count, r.late_minutes, r.early_count, r.early_minutes) == (1, 5, 1, 15)
    assert r.sessions[0]["status"] == "late_early"


def test_grace_minutes_from_the_work_hours_pack() -> None:
    """The work_hours pack's grace: with 5 minutes, 08:35 is on time and 08:36 is 6 minutes late."""
    assert run(county(late_grace=5), ["08:35", "12:00", "14:30", "18:00"]).finding is Finding.on_time
    r = run(county(late_grace=5), ["08:36", "12:00", "14:30", "18:00"])
    assert (r.finding, r.late_minutes) == (Finding.late, 6)


def test_one_missing_punch_is_a_missed_punch_by_default() -> None:
    """seed 000 (line 888, 二)请假制度 10.7): 累计未签到…计旷工 — one forgotten noon punch is one missed punch."""
    r = run(county(), ["08:20", "14:25", "18:00"])
    assert r.finding is Finding.missed_punch
    assert (r.missed_punches, r.absence_half_days) == (1, 0)
    assert r.sessions[0]["status"] == "missed_out"


def test_session_without_any_punch_is_half_a_day_of_absence() -> None:
    """seed 000 (line 876, 10.1): 未履行请假手续不上班的按旷工处理 — a whole session absent is 旷工半天."""
    r = run(county(), ["08:20", "12:00"])
    assert r.finding is Finding.absence
    assert r.absence_half_days == 1
    assert r.sessions[1]["status"] == "absence"


def test_day_without_any_punch_is_a_whole_day_of_absence() -> None:
    """seed 000 (line 1226, 作息规范 2): 未到岗又未告假的按旷工一天处理 — two half days."""
    r = run(county(), [])
    assert (r.finding, r.absence_half_days) == (Finding.absence, 2)


def test_missing_punch_as_absence_city_hall() -> None:
    """seed 000 (line 106, 市政务大厅 七、考勤规范 2): 有上班考勤无下班考勤或有下班考勤无上班考勤且无有效请假记录的，
    视为旷工 — the city's rule makes one missing punch half a day of absence."""
    rules = AttendanceRules(missing_punch=MissingPunch.absence)
    r = run(city(), ["08:20", "14:25", "17:30"], rules=rules)
    assert (r.finding, r.absence_half_days, r.missed_punches) == (Finding.absence, 1, 0)
    assert r.sessions[0]["missing"] == "out"


def test_missing_punch_as_late_or_early_seed_002() -> None:
    """seed 002 (line 241, 嚴格考勤 1): 上班未考勤視為遲到，下班未考勤視為早退."""
    rules = AttendanceRules(missing_punch=MissingPunch.late_early)
    r = run(county(), ["12:00", "14:30"], rules=rules)  # no arrival in the morning, no departure in the evening
    assert r.finding is Finding.late_early
    assert (r.late_count, r.early_count, r.missed_punches) == (1, 1, 0)


def test_full_day_leave_is_on_leave() -> None:
    """seed 000 (line 876, 10.1-10.2): absence is 未履行请假手续 — approved leave covering the day is not absence."""
    r = run(county(), [], leaves=[("00:00", "23:59:59")])
    assert (r.finding, r.leave_half_days, r.absence_half_days) == (Finding.on_leave, 2, 0)


def test_half_day_leave_and_the_other_half_on_time() -> None:
    """seed 002 (line 164): 請假半天以內的 — a half-day leave in the afternoon, morning punched in time."""
    r = run(county(), ["08:20", "12:05"], leaves=[("14:30", "18:00")])
    assert (r.finding, r.leave_half_days, r.absence_half_days) == (Finding.on_time, 1, 0)
    assert r.sessions[1]["status"] == "leave"


def test_leave_covering_the_start_moves_the_expected_arrival() -> None:
    """Leave 08:30-10:00: arriving 09:55 is on time, 10:20 is 20 minutes late."""
    assert run(county(), ["09:55", "12:00", "14:30", "18:00"], leaves=[("08:30", "10:00")]).finding is Finding.on_time
    r = run(county(), ["10:20", "12:00", "14:30", "18:00"], leaves=[("08:30", "10:00")])
    assert (r.finding, r.late_minutes) == (Finding.late, 20)


def test_leave_covering_the_end_moves_the_expected_departure() -> None:
    r = run(county(), ["08:30", "12:00", "14:30", "16:00"], leaves=[("16:00", "18:00")])
    assert r.finding is Finding.on_time


def test_weekend_and_holiday_are_rest_days_and_punches_do_not_count() -> None:
    """A non-working day of the work_hours calendar (weekend, statutory holiday) is a rest day."""
    assert run(rest(), ["09:00"]).finding is Finding.rest_day
    r = run(rest(reason="statutory_holiday"), [])
    assert (r.finding, r.reason) == (Finding.rest_day, "statutory_holiday")


def test_closed_session_still_expects_punches() -> None:
    """seed 000 (line 104, 市政务大厅 七、考勤规范 1): 星期五下午内部学习，不对外办公 — staff are there, so they punch."""
    r = run(city(FRIDAY), ["08:25", "11:31"])
    assert (r.finding, r.absence_half_days) == (Finding.absence, 1)
    r = run(city(FRIDAY), ["08:25", "11:31"], rules=AttendanceRules(closed_sessions_require_punches=False))
    assert r.finding is Finding.on_time
    assert r.sessions[1]["status"] == "not_required"


def test_punch_outside_every_window_counts_for_nothing() -> None:
    """A punch at 07:00 is before the arrival window (start - 60 min) of an 08:30 session."""
    r = run(county(), ["07:00", "12:00", "14:30", "18:00"])
    assert r.finding is Finding.missed_punch and r.sessions[0]["status"] == "missed_in"


def test_outside_punches_name_the_nearest_window() -> None:
    """The punches no window takes, and why (issue 13, honest clock-in), county hours 8:30-12:00 / 14:30-18:00 with
    windows from 60 minutes before to 120 after: 07:00 is before the morning's arrival window (07:30-10:15), 21:00
    after the afternoon's departure window (16:15-20:00); on a rest day every punch is outside."""
    plan = compile_day(county(), RULES)
    found = outside_windows(plan, [t("07:00"), t("08:30"), t("12:00"), t("21:00")])
    assert [(hhmm(o.at), o.reason, o.label, o.window, hhmm(o.window_start), hhmm(o.window_end)) for o in found] == [
        ("07:00", "before_window", "上午", "in", "07:30", "10:15"),
        ("21:00", "after_window", "下午", "out", "16:15", "20:00")]
    assert [o.reason for o in outside_windows(compile_day(rest(), RULES), [t("09:00")])] == ["rest_day"]


def test_one_punch_serves_one_session_only() -> None:
    """A single punch at 13:00 (between the sessions) closes the morning; the afternoon still lacks its arrival."""
    r = run(county(), ["08:30", "13:00", "18:00"])
    assert r.sessions[0]["status"] == "on_time"
    assert r.sessions[1]["status"] == "missed_in"


def test_same_punches_under_two_tenants_give_different_findings() -> None:
    """罗田 (8:00-11:30, 14:00-17:00) vs 团风 (seed 000 county hall, 8:30-12:00, 14:30-18:00): the same four
    punches are late twice in one center and early twice in the other."""
    punches = ["08:15", "11:35", "14:05", "17:05"]
    lt = run(luotian(), punches)
    tf = run(county(), punches)
    assert (lt.finding, lt.late_count, lt.late_minutes, lt.early_count) == (Finding.late, 2, 20, 0)
    assert (tf.finding, tf.early_count, tf.early_minutes, tf.late_count) == (Finding.early_leave, 2, 25 + 55, 0)


# ---- today (the live board) --------------------------------------------------------------------------------


def test_today_before_the_end_is_in_progress_not_missing() -> None:
    sched = county()
    assert run(sched, ["08:20"], now=t("09:00")).finding is Finding.in_progress
    r = run(sched, [], now=t("08:40"))
    assert r.sessions[0]["status"] == "missed_in"  # not arrived 10 minutes after the start
    assert r.sessions[1]["status"] == "upcoming"
    late = run(sched, ["08:45"], now=t("09:00"))
    assert (late.finding, late.late_minutes) == (Finding.late, 15)


# ---- adding up a month -------------------------------------------------------------------------------------


def test_month_adds_up_days_and_keeps_rest_and_pending_apart() -> None:
    days = [DayResult(MONDAY, Finding.absence, absence_half_days=2),
            DayResult(MONDAY, Finding.late, late_count=1, late_minutes=7),
            DayResult(MONDAY, Finding.missed_punch, missed_punches=1, off_post_minutes=(130,)),
            DayResult(MONDAY, Finding.on_time), DayResult(MONDAY, Finding.rest_day),
            DayResult(MONDAY, Finding.pending)]
    m = summarize_month(days)
    assert (m.workdays, m.on_time_days, m.pending_days) == (4, 1, 1)
    assert (m.absence_half_days, m.late_count, m.late_minutes, m.missed_punches) == (2, 1, 7, 1)
    assert m.off_post_minutes == [130] and m.converted == {} and m.total_absence_half_days == 2


def test_rules_from_pack_settings() -> None:
    from govhall_packs.attendance_rules.settings import AttendanceRulesSettings

    rules = AttendanceRules.from_settings(AttendanceRulesSettings(missing_punch="absence", backdate_days=7))
    assert rules.missing_punch is MissingPunch.absence and rules.backdate_days == 7
    # Typed, not by field names: the pack's struct is the one source (a mapping is no longer accepted).
    assert AttendanceRules.from_settings(AttendanceRulesSettings(missing_punch="late_early")).missing_punch \
        is MissingPunch.late_early
    assert AttendanceRules.from_settings(AttendanceRulesSettings()) == AttendanceRules()
    assert AttendanceRules.from_settings(None) == AttendanceRules()
