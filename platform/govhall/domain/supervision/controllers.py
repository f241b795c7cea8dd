"""/api/t/{tenant_id}/supervision/...: thin handlers; the rules live in rota.py and patrols.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.domain.assessment import services as assessment
from govhall.domain.supervision import dutylog, meetings, outings, patrols, rota
from govhall.domain.supervision import schemas as s

Day = Annotated[date | None, QueryParameter(required=False)]
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


async def _span(session: AsyncSession, start: date | None, end: date | None) -> tuple[date, date]:
    today = await assessment.today(session)
    start = start or today - timedelta(days=today.weekday())
    return start, end or start + timedelta(days=6)


class SupervisionController(Controller):
    path = "/api/t/{tenant_id:uuid}/supervision"
    tags = ["supervision"]

    @get("/rota", guards=[requires("duty_rota", "read")])
    async def get_rota(self, db_session: NamedDependency[AsyncSession], start: Day = None, end: Day = None
                       ) -> s.Rota:
        a, b = await _span(db_session, start, end)
        return await rota.rota_view(db_session, a, b)

    @put("/rota", guards=[requires("duty_rota", "plan")])
    async def plan_rota(self, request: Request, db_session: NamedDependency[AsyncSession],
                        data: JSONBody[s.RotaIn]) -> s.Rota:
        return await rota.save_rota(db_session, request.user.id, data)

    @get("/my-duty", guards=[requires("self", "read")])
    async def my_duty(self, request: Request, db_session: NamedDependency[AsyncSession]) -> s.MyDuty:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await rota.my_duty(db_session, a.staff)

    @get("/patrol-form", guards=[requires("patrol", "record")])
    async def patrol_form(self, db_session: NamedDependency[AsyncSession]) -> s.PatrolForm:
        return await patrols.form(db_session)

    @post("/patrols", guards=[requires("patrol", "record")], status_code=200)
    async def submit_patrol(self, request: Request, db_session: NamedDependency[AsyncSession],
                            data: JSONBody[s.PatrolIn]) -> s.PatrolOut:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await patrols.submit(db_session, a, data)

    @get("/patrols", guards=[requires("patrol", "read")])
    async def patrol_history(self, db_session: NamedDependency[AsyncSession], start: Day = None, end: Day = None
                             ) -> list[s.PatrolOut]:
        a, b = await _span(db_session, start, end)
        return await patrols.history(db_session, a, b)

    @get("/compliance", guards=[requires("patrol", "read")])
    async def compliance(self, db_session: NamedDependency[AsyncSession], start: Day = None, end: Day = None
                         ) -> s.Compliance:
        a, b = await _span(db_session, start, end)
        return await patrols.compliance(db_session, a, b)

    # ---- outings and off post --------------------------------------------------------------------------

    @post("/outings", guards=[requires("outing", "report")], status_code=201)
    async def report_outing(self, request: Request, db_session: NamedDependency[AsyncSession],
                            data: JSONBody[s.OutingIn]) -> s.Outing:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await outings.report(db_session, a, data)

    @get("/outings", guards=[requires("outing", "report")])
    async def list_outings(self, request: Request, db_session: NamedDependency[AsyncSession], start: Day = None,
                           end: Day = None) -> list[s.Outing]:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        today = await assessment.today(db_session)
        return await outings.outings(db_session, a, start or today, end or start or today)

    @post("/outings/{outing_id:uuid}/decision", guards=[requires("outing", "approve")], status_code=200)
    async def decide_outing(self, request: Request, db_session: NamedDependency[AsyncSession],
                            outing_id: FromPath[UUID], data: JSONBody[s.OutingDecisionIn]) -> s.Outing:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await outings.decide(db_session, a, outing_id, data.approve)

    @post("/outings/{outing_id:uuid}/return", guards=[requires("outing", "report")], status_code=200)
    async def outing_returned(self, request: Request, db_session: NamedDependency[AsyncSession],
                              outing_id: FromPath[UUID]) -> s.Outing:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await outings.returned(db_session, a, outing_id)

    @get("/off-post", guards=[requires("patrol", "record")])
    async def off_post_timers(self, request: Request, db_session: NamedDependency[AsyncSession], start: Day = None,
                              end: Day = None) -> list[s.OffPostTimerOut]:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        today = await assessment.today(db_session)
        return await outings.timers(db_session, a, start or today, end or start or today)

    @post("/off-post", guards=[requires("patrol", "record")], status_code=201)
    async def start_off_post(self, request: Request, db_session: NamedDependency[AsyncSession],
                             data: JSONBody[s.OffPostStartIn]) -> s.OffPostTimerOut:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await outings.start(db_session, a, data)

    @post("/off-post/{timer_id:uuid}/stop", guards=[requires("patrol", "record")], status_code=200)
    async def stop_off_post(self, request: Request, db_session: NamedDependency[AsyncSession],
                            timer_id: FromPath[UUID]) -> s.OffPostTimerOut:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await outings.stop(db_session, a, timer_id)

    # ---- the duty log ------------------------------------------------------------------------------------

    @get("/duty-log", guards=[requires("patrol", "read")])
    async def duty_log(self, db_session: NamedDependency[AsyncSession], start: Day = None, end: Day = None
                       ) -> s.DutyLog:
        today = await assessment.today(db_session)
        return await dutylog.read(db_session, start or today, end or start or today)

    @post("/duty-log", guards=[requires("patrol", "record")], status_code=201)
    async def write_duty_log(self, request: Request, db_session: NamedDependency[AsyncSession],
                             data: JSONBody[s.DutyLogIn]) -> s.LogEvent:
        return await dutylog.write(db_session, request.user.id, data)

    # ---- monthly meetings --------------------------------------------------------------------------------

    @get("/meeting", guards=[requires("outing", "report")])
    async def meeting(self, request: Request, db_session: NamedDependency[AsyncSession],
                      month: Annotated[str | None, QueryParameter(pattern=MONTH, required=False)] = None
                      ) -> s.MeetingOut:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        m = meetings.parse_month(month) if month else (await assessment.today(db_session)).replace(day=1)
        return await meetings.get(db_session, a, m)

    @post("/meeting", guards=[requires("patrol", "record")], status_code=201)
    async def open_meeting(self, request: Request, db_session: NamedDependency[AsyncSession],
                           data: JSONBody[s.MeetingIn]) -> s.MeetingOut:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await meetings.open_meeting(db_session, a, meetings.parse_month(data.month))

    @post("/meeting/{meeting_id:uuid}/sign-in", guards=[requires("outing", "report")], status_code=200)
    async def meeting_sign_in(self, request: Request, db_session: NamedDependency[AsyncSession],
                              meeting_id: FromPath[UUID], data: JSONBody[s.SignInIn]) -> s.MeetingOut:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await meetings.sign_in(db_session, a, meeting_id, data.code)

    @post("/meeting/{meeting_id:uuid}/mark", guards=[requires("patrol", "record")], status_code=200)
    async def meeting_mark(self, request: Request, db_session: NamedDependency[AsyncSession],
                           meeting_id: FromPath[UUID], data: JSONBody[s.MarkIn]) -> s.MeetingOut:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await meetings.mark(db_session, a, meeting_id, data)

    @post("/meeting/{meeting_id:uuid}/close", guards=[requires("patrol", "record")], status_code=200)
    async def meeting_close(self, request: Request, db_session: NamedDependency[AsyncSession],
                            meeting_id: FromPath[UUID]) -> s.MeetingOut:
        a = await assessment.actor(db_session, request.app.state.authz, request.user)
        return await meetings.close(db_session, a, meeting_id)
