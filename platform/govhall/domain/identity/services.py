"""Login, logout, password change and the session user. Audited; throttled per account."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.domain.identity import user_cache
from govhall.domain.identity.models import User
from govhall.domain.identity.passwords import check_policy, hash_password, verify_password
from govhall.domain.identity.sessions import AuthUser
from govhall.domain.identity.throttle import LoginThrottle
from govhall.errors import AppError, field_error
from govhall.log import get_logger
from govhall.tenancy.context import system_scope, tenant_scope
from govhall.tenancy.models import Tenant

log = get_logger(__name__)


def _auth_user(u: User) -> AuthUser:
    return AuthUser(id=u.id, tenant_id=u.tenant_id, username=u.username, display_name=u.display_name,
                    must_change_password=u.must_change_password, is_platform_admin=u.is_platform_admin,
                    staff_id=u.staff_id)


async def home_tenant(session: AsyncSession, user: AuthUser) -> Tenant | None:
    """The account's home tenant, read across tenants (``/api/auth/me`` runs in the home tenant's scope anyway;
    the tenant row itself is outside RLS)."""
    with system_scope():
        return await session.get(Tenant, user.tenant_id)


def _bad_credentials() -> AppError:
    return AppError("bad_credentials", "用户名或密码错误", "Wrong username or password", status=401)


_SESSION_USER = (User.id, User.tenant_id, User.username, User.display_name, User.must_change_password,
                 User.is_platform_admin, User.staff_id, User.is_active, User.sessions_valid_after)
"""What a request needs of its user: no password hash, no other columns."""


def _cached(row: Any) -> user_cache.CachedUser:
    user = AuthUser(id=row.id, tenant_id=row.tenant_id, username=row.username, display_name=row.display_name,
                    must_change_password=row.must_change_password, is_platform_admin=row.is_platform_admin,
                    staff_id=row.staff_id)
    valid_after = row.sessions_valid_after.timestamp() if row.sessions_valid_after else None
    return user_cache.CachedUser(user, bool(row.is_active), valid_after)


async def load_session_user(session: AsyncSession, user_id: UUID, issued_at: float) -> AuthUser | None:
    """The session's user: from the worker's account cache (``user_cache``: no statement), else read in the request's
    own session (its one transaction) and kept: the columns ``AuthUser`` needs, never the password hash, and no ORM
    object kept in the session."""
    cache = user_cache.session_cache(session)
    entry = cache.get(user_id) if cache is not None else None
    if entry is None:
        generation = cache.generation if cache is not None else 0
        entry = await read_session_user(session, user_id)
        if entry is None:
            return None
        if cache is not None:
            cache.put(user_id, entry, generation)
    return entry.valid_for(issued_at)


async def read_session_user(session: AsyncSession, user_id: UUID) -> user_cache.CachedUser | None:
    with system_scope():
        row = (await session.execute(select(*_SESSION_USER).where(User.id == user_id))).first()
    if row is None:
        return None
    return _cached(row)


async def remember_users(session: AsyncSession, user_ids: list[UUID]) -> None:
    """Read these accounts into the worker's cache after a login (the clerk's next request needs it), in one
    statement; nothing when the session has no usable cache."""
    cache = user_cache.session_cache(session)
    if cache is None or not user_ids:
        return
    generation = cache.generation
    with system_scope():
        rows = (await session.execute(select(*_SESSION_USER).where(User.id.in_(user_ids)))).all()
    for row in rows:
        cache.put(row.id, _cached(row), generation)


async def authenticate(session: AsyncSession, username: str, password: str,
                       throttle: LoginThrottle | None = None) -> AuthUser:
    """Check the password. Login is the one place that looks a user up before any tenant is known.

    Known and unknown usernames get the same answers (401, or 429 from the throttle, which counts by the typed
    name): only the right password tells more (disabled account, one-time password already used)."""
    now = datetime.now(UTC)
    with system_scope():
        user = await session.scalar(select(User).where(User.username == username.strip()))
        if throttle is not None:
            reset_at = user.sessions_valid_after.timestamp() if user and user.sessions_valid_after else None
            await throttle.check(username, reset_at=reset_at)
        # argon2 is deliberately slow: off the event loop so other requests keep flowing.
        ok = await anyio.to_thread.run_sync(verify_password, user.password_hash if user else None, password)
        if user is None or not ok or not user.is_active:
            if throttle is not None and not ok:
                await throttle.failed(username, reset_at=reset_at)
            if user is not None:
                user.failed_logins += 1
                with tenant_scope(user.tenant_id):
                    await record_audit(session, action="auth.login_failed", target_type="user",
                                       target_id=str(user.id), actor_id=user.id,
                                       details={"reason": "disabled" if ok else "bad_password"})
                await session.commit()
            log.info("login_failed", username=username[:64])
            if user is not None and not user.is_active and ok:
                raise AppError("account_disabled", "账号已停用，请联系中心管理员", "Account disabled", status=403)
            raise _bad_credentials()
        if user.must_change_password and user.otp_used_at is not None:
            # A one-time password is good for exactly one login, whose session may only change the password.
            log.info("login_one_time_password_spent", user_id=str(user.id))
            raise AppError("one_time_password_used", "一次性密码已使用过，请联系中心管理员重新设置密码",
                           "This one-time password was already used; ask your center admin for a new one", status=403)
        if user.must_change_password:
            user.otp_used_at = now
        if throttle is not None:
            await throttle.succeeded(username)
        user.failed_logins = 0
        user.locked_until = None
        with tenant_scope(user.tenant_id):
            await record_audit(session, action="auth.login", target_type="user", target_id=str(user.id),
                               actor_id=user.id, details={"oneTimePassword": True} if user.must_change_password else {})
        await session.commit()
        log.info("login_ok", user_id=str(user.id))
        return _auth_user(user)


def session_payload(user: AuthUser) -> dict[str, Any]:
    now = time.time()
    return {"uid": str(user.id), "iat": now, "seen": now}


async def change_password(session: AsyncSession, user_id: UUID, current: str, new: str) -> AuthUser:
    with system_scope():
        user = await session.get(User, user_id)
        if user is None:
            raise _bad_credentials()
        if not verify_password(user.password_hash, current):
            raise AppError("bad_current_password", "当前密码不正确", "Current password is wrong", status=400,
                           fields=[field_error("currentPassword", "当前密码不正确", "Current password is wrong")])
        if current == new:
            raise AppError("same_password", "新密码不能与当前密码相同", "New password must differ", status=400,
                           fields=[field_error("newPassword", "新密码不能与当前密码相同", "Must differ")])
        check_policy(new)
        if user.must_change_password:
            user.retired_otp_hash = user.password_hash  # the one-time password can never become the real one
        elif user.retired_otp_hash and verify_password(user.retired_otp_hash, new):
            raise AppError("one_time_password_reuse", "不能把管理员设置的一次性密码用作正式密码",
                           "The one-time password set by an admin cannot become your password", status=400,
                           fields=[field_error("newPassword", "不能使用一次性密码", "Not the one-time password")])
        user.password_hash = hash_password(new)
        user.must_change_password = False
        # Every other session of this user dies; the caller gets a fresh one.
        user.sessions_valid_after = datetime.now(UTC)
        with tenant_scope(user.tenant_id):
            await record_audit(session, action="auth.password_change", target_type="user", target_id=str(user.id),
                               actor_id=user.id, details={})
        await user_cache.commit(session)  # every worker drops its copy before the answer
        return _auth_user(user)


async def record_logout(session: AsyncSession, user: AuthUser) -> None:
    with tenant_scope(user.tenant_id):
        await record_audit(session, action="auth.logout", target_type="user", target_id=str(user.id),
                           actor_id=user.id, details={})
    await session.commit()


async def active_user_ids(session: AsyncSession, usernames: list[str]) -> list[tuple[str, UUID]]:
    """(username, id) of the active accounts with these usernames, across tenants like the login lookup (the bench's
    session minting, ``attendance/bench_routes.py``, which exists only with ``GOVHALL_BENCH_ENDPOINTS=1``)."""
    with system_scope():
        rows = await session.execute(select(User.username, User.id).where(
            User.username.in_(usernames), User.is_active.is_(True)))
    return [(name, uid) for name, uid in rows.all()]
