"""The complaints pack and the one deadline function, with concrete dates on the center's own calendar:
a weekend (2026-11-07/08), the National Day holiday (2026-10-01..07) and its 调休 Saturday (2026-10-10, a workday)."""

from __future__ import annotations

from datetime import datetime

import pytest

from govhall.packs.calendar import deadline
from govhall.packs.types import CaseClock, ComplaintFacts, Deadline
from govhall.tenancy import tenant_scope
from govhall_packs.complaints import logic
from govhall_packs.complaints.settings import ComplaintsSettings
from tests.attendance.conftest import CST
from tests.complaints.conftest import C, as_user, complaints_center, post, template


def at(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=CST)


CASES = [
    # (start, amount, unit, postpone, expected due) — one weekend, one holiday and one 调休 case per unit
    ("2026-11-06 10:00", 2, "working_days", True, "2026-11-10 23:59:59"),  # Fri + 2 wd: Mon, Tue
    ("2026-09-30 10:00", 2, "working_days", True, "2026-10-09 23:59:59"),  # over National Day: Thu 8, Fri 9
    ("2026-10-09 10:00", 1, "working_days", True, "2026-10-10 23:59:59"),  # the 调休 Saturday counts
    ("2026-11-06 10:00", 1, "days", True, "2026-11-09 23:59:59"),  # Sat -> Monday (遇法定假日顺延)
    ("2026-11-06 10:00", 1, "days", False, "2026-11-07 23:59:59"),  # 000 "三日内": no postponing
    ("2026-09-30 10:00", 3, "days", True, "2026-10-08 23:59:59"),  # Oct 3 is a holiday -> Oct 8
    ("2026-10-07 10:00", 3, "days", True, "2026-10-10 23:59:59"),  # Oct 10, the 调休 Saturday, is a working day
    ("2026-11-06 20:00", 24, "hours", True, "2026-11-09 20:00:00"),  # 4 h Fri + 20 h Mon; the weekend stops it
    ("2026-09-30 12:00", 24, "hours", True, "2026-10-08 12:00:00"),  # 12 h + the holiday stops it + 12 h
    ("2026-10-09 12:00", 24, "hours", True, "2026-10-10 12:00:00"),  # runs on the 调休 Saturday
    ("2026-11-06 23:50", 30, "minutes", True, "2026-11-09 00:20:00"),
    ("2026-09-30 23:45", 30, "minutes", True, "2026-10-08 00:15:00"),
    ("2026-10-09 23:40", 30, "minutes", True, "2026-10-10 00:10:00"),
    ("2026-11-07 09:00", 30, "minutes", True, "2026-11-09 00:30:00"),  # received on a Saturday: from Monday
]


@pytest.mark.parametrize(("start", "amount", "unit", "postpone", "due"), CASES)
async def test_one_deadline_function_on_the_centers_calendar(owner_session, demo, start, amount, unit, postpone,
                                                             due) -> None:  # type: ignore[no-untyped-def]
    """000 篇七 九.3 (三日内), 服务制度 五.6 (5个工作日); 002 限时办结 1 (按正常工作日计算，遇法定假日顺延);
    004/10 (即办件 30 分钟): every unit across a weekend, a holiday and a 调休 workday."""
    c = await complaints_center(owner_session, demo)
    with tenant_scope(c.id):
        got = await deadline(owner_session, c.id, at(start), Deadline(amount=amount, unit=unit, postpone=postpone),
                             CST)
    assert got == at(due)


def test_terms_by_seed() -> None:
    """000 篇七 (defaults): 一般 5 个工作日, 重要 3 日; 十.3⑧ 窗口 口头1、书面3、到市5、省级以上不得分; 奖励 50 元.
    002 投诉 四.3: two departments -> 2 个工作日. 004 投诉 7: 书面投诉必须书面答复."""
    s = ComplaintsSettings()
    t = logic.complaint_terms(s, [
        ComplaintFacts(complaint_id="a", class_key="important", channel="phone"),
        ComplaintFacts(complaint_id="b", class_key="general", channel="letter"),
        ComplaintFacts(complaint_id="c", class_key="general", channel="phone", level="city"),
        ComplaintFacts(complaint_id="d", class_key="general", channel="phone", level="province")])
    assert (t["a"].deadline.amount, t["a"].deadline.unit, t["a"].window_points) == (3, "days", 1)
    assert (t["b"].deadline.amount, t["b"].deadline.unit, t["b"].window_points) == (5, "working_days", 3)
    assert (t["c"].window_points, t["d"].window_zeroes, t["a"].reporter_reward_yuan) == (5, True, 50)
    assert t["b"].reply_in_writing is False
    import msgspec

    luotian = msgspec.convert(template("luotian", "complaints"), ComplaintsSettings)
    t = logic.complaint_terms(luotian, [ComplaintFacts(complaint_id="x", class_key="individual", channel="web",
                                                       departments=2)])
    assert (t["x"].class_key, t["x"].deadline.amount, t["x"].deadline.unit) == ("multi_department", 2,
                                                                                 "working_days")
    s004 = ComplaintsSettings(written_needs_written_reply=True)
    assert logic.complaint_terms(s004, [ComplaintFacts(complaint_id="w", class_key="general",
                                                       channel="letter")])["w"].reply_in_writing


def test_cards_at_their_thresholds() -> None:
    """000 篇七 十.3⑨: 黄牌 2 分, 红牌 3 分 (yellow as soon as overdue, red from 2 working days overdue);
    004/14 (三)(6): 每件每超过1天扣2分 -> the quantity is the working days overdue."""
    s = ComplaintsSettings()
    f = logic.case_findings(s, [CaseClock(case_id="0", case_type="promised", overdue_minutes=0, overdue_working_days=0),
                                CaseClock(case_id="1", case_type="promised", overdue_minutes=1, overdue_working_days=0),
                                CaseClock(case_id="2", case_type="promised", overdue_minutes=2000,
                                          overdue_working_days=1),
                                CaseClock(case_id="3", case_type="promised", overdue_minutes=3000,
                                          overdue_working_days=2)])
    assert [(f[k].card, f[k].card_points) for k in "0123"] == [("", 0), ("yellow", 2), ("yellow", 2), ("red", 3)]
    per_day = logic.case_findings(ComplaintsSettings(overdue_per_day=True, overdue_violation_kind="case_overdue_day"),
                                  [CaseClock(case_id="9", case_type="promised", overdue_minutes=5000,
                                             overdue_working_days=3)])["9"]
    assert (per_day.violation_kind, per_day.quantity) == ("case_overdue_day", 3.0)


async def test_two_centers_two_due_dates_for_the_same_complaint(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """The same complaint about two departments, received Wed 2026-09-30 10:00: the county (000 篇七 九.3 重要投诉
    三日内) answers by Sat 10-03; 罗田 (002 投诉 四.3 两个以上部门 2 个工作日) by Fri 10-09 (after National Day)."""
    county = await complaints_center(owner_session, demo, "county_hall")
    luotian = await complaints_center(owner_session, demo, "luotian")
    dues = []
    for c, klass in ((county, "important"), (luotian, "individual")):
        await as_user(client, c.users["intake"])
        r = await post(client, C.format(c.id), {"channel": "phone", "subject": "窗口推诿", "classKey": klass,
                                                 "departments": 2, "receivedAt": "2026-09-30T10:00:00+08:00",
                                                 "anonymous": True})
        assert r.status_code == 201, r.text
        dues.append((r.json()["classKey"], datetime.fromisoformat(r.json()["dueAt"]), r.json()["deadline"]))
    assert dues == [("important", at("2026-10-03 23:59:59"), "3日"),
                    ("multi_department", at("2026-10-09 23:59:59"), "2个工作日")]
