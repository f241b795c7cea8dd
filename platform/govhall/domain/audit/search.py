"""The audit trail as a person searches it (issue 13): words in Chinese or English match the actor's name or
username, the action's words (规则 finds 修改规则配置), the target's kind, the target person's name and the details;
filters by date range (the center's local days), person and action; paged on the server; xlsx export."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit.models import AuditEvent
from govhall.clock import zone
from govhall.domain.audit import labels
from govhall.domain.audit import schemas as s
from govhall.domain.identity.models import User
from govhall.domain.org.models import Staff
from govhall.tenancy.context import current_tenant_id
from govhall.tenancy.models import Tenant

EXPORT_MAX = 5000
"""Most events of an export by default (a request exports at most ``GOVHALL_JOB_AUDIT_ROWS``)."""
EXPORT_JOB_MAX = 200_000
"""Most events of the export job (an xlsx sheet holds 1,048,576 rows; 200,000 events are some 20 MB of xlsx)."""
EXPORT_PAGE = 1000


@dataclass(frozen=True)
class AuditQuery:
    q: str | None = None
    actor_id: UUID | None = None
    actions: Sequence[str] = ()
    since: date | None = None
    until: date | None = None


async def _tz(session: AsyncSession) -> str:
    return await session.scalar(select(Tenant.timezone).where(Tenant.id == current_tenant_id())) or "Asia/Shanghai"


async def _where(session: AsyncSession, query: AuditQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if query.q and query.q.strip():
        words = query.q.strip()
        like = f"%{words}%"
        users = (await session.execute(select(User.id).where(or_(User.display_name.ilike(like),
                                                                  User.username.ilike(like))))).scalars().all()
        staff = (await session.execute(select(Staff.id).where(Staff.name.ilike(like)))).scalars().all()
        ids = [str(x) for x in (*users, *staff)]
        alt = [AuditEvent.actor_name.ilike(like), AuditEvent.target_id.ilike(like),
               cast(AuditEvent.details, String).ilike(like)]
        if users:
            alt.append(AuditEvent.actor_id.in_(users))
        if ids:
            alt.append(AuditEvent.target_id.in_(ids))
        if actions := labels.codes_matching(words, labels.ACTIONS):
            alt.append(AuditEvent.action.in_(actions))
        if targets := labels.codes_matching(words, labels.TARGETS):
            alt.append(AuditEvent.target_type.in_(targets))
        conds.append(or_(*alt))
    if query.actor_id is not None:
        conds.append(AuditEvent.actor_id == query.actor_id)
    if query.actions:
        conds.append(AuditEvent.action.in_(list(query.actions)))
    if query.since or query.until:
        tz = zone(await _tz(session))
        if query.since:
            conds.append(AuditEvent.created_at >= datetime.combine(query.since, time(0), tz))
        if query.until:
            conds.append(AuditEvent.created_at < datetime.combine(query.until + timedelta(days=1), time(0), tz))
    return conds


async def _views(session: AsyncSession, rows: Sequence[AuditEvent]) -> list[s.AuditEventView]:
    ids = {r.actor_id for r in rows if r.actor_id}
    targets = {UUID(r.target_id) for r in rows if r.target_type in ("staff", "user") and _is_uuid(r.target_id)}
    names: dict[UUID, str] = {}
    if ids | targets:
        names.update((await session.execute(select(User.id, User.display_name)
                                            .where(User.id.in_(ids | targets)))).tuples().all())
    if targets:
        names.update((await session.execute(select(Staff.id, Staff.name)
                                            .where(Staff.id.in_(targets)))).tuples().all())
    out = []
    for r in rows:
        a_zh, a_en = labels.action_label(r.action)
        t_zh, t_en = labels.target_label(r.target_type)
        target = names.get(UUID(r.target_id)) if r.target_type in ("staff", "user") and _is_uuid(r.target_id) \
            else None
        out.append(s.AuditEventView(
            id=r.id, seq=r.seq, actor_id=r.actor_id, actor_name=r.actor_name, action=r.action,
            target_type=r.target_type, target_id=r.target_id, details=r.details or {}, request_id=r.request_id,
            created_at=r.created_at, hash=r.hash, actor_display=names.get(r.actor_id) if r.actor_id else None,
            action_label=a_zh, action_label_en=a_en, target_label=t_zh, target_label_en=t_en,
            target_display=target,
            fields=[s.AuditField(key=k, label=zh, label_en=en, value=v)
                    for k, zh, en, v in labels.detail_fields(r.details or {})]))
    return out


def _is_uuid(value: str | None) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


async def search(session: AsyncSession, query: AuditQuery, *, limit: int, offset: int
                 ) -> tuple[list[s.AuditEventView], int]:
    conds = await _where(session, query)
    total = await session.scalar(select(func.count()).select_from(AuditEvent).where(*conds)) or 0
    rows = (await session.scalars(select(AuditEvent).where(*conds).order_by(AuditEvent.seq.desc())
                                  .limit(limit).offset(offset))).all()
    return await _views(session, rows), total


async def facets(session: AsyncSession) -> s.AuditFacets:
    """The people who appear as actors in the trail and the actions recorded, for the filters."""
    ids = (await session.scalars(select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None))
                                 .distinct())).all()
    rows = (await session.execute(select(User.id, User.display_name, User.username)
                                  .where(User.id.in_(ids)).order_by(User.username))).all() if ids else []
    codes = (await session.scalars(select(AuditEvent.action).distinct())).all()
    actions = sorted((s.AuditActionOption(code=c, label=labels.action_label(c)[0], label_en=labels.action_label(c)[1])
                      for c in codes), key=lambda a: a.code)
    return s.AuditFacets(actors=[s.AuditActor(id=i, name=n, username=u) for i, n, u in rows], actions=actions)


async def count(session: AsyncSession, query: AuditQuery) -> int:
    """How many events the query finds (the export's size)."""
    conds = await _where(session, query)
    return await session.scalar(select(func.count()).select_from(AuditEvent).where(*conds)) or 0


async def export_pages(session: AsyncSession, query: AuditQuery, *, page: int = EXPORT_PAGE,
                       limit: int = EXPORT_JOB_MAX) -> AsyncIterator[list[s.AuditEventView]]:
    """The events found, newest first, a page at a time (keyset on ``seq``: every page costs the same)."""
    conds = await _where(session, query)
    before: int | None = None
    sent = 0
    while sent < limit:
        stmt = select(AuditEvent).where(*conds)
        if before is not None:
            stmt = stmt.where(AuditEvent.seq < before)
        rows = (await session.scalars(stmt.order_by(AuditEvent.seq.desc()).limit(min(page, limit - sent)))).all()
        if not rows:
            return
        before = rows[-1].seq
        sent += len(rows)
        yield await _views(session, rows)


async def timezone_of(session: AsyncSession) -> ZoneInfo:
    return zone(await _tz(session))


def export_cells(items: Sequence[s.AuditEventView], tz: ZoneInfo, lang: str) -> list[list[Any]]:
    """The rows of the export workbook for ``items`` (the center's local times)."""
    zh = lang != "en"
    out: list[list[Any]] = []
    for e in items:
        detail = "\n".join(f"{f.label if zh else f.label_en}：{f.value}" if zh else f"{f.label_en}: {f.value}"
                           for f in e.fields)
        out.append([e.seq, e.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"), e.actor_display or "",
                    e.actor_name or "", e.action_label if zh else e.action_label_en,
                    e.target_label if zh else e.target_label_en, e.target_display or e.target_id or "", detail])
    return out


def workbook(rows: Sequence[Sequence[Any]], lang: str) -> bytes:
    """The export workbook (streamed by openpyxl's write-only mode); CPU-bound: call it in a worker thread."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    zh = lang != "en"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志" if zh else "Audit log")
    for col, width in zip("ABCDEFGH", (7, 20, 12, 16, 18, 12, 20, 60), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    header = []
    for title in (["序号", "时间", "操作人", "用户名", "操作", "对象", "对象名称", "详情"] if zh else
                  ["Seq", "Time", "Actor", "Username", "Action", "Target", "Target name", "Details"]):
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        detail = WriteOnlyCell(ws, value=row[7])
        detail.alignment = wrap
        ws.append([*row[:7], detail])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def export_xlsx(session: AsyncSession, query: AuditQuery, lang: str, *, limit: int = EXPORT_MAX) -> bytes:
    """The events found (newest first, at most ``limit``) as a workbook with the center's local times; the
    workbook is built in a worker thread. Bigger exports are the background job ``audit.export_xlsx``."""
    items, _total = await search(session, query, limit=max(limit, 1), offset=0)
    cells = export_cells(items, await timezone_of(session), lang)
    return await asyncio.to_thread(workbook, cells, lang)
