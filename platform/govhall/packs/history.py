"""Which settings schema of each pack was in force when: the installed releases, as this platform saw them.

``pack_release`` has one row per (pack, schema version), stamped with the day it was first installed here
(``record_releases`` at every app start; concurrent starts insert once). A date before the first recorded
release counts as that release (history before recording began). Resolution asks ``schema_on(pack, day)`` so a
past month is resolved with the defaults of the schema in force then, never with today's.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

_history: dict[str, tuple[tuple[dt.date, int], ...]] = {}


def set_history(rows: Iterable[tuple[str, dt.date, int]]) -> None:
    """Replace this process's view of the releases: (pack, installed_on, schema_version) rows."""
    by_pack: dict[str, list[tuple[dt.date, int]]] = {}
    for pack, on, schema in rows:
        by_pack.setdefault(pack, []).append((on, schema))
    _history.clear()
    _history.update({p: tuple(sorted(v)) for p, v in by_pack.items()})


def releases(pack: str) -> tuple[tuple[dt.date, int], ...]:
    return _history.get(pack, ())


def schema_on(pack: str, day: dt.date, current: int) -> int:
    """The schema version of ``pack`` in force on ``day`` (``current`` when nothing was recorded)."""
    rows = _history.get(pack)
    if not rows:
        return current
    i = bisect.bisect_right(rows, (day, 10**9))
    return rows[i - 1][1] if i else rows[0][1]
