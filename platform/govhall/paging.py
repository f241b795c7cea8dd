"""Server-side paging for lists that can grow, with the same query parameters everywhere.

The UI sends ``currentPage``, ``pageSize`` and ``searchString`` (``usePaged()`` in frontend/src/pages/admin/shared.tsx).
Lists that are one repository query take Advanced Alchemy's filters directly (``create_service_dependencies(...,
filters={...})`` as in ``StaffController``). Lists computed in Python from several queries (the attendance board
and sheet, the audit log's readable view) declare the same filters with ``paged_list()`` and read them with
``PageRequest.of(filters)``: the limit and offset of a ``LimitOffset``, the text of a ``SearchFilter``::

    @get("/board", guards=[...], dependencies=paged_list(size=50))
    async def board(self, ..., filters: Filters) -> s.Board:
        page = PageRequest.of(filters)
        shown = page.search_in(staff, lambda x: (x.name, x.employee_no))   # before the expensive part
        rows = page.slice(shown)

Answers carry ``total``, ``limit`` and ``offset`` next to the rows, like Advanced Alchemy's ``OffsetPagination``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from advanced_alchemy.extensions.litestar.providers import create_filter_dependencies
from advanced_alchemy.filters import FilterTypes, LimitOffset, SearchFilter
from litestar.di import NamedDependency
from litestar.params import SkipValidation

T = TypeVar("T")

Filters = NamedDependency[SkipValidation[list[FilterTypes]]]
"""The handler parameter ``filters: Filters`` that ``paged_list()`` (or a service's filter config) provides."""

MAX_PAGE_SIZE = 500
"""Advanced Alchemy accepts page sizes up to this; the UI asks for 20-100."""


def paged_list(size: int = 50, search: str = "name") -> dict[str, Any]:
    """Route dependencies providing ``filters``: ``currentPage``/``pageSize`` (default ``size``) and a
    case-insensitive ``searchString`` (over ``search``, used by SQL lists; Python lists match it themselves)."""
    return create_filter_dependencies({"pagination_type": "limit_offset", "pagination_size": size,
                                       "search": search, "search_ignore_case": True})


@dataclass(frozen=True)
class PageRequest:
    limit: int
    offset: int
    search: str

    @classmethod
    def of(cls, filters: Sequence[object], default_size: int = 50) -> PageRequest:
        limit, offset, search = default_size, 0, ""
        for f in filters:
            if isinstance(f, LimitOffset):
                limit, offset = max(1, min(f.limit, MAX_PAGE_SIZE)), max(0, f.offset)
            elif isinstance(f, SearchFilter) and isinstance(f.value, str):
                search = f.value.strip()
        return cls(limit=limit, offset=offset, search=search)

    def matches(self, *texts: str | None) -> bool:
        """Whether any of ``texts`` contains the search text (case-insensitive; no search matches everything)."""
        if not self.search:
            return True
        needle = self.search.casefold()
        return any(t and needle in t.casefold() for t in texts)

    def search_in(self, items: Iterable[T], texts: Callable[[T], tuple[str | None, ...]]) -> list[T]:
        return [x for x in items if self.matches(*texts(x))]

    def slice(self, items: Sequence[T]) -> list[T]:
        return list(items[self.offset:self.offset + self.limit])
