"""Punch ingestion: parse, check, store idempotently, and commit before anyone is told "OK".

All three ways in (the web clock-in button, the JSON endpoint, the ZKTeco ADMS push) end in ``store_punches``:

- one multi-row ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` per chunk on the natural key (tenant, device key,
  PIN, time): a replayed batch inserts nothing and reports its lines as duplicates;
- the raw message goes to ``attendance_inbox`` in the same transaction, with the reasons of its rejected lines;
- a line that cannot be read is rejected with a reason; the good lines of the same batch are stored;
- punches for a day before today mark their tenant-month for re-evaluation;
- the device's delivery state (last contact, watermark, counts) is updated in the same transaction;
- the caller's answer is built only after ``commit()`` returned, so a database error means no "OK" and the
  terminal keeps its records and sends them again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast
from uuid import UUID

from advanced_alchemy.mixins.uuid import uuid7
from sqlalchemy import FromClause, Table, bindparam, case, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import zone
from govhall.domain.attendance.models import (
    WEB_DEVICE,
    DeviceSync,
    MonthState,
    Punch,
    PunchInbox,
    PunchSource,
)
from govhall.domain.attendance.rules import AttendanceRules
from govhall.domain.org.models import Staff
from govhall.schemas import MAX_YEAR, MIN_YEAR
from govhall.tenancy.context import current_tenant_id
from govhall.tenancy.guard import ROWS_CHECKED, tenant_rows
from govhall.tenancy.models import Tenant

CHUNK = 500
MAX_LINES = 5000
_PIN = re.compile(r"^[^\s\x00-\x1f\x7f]{1,64}$")
_tz_cache: dict[UUID, str] = {}


@dataclass(slots=True)
class RawPunch:
    index: int
    """1-based line number (ADMS) or 0-based array index (JSON): how a rejection names the line."""
    pin: str
    local: datetime
    """Naive local wall-clock time as the terminal reported it (or converted from an explicit offset)."""
    status: int | None = None
    verify: int | None = None
    workcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None


@dataclass(slots=True)
class Rejected:
    index: int
    code: str
    zh: str
    en: str
    raw: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "code": self.code, "message": {"zh": self.zh, "en": self.en},
                **({"raw": self.raw[:200]} if self.raw is not None else {})}


@dataclass(slots=True)
class SyncUpdate:
    """What a device request tells about the terminal's delivery state."""

    device_id: UUID | None = None
    uploaded: bool = False
    synced_until: datetime | None = None
    record_count: int | None = None
    pending: int | None = None
    firmware: str | None = None
    stamp: str | None = None


@dataclass(slots=True)
class IngestReport:
    received: int
    accepted: int
    duplicates: int
    rejected: list[Rejected] = field(default_factory=list)
    unmapped_pins: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)
    """The local dates of the punches that were new."""


# ---- parsing ---------------------------------------------------------------------------------------------


def _int(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    value = int(raw.strip())
    if not -32768 <= value <= 32767:
        raise ValueError(raw)
    return value


def check_pin(raw: Any) -> str | None:
    pin = raw.strip() if isinstance(raw, str) else str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else None
    return pin if pin and _PIN.match(pin) else None


def parse_attlog(body: str) -> tuple[list[RawPunch], list[Rejected]]:
    """ADMS ``table=ATTLOG`` lines: ``PIN \\t YYYY-MM-DD HH:MM:SS \\t status \\t verify \\t workcode [\\t ...]``."""
    good: list[RawPunch] = []
    bad: list[Rejected] = []
    for n, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        if len(good) + len(bad) >= MAX_LINES:
            bad.append(Rejected(n, "too_many_lines", f"单次最多 {MAX_LINES} 行", f"At most {MAX_LINES} lines per batch"))
            break
        if "\x00" in line:
            bad.append(Rejected(n, "bad_characters", "行中含有不可见的控制字符", "The line contains a NUL character",
                                line.replace("\x00", "\\0")))
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            bad.append(Rejected(n, "malformed_line", "行格式不正确（应以制表符分隔）",
                                "Malformed line (expected tab-separated fields)", line))
            continue
        pin = check_pin(parts[0])
        if pin is None:
            bad.append(Rejected(n, "bad_pin", "考勤号不正确", "Invalid PIN", line))
            continue
        try:
            local = datetime.strptime(parts[1].strip(), "%Y-%m-%d %H:%M:%S")
            if not in_range(local):
                raise ValueError(parts[1])
        except ValueError:
            bad.append(Rejected(n, "bad_time", "打卡时间格式不正确（应为 YYYY-MM-DD HH:MM:SS）",
                                "Invalid time (expected YYYY-MM-DD HH:MM:SS)", line))
            continue
        try:
            status = _int(parts[2]) if len(parts) > 2 else None
            verify = _int(parts[3]) if len(parts) > 3 else None
        except ValueError:
            bad.append(Rejected(n, "bad_field", "状态或验证方式不是数字", "Status or verify type is not a number", line))
            continue
        workcode = parts[4].strip()[:32] or None if len(parts) > 4 else None
        if workcode is not None and not workcode.isprintable():
            workcode = None
        good.append(RawPunch(n, pin, local, status, verify, workcode))
    return good, bad


def in_range(local: datetime) -> bool:
    """A local time whose instant any time zone can still represent (years MIN_YEAR-MAX_YEAR of the wire)."""
    return MIN_YEAR <= local.year <= MAX_YEAR


def parse_time(raw: Any, tz: str) -> datetime | None:
    """ISO 8601 (``2026-03-02T08:25:13``, space allowed); naive = the tenant's local time. Returns naive local,
    or None for anything unreadable, including instants outside years MIN_YEAR-MAX_YEAR
    (``0001-01-01T00:00:00+14:00`` has no UTC instant in year 1: converting it overflowed, a 500)."""
    if not isinstance(raw, str) or not 10 <= len(raw) <= 40:
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
        if not in_range(value):
            return None
        if value.tzinfo is not None:
            value = value.astimezone(zone(tz)).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return value.replace(microsecond=0) if in_range(value) else None


def _num(raw: Any, lo: float, hi: float) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not lo <= raw <= hi:
        raise ValueError(raw)
    return float(raw)


def parse_json_punches(items: Sequence[Any], tz: str) -> tuple[list[RawPunch], list[Rejected]]:
    """The JSON endpoint's ``punches``: ``{"pin", "time", "status"?, "verify"?, "workcode"?}`` each."""
    good: list[RawPunch] = []
    bad: list[Rejected] = []
    allowed = {"pin", "time", "status", "verify", "workcode"}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            bad.append(Rejected(i, "malformed_item", "每条记录应为对象", "Each punch must be an object"))
            continue
        unknown = set(item) - allowed
        if unknown:
            bad.append(Rejected(i, "unknown_field", f"不支持的字段：{', '.join(sorted(unknown))}",
                                f"Unknown fields: {', '.join(sorted(unknown))}"))
            continue
        pin = check_pin(item.get("pin"))
        if pin is None:
            bad.append(Rejected(i, "bad_pin", "考勤号不正确", "Invalid PIN"))
            continue
        local = parse_time(item.get("time"), tz)
        if local is None:
            bad.append(Rejected(i, "bad_time", "打卡时间格式不正确（ISO 8601）", "Invalid time (ISO 8601 expected)"))
            continue
        try:
            status = _intish(item.get("status"))
            verify = _intish(item.get("verify"))
        except ValueError:
            bad.append(Rejected(i, "bad_field", "状态或验证方式不是数字", "Status or verify type is not a number"))
            continue
        workcode = item.get("workcode")
        if workcode is not None and (not isinstance(workcode, str) or len(workcode) > 32 or not workcode.isprintable()):
            bad.append(Rejected(i, "bad_field", "工作代码不正确", "Invalid workcode"))
            continue
        good.append(RawPunch(i, pin, local, status, verify, workcode or None))
    return good, bad


def _intish(raw: Any) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not -32768 <= raw <= 32767:
        raise ValueError(raw)
    return raw


# ---- storing ---------------------------------------------------------------------------------------------


def dialect_insert(session: AsyncSession, table: FromClause) -> Any:
    """``INSERT`` with ``on_conflict_do_*`` for the session's database (PostgreSQL or SQLite). ``table`` is a
    mapped class's ``__table__`` (typed ``FromClause`` by SQLAlchemy, a ``Table`` at run time)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert(cast(Table, table))
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert(cast(Table, table))


async def tenant_timezone(session: AsyncSession, tenant_id: UUID) -> str:
    tz = _tz_cache.get(tenant_id)
    if tz is None:
        tz = await session.scalar(select(Tenant.timezone).where(Tenant.id == tenant_id)) or "Asia/Shanghai"
        _tz_cache[tenant_id] = tz
    return tz


def check_window(punches: Iterable[RawPunch], tz: str, now: datetime, rules: AttendanceRules
                 ) -> tuple[list[RawPunch], list[Rejected]]:
    """Back-dated punches are accepted for ``backdate_days``; punches from the future are refused."""
    local_now = now.astimezone(zone(tz)).replace(tzinfo=None)
    oldest = local_now - timedelta(days=rules.backdate_days)
    newest = local_now + timedelta(minutes=rules.future_tolerance_minutes)
    good, bad = [], []
    for p in punches:
        if p.local > newest:
            bad.append(Rejected(p.index, "in_future", "打卡时间晚于当前时间（请检查设备时钟）",
                                "Punch time is in the future (check the terminal's clock)"))
        elif p.local < oldest:
            bad.append(Rejected(p.index, "too_old", f"打卡时间早于 {rules.backdate_days} 天前，超出补传期限",
                                f"Punch is older than {rules.backdate_days} days, outside the back-dating window"))
        else:
            good.append(p)
    return good, bad


async def store_punches(
    session: AsyncSession,
    *,
    source: PunchSource,
    device_key: str,
    punches: Sequence[RawPunch],
    rejected: Sequence[Rejected] = (),
    tz: str,
    now: datetime,
    rules: AttendanceRules,
    body: str | None = None,
    sync: SyncUpdate | None = None,
    commit: bool = True,
    known_staff: dict[str, UUID] | None = None,
) -> IngestReport:
    tenant_id = current_tenant_id()
    if tenant_id is None:  # pragma: no cover - guards set the scope before any handler runs
        raise RuntimeError("store_punches needs a tenant scope")
    good, late = check_window(punches, tz, now, rules)
    bad = [*rejected, *late]
    zinfo = zone(tz)
    staff_by_pin: dict[str, UUID] = dict(known_staff or {})
    # One read of the batch's staff before the INSERT. (Tried: a scalar subquery per row inside the INSERT saves
    # the round trip but costs more CPU to compile than it saves — 22 vs 18 ms per batch of 20 in-process.)
    pins = sorted({p.pin for p in good})
    if pins and not set(pins) <= staff_by_pin.keys():
        rows = await session.execute(select(Staff.employee_no, Staff.id).where(Staff.employee_no.in_(pins)))
        staff_by_pin = {no: sid for no, sid in rows}
    inbox_id = uuid7() if body is not None else None
    values = []
    for p in good:
        at = p.local.replace(tzinfo=zinfo)
        values.append({
            "id": uuid7(), "tenant_id": tenant_id, "source": source, "device_key": device_key, "pin": p.pin,
            "staff_id": staff_by_pin.get(p.pin), "punched_at": at, "work_date": p.local.date(),
            "local_seconds": p.local.hour * 3600 + p.local.minute * 60 + p.local.second,
            "status": p.status, "verify": p.verify, "workcode": p.workcode, "latitude": p.latitude,
            "longitude": p.longitude, "accuracy_m": p.accuracy_m, "inbox_id": inbox_id,
            "created_at": now, "updated_at": now,
        })
    table = Punch.__table__
    new_days: list[date] = []
    for i in range(0, len(values), CHUNK):
        stmt = (dialect_insert(session, table).values(tenant_rows(values[i:i + CHUNK], "punch"))
                .on_conflict_do_nothing(index_elements=["tenant_id", "device_key", "pin", "punched_at"])
                .returning(table.c.work_date).execution_options(**ROWS_CHECKED))
        new_days.extend((await session.execute(stmt)).scalars())
    accepted = len(new_days)
    report = IngestReport(received=len(good) + len(bad), accepted=accepted, duplicates=len(good) - accepted,
                          rejected=sorted(bad, key=lambda r: r.index),
                          unmapped_pins=sorted({p.pin for p in good if p.pin not in staff_by_pin}),
                          days=sorted(set(new_days)))
    if body is not None:
        await session.execute(cast(Table, PunchInbox.__table__).insert().values(tenant_rows([dict(
            id=inbox_id, tenant_id=tenant_id, source=source, device_key=device_key, body=body.replace("\x00", "\ufffd"),
            lines=report.received, accepted=accepted, duplicates=report.duplicates, rejected=len(bad),
            errors=[r.as_dict() for r in report.rejected] or None, created_at=now, updated_at=now,
        )], "punch_inbox")).execution_options(**ROWS_CHECKED))
    today = now.astimezone(zinfo).date()
    await mark_months_dirty(session, tenant_id, (d for d in report.days if d < today), now)
    if sync is not None:
        last_punch = max((p.local for p in good), default=None)
        await update_device_sync(session, tenant_id, device_key, now, sync, accepted,
                                 last_punch.replace(tzinfo=zinfo) if last_punch else None)
    if commit:
        await session.commit()
    return report


_WEB_COLUMNS = ["id", "tenant_id", "source", "device_key", "pin", "staff_id", "punched_at", "work_date",
                "local_seconds", "latitude", "longitude", "accuracy_m", "created_at", "updated_at"]
_WEB_PUNCH: dict[str, Any] = {}
"""The web clock-in's statement per dialect, built once with bind parameters: building the expression on every
request was about a tenth of a clock-in's CPU in the server's profile (and its cache key is memoized with it)."""


def _web_punch_statement(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    stmt = _WEB_PUNCH.get(dialect)
    if stmt is not None:
        return stmt
    table = cast(Table, Punch.__table__)
    c = table.c

    def val(column: str) -> Any:
        return bindparam(f"p_{column}", type_=c[column].type).label(column)

    recent = (select(c.id).where(
        c.tenant_id == bindparam("p_tenant_id", type_=c.tenant_id.type),
        c.staff_id == bindparam("p_staff_id", type_=c.staff_id.type),
        c.work_date.in_([bindparam("p_day0", type_=c.work_date.type), bindparam("p_day1", type_=c.work_date.type)]),
        c.source == bindparam("p_web", type_=c.source.type),  # not p_source: PostgreSQL types each use alike
        c.punched_at > bindparam("p_since", type_=c.punched_at.type),
        c.punched_at <= bindparam("p_now", type_=c.punched_at.type)))
    source = (select(
        val("id"), val("tenant_id"), val("source"), val("device_key"),
        Staff.employee_no.label("pin"), Staff.id.label("staff_id"), val("punched_at"),
        val("work_date"), val("local_seconds"), val("latitude"), val("longitude"), val("accuracy_m"),
        val("created_at"), val("updated_at"),
    ).where(Staff.id == bindparam("p_staff_id", type_=c.staff_id.type),
            Staff.tenant_id == bindparam("p_tenant_id", type_=c.tenant_id.type), ~exists(recent)))
    stmt = (dialect_insert(session, table).from_select(_WEB_COLUMNS, source)
            .on_conflict_do_nothing(index_elements=["tenant_id", "device_key", "pin", "punched_at"])
            .returning(c.work_date).execution_options(**ROWS_CHECKED))
    _WEB_PUNCH[dialect] = stmt
    return stmt


async def insert_web_punch(session: AsyncSession, *, staff_id: UUID, now: datetime, tz: str,
                           repeat_within: timedelta, latitude: float | None = None, longitude: float | None = None,
                           accuracy_m: float | None = None) -> bool:
    """The web clock-in's one statement: ``INSERT ... SELECT`` of the punch from the staff row (its PIN), unless
    the same person clocked in on the web within ``repeat_within`` (a repeated click: ``NOT EXISTS``) or in the
    same second (the natural key: ``ON CONFLICT DO NOTHING``). True when a row went in.

    ``now`` is an aware instant, ``tz`` the tenant's time zone. No staff row in this tenant (or a repeat) inserts
    nothing; the caller tells which apart only then. The statement names the scope's tenant itself (a Core
    ``INSERT ... SELECT`` is not rewritten by the ORM guard); on PostgreSQL RLS checks it once more. The statement
    is built once per dialect (``_web_punch_statement``); each clock-in only binds its values."""
    tenant_id = current_tenant_id()
    if tenant_id is None:  # pragma: no cover - guards set the scope before any handler runs
        raise RuntimeError("insert_web_punch needs a tenant scope")
    zinfo = zone(tz)
    wall = now.astimezone(zinfo).replace(tzinfo=None, microsecond=0)
    at = wall.replace(tzinfo=zinfo)
    since = now - repeat_within
    days = sorted({since.astimezone(zinfo).date(), wall.date()})  # the index (tenant, work_date, staff) serves it
    params = {"p_id": uuid7(), "p_tenant_id": tenant_id, "p_staff_id": staff_id, "p_day0": days[0], "p_day1": days[-1],
              "p_source": PunchSource.web, "p_web": PunchSource.web, "p_since": since, "p_now": now, "p_device_key": WEB_DEVICE,
              "p_punched_at": at, "p_work_date": wall.date(),
              "p_local_seconds": wall.hour * 3600 + wall.minute * 60 + wall.second, "p_latitude": latitude,
              "p_longitude": longitude, "p_accuracy_m": accuracy_m, "p_created_at": now, "p_updated_at": now}
    return (await session.execute(_web_punch_statement(session), params)).first() is not None


async def mark_months_dirty(session: AsyncSession, tenant_id: UUID, days: Iterable[date], now: datetime) -> None:
    """Late punches, leave and approved 补卡 make their tenant-months due for re-evaluation."""
    months = sorted({d.replace(day=1) for d in days})
    if not months:
        return
    table = MonthState.__table__
    stmt = dialect_insert(session, table).values(tenant_rows([
        {"id": uuid7(), "tenant_id": tenant_id, "month": m, "dirty": True, "evaluated_days": 0,
         "created_at": now, "updated_at": now} for m in months
    ], "attendance_month_state"))
    stmt = stmt.on_conflict_do_update(index_elements=["tenant_id", "month"], set_={"dirty": True, "updated_at": now}
                                      ).execution_options(**ROWS_CHECKED)
    await session.execute(stmt)


def _later(col, new):
    return case((or_(col.is_(None), col < new), new), else_=col)


async def update_device_sync(session: AsyncSession, tenant_id: UUID, device_key: str, now: datetime,
                             sync: SyncUpdate, accepted: int = 0, last_punch: datetime | None = None) -> None:
    table = DeviceSync.__table__
    c = table.c
    synced = sync.synced_until
    if last_punch is not None and (synced is None or last_punch > synced):
        synced = last_punch  # terminals deliver their records in order: all up to the newest one are in
    row = {"id": uuid7(), "tenant_id": tenant_id, "device_key": device_key, "device_id": sync.device_id,
           "last_contact_at": now, "last_upload_at": now if sync.uploaded else None, "last_punch_at": last_punch,
           "synced_until": synced, "received_count": accepted, "device_record_count": sync.record_count,
           "pending_count": sync.pending, "attlog_stamp": sync.stamp, "firmware": sync.firmware,
           "created_at": now, "updated_at": now}
    ins = dialect_insert(session, table).values(tenant_rows([row], "device_sync"))
    ex = ins.excluded
    set_: dict[str, Any] = {"last_contact_at": ex.last_contact_at, "updated_at": now}
    if sync.device_id is not None:
        set_["device_id"] = ex.device_id
    if sync.uploaded:
        set_["last_upload_at"] = ex.last_upload_at
        set_["received_count"] = c.received_count + ex.received_count
    if last_punch is not None:
        set_["last_punch_at"] = _later(c.last_punch_at, ex.last_punch_at)
    if synced is not None:
        set_["synced_until"] = _later(c.synced_until, ex.synced_until)
    for name, value in (("device_record_count", sync.record_count), ("pending_count", sync.pending),
                        ("attlog_stamp", sync.stamp), ("firmware", sync.firmware)):
        if value is not None:
            set_[name] = getattr(ex, name)
    await session.execute(ins.on_conflict_do_update(index_elements=["tenant_id", "device_key"], set_=set_)
                          .execution_options(**ROWS_CHECKED))
