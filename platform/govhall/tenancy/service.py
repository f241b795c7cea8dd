"""The tenant-scoped service base every tenant-owned domain service inherits.

It adds nothing to queries itself: scoping is done below it, for every Session, by the ORM guard
(``govhall.tenancy.guard``) and on PostgreSQL by RLS. What it adds is the contract: its model must be
``TenantOwned`` (checked at class creation), and writes skip the refresh SELECT on the hot path.
"""

from __future__ import annotations

from typing import Any, ClassVar

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from govhall.db.base import TenantOwned


class TenantScopedService(SQLAlchemyAsyncRepositoryService[Any]):
    repository_type: type[SQLAlchemyAsyncRepository[Any]]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        repo = getattr(cls, "repository_type", None)
        model = getattr(repo, "model_type", None)
        if model is not None and not issubclass(model, TenantOwned):
            raise TypeError(f"{cls.__name__}: {model.__name__} is not TenantOwned")

    # --- list hygiene: every paged list of a tenant-owned model goes through here ------------------------
    MAX_PAGE_SIZE: ClassVar[int] = 200
    UNSORTABLE: ClassVar[frozenset[str]] = frozenset({"password_hash", "token_hash", "hash", "prev_hash"})

    def _clean_filters(self, filters: tuple[Any, ...]) -> list[Any]:
        """Refuse sorting by unknown or secret columns (a clear 400, never a 500 or an oracle on a hash) and cap
        the page size, whatever query parameters a client sends."""
        from advanced_alchemy.filters import LimitOffset, OrderBy

        from govhall.errors import AppError, field_error

        model = self.repository.model_type
        columns = set(model.__table__.columns.keys())
        out = []
        for f in filters:
            if isinstance(f, OrderBy) and (f.field_name not in columns or f.field_name in self.UNSORTABLE):
                raise AppError("invalid_sort", f"不能按“{f.field_name}”排序", f"Cannot sort by {f.field_name!r}",
                               fields=[field_error("orderBy", "排序字段不正确", "Unknown sort field")])
            if isinstance(f, LimitOffset) and f.limit > self.MAX_PAGE_SIZE:
                f.limit = self.MAX_PAGE_SIZE  # in place: the response's "limit" then tells the truth
            out.append(f)
        return out

    async def get_many_and_count(self, *filters: Any, **kwargs: Any) -> Any:
        return await super().get_many_and_count(*self._clean_filters(filters), **kwargs)
