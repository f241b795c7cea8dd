"""The case ledger (办件台账): service items, cases logged at the window, due times on the center's calendar with
pauses and extensions, joint cases, numbered notices, the overdue board and its cards.

Not an approval system (halls have one): a light ledger, and an import of the platform's case events.
Seeds: 000 篇六 八, 000 篇七 服务制度 七, 工作制度 十.3⑨; 001 三; 002 限时办结; 004/10, 004/14.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.authz.visibility import Reach
from govhall.clock import utcnow
from govhall.db.locks import lock_name
from govhall.domain.assessment import services as assessment
from govhall.domain.assessment.schemas import RecordIn
from govhall.domain.complaints import schemas as s
from govhall.domain.complaints.common import PACK, Who, bad, hooks_on, tenant, tz
from govhall.domain.complaints.models import (
    CaseCard,
    CaseNotice,
    CaseParticipant,
    CasePause,
    CaseRecord,
    ServiceItem,
)
from govhall.domain.org.models import Department, Staff, Window
from govhall.domain.org.rules import StaffScope
from govhall.errors import AppError, not_found
from govhall.log import get_logger
from govhall.packs.calendar import WorkClock, deadline, work_clock
from govhall.packs.types import CaseClock, Deadline

log = get_logger(__name__)

CASE_TYPES = ("immediate", "promised", "joint", "referred")
TYPE_ZH = {"immediate": "即办件", "promised": "承诺件", "joint": "联办件", "referred": "上报件"}
NOTICE_ZH = {"one_time": "一次性告知书", "supplement": "补正告知书", "acceptance": "受理通知书", "promise": "承诺通知书"}
NOTICE_PREFIX = {"one_time": "告", "supplement": "补", "acceptance": "受", "promise": "承"}
PAUSE_ZH = {"supplement": "补正", "hearing": "听证", "appraisal": "鉴定", "expert": "专家评审",
            "inspection": "检验检疫", "tender": "招标拍卖", "extension": "延期"}


# ---- due times ------------------------------------------------------------------------------------------------


async def _rule(session: AsyncSession, at: datetime, case_type: str, days: int) -> Deadline:
    """即办件: the pack's minutes (004/10: 30), 0 = the same day (000 篇七 服务制度 七(一)); the others: the
    item's promised working days (002 限时办结 1 按正常工作日计算，遇法定假日顺延)."""
    if case_type == "immediate":
        minutes = (await hooks_on(session, at)).rules.of(PACK).immediate_limit_minutes
        return Deadline(amount=minutes, unit="minutes") if minutes else Deadline(amount=0, unit="days",
                                                                                  postpone=False)
    return Deadline(amount=days, unit="working_days")


async def due_time(session: AsyncSession, start: datetime, case_type: str, days: int) -> datetime:
    return await deadline(session, tenant(), start, await _rule(session, start, case_type, days), await tz(session))


# ---- service items ---------------------------------------------------------------------------------------------


def item_problems(st: Any, legal: int, promised: int) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    if promised > legal:
        out.append(("promisedDays", f"承诺时限 {promised} 天超过法定时限 {legal} 天",
                    f"The promised time ({promised} days) exceeds the legal time ({legal})"))
    fraction = st.promise_max_fraction
    if fraction < 1 and promised > legal * fraction:
        most = int(legal * fraction)
        zh = (f"承诺时限应比法定时限缩短{round((1 - fraction) * 100):g}%以上"
              f"（法定 {legal} 天，承诺最多 {most} 天；002 限时办结 2）")
        en = f"The promised time must be at most {fraction:g} of the legal time ({legal} days: at most {most})"
        out.append(("promisedDays", zh, en))
    return out


HEADERS = {"code": "code", "事项编码": "code", "name": "name", "事项名称": "name", "department": "department",
           "部门": "department", "legal_days": "legal_days", "法定时限": "legal_days", "promised_days":
           "promised_days", "承诺时限": "promised_days", "default_type": "default_type", "办件类型": "default_type"}
TYPE_ALIASES = {**{t: t for t in CASE_TYPES}, **{v: k for k, v in TYPE_ZH.items()}}


def _read_csv(raw: bytes) -> list[dict[str, str]]:
    import csv
    import io

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise bad("invalid_encoding", "file", "文件编码无法识别（请用 UTF-8 或 GB18030）",
                      "Unreadable encoding (use UTF-8 or GB18030)") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise bad("empty_file", "file", "文件为空", "The file is empty")
    head = [h.strip() for h in rows[0]]
    return [{HEADERS.get(h, h): (r[i].strip() if i < len(r) else "") for i, h in enumerate(head)}
            for r in rows[1:] if any(c.strip() for c in r)]


def _report(rows: int, problems: list[s.RowProblem], applied: int, dup: int, committed: bool) -> s.ImportReport:
    bad_rows = len({p.row for p in problems})
    return s.ImportReport(rows=rows, good=rows - bad_rows - dup, bad=bad_rows, applied=applied,
                          skipped_duplicates=dup, problems=problems, committed=committed)


def _refuse(report: s.ImportReport) -> AppError:
    import msgspec

    return AppError("import_has_bad_rows", f"{report.bad} 行有错误，未导入任何数据；改正后重试，或选择“仅导入正确的行”",
                    f"{report.bad} rows have errors: nothing was imported; fix them or import the good rows only",
                    status=422, details={"report": msgspec.to_builtins(report)})


async def import_items(session: AsyncSession, w: Who, raw: bytes, good_only: bool, dry_run: bool) -> s.ImportReport:
    """Service items from CSV (code, name, department, legal_days, promised_days, default_type; Chinese headers
    too). Re-importing updates by code. Bad rows: a per-row report; nothing is written unless ``good_only``."""
    rows = _read_csv(raw)
    if len(rows) > 5000:
        raise bad("too_many_rows", "file", "一次最多导入 5000 行", "At most 5000 rows per file")
    st = (await hooks_on(session, utcnow())).rules.of(PACK)
    depts = {d.name: d.id for d in await session.scalars(select(Department))}
    problems: list[s.RowProblem] = []
    good: list[tuple[int, dict[str, object]]] = []
    seen: set[str] = set()
    for i, r in enumerate(rows, start=2):
        errs: list[tuple[str, str, str]] = []
        code, name = r.get("code", ""), r.get("name", "")
        if not code or len(code) > 40:
            errs.append(("code", "事项编码不能为空（最多40字符）", "code is required (at most 40 characters)"))
        elif code in seen:
            errs.append(("code", f"事项编码 {code} 在文件中重复", f"code {code} appears twice"))
        seen.add(code)
        if not name or len(name) > 200:
            errs.append(("name", "事项名称不能为空", "name is required"))
        dept = r.get("department", "")
        if dept and dept not in depts:
            errs.append(("department", f"本中心没有部门“{dept}”", f"no department {dept!r} here"))
        try:
            legal, promised = int(r.get("legal_days", "")), int(r.get("promised_days", ""))
            if not (0 <= promised <= 365 and 0 < legal <= 365):
                raise ValueError
        except ValueError:
            errs.append(("legalDays", "法定、承诺时限须为 0-365 的整数天", "legal and promised days: whole days 0-365"))
            legal = promised = 0
        if legal:
            errs.extend(item_problems(st, legal, promised))
        typ = TYPE_ALIASES.get(r.get("default_type", "") or "promised")
        if typ is None:
            errs.append(("defaultType", "办件类型应为 即办件、承诺件、联办件、上报件", "type: immediate, promised, joint, referred"))
        if errs:
            problems.extend(s.RowProblem(row=i, field=f, zh=zh, en=en) for f, zh, en in errs)
        else:
            good.append((i, {"code": code, "name": name, "department_id": depts.get(dept), "legal_days": legal,
                             "promised_days": promised, "default_type": typ}))
    if dry_run or (problems and not good_only):
        report = _report(len(rows), problems, 0, 0, False)
        if problems and not dry_run:
            raise _refuse(report)
        return report
    existing = {i.code: i for i in await session.scalars(select(ServiceItem))}
    for _, v in good:
        row = existing.get(str(v["code"]))
        if row is None:
            session.add(ServiceItem(**v))
        else:
            for k, val in v.items():
                setattr(row, k, val)
    await record_audit(session, action="case.items.import", target_type="service_item", target_id=None,
                       details={"rows": len(rows), "applied": len(good), "bad": len({p.row for p in problems})})
    await session.commit()
    return _report(len(rows), problems, len(good), 0, True)


async def items(session: AsyncSession) -> list[s.ServiceItemView]:
    rows = list(await session.scalars(select(ServiceItem).order_by(ServiceItem.code)))
    depts = {d.id: d.name for d in await session.scalars(select(Department))}
    return [s.ServiceItemView(id=i.id, code=i.code, name=i.name, department_id=i.department_id,
                              department_name=depts.get(i.department_id) if i.department_id else None,
                              legal_days=i.legal_days, promised_days=i.promised_days, default_type=i.default_type)
            for i in rows]


# ---- cases ----------------------------------------------------------------------------------------------------


async def _number(session: AsyncSession, year: int) -> str:
    await lock_name(session, f"case_no:{tenant()}:{year}")
    prefix = f"BJ{year}-"
    n = await session.scalar(select(func.count()).select_from(CaseRecord).where(CaseRecord.number.like(f"{prefix}%")))
    return f"{prefix}{(n or 0) + 1:05d}"


async def log_case(session: AsyncSession, w: Who, data: s.CaseIn, *, external_ref: str | None = None,
                   commit: bool = True) -> CaseRecord:
    """A case logged at the window in seconds: item, type, first-responsible clerk, accepted at (000 篇六 八.二
    首先受理的为承办第一责任人)."""
    item = await session.scalar(select(ServiceItem).where(ServiceItem.code == data.item_code))
    if item is None:
        raise bad("unknown_item", "itemCode", f"没有编码为 {data.item_code} 的服务事项", f"No service item {data.item_code}")
    now = utcnow()
    accepted = data.accepted_at or now
    if accepted.tzinfo is None:
        raise bad("invalid_time", "acceptedAt", "受理时间须带时区", "acceptedAt needs a time zone")
    if accepted > now + timedelta(minutes=5):
        raise bad("accepted_in_future", "acceptedAt", "受理时间不能晚于现在", "acceptedAt is in the future")
    if data.due_at is not None and data.due_at <= accepted:
        raise bad("due_before_accepted", "dueAt", "办结期限不能早于受理时间", "The due time is before the acceptance")
    case_type = data.case_type or item.default_type
    staff_id = data.staff_id or w.a.scope.staff_id
    staff = await session.get(Staff, staff_id) if staff_id else None
    if staff_id and (staff is None or not w.a.scope.allows(staff)):
        raise not_found("承办人", "Clerk")
    if case_type == "joint" and not data.participants:
        raise bad("participants_required", "participants", "联办件须列出协办部门", "A joint case lists its departments")
    due = data.due_at or await due_time(session, accepted, case_type, item.promised_days)
    local = accepted.astimezone(await tz(session))
    row = CaseRecord(number=await _number(session, local.year), external_ref=external_ref, item_id=item.id,
                     case_type=case_type, staff_id=staff.id if staff else None,
                     department_id=(staff.department_id if staff else None) or item.department_id,
                     window_id=staff.window_id if staff else None, applicant=data.applicant or "",
                     accepted_at=accepted, logged_by=w.a.user_id, due_at=due)
    session.add(row)
    await session.flush()
    for p in data.participants:
        if await session.get(Department, p.department_id) is None:
            raise not_found("协办部门", "Department")
        session.add(CaseParticipant(case_id=row.id, department_id=p.department_id, days=p.days,
                                    due_at=await due_time(session, accepted, "promised", p.days)))
    await record_audit(session, action="case.log", target_type="case", target_id=str(row.id),
                       details={"number": row.number, "item": item.code, "type": case_type,
                                "due": due.isoformat(), "external": external_ref})
    if commit:
        await session.commit()
    log.info("case_logged", number=row.number, type=case_type)
    return row


def _visible(w: Who, c: CaseRecord) -> bool:
    sc = w.a.scope
    if sc.reach is Reach.center:
        return True
    if sc.reach is Reach.department:
        return c.department_id == sc.department_id
    return sc.staff_id is not None and c.staff_id == sc.staff_id


async def load(session: AsyncSession, w: Who, case_id: UUID) -> CaseRecord:
    c = await session.get(CaseRecord, case_id)
    if c is None or not _visible(w, c):
        raise not_found("办件", "Case")
    return c


def _open(c: CaseRecord) -> None:
    if c.completed_at is not None:
        raise AppError("case_completed", "该办件已办结", "The case is completed", status=409)


async def pause(session: AsyncSession, w: Who, case_id: UUID, data: s.PauseIn, at: datetime | None = None,
                commit: bool = True) -> CaseRecord:
    """The clock stops: 补正 (the time restarts from the day the materials are complete, 000 篇七 服务制度
    七(二)1), 听证、鉴定、专家评审… (not counted, 002 限时办结 5)."""
    c = await load(session, w, case_id)
    _open(c)
    if c.paused_since is not None:
        raise AppError("already_paused", "该办件已暂停计时", "The case clock is already stopped", status=409)
    c.paused_since, c.pause_kind = at or utcnow(), data.kind
    session.add(CasePause(case_id=c.id, kind=data.kind, started_at=c.paused_since, note=data.note or None,
                          by=w.a.user_id))
    await record_audit(session, action="case.pause", target_type="case", target_id=str(c.id),
                       details={"number": c.number, "kind": data.kind})
    if commit:
        await session.commit()
    return c


async def resume(session: AsyncSession, w: Who, case_id: UUID, at: datetime | None = None,
                 commit: bool = True) -> CaseRecord:
    c = await load(session, w, case_id)
    _open(c)
    if c.paused_since is None:
        raise AppError("not_paused", "该办件未暂停计时", "The case clock is running", status=409)
    end = at or utcnow()
    if end < c.paused_since:
        raise bad("resume_before_pause", "at", "恢复时间早于暂停时间", "Resumed before it was paused")
    zone = await tz(session)
    p = await session.scalar(select(CasePause).where(CasePause.case_id == c.id, CasePause.ended_at.is_(None)))
    if c.pause_kind == "supplement":
        item = await session.get(ServiceItem, c.item_id)
        c.due_at = await due_time(session, end, c.case_type, item.promised_days if item else 0)
    else:
        clock = await work_clock(session, tenant(), c.paused_since.astimezone(zone).date(), end.astimezone(zone).date(),
                                 zone)
        minutes = -(-clock.seconds(c.paused_since, end) // 60)  # a started minute counts for the applicant
        if minutes:
            c.due_at = await deadline(session, tenant(), c.due_at, Deadline(amount=minutes, unit="minutes"), zone)
    if p is not None:
        p.ended_at = end
    c.paused_since = c.pause_kind = None
    await record_audit(session, action="case.resume", target_type="case", target_id=str(c.id),
                       details={"number": c.number, "due": c.due_at.isoformat()})
    if commit:
        await session.commit()
    return c


async def extend(session: AsyncSession, w: Who, case_id: UUID, data: s.ExtensionIn, at: datetime | None = None,
                 commit: bool = True) -> CaseRecord:
    """An approved extension (002 限时办结 6: 由窗口机关负责人批准，在期限前告知): never after the due time."""
    c = await load(session, w, case_id)
    _open(c)
    when = at or utcnow()
    if when > c.due_at:
        raise bad("deadline_passed", "days", "办结期限已过，不能再延期", "The due time has passed: no extension now")
    c.due_at = await deadline(session, tenant(), c.due_at, Deadline(amount=data.days, unit="working_days"),
                              await tz(session))
    session.add(CasePause(case_id=c.id, kind="extension", started_at=when, ended_at=when, days=data.days,
                          note=data.reason, approved_by=data.approved_by, by=w.a.user_id))
    await record_audit(session, action="case.extend", target_type="case", target_id=str(c.id),
                       details={"number": c.number, "days": data.days, "due": c.due_at.isoformat()})
    if commit:
        await session.commit()
    return c


async def complete(session: AsyncSession, w: Who, case_id: UUID, at: datetime | None = None,
                   commit: bool = True) -> CaseRecord:
    c = await load(session, w, case_id)
    _open(c)
    when = at or utcnow()
    if when < c.accepted_at:
        raise bad("completed_before_accepted", "at", "办结时间早于受理时间", "Completed before it was accepted")
    c.completed_at = when
    if c.paused_since is not None:
        c.paused_since = c.pause_kind = None
    for p in await session.scalars(select(CaseParticipant).where(CaseParticipant.case_id == c.id,
                                                                   CaseParticipant.completed_at.is_(None))):
        p.completed_at = when
    await record_audit(session, action="case.complete", target_type="case", target_id=str(c.id),
                       details={"number": c.number, "late": when > c.due_at})
    if commit:
        await session.commit()
    return c


# ---- notices --------------------------------------------------------------------------------------------------


async def issue_notice(session: AsyncSession, w: Who, case_id: UUID, data: s.NoticeIn, center: str) -> s.NoticeView:
    """A numbered notice (一次性告知书, 补正告知书, 受理通知书, 承诺通知书): 000 篇六 八.二-三; 002 罗田 一次性告知;
    003 三(三). Numbers run per kind and year: 受〔2026〕0001号."""
    c = await load(session, w, case_id)
    item = await session.get(ServiceItem, c.item_id)
    local = utcnow().astimezone(await tz(session))
    await lock_name(session, f"case_notice:{tenant()}:{data.kind}:{local.year}")
    seq = (await session.scalar(select(func.max(CaseNotice.seq)).where(
        CaseNotice.kind == data.kind, CaseNotice.year == local.year)) or 0) + 1
    number = f"{NOTICE_PREFIX[data.kind]}〔{local.year}〕{seq:04d}号"
    staff = await session.get(Staff, c.staff_id) if c.staff_id else None
    body: dict[str, object] = {
        "center": center, "title": NOTICE_ZH[data.kind], "caseNumber": c.number, "applicant": c.applicant,
        "item": item.name if item else "", "itemCode": item.code if item else "", "caseType": TYPE_ZH.get(c.case_type),
        "acceptedAt": c.accepted_at.astimezone(local.tzinfo).strftime("%Y-%m-%d %H:%M"),
        "dueAt": c.due_at.astimezone(local.tzinfo).strftime("%Y-%m-%d %H:%M"),
        "promisedDays": item.promised_days if item else None, "legalDays": item.legal_days if item else None,
        "materials": list(data.materials), "clerk": staff.name if staff else "",
        "issuedOn": local.strftime("%Y年%m月%d日")}
    n = CaseNotice(case_id=c.id, kind=data.kind, year=local.year, seq=seq, number=number, issued_at=utcnow(),
                   issued_by=w.a.user_id, body=body)
    session.add(n)
    await session.flush()
    await record_audit(session, action="case.notice", target_type="case_notice", target_id=str(n.id),
                       details={"number": number, "case": c.number, "kind": data.kind})
    await session.commit()
    return _notice_view(n)


def _notice_view(n: CaseNotice) -> s.NoticeView:
    return s.NoticeView(id=n.id, case_id=n.case_id, kind=n.kind, title=NOTICE_ZH.get(n.kind, n.kind), number=n.number,
                        issued_at=n.issued_at, body=n.body)


async def notice(session: AsyncSession, w: Who, notice_id: UUID) -> s.NoticeView:
    n = await session.get(CaseNotice, notice_id)
    if n is None:
        raise not_found("通知书", "Notice")
    await load(session, w, n.case_id)
    return _notice_view(n)


# ---- the board and cards --------------------------------------------------------------------------------------


async def _scoped(session: AsyncSession, w: Who, open_only: bool) -> list[CaseRecord]:
    q = select(CaseRecord).order_by(CaseRecord.due_at).limit(1000)
    if open_only:
        q = q.where(CaseRecord.completed_at.is_(None))
    sc = w.a.scope
    if sc.reach is Reach.department:
        q = q.where(CaseRecord.department_id == sc.department_id)
    elif sc.reach is Reach.own:
        q = q.where(CaseRecord.staff_id == sc.staff_id) if sc.staff_id else q.where(CaseRecord.id.is_(None))
    return list(await session.scalars(q))


def _clock_of(c: CaseRecord, clock: WorkClock, now: datetime) -> CaseClock:
    at = c.completed_at or c.paused_since or now
    late = clock.minutes(c.due_at, at) if at > c.due_at else 0
    days = clock.working_days_after(c.due_at.astimezone(clock.tz).date(), at.astimezone(clock.tz).date()) \
        if late > 0 else 0
    return CaseClock(case_id=str(c.id), case_type=c.case_type, overdue_minutes=late, overdue_working_days=days)


async def _clock(session: AsyncSession, rows: list[CaseRecord], now: datetime) -> WorkClock:
    zone = await tz(session)
    lo = min([min(c.accepted_at, c.due_at) for c in rows] + [now]).astimezone(zone).date()
    hi = max([c.due_at for c in rows] + [now]).astimezone(zone).date()
    return await work_clock(session, tenant(), lo, hi, zone)


async def views(session: AsyncSession, rows: list[CaseRecord], now: datetime, *, detail: bool = False
                ) -> list[s.CaseView]:
    if not rows:
        return []
    hooks = await hooks_on(session, now)
    clock = await _clock(session, rows, now)
    clocks = {str(c.id): _clock_of(c, clock, now) for c in rows}
    findings = hooks.hook.govhall_case_findings(rules=hooks.rules, cases=list(clocks.values())) or {}
    items = {i.id: i for i in await session.scalars(select(ServiceItem).where(
        ServiceItem.id.in_({c.item_id for c in rows})))}
    staff = {x.id: x.name for x in await session.scalars(select(Staff).where(
        Staff.id.in_({c.staff_id for c in rows if c.staff_id})))}
    depts = {d.id: d.name for d in await session.scalars(select(Department))}
    wins = {x.id: x.name for x in await session.scalars(select(Window).where(
        Window.id.in_({c.window_id for c in rows if c.window_id})))}
    parts: dict[UUID, list[CaseParticipant]] = {}
    for p in await session.scalars(select(CaseParticipant).where(CaseParticipant.case_id.in_({c.id for c in rows}))):
        parts.setdefault(p.case_id, []).append(p)
    pauses: dict[UUID, list[CasePause]] = {}
    notices: dict[UUID, list[CaseNotice]] = {}
    if detail:
        for pz in await session.scalars(select(CasePause).where(CasePause.case_id.in_({c.id for c in rows}))
                                        .order_by(CasePause.started_at)):
            pauses.setdefault(pz.case_id, []).append(pz)
        for n in await session.scalars(select(CaseNotice).where(CaseNotice.case_id.in_({c.id for c in rows}))
                                       .order_by(CaseNotice.issued_at)):
            notices.setdefault(n.case_id, []).append(n)
    out = []
    for c in rows:
        f = findings.get(str(c.id))
        at = c.completed_at or c.paused_since or now
        item = items.get(c.item_id)
        out.append(s.CaseView(
            id=c.id, number=c.number, item_code=item.code if item else "", item_name=item.name if item else "",
            case_type=c.case_type, staff_id=c.staff_id, staff_name=staff.get(c.staff_id) if c.staff_id else None,
            department_name=depts.get(c.department_id) if c.department_id else None,
            window_name=wins.get(c.window_id) if c.window_id else None, applicant=c.applicant,
            accepted_at=c.accepted_at, due_at=c.due_at, completed_at=c.completed_at,
            paused=c.paused_since is not None, pause_kind=c.pause_kind, remaining_minutes=clock.minutes(at, c.due_at),
            overdue_working_days=clocks[str(c.id)].overdue_working_days, card=f.card if f else "",
            card_points=f.card_points if f else 0.0,
            participants=[s.ParticipantView(department_id=p.department_id, department_name=depts.get(p.department_id, ""),
                                            due_at=p.due_at, completed_at=p.completed_at)
                          for p in parts.get(c.id, [])],
            pauses=[s.PauseView(kind=p.kind, started_at=p.started_at, ended_at=p.ended_at, days=p.days, note=p.note,
                                approved_by=p.approved_by) for p in pauses.get(c.id, [])],
            notices=[_notice_view(n) for n in notices.get(c.id, [])]))
    return out


async def board(session: AsyncSession, w: Who) -> s.Board:
    now = utcnow()
    rows = await views(session, await _scoped(session, w, True), now)
    return s.Board(now=now, cases=rows, yellow=sum(r.card == "yellow" for r in rows),
                   red=sum(r.card == "red" for r in rows))


async def one(session: AsyncSession, w: Who, case_id: UUID) -> s.CaseView:
    return (await views(session, [await load(session, w, case_id)], utcnow(), detail=True))[0]


async def listing(session: AsyncSession, w: Who) -> list[s.CaseView]:
    return await views(session, await _scoped(session, w, False), utcnow())


async def issue_cards(session: AsyncSession, w: Who) -> s.CardsIssued:
    """Cards as the rules say (000 篇七 十.3⑨ 黄牌2分、红牌3分 against the window), once per case and colour; with
    the first card the first-responsible clerk gets the pack's overdue violation (source ``case``; 002 考核 (三)2
    每件5分; 004/14 (三)(6) 每件每超过1天扣2分 as the quantity)."""
    now = utcnow()
    rows = [c for c in await _scoped(session, w, False) if (c.completed_at or now) > c.due_at]
    if not rows:
        return s.CardsIssued(issued=0, violations=0)
    hooks = await hooks_on(session, now)
    clock = await _clock(session, rows, now)
    findings = hooks.hook.govhall_case_findings(rules=hooks.rules, cases=[_clock_of(c, clock, now) for c in rows]) \
        or {}
    have = {(k.case_id, k.card) for k in await session.scalars(select(CaseCard).where(
        CaseCard.case_id.in_({c.id for c in rows})))}
    rules = None
    if "point_values" in hooks.enabled:
        rules = await assessment.rules_on(session, now.astimezone(await tz(session)).date())
    system = assessment.Actor(w.a.user_id, w.a.roles, None, StaffScope(reach=Reach.center))
    issued = recorded = 0
    for c in rows:
        f = findings.get(str(c.id))
        if f is None or not f.card or (c.id, f.card) in have:
            continue
        first = not any(k[0] == c.id for k in have)
        card = CaseCard(case_id=c.id, card=f.card, points=f.card_points, issued_at=now)
        if first and f.violation_kind and c.staff_id and rules is not None and f.violation_kind in rules.violations:
            v = await assessment.record(session, system, RecordIn(
                kind=f.violation_kind, day=now.astimezone(await tz(session)).date(), staff_id=c.staff_id,
                quantity=f.quantity, source="case", source_ref=f"case/{c.number}",
                note=f"办件 {c.number} 超期（{'红牌' if f.card == 'red' else '黄牌'}）"), commit=False)
            card.violation_id = v.id
            recorded += 1
        session.add(card)
        have.add((c.id, f.card))
        issued += 1
        await record_audit(session, action="case.card", target_type="case", target_id=str(c.id),
                           details={"number": c.number, "card": f.card, "points": f.card_points})
    try:
        await session.commit()
    except IntegrityError:  # a concurrent run issued them first
        await session.rollback()
        raise AppError("cards_conflict", "黄红牌正在由他人同时生成，请刷新", "Cards were issued concurrently; refresh",
                       status=409) from None
    return s.CardsIssued(issued=issued, violations=recorded)


# ---- monthly statistics ---------------------------------------------------------------------------------------


async def month_stats_xlsx(session: AsyncSession, w: Who, month: datetime, center: str) -> bytes:
    """即办件/承诺件 monthly statistics by department (000 篇七 工作制度 五.3 每月2日前报送上月统计表; 服务制度
    七(一) 填写报表按月汇总)."""
    from io import BytesIO

    from openpyxl import Workbook

    zone = await tz(session)
    lo = datetime(month.year, month.month, 1, tzinfo=zone)
    nxt = (lo.replace(day=28) + timedelta(days=4)).replace(day=1)
    rows = [c for c in await _scoped(session, w, False) if lo <= c.accepted_at < nxt]
    depts = {d.id: d.name for d in await session.scalars(select(Department))}
    table: dict[tuple[str, str], list[int]] = {}
    for c in rows:
        key = (depts.get(c.department_id, "") if c.department_id else "", c.case_type)
        t = table.setdefault(key, [0, 0, 0, 0])
        t[0] += 1
        if c.completed_at is not None:
            t[1] += 1
            t[2 if c.completed_at <= c.due_at else 3] += 1
    wb = Workbook()
    ws = wb.worksheets[0]  # a new Workbook holds one sheet (wb.active may be None in the type)
    ws.title = "办件统计"
    ws.append([f"{center} {lo:%Y年%m月} 即办件、承诺件统计表"])
    ws.append(["部门", "办件类型", "受理件数", "办结件数", "按时办结", "超期办结", "按时办结率"])
    for (dept, typ), (n, done, ok, late) in sorted(table.items()):
        ws.append([dept, TYPE_ZH.get(typ, typ), n, done, ok, late, f"{ok / done:.0%}" if done else ""])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
