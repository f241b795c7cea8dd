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
