"""Red-flag rounds (流动红旗): draft -> rated -> proposed -> awarded -> published, the ranking with its drill-down,
the year's tally. The red_flag pack decides the terms and the points (000 篇七 工作制度 十; 004/4 三.4)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import local_today, utcnow
from govhall.db.locks import lock_name
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.redflag import schemas as s
from govhall.domain.redflag.facts import gather
from govhall.domain.redflag.models import RedFlagRound
from govhall.errors import AppError, field_error
from govhall.packs.calendar import work_calendar
from govhall.packs.services import enabled_hooks
from govhall.packs.types import RedFlagTerms
from govhall.schemas import MAX_YEAR, MIN_YEAR, parse_month
from govhall.tenancy.context import current_tenant_id

PACK = "red_flag"


def tenant() -> UUID:
    tid = current_tenant_id()
    if tid is None:  # pragma: no cover - every route is guarded
        raise AppError("forbidden", "您没有执行此操作的权限", "You are not allowed to do this", status=403)
    return tid


def bad(code: str, field: str, zh: str, en: str, status: int = 400) -> AppError:
    return AppError(code, zh, en, status=status, fields=[field_error(field, zh, en)] if field else [])


def not_enabled() -> AppError:
    return AppError("red_flag_not_enabled", "本中心未启用“流动红旗”规则包（规则配置 › 流动红旗）",
                    "This center has not enabled the red flag pack (Rules › Red flag)", status=409)


async def today(session: AsyncSession) -> date:
    return local_today(await tenant_timezone(session, tenant()))


async def terms_on(session: AsyncSession, on: date) -> tuple[Any, RedFlagTerms]:
    hooks = await enabled_hooks(session, tenant(), on)
    terms = hooks.hook.govhall_red_flag_terms(rules=hooks.rules) if PACK in hooks.enabled else None
    if terms is None:
        raise not_enabled()
    return hooks, terms


def period_span(period: str, label: str) -> tuple[date, date]:
    """A round's first and last day from its label (``2026-11`` or ``2026-Q4``); a bad label is a 400."""
    if period == "quarter":
        m = re.fullmatch(r"(\d{4})-Q([1-4])", label)
        if m is None or not MIN_YEAR <= int(m[1]) <= MAX_YEAR:
            raise bad("invalid_period", "label", "季度请写成 2026-Q4", "Write a quarter as 2026-Q4")
        start, months = date(int(m[1]), 3 * int(m[2]) - 2, 1), 3
    else:
        if "Q" in label:
            raise bad("invalid_period", "label", "月份请写成 2026-11", "Write a month as 2026-11")
        start, months = parse_month(label, "label"), 1
    nxt = date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


async def award_date(session: AsyncSession, period_end: date, day: int) -> date:
    """The award day of the month after the period (000 篇七 十.2 每月3日例会), moved to the next working day like
    the meeting (一.3 遇节假日时间顺延)."""
    first = period_end + timedelta(days=1)
    d = first.replace(day=day)
    try:
        cal = await work_calendar(session, tenant(), d, d + timedelta(days=20))
    except AppError:  # the next year's holidays not entered yet: the plain day
        return d
    while d in cal and not (cal[d].workday and cal[d].sessions):
        d += timedelta(days=1)
    return d


async def _row(session: AsyncSession, round_id: UUID, *, lock: bool = False) -> RedFlagRound:
    if lock:
        await lock_name(session, f"red_flag:{tenant()}:{round_id}")
    row = await session.get(RedFlagRound, round_id, populate_existing=lock)
    if row is None:
        raise AppError("not_found", "没有这一轮流动红旗评比", "No such red-flag round", status=404)
    return row


# ---- the ranking -------------------------------------------------------------------------------------------


async def compute(session: AsyncSession, row: RedFlagRound) -> tuple[list[s.RedFlagUnitRank], RedFlagTerms]:
    hooks, terms = await terms_on(session, row.period_end)
    g = await gather(session, tenant(), row.unit, row.period_start, row.period_end, row.ratings)
    scores = hooks.hook.govhall_red_flag_score(rules=hooks.rules, period_start=row.period_start,
                                                period_end=row.period_end, units=g.units) or {}
    order = {u: i for i, u in enumerate(g.names)}
    facts = {UUID(u.unit_id): len(u.facts) for u in g.units}
    ranked = sorted((UUID(k) for k in scores), key=lambda u: (-scores[str(u)].total, facts.get(u, 0), order.get(u, 0)))
    out: list[s.RedFlagUnitRank] = []
    flags_left = row.flags
    for i, u in enumerate(ranked, start=1):
        sc = scores[str(u)]

        def line(x: Any) -> s.RedFlagLine:
            ev = []
            for ref, ded in zip(x.refs, x.deductions or (0,) * len(x.refs), strict=False):
                e = g.evidence.get(ref)
                if e is not None:
                    ev.append(s.RedFlagEvidence(ref=ref, kind=e.kind, name=e.name, day=e.day, points=ded, source=e.source,
                                         staff_name=e.staff_name, note=e.note, files=e.files, record_id=e.record_id))
            return s.RedFlagLine(key=x.key, name_zh=x.name_zh, name_en=x.name_en, max_points=x.max_points, points=x.points,
                          note_zh=x.note_zh, note_en=x.note_en, clause=x.clause, evidence=ev)

        eligible = not sc.disqualified and sc.total >= terms.min_total
        flag = eligible and flags_left > 0
        flags_left -= int(flag)
        out.append(s.RedFlagUnitRank(unit_id=u, name=g.names.get(u, "?"), rank=i, total=sc.total,
                              rating=row.ratings.get(str(u)), eligible=eligible, flag=flag,
                              lines=[line(x) for x in sc.lines], disqualified=[line(x) for x in sc.disqualified]))
    return out, terms


def _missing(row: RedFlagRound, ranking: list[s.RedFlagUnitRank]) -> int:
    return sum(1 for r in ranking if str(r.unit_id) not in row.ratings)


async def _ranked_with_ratings(session: AsyncSession, row: RedFlagRound) -> list[s.RedFlagUnitRank]:
    """The live ranking; a 409 while the council's ratings are missing where the rules need them (十.3⑦)."""
    ranking, terms = await compute(session, row)
    missing = _missing(row, ranking)
    if terms.council_required and missing:
        raise ratings_missing(missing)
    return ranking


async def view(session: AsyncSession, round_id: UUID, *, can_write: bool) -> s.RedFlagRound:
    row = await _row(session, round_id)
    if row.status != "published" and not can_write:
        raise AppError("not_found", "没有这一轮流动红旗评比", "No such red-flag round", status=404)
    return await _view(session, row)


async def _view(session: AsyncSession, row: RedFlagRound) -> s.RedFlagRound:
    live, terms = await compute(session, row)
    ranking = live if row.status in ("draft", "rated") else msgspec.convert(row.ranking, list[s.RedFlagUnitRank])
    if row.status in ("awarded", "published"):
        ranking = [msgspec.structs.replace(r, flag=str(r.unit_id) in row.awarded) for r in ranking]
    return s.RedFlagRound(
        id=row.id, period=row.period, label=row.label, period_start=row.period_start,
        period_end=row.period_end, unit=row.unit, flags=row.flags, award_day=row.award_day,
        status=row.status, council_required=terms.council_required,
        ratings_missing=_missing(row, live) if terms.council_required else 0,
        criteria=[s.RedFlagCriterion(key=c.key, name_zh=c.name_zh, name_en=c.name_en, max_points=c.max_points,
                              source=c.source, scoring=c.scoring, clause=c.clause) for c in terms.criteria],
        ranking=ranking, proposed_at=row.proposed_at, awarded_at=row.awarded_at, published_at=row.published_at)


# ---- the workflow ------------------------------------------------------------------------------------------


async def create(session: AsyncSession, user_id: UUID, data: s.RedFlagRoundIn) -> s.RedFlagRound:
    start, end = period_span(data.period, data.label)
    now = await today(session)
    if start > now:
        raise bad("red_flag_period_future", "label", "评比期尚未开始", "The period has not begun")
    _hooks, terms = await terms_on(session, end)
    kind = next((k for k in terms.rounds if k.period == data.period), None)
    if kind is None:
        raise bad("red_flag_period_unknown", "period", "本中心的流动红旗不按此周期评比",
                  "This center does not hold red-flag rounds of this period", status=409)
    await lock_name(session, f"red_flag:{tenant()}:{data.period}:{start}")
    if await session.scalar(select(RedFlagRound.id).where(RedFlagRound.period == data.period,
                                                          RedFlagRound.period_start == start)):
        raise bad("red_flag_round_exists", "label", "该评比期已有评比", "A round of this period exists", status=409)
    row = RedFlagRound(period=data.period, period_start=start, period_end=end, label=data.label, unit=terms.unit,
                       flags=kind.flags, award_day=await award_date(session, end, kind.award_day), status="draft",
                       ratings={}, ranking=[], awarded=[], created_by=user_id)
    session.add(row)
    await session.flush()
    await record_audit(session, action="red_flag.create", target_type="red_flag_round", target_id=str(row.id),
                       details={"period": data.period, "label": data.label, "flags": kind.flags})
    out = await _view(session, row)
    await session.commit()
    return out


async def rate(session: AsyncSession, round_id: UUID, data: s.RedFlagRatingsIn) -> s.RedFlagRound:
    """The council's ratings (评议小组百分评议, 十.3⑦); a round whose every unit is rated becomes ``rated``; ratings
    changed after the proposal take it back to ``rated`` (the ranking is computed afresh)."""
    row = await _row(session, round_id, lock=True)
    if row.status in ("awarded", "published"):
        raise bad("red_flag_closed", "", "流动红旗已颁发，评议分不能再修改", "The flags are awarded; ratings are final",
                  status=409)
    ranking, terms = await compute(session, row)
    units = {str(r.unit_id) for r in ranking}
    ratings = dict(row.ratings)
    for i, x in enumerate(data.ratings):
        if str(x.unit_id) not in units:
            raise bad("unknown_unit", f"ratings[{i}].unitId", "不是本轮评比的窗口或部门", "Not a unit of this round")
        ratings[str(x.unit_id)] = x.rating
    row.ratings = ratings
    row.status = "rated" if all(u in ratings for u in units) or not terms.council_required else "draft"
    row.ranking = []
    await record_audit(session, action="red_flag.rate", target_type="red_flag_round", target_id=str(row.id),
                       details={"ratings": {str(x.unit_id): x.rating for x in data.ratings}, "status": row.status})
    out = await _view(session, row)
    await session.commit()
    return out


def ratings_missing(n: int) -> AppError:
    return AppError("red_flag_ratings_missing", f"评议小组评议分尚未录入（{n} 个），不能提名或颁发流动红旗",
                    f"The council's ratings are not all in ({n} missing): no proposal or award yet", status=409)


async def propose(session: AsyncSession, round_id: UUID, user_id: UUID) -> s.RedFlagRound:
    row = await _row(session, round_id, lock=True)
    if row.status not in ("draft", "rated"):
        raise bad("red_flag_wrong_status", "", "本轮评比已提名", "This round is already proposed", status=409)
    if row.period_end >= await today(session):
        raise bad("red_flag_period_open", "", "评比期尚未结束，不能提名", "The period has not ended yet", status=409)
    ranking = await _ranked_with_ratings(session, row)
    row.ranking = [msgspec.to_builtins(r) for r in ranking]
    row.status, row.proposed_by, row.proposed_at = "proposed", user_id, utcnow()
    await record_audit(session, action="red_flag.propose", target_type="red_flag_round", target_id=str(row.id),
                       details={"proposed": [r.name for r in ranking if r.flag]})
    out = await _view(session, row)
    await session.commit()
    return out


async def award(session: AsyncSession, round_id: UUID, user_id: UUID) -> s.RedFlagRound:
    """The flags go to the best eligible units of the frozen ranking, on or after the award day."""
    row = await _row(session, round_id, lock=True)
    if row.status in ("draft", "rated"):
        await _ranked_with_ratings(session, row)  # missing ratings are the first thing to say
        raise bad("red_flag_not_proposed", "", "请先提名（冻结排名）再颁发", "Propose (freeze the ranking) first",
                  status=409)
    if row.status != "proposed":
        raise bad("red_flag_wrong_status", "", "本轮流动红旗已颁发", "The flags of this round are awarded", status=409)
    if await today(session) < row.award_day:
        raise bad("red_flag_before_award_day", "",
                  f"颁布日为 {row.award_day.isoformat()}，不能提前颁发",
                  f"The award day is {row.award_day.isoformat()}; not before it", status=409)
    ranking = msgspec.convert(row.ranking, list[s.RedFlagUnitRank])
    row.awarded = [str(r.unit_id) for r in ranking if r.flag]
    row.status, row.awarded_by, row.awarded_at = "awarded", user_id, utcnow()
    await record_audit(session, action="red_flag.award", target_type="red_flag_round", target_id=str(row.id),
                       details={"awarded": [r.name for r in ranking if r.flag]})
    out = await _view(session, row)
    await session.commit()
    return out


async def publish(session: AsyncSession, round_id: UUID, user_id: UUID) -> s.RedFlagRound:
    row = await _row(session, round_id, lock=True)
    if row.status != "awarded":
        raise bad("red_flag_not_awarded", "", "颁发后才能公布", "Award the flags before publishing", status=409)
    row.status, row.published_by, row.published_at = "published", user_id, utcnow()
    await record_audit(session, action="red_flag.publish", target_type="red_flag_round", target_id=str(row.id),
                       details={"label": row.label})
    out = await _view(session, row)
    await session.commit()
    return out


# ---- lists ---------------------------------------------------------------------------------------------------


async def overview(session: AsyncSession, year: int | None, *, can_write: bool, can_award: bool) -> s.RedFlagOverview:
    now = await today(session)
    year = year or now.year
    try:
        _hooks, terms = await terms_on(session, now)
    except AppError:
        return s.RedFlagOverview(enabled=False, unit="window", kinds=[], rounds=[], can_write=can_write, can_award=can_award)
    q = select(RedFlagRound).where(RedFlagRound.period_start >= date(year, 1, 1),
                                   RedFlagRound.period_start <= date(year, 12, 31))
    if not can_write:
        q = q.where(RedFlagRound.status == "published")
    rows = (await session.scalars(q.order_by(RedFlagRound.period_start.desc(), RedFlagRound.period))).all()
    names = await _names(session, {u for r in rows for u in r.awarded})
    return s.RedFlagOverview(
        enabled=True, unit=terms.unit,
        kinds=[s.RedFlagRoundKind(period=k.period, flags=k.flags, award_day=k.award_day, clause=k.clause)
               for k in terms.rounds],
        rounds=[s.RedFlagRoundSummary(id=r.id, period=r.period, label=r.label, status=r.status,
                               award_day=r.award_day, flags=r.flags, awarded=[names.get(u, u) for u in r.awarded])
                for r in rows],
        can_write=can_write, can_award=can_award)


async def _names(session: AsyncSession, ids: set[str]) -> dict[str, str]:
    from govhall.domain.org.models import Department, Window

    if not ids:
        return {}
    uids = [UUID(x) for x in ids]
    out = {str(w.id): f"{w.number} {w.name}" for w in (await session.scalars(
        select(Window).where(Window.id.in_(uids)))).all()}
    out.update({str(d.id): d.name for d in (await session.scalars(
        select(Department).where(Department.id.in_(uids)))).all()})
    return out


async def tally(session: AsyncSession, year: int | None) -> s.RedFlagTally:
    """The year's flags per unit (published rounds), most first (十.4 获得“流动红旗”较多的窗口优先推荐)."""
    year = year or (await today(session)).year
    rows = (await session.scalars(select(RedFlagRound).where(
        RedFlagRound.status == "published", RedFlagRound.period_start >= date(year, 1, 1),
        RedFlagRound.period_start <= date(year, 12, 31)).order_by(RedFlagRound.period_start))).all()
    won: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        for u in r.awarded:
            won[u].append(r.label)
    names = await _names(session, set(won))
    out = [s.RedFlagTallyRow(unit_id=UUID(u), name=names.get(u, u), flags=len(labels), months=labels)
           for u, labels in won.items()]
    out.sort(key=lambda x: (-x.flags, x.name))
    return s.RedFlagTally(year=year, rows=out)


async def screen(session: AsyncSession) -> s.RedFlagRound:
    """The published round of the latest period, for the hall screen."""
    row = await session.scalar(select(RedFlagRound).where(RedFlagRound.status == "published")
                               .order_by(RedFlagRound.period_end.desc(), RedFlagRound.published_at.desc()).limit(1))
    if row is None:
        raise AppError("not_found", "还没有公布的流动红旗评比", "No red-flag round published yet", status=404)
    return await _view(session, row)
