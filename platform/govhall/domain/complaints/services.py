"""Complaints (投诉): intake, the lifecycle, the protected identity, violations from substantiated complaints,
the monthly summary. Seeds: 000 篇七 工作制度 九, 服务制度 五.6; 001 四(三); 002 投诉受理处置办法; 004 投诉制度."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import tzinfo as tzinfo_t
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.authz.visibility import Reach
from govhall.clock import utcnow
from govhall.db.locks import lock_name
from govhall.domain.assessment import services as assessment
from govhall.domain.assessment.schemas import RecordIn
from govhall.domain.complaints import identity
from govhall.domain.complaints import schemas as s
from govhall.domain.complaints.common import PACK, WRITTEN_CHANNELS, Who, bad, hooks_on, now_local, tenant, tz
from govhall.domain.complaints.models import COMPLAINT_STATUSES, Complaint, ComplaintEvent
from govhall.domain.identity.models import User
from govhall.domain.org.models import Department, Staff, Window
from govhall.domain.org.rules import StaffScope
from govhall.errors import AppError, not_found
from govhall.log import get_logger
from govhall.packs.calendar import deadline
from govhall.packs.services import TenantHooks
from govhall.packs.types import ComplaintFacts, Deadline

log = get_logger(__name__)

OPEN = ("received", "registered", "reviewed", "assigned", "investigating", "concluded")
UNIT_ZH = {"minutes": "分钟", "hours": "小时", "days": "日", "working_days": "个工作日"}
NEXT = {"register": ("received",), "assign": ("reviewed",), "investigate": ("assigned",),
        "conclude": ("investigating",), "reply": ("concluded",), "feedback": ("replied",),
        "close": ("replied", "feedback"), "extend": OPEN}
TO = {"register": "registered", "assign": "assigned", "investigate": "investigating", "conclude": "concluded",
      "reply": "replied", "feedback": "feedback", "close": "closed"}
STATUS_ZH = {"received": "已接收", "registered": "已登记", "reviewed": "领导已批阅", "assigned": "已交办",
             "investigating": "调查中", "concluded": "已办结", "replied": "已答复", "feedback": "已回访",
             "closed": "已归档"}


def _settings(hooks: TenantHooks) -> Any:
    return hooks.rules.of(PACK)


async def _subject(session: AsyncSession, data: s.ComplaintIn) -> tuple[Staff | None, Window | None,
                                                                        Department | None]:
    staff = await session.get(Staff, data.staff_id) if data.staff_id else None
    if data.staff_id and staff is None:
        raise not_found("被投诉人", "Staff member")
    window = await session.get(Window, data.window_id) if data.window_id else None
    if data.window_id and window is None:
        raise not_found("被投诉窗口", "Window")
    dept = await session.get(Department, data.department_id) if data.department_id else None
    if data.department_id and dept is None:
        raise not_found("被投诉部门", "Department")
    if window is None and staff is not None and staff.window_id:
        window = await session.get(Window, staff.window_id)
    if dept is None:
        dept_id = (window.department_id if window else None) or (staff.department_id if staff else None)
        dept = await session.get(Department, dept_id) if dept_id else None
    return staff, window, dept


async def _number(session: AsyncSession, year: int) -> str:
    await lock_name(session, f"complaint_no:{tenant()}:{year}")
    prefix = f"TS{year}-"
    n = await session.scalar(select(func.count()).select_from(Complaint).where(Complaint.number.like(f"{prefix}%")))
    return f"{prefix}{(n or 0) + 1:04d}"


async def receive(session: AsyncSession, w: Who, data: s.ComplaintIn) -> Complaint:
    """A complaint received at the desk, by phone or in writing (000 篇七 九.1-2; 002 三; 004 投诉 1-3)."""
    subject = (data.subject or "").strip()
    if not subject:
        raise bad("subject_required", "subject", "请填写投诉事项", "Say what the complaint is about")
    now = utcnow()
    received = data.received_at or now
    if received.tzinfo is None:
        raise bad("invalid_time", "receivedAt", "接收时间须带时区", "receivedAt needs a time zone")
    if received > now + timedelta(minutes=5):
        raise bad("received_in_future", "receivedAt", "接收时间不能晚于现在", "receivedAt is in the future")
    hooks = await hooks_on(session, received)
    st = _settings(hooks)
    if data.channel not in st.channels:
        raise bad("channel_not_accepted", "channel", "本中心不受理该渠道的投诉", "This center does not take complaints "
                  "by this channel")
    name = (data.complainant_name or "").strip()
    contact = (data.complainant_contact or "").strip()
    if data.anonymous:
        if not st.anonymous_allowed:
            raise bad("anonymous_not_allowed", "anonymous", "本中心不受理匿名投诉，请填写投诉人姓名和联系方式",
                      "This center does not accept anonymous complaints")
        name = contact = ""
    elif not name:
        raise bad("complainant_required", "complainantName", "请填写投诉人姓名，或选择匿名投诉",
                  "Enter the complainant's name, or mark the complaint anonymous")
    classes = {c.key: c for c in st.classes}
    if data.class_key is not None and data.class_key not in classes:
        raise bad("unknown_class", "classKey", "本中心没有该投诉类别", "No such complaint class here")
    cls = classes.get(data.class_key or "") or st.classes[0]
    written = data.channel in WRITTEN_CHANNELS
    if cls.major and st.major_needs_written_intake and not written:
        raise bad("written_required", "channel", "涉及重大事项的投诉应采用书面形式（000 篇七 九.1）",
                  "Major matters must be lodged in writing")
    staff, window, dept = await _subject(session, data)
    tid = tenant()
    local = received.astimezone(await tz(session))
    number = await _number(session, local.year)
    facts = ComplaintFacts(complaint_id=number, class_key=cls.key, channel=data.channel, level=data.level,
                           written=written, departments=data.departments)
    terms = hooks.hook.govhall_complaint_terms(rules=hooks.rules, complaints=[facts])[number]
    due = await deadline(session, tid, received, terms.deadline, await tz(session))
    row = Complaint(
        number=number, channel=data.channel, level=data.level, written=written, class_key=terms.class_key,
        class_name=terms.class_name, clause=terms.clause, deadline_amount=terms.deadline.amount,
        deadline_unit=terms.deadline.unit, departments=data.departments, received_at=received, received_by=w.a.user_id,
        due_at=due, status="received", anonymous=data.anonymous,
        identity=identity.seal(tid, number, name, contact) if name else None, identity_key_version=identity.KEY_VERSION,
        staff_id=staff.id if staff else None, window_id=window.id if window else None,
        department_id=dept.id if dept else None, subject=subject, problem=data.problem.strip(),
        demand=data.demand.strip(), reply_in_writing=terms.reply_in_writing, window_points=terms.window_points,
        window_zeroes=terms.window_zeroes)
    session.add(row)
    await session.flush()
    await _event(session, row, "receive", w.a.user_id, None)
    await record_audit(session, action="complaint.receive", target_type="complaint", target_id=str(row.id),
                       details={"number": number, "channel": data.channel, "class": terms.class_key,
                                "due": due.isoformat(), "anonymous": data.anonymous,
                                "identityProtected": bool(name)})
    await session.commit()
    log.info("complaint_received", number=number, channel=data.channel, klass=terms.class_key)
    return row


async def _event(session: AsyncSession, c: Complaint, action: str, by: UUID | None, note: str | None) -> None:
    session.add(ComplaintEvent(complaint_id=c.id, action=action, status=c.status, at=utcnow(), by=by,
                               note=note or None))


def _visible(w: Who, c: Complaint, scope: StaffScope) -> bool:
    if scope.reach is Reach.center:
        return True
    return scope.reach is Reach.department and c.department_id is not None and c.department_id == scope.department_id


async def load(session: AsyncSession, w: Who, complaint_id: UUID) -> Complaint:
    c = await session.get(Complaint, complaint_id)
    if c is None or not _visible(w, c, w.a.scope):
        raise not_found("投诉", "Complaint")
    return c


async def review(session: AsyncSession, w: Who, complaint_id: UUID, note: str) -> Complaint:
    """中心领导批阅 (000 篇七 九.2-3)."""
    c = await load(session, w, complaint_id)
    if c.status != "registered":
        raise _wrong_state(c, "review")
    c.status, c.review_note = "reviewed", note.strip()
    await _event(session, c, "review", w.a.user_id, note)
    await record_audit(session, action="complaint.review", target_type="complaint", target_id=str(c.id),
                       details={"number": c.number})
    await session.commit()
    return c


def _wrong_state(c: Complaint, action: str) -> AppError:
    return AppError("invalid_transition", f"投诉当前状态为“{STATUS_ZH.get(c.status, c.status)}”，不能执行此操作",
                    f"The complaint is {c.status}: {action} is not possible now", status=409)


async def step(session: AsyncSession, w: Who, complaint_id: UUID, data: s.StepIn) -> Complaint:
    c = await load(session, w, complaint_id)
    if c.status not in NEXT[data.action]:
        raise _wrong_state(c, data.action)
    note = data.note.strip()
    now = utcnow()
    details: dict[str, object] = {"number": c.number}
    if data.action == "extend":
        if now > c.due_at:
            raise bad("deadline_passed", "action", "答复期限已过，不能再延期（应在期限内向投诉人说明情况）",
                      "The deadline has passed: an extension must be made before it")
        if not note or data.extend_amount is None or data.extend_unit is None:
            raise bad("explanation_required", "note", "延期须填写向投诉人所作的解释及延长的时限",
                      "An extension needs the explanation sent to the complainant and how long")
        c.due_at = await deadline(session, tenant(), c.due_at, Deadline(amount=data.extend_amount,
                                                                         unit=data.extend_unit), await tz(session))
        c.extended, c.extension_note = True, note
        details["due"] = c.due_at.isoformat()
    elif data.action == "assign":
        if data.assigned_to is None:
            raise bad("assignee_required", "assignedTo", "请选择交办对象", "Choose who handles it")
        c.assigned_to = data.assigned_to
        details["assignedTo"] = data.assigned_to
    elif data.action == "conclude":
        if data.conclusion is None or not note:
            raise bad("conclusion_required", "conclusion", "请选择调查结论并填写处理意见",
                      "Choose the conclusion and write the opinion")
        c.conclusion, c.opinion = data.conclusion, note
        details["conclusion"] = data.conclusion
        if data.conclusion in ("substantiated", "partly"):
            await _substantiated(session, w, c, details)
    elif data.action == "reply":
        if data.reply_channel is None:
            raise bad("reply_channel_required", "replyChannel", "请选择答复方式", "Choose how the reply was sent")
        if c.reply_in_writing and data.reply_channel not in WRITTEN_CHANNELS:
            raise bad("written_reply_required", "replyChannel", "书面投诉必须书面答复（004 投诉制度 7）",
                      "A written complaint needs a written reply")
        c.reply_channel, c.replied_at = data.reply_channel, now
        details["replyChannel"] = data.reply_channel
        details["onTime"] = now <= c.due_at
    elif data.action == "feedback":
        if data.feedback is None:
            raise bad("feedback_required", "feedback", "请选择投诉人的意见", "Choose the complainant's feedback")
        c.feedback = data.feedback
        details["feedback"] = data.feedback
    if data.action in TO:
        c.status = TO[data.action]
    if data.action == "close":
        c.closed_at = now
    await _event(session, c, data.action, w.a.user_id, note)
    await record_audit(session, action=f"complaint.{data.action}", target_type="complaint", target_id=str(c.id),
                       details=details)
    await session.commit()
    log.info("complaint_step", number=c.number, action=data.action, status=c.status)
    return c


async def _substantiated(session: AsyncSession, w: Who, c: Complaint, details: dict[str, object]) -> None:
    """查实的按考核细则扣除窗口和窗口工作人员的分数 (000 篇七 九.6): the person's violation record (source
    ``complaint``) in the assessment; the window's points stay on the complaint for the monthly summary."""
    hooks = await hooks_on(session, c.received_at)
    st = _settings(hooks)
    c.reward_yuan = st.reporter_reward_yuan if c.conclusion == "substantiated" else 0.0
    if c.staff_id is None or not st.person_violation_kind:
        return
    today = (await now_local(session)).date()
    rules = await assessment.rules_on(session, today) if "point_values" in hooks.enabled else None
    if rules is None or st.person_violation_kind not in rules.violations:
        details["personViolation"] = "not_in_catalogue"
        return
    system = assessment.Actor(w.a.user_id, w.a.roles, None, StaffScope(reach=Reach.center))
    row = await assessment.record(session, system, RecordIn(
        kind=st.person_violation_kind, day=today, staff_id=c.staff_id, source="complaint",
        source_ref=f"complaint/{c.number}", note=f"投诉 {c.number} 查实：{c.subject}"[:500]), commit=False)
    c.person_violation_id = row.id
    details["personViolation"] = str(row.id)


async def reveal(session: AsyncSession, w: Who, complaint_id: UUID) -> s.ComplaintIdentity:
    """The intake office only (``complaint:identity``, checked by the route); each look is audited."""
    c = await load(session, w, complaint_id)
    name, contact = "", ""
    if c.identity is not None:
        got = identity.reveal(tenant(), c.number, c.identity)
        if got is None:
            raise AppError("identity_unreadable", "无法解密投诉人信息（密钥已更换）",
                           "The complainant's identity cannot be decrypted (the key changed)", status=409)
        name, contact = got
    await record_audit(session, action="complaint.identity.read", target_type="complaint", target_id=str(c.id),
                       details={"number": c.number})
    await session.commit()
    return s.ComplaintIdentity(complaint_id=c.id, name=name, contact=contact)


# ---- views ----------------------------------------------------------------------------------------------------


async def _names(session: AsyncSession, rows: list[Complaint]) -> dict[str, dict[UUID, str]]:
    out: dict[str, dict[UUID, str]] = {"staff": {}, "window": {}, "dept": {}}
    models: tuple[tuple[str, type[Staff | Window | Department], str], ...] = (
        ("staff", Staff, "staff_id"), ("window", Window, "window_id"), ("dept", Department, "department_id"))
    for key, model, attr in models:
        ids = {getattr(r, attr) for r in rows if getattr(r, attr)}
        if ids:
            for obj in await session.scalars(select(model).where(model.id.in_(ids))):
                out[key][obj.id] = str(getattr(obj, "name", ""))
    return out


def deadline_text(c: Complaint) -> str:
    return f"{c.deadline_amount}{UNIT_ZH.get(c.deadline_unit, c.deadline_unit)}"


def view(c: Complaint, n: dict[str, dict[UUID, str]], intake: str, now: datetime,
         events: list[s.ComplaintEventView] | None = None) -> s.ComplaintView:
    return s.ComplaintView(
        id=c.id, number=c.number, channel=c.channel, level=c.level, written=c.written, class_key=c.class_key,
        class_name=c.class_name, clause=c.clause, deadline=deadline_text(c), received_at=c.received_at,
        due_at=c.due_at, status=c.status, overdue=c.status in OPEN and now > c.due_at, anonymous=c.anonymous,
        identity_protected=c.identity is not None, subject=c.subject, problem=c.problem, demand=c.demand,
        staff_id=c.staff_id, staff_name=n["staff"].get(c.staff_id) if c.staff_id else None, window_id=c.window_id,
        window_name=n["window"].get(c.window_id) if c.window_id else None, department_id=c.department_id,
        department_name=n["dept"].get(c.department_id) if c.department_id else None,
        reply_in_writing=c.reply_in_writing, review_note=c.review_note, assigned_to=c.assigned_to,
        conclusion=c.conclusion, opinion=c.opinion, reply_channel=c.reply_channel, replied_at=c.replied_at,
        feedback=c.feedback, closed_at=c.closed_at, extended=c.extended, extension_note=c.extension_note,
        window_points=c.window_points, window_zeroes=c.window_zeroes, person_violation_id=c.person_violation_id,
        reward_yuan=c.reward_yuan, intake_office=intake, events=events or [])


async def _intake(session: AsyncSession) -> str:
    try:
        return _settings(await hooks_on(session, utcnow())).intake_office_name
    except AppError:
        return ""


async def one(session: AsyncSession, w: Who, complaint_id: UUID) -> s.ComplaintView:
    c = await load(session, w, complaint_id)
    evs = list(await session.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id)
                                     .order_by(ComplaintEvent.at, ComplaintEvent.id)))
    users = {u.id: u.display_name for u in await session.scalars(
        select(User).where(User.id.in_({e.by for e in evs if e.by})))} if evs else {}
    return view(c, await _names(session, [c]), await _intake(session), utcnow(),
                [s.ComplaintEventView(action=e.action, status=e.status, at=e.at, by_name=users.get(e.by, "") if e.by
                                      else "", note=e.note) for e in evs])


def _month_range(month: date, tzinfo: tzinfo_t) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=tzinfo)
    nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, datetime(nxt.year, nxt.month, 1, tzinfo=tzinfo)


async def listing(session: AsyncSession, w: Who, month: date | None, status: str | None) -> list[s.ComplaintView]:
    q = select(Complaint).order_by(Complaint.received_at.desc()).limit(500)
    if month is not None:
        lo, hi = _month_range(month, await tz(session))
        q = q.where(Complaint.received_at >= lo, Complaint.received_at < hi)
    if status == "overdue":
        q = q.where(Complaint.status.in_(OPEN), Complaint.due_at < utcnow())
    elif status in COMPLAINT_STATUSES:
        q = q.where(Complaint.status == status)
    if w.a.scope.reach is not Reach.center:
        q = q.where(Complaint.department_id == w.a.scope.department_id) if w.a.scope.reach is Reach.department \
            else q.where(Complaint.id.is_(None))
    rows = list(await session.scalars(q))
    n = await _names(session, rows)
    intake, now = await _intake(session), utcnow()
    return [view(c, n, intake, now) for c in rows]


async def summary(session: AsyncSession, w: Who, month: date) -> s.ComplaintSummary:
    """定期汇总通报 (000 篇七 九.6): the month's complaints by status, class, channel and window (with the window
    points of the substantiated ones), replies on time, rewards."""
    rows = await listing(session, w, month, None)

    def rows_by(key: str, name_of: dict[str, str]) -> list[s.SummaryRow]:
        counts: dict[str, int] = {}
        for r in rows:
            k = getattr(r, key)
            counts[k] = counts.get(k, 0) + 1
        return [s.SummaryRow(key=k, name=name_of.get(k, k), count=v) for k, v in sorted(counts.items())]

    windows: dict[str, s.SummaryRow] = {}
    for r in rows:
        if r.window_id is None:
            continue
        row = windows.setdefault(str(r.window_id), s.SummaryRow(key=str(r.window_id), name=r.window_name or "",
                                                                count=0))
        row.count += 1
        if r.conclusion in ("substantiated", "partly"):
            row.substantiated += 1
            row.points += r.window_points
            row.zeroed = row.zeroed or r.window_zeroes
    classes = {r.class_key: r.class_name for r in rows}
    return s.ComplaintSummary(
        month=month.strftime("%Y-%m"), total=len(rows), by_status=rows_by("status", STATUS_ZH),
        by_class=rows_by("class_key", classes), by_channel=rows_by("channel", {}),
        by_window=sorted(windows.values(), key=lambda x: -x.points),
        substantiated=sum(r.conclusion == "substantiated" for r in rows),
        partly=sum(r.conclusion == "partly" for r in rows),
        unsubstantiated=sum(r.conclusion == "unsubstantiated" for r in rows), overdue=sum(r.overdue for r in rows),
        replied_on_time=sum(1 for r in rows if r.replied_at is not None and r.replied_at <= r.due_at),
        rewards_yuan=sum(r.reward_yuan for r in rows))


def summary_xlsx(data: s.ComplaintSummary, center: str) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.worksheets[0]  # a new Workbook holds one sheet (wb.active may be None in the type)
    ws.title = "投诉汇总"
    ws.append([f"{center} {data.month} 投诉汇总通报"])
    ws.append(["投诉总数", data.total, "查实", data.substantiated, "部分属实", data.partly, "不属实",
               data.unsubstantiated, "超期未答复", data.overdue, "按期答复", data.replied_on_time, "举报奖励（元）",
               data.rewards_yuan])
    for title, rows in (("按状态", data.by_status), ("按类别", data.by_class), ("按渠道", data.by_channel)):
        ws.append([])
        ws.append([title, "件数"])
        for r in rows:
            ws.append([r.name, r.count])
    ws.append([])
    ws.append(["窗口", "投诉件数", "查实（含部分属实）", "窗口扣分", "此项不得分"])
    for r in data.by_window:
        ws.append([r.name, r.count, r.substantiated, r.points, "是" if r.zeroed else ""])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
