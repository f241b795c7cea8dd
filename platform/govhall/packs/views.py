"""What the pack API returns: service calls assembled into wire types (one function per endpoint)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.errors import AppError
from govhall.packs import cache as chain_cache
from govhall.packs import schemas as s
from govhall.packs.calendar import dress_codes, work_calendar
from govhall.packs.coverage import TenantCoverage, coverage_below, tenant_coverage
from govhall.packs.jsonschema import settings_schema
from govhall.packs.manager import LoadedPack, get_host
from govhall.packs.resolve import Resolved, Source
from govhall.packs.services import (
    Actor,
    effective_changes,
    get_pack,
    history,
    load_chain,
    preview_version,
    resolve_at,
    save_version,
    tenant_today,
)
from govhall.packs.types import DaySchedule, DressCode
from govhall.packs.validation import field_titles


def summary(p: LoadedPack) -> s.PackSummary:
    spec = p.spec
    return s.PackSummary(name=spec.name, version=spec.version, title=s.I18n(zh=spec.title_zh, en=spec.title_en),
                         description=s.I18n(zh=spec.description_zh, en=spec.description_en),
                         hooks=get_host().hooks_of(spec.name), distribution=p.distribution,
                         distribution_version=p.distribution_version)


def catalogue() -> list[s.PackSummary]:
    return [summary(p) for _, p in sorted(get_host().packs.items())]


async def tenant_packs(session: AsyncSession, tenant_id: UUID, on: dt.date | None) -> list[s.TenantPack]:
    on = on or await tenant_today(session, tenant_id)
    chain = await load_chain(session, tenant_id)
    out = []
    for name, p in sorted(get_host().packs.items()):
        r = resolve_at(p.spec, chain, on)
        states = [f.state for f in r.fields.values()]
        out.append(s.TenantPack(
            name=name, version=p.spec.version, title=s.I18n(zh=p.spec.title_zh, en=p.spec.title_en),
            description=s.I18n(zh=p.spec.description_zh, en=p.spec.description_en), enabled=r.enabled,
            settings_version=r.own.version if r.own else None, effective_from=r.own.effective_from if r.own else None,
            overridden=states.count("overridden"), locked=states.count("locked"),
        ))
    return out


def _source(src: Source | None) -> s.SourceOut | None:
    if src is None:
        return None
    return s.SourceOut(kind=src.kind, tenant_id=src.tenant_id, tenant_name=src.tenant_name, level=src.level)


def _title(titles: dict[str, tuple[str, str]], name: str) -> s.I18n:
    if name == "@enabled":
        return s.I18n(zh="启用", en="Enabled")
    if name == "@locks":
        return s.I18n(zh="对下级锁定的项", en="Locked for the levels below")
    zh, en = titles.get(name, (name, name))
    return s.I18n(zh=zh, en=en)


async def pack_settings(session: AsyncSession, tenant_id: UUID, pack: str, on: dt.date | None, lang: str,
                        can_update: bool, can_lock: bool) -> s.PackSettingsOut:
    loaded = get_pack(pack)
    today = await tenant_today(session, tenant_id)
    on = on or today
    chain = await load_chain(session, tenant_id, {pack})
    r: Resolved = resolve_at(loaded.spec, chain, on)
    titles = field_titles(loaded.spec)
    t = chain.tenant
    return s.PackSettingsOut(
        pack=summary(loaded), tenant=s.TenantRef(id=t.tenant_id, name=t.name, level=t.level), on=on, today=today,
        enabled=r.enabled, json_schema=settings_schema(loaded.spec, lang), ui_schema=dict(loaded.spec.ui_schema),
        values=r.values, inherited=r.inherited, overrides=dict(r.own.overrides) if r.own else {},
        locks=sorted(r.own.locks) if r.own else [],
        fields=[s.FieldOut(name=n, title=_title(titles, n), state=f.state, source=_source(f.source),  # type: ignore[arg-type]  # state/source are str on the resolver, Literal in the schema (same values)
                           locked_by=_source(f.locked_by), locked_here=f.locked_here,
                           ignored_override=f.ignored_override) for n, f in r.fields.items()],
        settings_version=r.own.version if r.own else None, effective_from=r.own.effective_from if r.own else None,
        can_update=can_update, can_lock=can_lock,
    )


def _changes(pack: str, changes: list[dict[str, Any]]) -> list[s.ChangeOut]:
    titles = field_titles(get_pack(pack).spec)
    return [s.ChangeOut(field=c["field"], title=_title(titles, c["field"]), before=c["before"], after=c["after"])
            for c in changes]


async def versions(session: AsyncSession, tenant_id: UUID, pack: str) -> list[s.VersionOut]:
    today = await tenant_today(session, tenant_id)
    rows = await history(session, tenant_id, pack)
    current = max(((r.effective_from, r.version) for r, _ in rows if r.effective_from <= today), default=None)
    in_force = current[1] if current else None
    out = []
    for r, changes in rows:
        status = "scheduled" if r.effective_from > today else ("in_force" if r.version == in_force else "past")
        out.append(s.VersionOut(version=r.version, effective_from=r.effective_from, enabled=r.enabled,
                                overrides=r.overrides, locks=sorted(r.locks), note=r.note,
                                changed_by=r.changed_by_name, changed_at=r.created_at,
                                changes=_changes(pack, changes), status=status, pack_version=r.pack_version,
                                schema_version=r.schema_version))
    return out


async def preview(session: AsyncSession, tenant_id: UUID, pack: str, data: s.SaveIn, can_lock: bool) -> s.PreviewOut:
    current, clean, changes = await preview_version(
        session, tenant_id, pack, effective_from=data.effective_from, enabled=data.enabled,
        overrides=data.overrides, locks=data.locks, can_lock=can_lock)
    titles = field_titles(get_pack(pack).spec)
    values = [s.ValueChangeOut(field=c["field"], title=_title(titles, c["field"]), before=c["before"], after=c["after"],
                               before_inherited=c["before_inherited"], after_inherited=c["after_inherited"])
              for c in effective_changes(current, clean)]
    return s.PreviewOut(effective_from=data.effective_from, changes=_changes(pack, changes), values=values)


async def save(session: AsyncSession, tenant_id: UUID, pack: str, data: s.SaveIn, actor: Actor,
               can_lock: bool) -> s.VersionOut:
    result = await save_version(session, tenant_id, pack, effective_from=data.effective_from, enabled=data.enabled,
                                overrides=data.overrides, locks=data.locks, note=data.note, actor=actor,
                                can_lock=can_lock)
    await chain_cache.commit(session)  # every worker drops the cached chains below this tenant
    row = result.row
    today = await tenant_today(session, tenant_id)
    return s.VersionOut(version=row.version, effective_from=row.effective_from, enabled=row.enabled,
                        overrides=dict(row.overrides), locks=list(row.locks), note=row.note,
                        changed_by=row.changed_by_name, changed_at=row.created_at,
                        changes=_changes(pack, result.changes),
                        status="scheduled" if row.effective_from > today else "in_force",
                        pack_version=row.pack_version, schema_version=row.schema_version)


def day_out(d: DaySchedule) -> s.DayOut:
    return s.DayOut(day=d.day, workday=d.workday, reason=d.reason,
                    sessions=[s.SessionOut(label=x.label, start=x.start.strftime("%H:%M"), end=x.end.strftime("%H:%M"),
                                           open_to_public=x.open_to_public) for x in d.sessions],
                    late_grace_minutes=d.late_grace_minutes, early_grace_minutes=d.early_grace_minutes,
                    punch_open_before_minutes=d.punch_open_before_minutes,
                    punch_close_after_minutes=d.punch_close_after_minutes)


def dress_out(d: DressCode) -> s.DressOut:
    return s.DressOut(day=d.day, season=d.season, season_name=s.I18n(zh=d.season_name, en=d.season_name_en),
                      dress=d.dress, badge_required=d.badge_required, forbidden=d.forbidden,
                      exempt_reason=d.exempt_reason)


async def calendar_days(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date) -> list[s.DayOut]:
    return [day_out(d) for _, d in sorted((await work_calendar(session, tenant_id, start, end)).items())]


async def dress_days(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date,
                     employee_no: str | None) -> list[s.DressOut]:
    return [dress_out(d) for _, d in sorted((await dress_codes(session, tenant_id, start, end, employee_no)).items())]


async def today_view(session: AsyncSession, tenant_id: UUID, employee_no: str | None) -> s.TodayOut:
    """Today's sessions and dress code for the home page; a missing part says why instead of failing."""
    day = await tenant_today(session, tenant_id)
    notices: list[s.I18n] = []
    schedule = dress = None
    try:
        schedule = day_out((await work_calendar(session, tenant_id, day, day))[day])
    except AppError as exc:
        notices.append(s.I18n(zh=exc.zh, en=exc.en))
    try:
        dress = dress_out((await dress_codes(session, tenant_id, day, day, employee_no))[day])
    except AppError as exc:
        notices.append(s.I18n(zh=exc.zh, en=exc.en))
    return s.TodayOut(day=day, schedule=schedule, dress_code=dress, notices=notices)


def _coverage_out(c: TenantCoverage) -> s.TenantCoverageOut:
    return s.TenantCoverageOut(
        tenant=s.TenantRef(id=c.tenant_id, name=c.name, level=c.level), warn_days=c.warn_days,
        missing_from=c.missing_from, blocked=c.blocked, warning=c.warning,
        years=[s.YearCoverageOut(year=y.year, status=y.status, source=_source(y.source), missing_from=y.missing_from,
                                 pack=y.pack, field=y.field) for y in c.years])


async def calendar_coverage(session: AsyncSession, tenant_id: UUID, below: bool,
                            may_read: Callable[[UUID], Awaitable[bool]]) -> s.CalendarCoverageOut:
    today = await tenant_today(session, tenant_id)
    if not below:
        own, others = await tenant_coverage(session, tenant_id, today), list[TenantCoverage]()
    else:
        own, others = await coverage_below(session, tenant_id, today, may_read)
    return s.CalendarCoverageOut(today=today, coverage=_coverage_out(own), below_checked=len(others),
                                 below=[_coverage_out(c) for c in others if c.warning])
