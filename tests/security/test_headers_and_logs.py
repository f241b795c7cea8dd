"""Headers and logs (issue 8 item 11): CSP, framing, nosniff, Referrer-Policy on every answer; no-store on API
answers with personal data; statement parameters never in exception messages or log lines."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from govhall.log import redact_sql_errors
from govhall.tenancy.engine import create_engine
from tests.conftest import login


def _security_headers(r) -> None:  # type: ignore[no-untyped-def]
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"


async def test_every_answer_carries_the_security_headers(client, demo) -> None:  # type: ignore[no-untyped-def]
    for url in ("/", "/login", "/healthz", "/api/auth/me"):
        _security_headers(await client.get(url))
    await login(client, "county_admin")
    t = demo["421121"].id
    for url in (f"/api/t/{t}/staff", f"/api/t/{t}/users", "/api/auth/me"):
        r = await client.get(url)
        assert r.status_code == 200, url
        _security_headers(r)
        assert r.headers["cache-control"] == "no-store", url


async def test_sql_errors_carry_no_parameters(test_db) -> None:  # type: ignore[no-untyped-def]
    """An argon2 hash (or a name, a punch) in a failing statement shows neither in the error nor in the log line."""
    secret = f"$argon2id$v=19$SECRET{uuid.uuid4().hex}"
    engine = create_engine(test_db.app_url)
    try:
        async with engine.connect() as conn:
            with pytest.raises(Exception) as info:
                # NOT NULL and type errors everywhere: the statement fails with the secret as a parameter
                await conn.execute(text("INSERT INTO tenant (id, name) VALUES (NULL, :n)"), {"n": secret})
    finally:
        await engine.dispose()
    assert secret not in str(info.value)
    assert isinstance(info.value, IntegrityError)
    event = redact_sql_errors(None, "error", {"event": "unhandled_error", "exc_info": info.value})
    assert "exc_info" not in event and secret not in repr(event)
    assert "INSERT INTO tenant" in event["sql_statement"]


def test_log_redaction_covers_wrapped_database_errors() -> None:
    """Advanced Alchemy and our own code wrap the driver's error; the message of any error whose chain holds a
    statement error is withheld (it can carry the driver's DETAIL: Key (username)=(...))."""
    inner = IntegrityError("INSERT INTO user_account (username) VALUES ($1)", ["alice"],
                           Exception('duplicate key value violates unique constraint "uq_user_account_username"\n'
                                     "DETAIL:  Key (username)=(alice) already exists."))
    try:
        try:
            raise inner
        except IntegrityError as exc:
            raise RuntimeError(f"wrapped: {exc}") from exc
    except RuntimeError as outer:
        event = redact_sql_errors(None, "error", {"event": "x", "exc_info": outer})
    assert "alice" not in repr(event)
    untouched = redact_sql_errors(None, "error", {"event": "x", "exc_info": ValueError("plain")})
    assert "exc_info" in untouched
