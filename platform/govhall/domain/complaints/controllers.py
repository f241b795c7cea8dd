"""/api/t/{tenant_id}/complaints/... and /api/t/{tenant_id}/cases/...: thin handlers. The complainant's identity
leaves only through ``GET /complaints/{id}/identity`` (``complaint:identity``, the intake office)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, MultipartBody, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.clock import utcnow
from govhall.domain.complaints import cases, imports, services
from govhall.domain.complaints import schemas as s
from govhall.domain.complaints.common import PACK, bad, hooks_on, now_local, tenant, who
from govhall.errors import AppError
from govhall.files.limits import limits as upload_limits
from govhall.files.limits import missing_file_part, route_body_limit
from govhall.tenancy.models import Tenant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Month = Annotated[str | None, QueryParameter(name="month", pattern=r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$", required=False)]
Status = Annotated[str | None, QueryParameter(name="status", pattern="^[a-z_]{1,16}$", required=False)]
Flag = Annotated[bool, QueryParameter(name="goodOnly", required=False)]
Dry = Annotated[bool, QueryParameter(name="dryRun", required=False)]


def _xlsx(body: bytes, name: str, ascii_name: str) -> Response[bytes]:
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "private, no-store"})


async def _month(session: AsyncSession, raw: str | None) -> date:
    if raw:
        y, m = raw.split("-")
        return date(int(y), int(m), 1)
    return (await now_local(session)).date().replace(day=1)


async def _center(session: AsyncSession) -> str:
    return await session.scalar(select(Tenant.name).where(Tenant.id == tenant())) or ""


async def _file(data: UploadFile) -> tuple[bytes, str]:
    if not isinstance(data, UploadFile):
        raise missing_file_part()
    raw = await data.read(upload_limits().max_bytes + 1)
    if len(raw) > upload_limits().max_bytes:
        raise AppError("file_too_large", "文件过大", "The file is too large", status=413)
    kind = "json" if (data.filename or "").lower().endswith(".json") or "json" in (data.content_type or "") else "csv"
    return raw, kind


class ComplaintController(Controller):
    path = "/api/t/{tenant_id:uuid}/complaints"
    tags = ["complaints"]

    @get("/meta", guards=[requires("self", "read")])
    async def meta(self, request: Request, db_session: NamedDependency[AsyncSession]) -> s.ComplaintMeta:
        w = await who(db_session, request.app.state.authz, request.user)
        st = (await hooks_on(db_session, utcnow())).rules.of(PACK)
        return s.ComplaintMeta(
            channels=list(st.channels), intake_office=st.intake_office_name, anonymous_allowed=st.anonymous_allowed,
            written_needs_written_reply=st.written_needs_written_reply,
            classes=[s.ComplaintClass(key=c.key, name=c.name, name_en=c.name_en or c.key, amount=c.amount, unit=c.unit,
                                      clause=c.clause, major=c.major, multi_department=c.multi_department)
                     for c in st.classes],
            can_receive=w.can("complaint:receive"), can_handle=w.can("complaint:handle"),
            can_review=w.can("complaint:review"), can_see_identity=w.can("complaint:identity"))

    @post("", guards=[requires("complaint", "receive")], status_code=201)
    async def receive(self, request: Request, db_session: NamedDependency[AsyncSession],
                      data: JSONBody[s.ComplaintIn]) -> s.ComplaintView:
        w = await who(db_session, request.app.state.authz, request.user)
        c = await services.receive(db_session, w, data)
        if not w.can("complaint:read"):  # a duty officer's phone intake: the number and due time, nothing else
            return services.view(c, {"staff": {}, "window": {}, "dept": {}}, "", utcnow())
        return await services.one(db_session, w, c.id)

    @get("", guards=[requires("complaint", "read")])
    async def listing(self, request: Request, db_session: NamedDependency[AsyncSession], month: Month = None,
                      status: Status = None) -> list[s.ComplaintView]:
        w = await who(db_session, request.app.state.authz, request.user)
        return await services.listing(db_session, w, await _month(db_session, month) if month else None, status)

    @get("/summary", guards=[requires("complaint", "read")])
    async def summary(self, request: Request, db_session: NamedDependency[AsyncSession],
                      month: Month = None) -> s.ComplaintSummary:
        w = await who(db_session, request.app.state.authz, request.user)
        return await services.summary(db_session, w, await _month(db_session, month))

    @get("/summary.xlsx", guards=[requires("complaint", "read")])
    async def summary_xlsx(self, request: Request, db_session: NamedDependency[AsyncSession],
                           month: Month = None) -> Response[bytes]:
        w = await who(db_session, request.app.state.authz, request.user)
        m = await _month(db_session, month)
        body = services.summary_xlsx(await services.summary(db_session, w, m), await _center(db_session))
        return _xlsx(body, f"投诉汇总-{m:%Y-%m}.xlsx", f"complaints-{m:%Y-%m}.xlsx")

    @get("/{complaint_id:uuid}", guards=[requires("complaint", "read")])
    async def one(self, request: Request, db_session: NamedDependency[AsyncSession],
                  complaint_id: FromPath[UUID]) -> s.ComplaintView:
        w = await who(db_session, request.app.state.authz, request.user)
        return await services.one(db_session, w, complaint_id)

    @get("/{complaint_id:uuid}/identity", guards=[requires("complaint", "identity")])
    async def identity(self, request: Request, db_session: NamedDependency[AsyncSession],
                       complaint_id: FromPath[UUID]) -> Response[s.ComplaintIdentity]:
        w = await who(db_session, request.app.state.authz, request.user)
        return Response(await services.reveal(db_session, w, complaint_id),
                        headers={"Cache-Control": "private, no-store"})

    @post("/{complaint_id:uuid}/review", guards=[requires("complaint", "review")], status_code=200)
    async def review(self, request: Request, db_session: NamedDependency[AsyncSession], complaint_id: FromPath[UUID],
                     data: JSONBody[s.ReviewIn]) -> s.ComplaintView:
        w = await who(db_session, request.app.state.authz, request.user)
        await services.review(db_session, w, complaint_id, data.note)
        return await services.one(db_session, w, complaint_id)

    @post("/{complaint_id:uuid}/steps", guards=[requires("complaint", "handle")], status_code=200)
    async def step(self, request: Request, db_session: NamedDependency[AsyncSession], complaint_id: FromPath[UUID],
                   data: JSONBody[s.StepIn]) -> s.ComplaintView:
        w = await who(db_session, request.app.state.authz, request.user)
        await services.step(db_session, w, complaint_id, data)
        return await services.one(db_session, w, complaint_id)


class CaseController(Controller):
    path = "/api/t/{tenant_id:uuid}/cases"
    tags = ["cases"]

    @get("/items", guards=[requires("case", "read")])
    async def items(self, db_session: NamedDependency[AsyncSession]) -> list[s.ServiceItemView]:
        return await cases.items(db_session)

    @post("/items/import", guards=[requires("case", "manage")], status_code=200,
          request_max_body_size=route_body_limit())
    async def import_items(self, request: Request, db_session: NamedDependency[AsyncSession],
                           data: MultipartBody[UploadFile], good_only: Flag = False,
                           dry_run: Dry = False) -> s.ImportReport:
        w = await who(db_session, request.app.state.authz, request.user)
        raw, _kind = await _file(data)
        return await cases.import_items(db_session, w, raw, good_only, dry_run)

    @post("/events/import", guards=[requires("case", "manage")], status_code=200,
          request_max_body_size=route_body_limit())
    async def import_events(self, request: Request, db_session: NamedDependency[AsyncSession],
                            data: MultipartBody[UploadFile], good_only: Flag = False) -> s.ImportReport:
        w = await who(db_session, request.app.state.authz, request.user)
        raw, kind = await _file(data)
        return await imports.import_events(db_session, w, raw, kind, good_only)

    @post("", guards=[requires("case", "log")], status_code=201)
    async def log_case(self, request: Request, db_session: NamedDependency[AsyncSession],
                       data: JSONBody[s.CaseIn]) -> s.CaseView:
        w = await who(db_session, request.app.state.authz, request.user)
        c = await cases.log_case(db_session, w, data)
        return await cases.one(db_session, w, c.id)

    @get("", guards=[requires("case", "read")])
    async def listing(self, request: Request, db_session: NamedDependency[AsyncSession]) -> list[s.CaseView]:
        w = await who(db_session, request.app.state.authz, request.user)
        return await cases.listing(db_session, w)

    @get("/board", guards=[requires("case", "read")])
    async def board(self, request: Request, db_session: NamedDependency[AsyncSession]) -> s.Board:
        w = await who(db_session, request.app.state.authz, request.user)
        return await cases.board(db_session, w)

    @post("/cards", guards=[requires("case", "manage")], status_code=200)
    async def cards(self, request: Request, db_session: NamedDependency[AsyncSession]) -> s.CardsIssued:
        w = await who(db_session, request.app.state.authz, request.user)
        return await cases.issue_cards(db_session, w)

    @get("/stats.xlsx", guards=[requires("case", "read")])
    async def stats(self, request: Request, db_session: NamedDependency[AsyncSession],
                    month: Month = None) -> Response[bytes]:
        w = await who(db_session, request.app.state.authz, request.user)
        m = await _month(db_session, month)
        body = await cases.month_stats_xlsx(db_session, w, datetime(m.year, m.month, 1), await _center(db_session))
        return _xlsx(body, f"办件统计-{m:%Y-%m}.xlsx", f"cases-{m:%Y-%m}.xlsx")

    @get("/notices/{notice_id:uuid}", guards=[requires("case", "read")])
    async def notice(self, request: Request, db_session: NamedDependency[AsyncSession],
                     notice_id: FromPath[UUID]) -> s.NoticeView:
        w = await who(db_session, request.app.state.authz, request.user)
        return await cases.notice(db_session, w, notice_id)

    @get("/{case_id:uuid}", guards=[requires("case", "read")])
    async def one(self, request: Request, db_session: NamedDependency[AsyncSession],
                  case_id: FromPath[UUID]) -> s.CaseView:
        w = await who(db_session, request.app.state.authz, request.user)
        return await cases.one(db_session, w, case_id)

    @post("/{case_id:uuid}/notices", guards=[requires("case", "log")], status_code=201)
    async def issue_notice(self, request: Request, db_session: NamedDependency[AsyncSession], case_id: FromPath[UUID],
                           data: JSONBody[s.NoticeIn]) -> s.NoticeView:
        w = await who(db_session, request.app.state.authz, request.user)
        return await cases.issue_notice(db_session, w, case_id, data, await _center(db_session))

    @post("/{case_id:uuid}/pause", guards=[requires("case", "log")], status_code=200)
    async def pause(self, request: Request, db_session: NamedDependency[AsyncSession], case_id: FromPath[UUID],
                    data: JSONBody[s.PauseIn]) -> s.CaseView:
        w = await who(db_session, request.app.state.authz, request.user)
        await cases.pause(db_session, w, case_id, data)
        return await cases.one(db_session, w, case_id)

    @post("/{case_id:uuid}/resume", guards=[requires("case", "log")], status_code=200)
    async def resume(self, request: Request, db_session: NamedDependency[AsyncSession],
                     case_id: FromPath[UUID]) -> s.CaseView:
        w = await who(db_session, request.app.state.authz, request.user)
        await cases.resume(db_session, w, case_id)
        return await cases.one(db_session, w, case_id)

    @post("/{case_id:uuid}/extend", guards=[requires("case", "manage")], status_code=200)
    async def extend(self, request: Request, db_session: NamedDependency[AsyncSession], case_id: FromPath[UUID],
                     data: JSONBody[s.ExtensionIn]) -> s.CaseView:
        w = await who(db_session, request.app.state.authz, request.user)
        await cases.extend(db_session, w, case_id, data)
        return await cases.one(db_session, w, case_id)

    @post("/{case_id:uuid}/complete", guards=[requires("case", "log")], status_code=200)
    async def complete(self, request: Request, db_session: NamedDependency[AsyncSession],
                       case_id: FromPath[UUID]) -> s.CaseView:
        w = await who(db_session, request.app.state.authz, request.user)
        await cases.complete(db_session, w, case_id)
        return await cases.one(db_session, w, case_id)


__all__ = ("CaseController", "ComplaintController", "bad")
