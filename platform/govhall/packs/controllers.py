"""/api/packs (the catalogue), /api/t/{tenant_id}/packs/... (a tenant's rules) and the calendar coverage.

The staff-facing views of the packs (work calendar, dress code, today) are a domain: ``govhall.domain.calendar``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.authz.permissions import PACK_SETTINGS_LOCK, PACK_SETTINGS_READ, PACK_SETTINGS_UPDATE, Permission
from govhall.packs import schemas as s
from govhall.packs import views
from govhall.packs.services import Actor

OnParam = Annotated[dt.date | None,
                    QueryParameter(description="The date whose rules to show (default: today)")]
LangParam = Annotated[str, QueryParameter(description="zh-CN or en: language of the form's titles")]


async def _allowed(request: Request, tenant_id: UUID, perm: Permission) -> bool:
    return await request.app.state.authz.allowed(request.user.id, str(tenant_id), perm)


def _actor(request: Request) -> Actor:
    user = request.user
    return Actor(user.id, user.display_name or user.username)


class PackCatalogueController(Controller):
    path = "/api/packs"
    tags = ["packs"]

    @get("/", guards=[requires("pack_settings", "read")])
    async def list_packs(self) -> list[s.PackSummary]:
        return views.catalogue()


class TenantPackController(Controller):
    path = "/api/t/{tenant_id:uuid}/packs"
    tags = ["packs"]

    @get("/", guards=[requires("pack_settings", "read")])
    async def list_tenant_packs(self, db_session: NamedDependency[AsyncSession], tenant_id: FromPath[UUID],
                                on: OnParam = None) -> list[s.TenantPack]:
        return await views.tenant_packs(db_session, tenant_id, on)

    @get("/{pack:str}", guards=[requires("pack_settings", "read")])
    async def get_pack_settings(self, request: Request, db_session: NamedDependency[AsyncSession],
                                tenant_id: FromPath[UUID], pack: FromPath[str], on: OnParam = None,
                                lang: LangParam = "zh-CN") -> s.PackSettingsOut:
        return await views.pack_settings(db_session, tenant_id, pack, on, lang,
                                         can_update=await _allowed(request, tenant_id, PACK_SETTINGS_UPDATE),
                                         can_lock=await _allowed(request, tenant_id, PACK_SETTINGS_LOCK))

    @get("/{pack:str}/versions", guards=[requires("pack_settings", "read")])
    async def list_versions(self, db_session: NamedDependency[AsyncSession], tenant_id: FromPath[UUID],
                            pack: FromPath[str]) -> list[s.VersionOut]:
        return await views.versions(db_session, tenant_id, pack)

    @post("/{pack:str}/preview", guards=[requires("pack_settings", "update")],
          status_code=200)
    async def preview(self, request: Request, db_session: NamedDependency[AsyncSession],
                      tenant_id: FromPath[UUID], pack: FromPath[str], data: JSONBody[s.SaveIn]) -> s.PreviewOut:
        return await views.preview(db_session, tenant_id, pack, data,
                                   can_lock=await _allowed(request, tenant_id, PACK_SETTINGS_LOCK))

    @post("/{pack:str}/versions", guards=[requires("pack_settings", "update")])
    async def save(self, request: Request, db_session: NamedDependency[AsyncSession],
                   tenant_id: FromPath[UUID], pack: FromPath[str], data: JSONBody[s.SaveIn]) -> s.VersionOut:
        return await views.save(db_session, tenant_id, pack, data, _actor(request),
                                can_lock=await _allowed(request, tenant_id, PACK_SETTINGS_LOCK))


class CalendarCoverageController(Controller):
    path = "/api/t/{tenant_id:uuid}/calendar-coverage"
    tags = ("packs",)

    # pack_settings:read: the people who can act on a missing calendar (center, provincial and platform admins).
    # Clerks and duty officers meet the same fact as the explained 409 of their own pages instead.
    @get("/", guards=[requires("pack_settings", "read")])
    async def coverage(
        self, request: Request, db_session: NamedDependency[AsyncSession], tenant_id: FromPath[UUID],
        below: FromQuery[bool] = False,
    ) -> s.CalendarCoverageOut:
        """This tenant's calendar coverage; with ``below=true`` also every tenant below that the caller may read
        (a provincial admin: the whole province), listing those with a warning."""
        async def may_read(tid: UUID) -> bool:
            return await _allowed(request, tid, PACK_SETTINGS_READ)

        return await views.calendar_coverage(db_session, tenant_id, below, may_read)

