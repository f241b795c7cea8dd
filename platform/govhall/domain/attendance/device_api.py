"""``POST /api/devices/punches``: the JSON endpoint for terminals and integrators, authenticated per device.

Headers ``X-Device-Serial: <serial>`` and ``Authorization: Bearer <token>`` (the token shown once when the
terminal was registered). The answer (200) comes after the commit and lists what happened to every punch:
accepted (new), duplicates (already stored: a replay is harmless) and rejected lines with a reason; the good
punches of a batch are stored even when some lines are rejected.
"""

from __future__ import annotations

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import public
from govhall.clock import utcnow, zone
from govhall.domain.attendance import schemas as s
from govhall.domain.attendance.device_auth import current_device, device_token_guard
from govhall.domain.attendance.ingest import (
    SyncUpdate,
    parse_json_punches,
    parse_time,
    store_punches,
    tenant_timezone,
)
from govhall.domain.attendance.models import PunchSource
from govhall.domain.attendance.settings import rules_for
from govhall.errors import AppError, field_error


@post("/api/devices/punches", opt=public(), guards=[device_token_guard], status_code=200, tags=["devices"])
async def device_punches(request: Request, db_session: NamedDependency[AsyncSession],
                         data: JSONBody[s.DevicePunchBatch]) -> s.BatchResult:
    device = current_device(request)
    now = utcnow()
    tz = await tenant_timezone(db_session, device.tenant_id)
    synced_until = None
    if data.synced_until is not None:
        local = parse_time(data.synced_until, tz)
        if local is None:
            raise AppError("bad_synced_until", "syncedUntil 时间格式不正确", "syncedUntil: invalid time",
                           fields=[field_error("syncedUntil", "时间格式不正确", "Invalid time")])
        synced_until = min(local.replace(tzinfo=zone(tz)), now)
    elif data.pending == 0:
        synced_until = now
    good, bad = parse_json_punches(data.punches, tz)
    rules = await rules_for(db_session, device.tenant_id, now.astimezone(zone(tz)).date())
    body = (await request.body()).decode("utf-8", errors="replace")
    report = await store_punches(
        db_session, source=PunchSource.device_api, device_key=device.serial, punches=good, rejected=bad, tz=tz,
        now=now, rules=rules, body=body,
        sync=SyncUpdate(device_id=device.id, uploaded=True, synced_until=synced_until, pending=data.pending),
    )
    return s.BatchResult(
        received=report.received, accepted=report.accepted, duplicates=report.duplicates,
        rejected=[s.RejectedLine(r.index, r.code, s.Message(r.zh, r.en), r.raw) for r in report.rejected],
        unmapped_pins=report.unmapped_pins,
    )
