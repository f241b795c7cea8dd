"""The audit log export as a background job (govhall.jobs): ``GET .../audit/export.xlsx`` answers
``409 use_background_job`` when the search finds more than ``sync_limits().audit_rows`` events
(``GOVHALL_JOB_AUDIT_ROWS``, default 2,000); the job ``audit.export_xlsx`` exports every event found (up to
``search.EXPORT_JOB_MAX``), a page of 1,000 at a time with its progress in events, and builds the workbook in a
worker thread (issue 16)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from govhall.authz.permissions import AUDIT_READ
from govhall.domain.audit import search
from govhall.errors import AppError, field_error
from govhall.jobs.runner import JobContext, JobResult, register

EXPORT = "audit.export_xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bad(field: str, zh: str, en: str) -> AppError:
    return AppError("invalid_parameter", f"{field}：{zh}", f"{field}: {en}", status=400,
                    fields=[field_error(field, zh, en)])


def _params(p: dict[str, Any]) -> dict[str, Any]:
    """The export's filters as the list and the sync export take them (``searchString``, ``actorId``,
    ``action`` (a list), ``from``, ``to``) and ``lang``."""
    out: dict[str, Any] = {}
    q = p.get("searchString")
    if q is not None:
        if not isinstance(q, str) or len(q) > 100:
            raise _bad("searchString", "应为不超过 100 字的文字", "must be text of at most 100 characters")
        out["searchString"] = q
    actor = p.get("actorId")
    if actor is not None:
        try:
            out["actorId"] = str(UUID(str(actor)))
        except ValueError:
            raise _bad("actorId", "不是有效的编号", "is not a valid id") from None
    actions = p.get("action")
    if actions is not None:
        if isinstance(actions, str):
            actions = [actions]
        if not isinstance(actions, list) or len(actions) > 100 or not all(
                isinstance(a, str) and 0 < len(a) <= 100 for a in actions):
            raise _bad("action", "应为操作代码的列表", "must be a list of action codes")
        out["action"] = actions
    for key in ("from", "to"):
        raw = p.get(key)
        if raw is not None:
            try:
                day = date.fromisoformat(str(raw))
            except ValueError:
                raise _bad(key, "日期格式应为 YYYY-MM-DD", "use YYYY-MM-DD") from None
            if not 1900 <= day.year <= 2999:
                raise _bad(key, "日期超出范围", "date out of range")
            out[key] = day.isoformat()
    lang = p.get("lang") or "zh"
    if lang not in ("zh", "en"):
        raise _bad("lang", "语言应为 zh 或 en", "language must be zh or en")
    out["lang"] = lang
    return out


def query_of(p: dict[str, Any]) -> search.AuditQuery:
    return search.AuditQuery(q=p.get("searchString"), actor_id=UUID(p["actorId"]) if p.get("actorId") else None,
                             actions=tuple(p.get("action") or ()),
                             since=date.fromisoformat(p["from"]) if p.get("from") else None,
                             until=date.fromisoformat(p["to"]) if p.get("to") else None)


async def _export(ctx: JobContext) -> JobResult:
    query, lang = query_of(ctx.params), ctx.params.get("lang", "zh")
    cells: list[list[Any]] = []
    async with ctx.session_factory() as session:
        total = min(await search.count(session, query), search.EXPORT_JOB_MAX)
        tz = await search.timezone_of(session)
        await ctx.step(0, total, end=90)
        async for page in search.export_pages(session, query):
            cells.extend(await ctx.in_thread(search.export_cells, page, tz, lang))
            await ctx.step(len(cells), max(total, len(cells)), end=90)  # the workbook is the last tenth
        await session.commit()
    body = await ctx.in_thread(search.workbook, cells, lang)
    await ctx.step(len(cells), len(cells))
    return JobResult(name="审计日志.xlsx" if lang == "zh" else "audit-log.xlsx", media_type=XLSX, data=body,
                     summary={"rows": len(cells), "truncated": len(cells) >= search.EXPORT_JOB_MAX})


register(EXPORT, AUDIT_READ, "审计日志导出（Excel）", "Audit log export (xlsx)", _export, _params)
