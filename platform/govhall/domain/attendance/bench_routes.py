"""Bench-only baseline: ``POST /api/devices/punches/bench-bare`` — the same committed INSERT of punch rows as the
real endpoints, with no authentication, authorization, lookups or parsing beyond the minimum.

Rows have the shape of the real ones (PIN and staff id given by the caller, ``"staff"``, as the clock-in reads
them from the staff row), and the caller chooses the device key, so each request can insert rows of its own.

``POST /api/devices/punches/bench-sessions`` mints logged-in sessions for the bench center's clerks straight into
the session store (the store and payload a login writes; no argon2, no audit row): the clock-in bench needs
thousands of different clerks, one clock-in each, and logging them in one by one took minutes on a loaded machine.

Registered only when ``GOVHALL_BENCH_ENDPOINTS=1`` and ``GOVHALL_ENV`` is not ``prod`` (``bench/`` starts the
server that way); it exists so the punch endpoints can be reported as ratios to it, measured in the same run.
"""

from __future__ import annotations

import os
import secrets
import time
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.mixins.uuid import uuid7
from litestar import Request, post
from litestar.di import NamedDependency
from litestar.serialization import encode_json
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import public
from govhall.clock import utcnow, zone
from govhall.domain.attendance.ingest import dialect_insert
from govhall.domain.attendance.models import Punch, PunchSource
from govhall.domain.identity.services import active_user_ids, remember_users
from govhall.tenancy.context import tenant_scope
from govhall.tenancy.guard import ROWS_CHECKED, tenant_rows

ENABLED = os.environ.get("GOVHALL_BENCH_ENDPOINTS") == "1" and os.environ.get("GOVHALL_ENV", "dev") != "prod"
_TZ = zone("Asia/Shanghai")


@post("/api/devices/punches/bench-bare", opt=public(), status_code=200, include_in_schema=False)
async def bench_bare_insert(request: Request, db_session: NamedDependency[AsyncSession]) -> dict[str, int]:
    body: dict[str, Any] = msgspec.json.decode(await request.body())
    tenant_id = UUID(body["tenant"])
    now = utcnow()
    if "pin" in body:  # one punch at server time, like the clock-in button
        items = [(body["pin"], body.get("staff"), now.astimezone(_TZ).replace(tzinfo=None, microsecond=0))]
    else:
        items = [(p["pin"], p.get("staff"), datetime.fromisoformat(p["time"])) for p in body["punches"]]
    values = [{"id": uuid7(), "tenant_id": tenant_id, "source": PunchSource.device_api, "device_key": body["device"],
               "pin": pin, "staff_id": UUID(staff) if staff else None, "punched_at": local.replace(tzinfo=_TZ),
               "work_date": local.date(), "local_seconds": local.hour * 3600 + local.minute * 60 + local.second,
               "created_at": now, "updated_at": now} for pin, staff, local in items]
    with tenant_scope(tenant_id):
        stmt = dialect_insert(db_session, Punch.__table__).values(tenant_rows(values, "punch")).on_conflict_do_nothing(
            index_elements=["tenant_id", "device_key", "pin", "punched_at"]).execution_options(**ROWS_CHECKED)
        result = await db_session.execute(stmt)
        await db_session.commit()
    return {"inserted": result.rowcount or 0}  # type: ignore[attr-defined]  # an INSERT answers a CursorResult (rowcount)


@post("/api/devices/punches/bench-sessions", opt=public(), status_code=200, include_in_schema=False)
async def bench_sessions(request: Request, db_session: NamedDependency[AsyncSession]) -> dict[str, Any]:
    """``{"usernames": [...]}`` -> ``{"cookie": <session cookie name>, "sessions": {username: session id}}``."""
    body: dict[str, Any] = msgspec.json.decode(await request.body())
    users = await active_user_ids(db_session, body["usernames"])
    config = request.app.state.session_config
    store = config.get_store_from_app(request.app)
    now = time.time()
    out = {}
    for username, uid in users:
        sid = secrets.token_hex(config.session_id_bytes)
        await store.set(sid, encode_json({"uid": str(uid), "iat": now, "seen": now}), expires_in=config.max_age)
        out[username] = sid
    await remember_users(db_session, [uid for _, uid in users])  # as a login does (the worker's account cache)
    return {"cookie": config.key, "sessions": out}
