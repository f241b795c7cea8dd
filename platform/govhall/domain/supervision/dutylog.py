"""值班日志 (duty log): the timeline of a day — the duty officer's arrival, the opening, outing reports and returns,
leave signed off, public requests for help, incidents, patrols and checks, off post, the handover — printable for a
day or a week (000 篇七 工作制度 二.2 外出报备记入值班日志; 七(三)5 认真做好值周日志巡查记录; 办理办法 第二条;
001 七 五.4 及时登记和处理群众求助事务). Entries the officer writes are ``duty_log_entry`` rows; the rest is read
from the records themselves, so the log never disagrees with them."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import local_today, utcnow, zone
from govhall.domain.attendance.ingest import tenant_timezone
from govhall.domain.attendance.models import Punch
from govhall.domain.identity.models import User
from govhall.domain.leave.models import LeaveApprovalStep, LeaveRequest
from govhall.domain.org.models import Staff
from govhall.domain.supervision import schemas as s
from govhall.domain.supervision.models import (
    DutyLogEntry,
    DutyRotaEntry,
    OffPostTimer,
    OutingReport,
    Patrol,
    PatrolFinding,
)
from govhall.domain.supervision.rota import bad, tenant
from govhall.tenancy.models import Tenant

MAX_DAYS = 7
KIND_ZH = {"opening": "开门", "public_request": "群众求助", "incident": "突发事件", "handover": "交接班", "note": "记事"}
PATROL_ZH = {"patrol": "巡查", "fixed_check": "定时检查", "closing_check": "下班前关闭检查"}
MODE_ZH = {"on_site": "现场", "video": "视频监控", "self_check": "自查", "spot_check": "抽查", "mutual_check": "互查",
           "unannounced": "暗访"}


async def write(session: AsyncSession, user_id: UUID, data: s.DutyLogIn) -> s.LogEvent:
    tz = await tenant_timezone(session, tenant())
    now = utcnow()
    at = data.at or now
    if at.tzinfo is None or at > now + timedelta(minutes=5):
        raise bad("invalid_time", "at", "时间不正确", "Invalid time")
    day = at.astimezone(zone(tz)).date()
    if day != local_today(tz):
        raise bad("log_not_today", "at", "只能记今天的值班日志", "Only today's log can be written")
    e = DutyLogEntry(day=day, at=at.astimezone(UTC), kind=data.kind, text=data.text.strip(), author_id=user_id)
    session.add(e)
    await session.flush()
    await record_audit(session, action="duty_log.write", target_type="duty_log_entry", target_id=str(e.id),
                       details={"kind": e.kind, "day": day.isoformat()})
    await session.commit()
    return s.LogEvent(at=e.at, kind=e.kind, text=e.text)


async def read(session: AsyncSession, start: date, end: date) -> s.DutyLog:
    if end < start:
        raise bad("invalid_range", "end", "结束日期不能早于开始日期", "The end date is before the start date")
    if (end - start).days + 1 > MAX_DAYS:
        raise bad("range_too_long", "end", f"一次最多 {MAX_DAYS} 天", f"At most {MAX_DAYS} days at once")
    tid = tenant()
    tz = await tenant_timezone(session, tid)
    z = zone(tz)
    lo = datetime.combine(start, datetime.min.time(), z).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), z).astimezone(UTC)
    names = dict((await session.execute(select(Staff.id, Staff.name))).all())
    users = dict((await session.execute(select(User.id, User.display_name))).all())
    events: dict[date, list[s.LogEvent]] = defaultdict(list)

    def add(at: datetime, kind: str, text: str, who: str | None = None) -> None:
        events[at.astimezone(z).date()].append(s.LogEvent(at=at, kind=kind, text=text, who=who))

    rota = (await session.scalars(select(DutyRotaEntry).where(DutyRotaEntry.day >= start,
                                                              DutyRotaEntry.day <= end))).all()
    officers: dict[date, list[UUID]] = defaultdict(list)
    for r in rota:
        if r.staff_id:
            officers[r.day].append(r.staff_id)
    officer_ids = {sid for ids in officers.values() for sid in ids}
    if officer_ids:
        punches = (await session.execute(select(Punch.staff_id, Punch.punched_at).where(
            Punch.staff_id.in_(officer_ids), Punch.punched_at >= lo, Punch.punched_at < hi)
            .order_by(Punch.punched_at))).all()
        first: dict[tuple[UUID | None, date], datetime] = {}
        for sid, at in punches:
            first.setdefault((sid, at.astimezone(z).date()), at)
        for (sid, d), at in first.items():
            if sid in officers.get(d, []):
                add(at, "arrival", f"值班人员到岗（{at.astimezone(z):%H:%M} 打卡）", names.get(sid))
    for e in (await session.scalars(select(DutyLogEntry).where(DutyLogEntry.day >= start,
                                                               DutyLogEntry.day <= end))).all():
        add(e.at, e.kind, f"{KIND_ZH.get(e.kind, e.kind)}：{e.text}", users.get(e.author_id))
    for o in (await session.scalars(select(OutingReport).where(OutingReport.day >= start,
                                                               OutingReport.day <= end))).all():
        state = {"reported": "待同意", "approved": "已同意", "rejected": "未同意", "returned": "已返回"}[o.status]
        add(o.leaves_at, "outing", f"外出报备：{o.reason}，{o.place}，预计 {o.expected_back.astimezone(z):%H:%M} 返回"
            f"（{state}）", names.get(o.staff_id))
        if o.returned_at:
            add(o.returned_at, "outing_return", "外出返回", names.get(o.staff_id))
    steps = (await session.execute(select(LeaveApprovalStep, LeaveRequest).join(
        LeaveRequest, LeaveRequest.id == LeaveApprovalStep.request_id).where(
        LeaveApprovalStep.decided_at >= lo, LeaveApprovalStep.decided_at < hi))).all()
    for step, req in steps:
        verdict = {"approved": "同意", "rejected": "不同意"}.get(getattr(step.decision, "value", str(step.decision)))
        if step.decided_at is None or verdict is None:
            continue
        add(step.decided_at, "leave_signoff",
            f"请假签批（{step.name_zh}）：{req.start_date:%m-%d} 至 {req.end_date:%m-%d}，{req.half_days / 2:g} 天，"
            f"{verdict}", names.get(req.staff_id))
    patrols = (await session.scalars(select(Patrol).where(Patrol.day >= start, Patrol.day <= end))).all()
    findings: dict[UUID, list[PatrolFinding]] = defaultdict(list)
    if patrols:
        for f in (await session.scalars(select(PatrolFinding).where(
                PatrolFinding.patrol_id.in_([p.id for p in patrols])))).all():
            findings[f.patrol_id].append(f)
    for p in patrols:
        found = "；".join(f"{names.get(f.staff_id, '') if f.staff_id else '大厅'} {f.item_name}" for f in findings[p.id])
        failed = [k for k, v in (p.results or {}).items() if v == "fail"]
        text = f"{PATROL_ZH.get(p.kind, p.kind)}（{MODE_ZH.get(p.mode, p.mode)}）：" + (
            found or ("不合格：" + "、".join(failed) if failed else "未发现问题"))
        add(p.started_at, p.kind, text, names.get(p.officer_staff_id) if p.officer_staff_id else None)
    for t in (await session.scalars(select(OffPostTimer).where(OffPostTimer.day >= start,
                                                               OffPostTimer.day <= end))).all():
        length = f"{t.minutes} 分钟" if t.minutes is not None else "计时中"
        add(t.started_at, "off_post", f"脱岗（未报备外出）：{length}", names.get(t.staff_id))
    center = await session.get(Tenant, tid)
    days = []
    d = start
    while d <= end:
        days.append(s.DutyLogDay(day=d, officer="、".join(names.get(x, "") for x in officers.get(d, [])) or None,
                                 events=sorted(events.get(d, []), key=lambda e: e.at)))
        d += timedelta(days=1)
    return s.DutyLog(start=start, end=end, center=center.name if center else "", days=days)
