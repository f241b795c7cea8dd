"""The ZKTeco "ADMS / iclock" push protocol, as terminals speak it.

- ``GET /iclock/cdata?SN=..&options=all``: handshake; the answer tells the terminal its options, among them
  ``ATTLOGStamp`` (the last stamp we stored, so it sends only newer records) and ``Realtime=1``.
- ``POST /iclock/cdata?SN=..&table=ATTLOG&Stamp=..``: tab-separated punch lines; answered ``OK: <n>`` only after
  the commit. Bad lines are recorded with their reason in the inbox and do not hold back the good ones. Other
  tables (OPERLOG, user and biometric data) are acknowledged and not stored: templates stay on the terminal.
- ``GET /iclock/getrequest?SN=..[&INFO=..]``: heartbeat and command poll; answered ``OK`` (no commands). INFO's
  record count feeds the backlog shown on the terminals page; a heartbeat means the terminal has pushed what it
  had (it uploads its queue before it polls), which moves the evaluation watermark.
- ``POST /iclock/devicecmd``: command results; acknowledged.

Unknown or revoked serial numbers get 403, so a terminal never drops records it could not deliver.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import public
from govhall.clock import utcnow, zone
from govhall.domain.attendance.device_auth import current_device, push_device_guard
from govhall.domain.attendance.ingest import (
    SyncUpdate,
    parse_attlog,
    store_punches,
    tenant_timezone,
    update_device_sync,
)
from govhall.domain.attendance.models import DeviceSync, PunchSource
from govhall.domain.attendance.schemas import INT32_MAX
from govhall.domain.attendance.settings import rules_for
from govhall.log import get_logger

log = get_logger(__name__)

_OPTS: dict[str, Any] = {"opt": public(), "guards": [push_device_guard], "include_in_schema": False, "tags": ["devices"]}


def _text(body: str, status: int = 200) -> Response[str]:
    return Response(body, media_type=MediaType.TEXT, status_code=status)


def _param(request: Request, name: str, limit: int) -> str | None:
    """A query parameter as a terminal sends it, cut to the column's size and to printable characters (a NUL or
    control character would fail in PostgreSQL; a terminal's upload is never refused for it)."""
    value = request.query_params.get(name)
    if value is None:
        return None
    return "".join(ch for ch in value if ch.isprintable())[:limit] or None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


@get(["/iclock/cdata", "/iclock/cdata.aspx"], **_OPTS)
async def iclock_handshake(request: Request, db_session: NamedDependency[AsyncSession]) -> Response[str]:
    device = current_device(request)
    now = utcnow()
    stamp = await db_session.scalar(select(DeviceSync.attlog_stamp).where(DeviceSync.device_key == device.serial))
    tz = await tenant_timezone(db_session, device.tenant_id)
    offset = now.astimezone(zone(tz)).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 8
    await update_device_sync(db_session, device.tenant_id, device.serial, now, SyncUpdate(device_id=device.id))
    await db_session.commit()
    lines = [
        f"GET OPTION FROM: {device.serial}",
        f"ATTLOGStamp={stamp or 0}",
        "OPERLOGStamp=9999",
        "ATTPHOTOStamp=None",
        "ErrorDelay=30",
        "Delay=10",
        "TransTimes=00:00;14:05",
        "TransInterval=1",
        "TransFlag=TransData AttLog",
        f"TimeZone={hours}",
        "Realtime=1",
        "Encrypt=None",
    ]
    return _text("\r\n".join(lines) + "\r\n")


@post(["/iclock/cdata", "/iclock/cdata.aspx"], status_code=200, **_OPTS)
async def iclock_upload(request: Request, db_session: NamedDependency[AsyncSession]) -> Response[str]:
    device = current_device(request)
    table = (_param(request, "table", 32) or "").upper()
    raw = await request.body()
    now = utcnow()
    if table != "ATTLOG":
        log.info("iclock_table_ignored", table=table[:32], bytes=len(raw), serial=device.serial)
        await update_device_sync(db_session, device.tenant_id, device.serial, now, SyncUpdate(device_id=device.id))
        await db_session.commit()
        return _text("OK")
    body = _decode(raw)
    good, bad = parse_attlog(body)
    tz = await tenant_timezone(db_session, device.tenant_id)
    rules = await rules_for(db_session, device.tenant_id, now.astimezone(zone(tz)).date())
    stamp = _param(request, "Stamp", 32)
    report = await store_punches(
        db_session, source=PunchSource.iclock, device_key=device.serial, punches=good, rejected=bad, tz=tz,
        now=now, rules=rules, body=body,
        sync=SyncUpdate(device_id=device.id, uploaded=True, stamp=stamp),
    )
    if report.rejected:
        log.warning("iclock_lines_rejected", serial=device.serial, rejected=len(report.rejected),
                    first=report.rejected[0].code)
    return _text(f"OK: {report.accepted + report.duplicates + len(report.rejected)}")


@get(["/iclock/getrequest", "/iclock/getrequest.aspx"], **_OPTS)
async def iclock_getrequest(request: Request, db_session: NamedDependency[AsyncSession]) -> Response[str]:
    device = current_device(request)
    now = utcnow()
    sync = SyncUpdate(device_id=device.id, synced_until=now)
    info = _param(request, "INFO", 1000)
    if info:
        parts = info.split(",")
        sync.firmware = parts[0].strip()[:100] or None
        count = parts[3].strip() if len(parts) > 3 else ""
        if count.isdecimal() and len(count) <= 10 and int(count) <= INT32_MAX:
            sync.record_count = int(count)
        elif count:  # a counter the column cannot hold: the heartbeat is answered, the count ignored
            log.warning("iclock_counter_ignored", serial=device.serial, field="INFO.records", value=count[:32])
    await update_device_sync(db_session, device.tenant_id, device.serial, now, sync)
    await db_session.commit()
    return _text("OK")


@post(["/iclock/devicecmd", "/iclock/devicecmd.aspx"], status_code=200, **_OPTS)
async def iclock_devicecmd(request: Request, db_session: NamedDependency[AsyncSession]) -> Response[str]:
    device = current_device(request)
    await update_device_sync(db_session, device.tenant_id, device.serial, utcnow(), SyncUpdate(device_id=device.id))
    await db_session.commit()
    return _text("OK")


ICLOCK_ROUTES = [iclock_handshake, iclock_upload, iclock_getrequest, iclock_devicecmd]
