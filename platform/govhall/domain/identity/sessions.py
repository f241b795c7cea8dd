"""Server-side sessions that cannot be fixed by an attacker, and the user each request acts as.

Litestar's server-side backend adopts any session id a client presents in its cookie. Ours only keeps a cookie
id that names a live session in the store, and issues a fresh id whenever the login handler asks for one
(``rotate_session_id``), deleting the old one: a planted id never becomes an authenticated session.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.security.session_auth import SessionAuth
from litestar.types import Empty

from govhall.authz.guards import PUBLIC_OPT
from govhall.config import Settings
from govhall.log import get_logger
from govhall.tenancy.engine import request_session

log = get_logger(__name__)

_SID = "govhall.sid"
_TRUSTED = "govhall.sid_trusted"
_ROTATE = "govhall.sid_rotate"
SEEN_GRANULARITY = 60.0
"""The session's last-use time (for the idle timeout) is written at most this often: an unchanged session is not
written back at all (``govhall.store``), so most requests write nothing. The idle timeout may end a session up to
this much early."""


class RotatingSessionBackend(ServerSideSessionBackend):
    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope[_TRUSTED] = bool(data)  # type: ignore[literal-required]  # our own key in the ASGI scope
        return data

    def get_session_id(self, connection: ASGIConnection) -> str:
        scope = connection.scope
        if sid := scope.get(_SID):
            return str(sid)
        cookie = connection.cookies.get(self.config.key)
        keep = cookie and scope.get(_TRUSTED) and not scope.get(_ROTATE)
        sid = cookie if keep and cookie else self.generate_session_id()
        scope[_SID] = sid  # type: ignore[literal-required]  # our own key in the ASGI scope
        return sid


    async def store_in_message(self, scope_session, message, connection: ASGIConnection) -> None:
        # Anonymous requests (an empty session that never was a live one) store nothing and set no cookie,
        # so unauthenticated traffic cannot fill the session store.
        if not scope_session and not connection.scope.get(_TRUSTED):
            return
        if not scope_session:
            scope_session = Empty  # a live session that was cleared: delete it and expire the cookie
        await super().store_in_message(scope_session, message, connection)


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend


async def rotate_session_id(connection: ASGIConnection) -> None:
    """Call at login (and privilege change): the response carries a brand-new session id."""
    old = connection.cookies.get(connection.app.state.session_config.key)
    if old:
        await connection.app.state.session_config.get_store_from_app(connection.app).delete(old)
    connection.scope.pop(_SID, None)  # type: ignore[misc]  # our own key in the ASGI scope
    connection.scope[_ROTATE] = True  # type: ignore[literal-required]  # our own key in the ASGI scope


@dataclass(frozen=True)
class AuthUser:
    """The authenticated user of a request (``request.user``)."""

    id: UUID
    tenant_id: UUID
    username: str
    display_name: str
    must_change_password: bool
    is_platform_admin: bool
    staff_id: UUID | None


def session_config(settings: Settings) -> RotatingSessionConfig:
    return RotatingSessionConfig(
        key="__Host-govhall" if settings.is_prod else "govhall_session",
        max_age=settings.session_absolute_hours * 3600,
        renew_on_access=True,
        secure=settings.is_prod,
        httponly=True,
        samesite="lax",
        path="/",
    )


async def retrieve_user(session: dict[str, Any], connection: ASGIConnection) -> AuthUser | None:
    """Load the session's user; enforce idle and absolute timeouts and server-side revocation."""
    from govhall.domain.identity.services import load_session_user

    settings: Settings = connection.app.state.settings
    now = time.time()
    uid, issued, seen = session.get("uid"), session.get("iat", 0), session.get("seen", 0)
    if not uid:
        return None
    if now - issued > settings.session_absolute_hours * 3600 or now - seen > settings.session_idle_minutes * 60:
        connection.scope["session"] = {}
        return None
    user = await load_session_user(request_session(connection), UUID(uid), issued)
    if user is None:
        connection.scope["session"] = {}
        return None
    if now - seen >= SEEN_GRANULARITY:
        session["seen"] = now
    import structlog

    structlog.contextvars.bind_contextvars(user_id=str(user.id))
    return user


def session_auth(settings: Settings) -> SessionAuth[AuthUser, RotatingSessionBackend]:
    return SessionAuth[AuthUser, RotatingSessionBackend](
        retrieve_user_handler=retrieve_user,
        session_backend_config=session_config(settings),  # type: ignore[arg-type]  # its backend class is RotatingSessionBackend
        exclude_opt_key=PUBLIC_OPT,
        exclude=["^/schema", "^/healthz", "^/readyz"],
    )


async def current_user_or_none(connection: ASGIConnection) -> AuthUser | None:
    """The session's user on a public route (e.g. logout), where the auth middleware does not run."""
    try:
        session = connection.session
    except Exception:
        return None
    if not session:
        return None
    return await retrieve_user(session, connection)
