"""Wire schemas: msgspec structs, camelCase on the wire, one type per direction."""

from datetime import date, datetime
from typing import ClassVar

import msgspec

MIN_YEAR = 1900
MAX_YEAR = 2999
"""Dates and date-times on the wire lie in these years (govhall.boundary): year 1 and 9999 overflowed on the first
time-zone conversion or day arithmetic, and nothing the halls record lies outside."""


def _wire_name(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


class CamelStruct(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """Base for request and response bodies. Unknown fields are refused (no mass assignment).

    Every struct checks its dates on construction and decoding: years MIN_YEAR-MAX_YEAR, and its date-times
    either all with an offset or all without (a ValueError, which the decoder turns into a 400 naming the field).
    """

    __names__: ClassVar[dict[str, tuple[int, bool]]] = {}
    """Input structs list their name fields here: ``{"name": (max_len, is_person)}``. Every listed field is checked
    and normalised by the one name rule (``govhall/names.py``) as the body is decoded, for every route."""

    def __post_init__(self) -> None:
        aware: str | None = None
        naive: str | None = None
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if isinstance(value, date):
                if not MIN_YEAR <= value.year <= MAX_YEAR:
                    raise ValueError(f"{_wire_name(name)}: year must be {MIN_YEAR}-{MAX_YEAR}")
                if isinstance(value, datetime):
                    if value.tzinfo is None:
                        naive = naive or name
                    else:
                        aware = aware or name
        if aware and naive:
            raise ValueError(f"{_wire_name(naive)}: give every time with its offset (as {_wire_name(aware)}) "
                             "or none")
        if self.__names__:
            from govhall.names import check_names

            check_names(self, self.__names__)


def parse_month(raw: str, field: str = "month") -> date:
    """A ``YYYY-MM`` month from a path, query or body: its first day, in the wire's years; else a 400 naming
    ``field`` (month ``0000-01`` or ``2026-13`` was a 500 on some routes)."""
    from govhall.errors import AppError, field_error

    try:
        y, m = raw.split("-")
        value = date(int(y), int(m), 1) if len(y) == 4 and len(m) == 2 else None
    except (ValueError, TypeError):
        value = None
    if value is None or not MIN_YEAR <= value.year <= MAX_YEAR:
        raise AppError("invalid_month", f"月份应为 YYYY-MM（{MIN_YEAR}-{MAX_YEAR} 年）",
                       f"The month must be YYYY-MM ({MIN_YEAR}-{MAX_YEAR})", status=400,
                       fields=[field_error(field, "月份应为 YYYY-MM", "The month must be YYYY-MM")])
    return value
