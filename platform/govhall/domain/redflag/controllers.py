"""/api/t/{tenant_id}/red-flag/...: the red-flag rounds (流动红旗); thin handlers, the rules in services.py."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires, user_allowed
from govhall.authz.permissions import RED_FLAG_AWARD, RED_FLAG_WRITE
from govhall.domain.redflag import schemas as s
from govhall.domain.redflag import services

Year = Annotated[int | None, QueryParameter(required=False, ge=2000, le=2100)]


async def _may(request: Request, tenant_id: UUID) -> tuple[bool, bool]:
    authz = request.app.state.authz
    return (await user_allowed(authz, request.user, tenant_id, RED_FLAG_WRITE),
            await user_allowed(authz, request.user, tenant_id, RED_FLAG_AWARD))


class RedFlagController(Controller):
    path = "/api/t/{tenant_id:uuid}/red-flag"
    tags = ["red-flag"]

    @get("/", guards=[requires("red_flag", "read")])
    async def overview(self, request: Request, db_session: NamedDependency[AsyncSession],
                                tenant_id: FromPath[UUID], year: Year = None) -> s.RedFlagOverview:
        write, award = await _may(request, tenant_id)
        return await services.overview(db_session, year, can_write=write, can_award=award)

    @get("/tally", guards=[requires("red_flag", "read")])
    async def tally(self, db_session: NamedDependency[AsyncSession], year: Year = None) -> s.RedFlagTally:
        return await services.tally(db_session, year)

    @get("/screen", guards=[requires("red_flag", "read")])
    async def screen(self, db_session: NamedDependency[AsyncSession]) -> s.RedFlagRound:
        return await services.screen(db_session)

    @post("/rounds", guards=[requires("red_flag", "write")], status_code=201)
    async def create_round(self, request: Request, db_session: NamedDependency[AsyncSession],
                           data: JSONBody[s.RedFlagRoundIn]) -> s.RedFlagRound:
        return await services.create(db_session, request.user.id, data)

    @get("/rounds/{round_id:uuid}", guards=[requires("red_flag", "read")])
    async def get_round(self, request: Request, db_session: NamedDependency[AsyncSession], tenant_id: FromPath[UUID],
                        round_id: FromPath[UUID]) -> s.RedFlagRound:
        write, _award = await _may(request, tenant_id)
        return await services.view(db_session, round_id, can_write=write)

    @put("/rounds/{round_id:uuid}/ratings", guards=[requires("red_flag", "write")])
    async def rate_round(self, db_session: NamedDependency[AsyncSession], round_id: FromPath[UUID],
                         data: JSONBody[s.RedFlagRatingsIn]) -> s.RedFlagRound:
        return await services.rate(db_session, round_id, data)

    @post("/rounds/{round_id:uuid}/propose", guards=[requires("red_flag", "write")], status_code=200)
    async def propose_round(self, request: Request, db_session: NamedDependency[AsyncSession],
                            round_id: FromPath[UUID]) -> s.RedFlagRound:
        return await services.propose(db_session, round_id, request.user.id)

    @post("/rounds/{round_id:uuid}/award", guards=[requires("red_flag", "award")], status_code=200)
    async def award_round(self, request: Request, db_session: NamedDependency[AsyncSession],
                          round_id: FromPath[UUID]) -> s.RedFlagRound:
        return await services.award(db_session, round_id, request.user.id)

    @post("/rounds/{round_id:uuid}/publish", guards=[requires("red_flag", "award")], status_code=200)
    async def publish_round(self, request: Request, db_session: NamedDependency[AsyncSession],
                            round_id: FromPath[UUID]) -> s.RedFlagRound:
        return await services.publish(db_session, round_id, request.user.id)


def red_flag_routes() -> list:
    return [RedFlagController]
