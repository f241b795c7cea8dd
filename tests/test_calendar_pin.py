"""The tests see the statutory calendar up to 2026 only (tests/conftest.py ``calendar_pinned_at_2026``), so the
tests of a year not entered yet (2027) do not depend on the installed chinesecalendar version (issue 9)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from govhall_packs.work_hours import logic
from tests.conftest import CALENDAR_LAST_YEAR


def test_the_calendar_ends_with_2026_in_tests_whatever_is_installed() -> None:
    assert logic.package_last_year() == CALENDAR_LAST_YEAR == 2026
    assert logic.package_covers(2026) and not logic.package_covers(2027)
    # 2026 answers exactly as the installed package: 2026-10-01 National Day, 2026-02-14 (Saturday) worked
    for day in (dt.date(2026, 10, 1), dt.date(2026, 2, 14), dt.date(2026, 6, 3)):
        assert logic.chinese_calendar.get_holiday_detail(day) == chinese_calendar.get_holiday_detail(day)
