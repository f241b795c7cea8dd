"""The dress code of a day, and who is exempt: pure functions of the settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from govhall.packs.types import DressCode
from govhall_packs.uniform_seasons.settings import REASON_ZH, UniformSettings, in_season


def dress_codes(settings: UniformSettings, days: Sequence[dt.date]) -> dict[dt.date, DressCode]:
    out = {}
    for day in days:
        md = (day.month, day.day)
        season = next(s for s in settings.seasons if in_season(md, s.start, s.end))
        out[day] = DressCode(day=day, season=season.key, season_name=season.name,
                             season_name_en=season.name_en or season.key, dress=season.dress,
                             badge_required=settings.badge_required, forbidden=settings.forbidden)
    return out


def exemptions(settings: UniformSettings, days: Sequence[dt.date], employee_nos: Sequence[str]
               ) -> dict[str, dict[dt.date, str]]:
    wanted = set(employee_nos)
    out: dict[str, dict[dt.date, str]] = {}
    for e in settings.exemptions:
        if e.employee_no not in wanted:
            continue
        for day in days:
            if e.start <= day <= e.end:
                out.setdefault(e.employee_no, {})[day] = REASON_ZH[e.reason]
    return out
