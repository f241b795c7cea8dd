"""Case events from an external platform (协同办公平台 / 电子监察), CSV or JSON: accepted, paused, resumed,
extended, completed. Each row has its own ``event_id``: a re-import skips the events already applied (idempotent).
A file with bad rows is refused with a per-row report (nothing written) unless ``good_only``: then the good rows
are applied and the bad ones reported. Never half a file silently."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.clock import utcnow
from govhall.domain.complaints import cases
from govhall.domain.complaints import schemas as s
from govhall.domain.complaints.common import Who, bad, tz
from govhall.domain.complaints.models import CaseImportEvent, CaseRecord
from govhall.domain.org.models import Staff
from govhall.errors import AppError

EVENTS = ("accepted", "paused", "resumed", "extended", "completed")
FIELDS = ("event_id", "case_ref", "event", "at", "item_code", "case_type", "employee_no", "applicant", "pause_kind",
          "days", "approved_by", "reason")
MAX_ROWS = 5000


def _camel(k: str) -> str:
    return k.split("_")[0] + "".join(p.title() for p in k.split("_")[1:])


def parse(raw: bytes, content_type: str) -> list[dict[str, str]]:
    if "json" in content_type:
        try:
            data = json.loads(raw)
        except ValueError:
            raise bad("invalid_json", "file", "JSON 格式不正确", "Invalid JSON") from None
        events = data.get("events") if isinstance(data, dict) else data
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise bad("invalid_json", "file", "JSON 应为事件数组或 {events: [...]}", "Expected a list of events")
        return [{k: "" if e.get(_camel(k), e.get(k)) is None else str(e.get(_camel(k), e.get(k))) for k in FIELDS}
                for e in events]
    rows = cases._read_csv(raw)
    return [{k: r.get(k, r.get(_camel(k), "")) for k in FIELDS} for r in rows]


def _at(raw: str, zone: Any) -> datetime:
    t = datetime.fromisoformat(raw)
    return t if t.tzinfo else t.replace(tzinfo=zone)


def _static(r: dict[str, str], zone: Any) -> list[tuple[str, str, str]]:
    errs: list[tuple[str, str, str]] = []
    if not r["event_id"] or len(r["event_id"]) > 100:
        errs.append(("eventId", "缺少事件编号", "eventId is required"))
    if not r["case_ref"] or len(r["case_ref"]) > 100:
        errs.append(("caseRef", "缺少办件编号", "caseRef is required"))
    if r["event"] not in EVENTS:
        errs.append(("event", "事件应为 accepted、paused、resumed、extended、completed", f"unknown event {r['event']!r}"))
    try:
        _at(r["at"], zone)
    except ValueError:
        errs.append(("at", "时间格式应为 ISO 8601（如 2026-10-09T09:30:00+08:00）", "at: ISO 8601 date-time"))
    if r["event"] == "accepted" and not r["item_code"]:
        errs.append(("itemCode", "受理事件须有事项编码", "accepted needs itemCode"))
    if r["event"] == "paused" and r["pause_kind"] not in cases.PAUSE_ZH:
        errs.append(("pauseKind", "暂停原因应为 supplement、hearing、appraisal、expert、inspection、tender",
                     "pauseKind: supplement, hearing, appraisal, expert, inspection, tender"))
    if r["event"] == "extended" and (not r["days"].isdigit() or not r["approved_by"]):
        errs.append(("days", "延期事件须有延长天数和批准人", "extended needs days and approvedBy"))
    if r["case_type"] and r["case_type"] not in cases.TYPE_ALIASES:
        errs.append(("caseType", "办件类型不正确", "unknown caseType"))
    return errs


async def _apply(session: AsyncSession, w: Who, r: dict[str, str], zone: Any) -> None:
    at = _at(r["at"], zone)
    if r["event"] == "accepted":
        staff_id = None
        if r["employee_no"]:
            staff_id = await session.scalar(select(Staff.id).where(Staff.employee_no == r["employee_no"]))
            if staff_id is None:
                raise bad("unknown_staff", "employeeNo", f"没有工号为 {r['employee_no']} 的工作人员",
                          f"No staff member {r['employee_no']}")
        await cases.log_case(session, w, s.CaseIn(
            item_code=r["item_code"], case_type=cases.TYPE_ALIASES.get(r["case_type"]) if r["case_type"] else None,  # type: ignore[arg-type]  # checked in _static
            accepted_at=at, staff_id=staff_id, applicant=r["applicant"] or None), external_ref=r["case_ref"],
            commit=False)
        return
    case_id = await session.scalar(select(CaseRecord.id).where(CaseRecord.external_ref == r["case_ref"]))
    if case_id is None:
        raise bad("unknown_case", "caseRef", f"没有办件 {r['case_ref']}（应先导入受理事件）",
                  f"No case {r['case_ref']} (import its accepted event first)")
    if r["event"] == "paused":
        await cases.pause(session, w, case_id, s.PauseIn(kind=r["pause_kind"]), at,  # type: ignore[arg-type]  # checked in _static
                           commit=False)
    elif r["event"] == "resumed":
        await cases.resume(session, w, case_id, at, commit=False)
    elif r["event"] == "extended":
        await cases.extend(session, w, case_id, s.ExtensionIn(days=int(r["days"]), approved_by=r["approved_by"],
                                                              reason=r["reason"] or "延期"), at, commit=False)
    else:
        await cases.complete(session, w, case_id, at, commit=False)


async def import_events(session: AsyncSession, w: Who, raw: bytes, content_type: str, good_only: bool
                        ) -> s.ImportReport:
    rows = parse(raw, content_type)
    if len(rows) > MAX_ROWS:
        raise bad("too_many_rows", "file", f"一次最多导入 {MAX_ROWS} 行", f"At most {MAX_ROWS} rows per file")
    zone = await tz(session)
    problems: dict[int, list[s.RowProblem]] = {}
    ids = [r["event_id"] for r in rows]
    for i, r in enumerate(rows, start=1):
        errs = _static(r, zone)
        if r["event_id"] and ids.count(r["event_id"]) > 1 and ids.index(r["event_id"]) != i - 1:
            errs.append(("eventId", "事件编号在文件中重复", "eventId appears twice in the file"))
        if errs:
            problems[i] = [s.RowProblem(row=i, field=f, zh=zh, en=en) for f, zh, en in errs]
    done = set(await session.scalars(select(CaseImportEvent.event_id).where(CaseImportEvent.event_id.in_(
        [x for x in ids if x]))))
    dup = sum(1 for i, r in enumerate(rows, start=1) if i not in problems and r["event_id"] in done)
    # Apply in file order; a row the ledger refuses joins the report and the run restarts without it (nothing of
    # a failed run is kept: the transaction is rolled back).
    for _ in range(len(rows) + 1):
        applied = 0
        failed = False
        for i, r in enumerate(rows, start=1):
            if i in problems or r["event_id"] in done:
                continue
            try:
                await _apply(session, w, r, zone)
            except AppError as exc:
                await session.rollback()
                field = (exc.fields[0].get("field") if exc.fields else None) or "row"
                problems[i] = [s.RowProblem(row=i, field=str(field), zh=exc.zh, en=exc.en)]
                failed = True
                break
            case_id = await session.scalar(select(CaseRecord.id).where(CaseRecord.external_ref == r["case_ref"]))
            session.add(CaseImportEvent(event_id=r["event_id"], case_id=case_id, applied_at=utcnow()))
            applied += 1
        if not failed:
            break
    flat = [p for i in sorted(problems) for p in problems[i]]
    report = cases._report(len(rows), flat, applied, dup, False)
    if problems and not good_only:
        await session.rollback()
        raise cases._refuse(report)
    await record_audit(session, action="case.events.import", target_type="case", target_id=None,
                       details={"rows": len(rows), "applied": applied, "duplicates": dup, "bad": report.bad})
    await session.commit()
    return cases._report(len(rows), flat, applied, dup, True)
