"""Working-day arithmetic on a center's own work calendar (govhall.packs.calendar): statutory holidays are
skipped, adjusted workdays (调休) count, a year without calendar data is refused, never guessed.

Seed 002 上班请销假制度 一: 实行每周五天工作制，双休日及国家法定节假日 — the State Council's 2026 arrangement
(chinesecalendar): Spring Festival 2026-02-15..23 off with Saturdays 02-14 and 02-28 worked; National Day
2026-10-01..07 off with Sunday 09-20 and Saturday 10-10 worked.
"""

from __future__ import annotations

import datetime as dt

import pytest

from govhall.errors import AppError
from govhall.packs import calendar
from govhall.packs.calendar import add_working_days, count_working_days
from govhall.tenancy import tenant_scope

D = dt.date


async def _add(session, center, start, n):  # type: ignore[no-untyped-def]
    with tenant_scope(center.id):
        try:
            return await add_working_days(session, center.id, start, n)
        finally:
            await session.commit()


async def _count(session, center, start, end):  # type: ignore[no-untyped-def]
    with tenant_scope(center.id):
        try:
            return await count_working_days(session, center.id, start, end)
        finally:
            await session.commit()


async def test_add_working_days_across_spring_festival_and_an_adjusted_saturday(centers, owner_session) -> None:
    """002 一: Friday 2026-02-13 + 1 working day is the adjusted Saturday 02-14; + 2 skips the holiday
    (02-15..23) and lands on Tuesday 02-24; + 6 is the adjusted Saturday 02-28; back from 02-24 by 1 is 02-14."""
    a, _ = centers
    assert await _add(owner_session, a, D(2026, 2, 13), 0) == D(2026, 2, 13)
    assert await _add(owner_session, a, D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert await _add(owner_session, a, D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert await _add(owner_session, a, D(2026, 2, 13), 6) == D(2026, 2, 28)
    assert await _add(owner_session, a, D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert await _add(owner_session, a, D(2026, 2, 24), -2) == D(2026, 2, 13)
    # National Day: Wednesday 09-30 + 1 is Thursday 10-08; the adjusted Sunday 09-20 counts going back
    assert await _add(owner_session, a, D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert await _add(owner_session, a, D(2026, 9, 21), -1) == D(2026, 9, 20)
    # the last working days of 2026 need no 2027 calendar; one more does
    assert await _add(owner_session, a, D(2026, 12, 28), 3) == D(2026, 12, 31)
    # a long way, in several reads: the 100th working day after New Year's Day
    assert await _add(owner_session, a, D(2026, 1, 1), 100) == D(2026, 6, 1)


async def test_count_working_days(centers, owner_session, monkeypatch) -> None:
    """002 一: 2026-02-09..28 holds 11 working days (5 + the adjusted 02-14 + 4 + the adjusted 02-28);
    the whole of 2026 holds 248 (longer than one calendar read: counted in pieces)."""
    a, _ = centers
    assert await _count(owner_session, a, D(2026, 2, 9), D(2026, 2, 28)) == 11
    assert await _count(owner_session, a, D(2026, 2, 15), D(2026, 2, 23)) == 0
    assert await _count(owner_session, a, D(2026, 2, 14), D(2026, 2, 14)) == 1
    assert await _count(owner_session, a, D(2026, 2, 14), D(2026, 2, 13)) == 0
    assert await _count(owner_session, a, D(2026, 1, 1), D(2026, 12, 31)) == 248
    monkeypatch.setattr(calendar, "_COUNT_PIECE_DAYS", 30)
    assert await _count(owner_session, a, D(2026, 1, 1), D(2026, 12, 31)) == 248


async def test_a_year_without_calendar_is_refused(centers, owner_session) -> None:
    """002 一: holidays decide the workdays, so 2027 (not in chinesecalendar 1.11, no own calendar) is a 409 as soon as
    the answer needs it."""
    a, _ = centers
    for call in (_add(owner_session, a, D(2026, 12, 28), 5), _count(owner_session, a, D(2026, 12, 1), D(2027, 1, 5))):
        with pytest.raises(AppError) as err:
            await call
        assert err.value.code == "calendar_year_missing" and err.value.status_code == 409
    with pytest.raises(AppError) as err:
        await _add(owner_session, a, D(2026, 1, 1), 5000)
    assert err.value.code == "working_days_out_of_range"
