"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar, Request
from litestar.config.allowed_hosts import AllowedHostsConfig  # noqa: F401  (documented option)
from litestar.config.cors import CORSConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.stores.registry import StoreRegistry
from litestar.types import ASGIApp, Receive, Scope, Send

from govhall import __version__
from govhall.authz.enforcer import Authorizer
from govhall.boundary import check_request
from govhall.bus import ChangeBus
from govhall.config import Settings, get_settings
from govhall.domain.assessment.routes import assessment_routes
from govhall.domain.attendance.routes import attendance_routes
from govhall.domain.audit.controllers import AuditController
from govhall.domain.calendar.controllers import WorkCalendarController
from govhall.domain.complaints.routes import complaint_routes
from govhall.domain.devices.cache import CACHE_KEY as DEVICE_CACHE_KEY
from govhall.domain.devices.cache import DeviceCache
from govhall.domain.devices.controllers import DeviceController
from govhall.domain.devices.network import check_trusted_proxies, client_address
from govhall.domain.identity.admin_controllers import RoleController, UserController
from govhall.domain.identity.controllers import AuthController
from govhall.domain.identity.models import platform_admin_ids
from govhall.domain.identity.sessions import session_auth
from govhall.domain.identity.user_cache import CACHE_KEY as USER_CACHE_KEY
from govhall.domain.identity.user_cache import SessionUserCache
from govhall.domain.leave.routes import leave_routes
from govhall.domain.org.controllers import (
    BackupPairController,
    DepartmentController,
    StaffController,
    WindowController,
)
from govhall.domain.org.provincial_controllers import ProvinceController, ProvincialAdminController
from govhall.domain.org.tenant_controllers import TenantController
from govhall.domain.redflag.controllers import red_flag_routes
from govhall.domain.rulescode.controllers import rulescode_routes
from govhall.domain.supervision.routes import supervision_routes
from govhall.errors import document_errors, exception_handlers
from govhall.files import limits as upload_limits
from govhall.files.controllers import FileController
from govhall.gc_tuning import freeze_after_startup
from govhall.jobs import runner as job_limits
from govhall.jobs.controllers import JobController
from govhall.jobs.runner import JobRunner
from govhall.log import configure_logging, request_context_middleware
from govhall.packs.cache import CACHE_KEY, ChainCache
from govhall.packs.controllers import (
    CalendarCoverageController,
    PackCatalogueController,
    TenantPackController,
)
from govhall.packs.services import record_releases
from govhall.store import CACHE_SECONDS, DatabaseStore, StoreState
from govhall.system.compression import compression_config
from govhall.system.controllers import healthz, index, readyz, spa
from govhall.system.openapi import operation_id
from govhall.system.security_headers import add_security_headers
from govhall.tenancy.engine import REQUEST_SESSIONS, alchemy_config

LOGIN_PATH = "/api/auth/login"
SESSION_USERS = 100_000
"""Accounts a worker keeps (``domain/identity/user_cache.py``), some 1 KB each; least recently used dropped first."""
DEVICES = 20_000
"""Terminal serials a worker keeps (``domain/devices/cache.py``)."""


def route_handlers() -> list:
    """Every route of the app; domain modules add their controllers here."""
    return [healthz, readyz, AuthController, TenantController, ProvincialAdminController, DepartmentController,
            WindowController, StaffController, BackupPairController, UserController, RoleController, DeviceController,
            AuditController, FileController, JobController,
            *attendance_routes(), PackCatalogueController, TenantPackController, WorkCalendarController,
            CalendarCoverageController, ProvinceController, *rulescode_routes(), *assessment_routes(), *leave_routes(),
            *supervision_routes(), *complaint_routes(), *red_flag_routes(),
            index, spa]


def _provide_policy(state: State) -> ChangeBus:
    return state.policy


def _stores(settings: Settings, shared: StoreState) -> StoreRegistry:
    """Sessions, the login rate limit and the login throttle: Redis when configured, else the database table
    ``store_entry`` (``govhall.store``), so every worker and replica sees the same sessions and counters."""
    if settings.redis_url:
        from litestar.stores.redis import RedisStore

        root = RedisStore.with_client(url=settings.redis_url, namespace="govhall")
        return StoreRegistry(default_factory=root.with_namespace)
    db_root = DatabaseStore(shared)

    def factory(name: str) -> DatabaseStore:
        store = db_root.with_namespace(name)
        return store.cached(CACHE_SECONDS) if name == "sessions" else store  # counters are never cached

    return StoreRegistry(default_factory=factory)


def _poll_bus_middleware(app: ASGIApp) -> ASGIApp:
    """On SQLite the change bus is a journal file: read what other workers appended before anything is served
    from this worker's caches (one ``stat`` when nothing changed; nothing to do on PostgreSQL or Redis)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        bus = getattr(scope["app"].state, "policy", None)
        if bus is not None:
            bus.poll()
        await app(scope, receive, send)

    return middleware


async def _is_login(request: Request[Any, Any, Any]) -> bool:
    """Which requests the login rate limit counts. An ``async def``: Litestar runs a plain function given here
    in its thread pool, once for every request of every route (7% of a clock-in's samples, plus the thread's)."""
    return request.url.path == LOGIN_PATH


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    upload_limits.configure(settings)
    job_limits.configure(settings)
    configure_logging(settings.log_level, settings.log_json)
    check_trusted_proxies(settings.trusted_proxies)
    pack_chains = ChainCache(settings.pack_cache_tenants)  # this worker's; every session of the app reads through it
    session_users = SessionUserCache(SESSION_USERS)  # this worker's accounts, kept exact by the change bus
    devices = DeviceCache(DEVICES)  # this worker's terminals by serial, kept exact by the change bus
    alchemy = alchemy_config(settings.database_url, session_info={CACHE_KEY: pack_chains,
                                                                  USER_CACHE_KEY: session_users,
                                                                  DEVICE_CACHE_KEY: devices},
                             pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow)
    auth = session_auth(settings)
    shared_store = StoreState(alchemy.get_engine())

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.db_session_factory = alchemy.create_session_maker()
        app.state[REQUEST_SESSIONS] = alchemy  # govhall.tenancy.engine.request_session
        app.state.authz = Authorizer(app.state.db_session_factory, max_tenants=settings.authz_cache_tenants,
                                     platform_admins=platform_admin_ids)
        app.state.policy = ChangeBus(database_url=settings.database_url, redis_url=settings.redis_url)
        app.state.authz.connect(app.state.policy)
        pack_chains.connect(app.state.policy)
        session_users.connect(app.state.policy)
        devices.connect(app.state.policy)
        shared_store.connect(app.state.policy)
        async with app.state.db_session_factory() as session:
            await record_releases(session)  # which settings schema of each pack is in force from when
        # Requests open their own connections: none made here is reused (a test client runs the lifespan on
        # another event loop than the requests, and asyncpg connections belong to the loop that made them).
        await alchemy.get_engine().dispose()
        await app.state.policy.start()
        app.state.jobs = JobRunner(app.state.db_session_factory, authz=app.state.authz)  # long work off the request path (govhall.jobs)
        await app.state.jobs.start()
        freeze_after_startup()  # collections no longer visit what the worker holds from its start
        try:
            yield
        finally:
            await app.state.jobs.stop()
            await app.state.policy.stop()

    openapi = OpenAPIConfig(
        title="govhall API", version=__version__, path="/schema",
        operation_id_creator=operation_id,  # one rule for every handler (govhall.system.openapi)
        render_plugins=[SwaggerRenderPlugin(
            js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            css_url="/vendor/swagger-ui/swagger-ui.css",
            standalone_preset_js_url="/vendor/swagger-ui/swagger-ui-standalone-preset.js",
            favicon="",  # the default points at a CDN
        )],
    ) if settings.openapi and not settings.is_prod else None

    return Litestar(
        route_handlers=document_errors(route_handlers()),
        plugins=[SQLAlchemyPlugin(config=alchemy)],
        on_app_init=[auth.on_app_init],
        lifespan=[lifespan],
        before_send=[add_security_headers],
        middleware=[
            request_context_middleware,
            _poll_bus_middleware,
            RateLimitConfig(rate_limit=("minute", settings.login_rate_per_minute),
                            check_throttle_handler=_is_login,  # async: a sync one runs in a thread per request
                            # per client: behind an Ingress every center's users would share the proxy's bucket
                            identifier_for_request=lambda r: client_address(r, settings.trusted_proxies) or "unknown",
                            store="login_rate_limit").middleware,
        ],
        csrf_config=CSRFConfig(
            secret=settings.signing_key, cookie_name="csrftoken", header_name="x-csrftoken",
            cookie_secure=settings.is_prod, cookie_samesite="strict", cookie_path="/",
            # Device endpoints authenticate per device with a token, not a cookie; CSRF does not apply.
            exclude=["^/iclock/", "^/api/devices/punches"],
        ),
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins), allow_credentials=True)
        if settings.cors_origins else None,
        request_max_body_size=settings.max_body_bytes,
        compression_config=compression_config(),
        openapi_config=openapi,
        exception_handlers=exception_handlers,
        before_request=check_request,  # the input boundary: NUL, JSON depth (govhall.boundary)
        dependencies={"policy": Provide(_provide_policy, sync_to_thread=False)},
        stores=_stores(settings, shared_store),
        state=State({"store": shared_store, "settings": settings, "session_config": auth.session_backend_config, "pack_chains": pack_chains,
                     "session_users": session_users, "devices": devices}),
        debug=False,
        logging_config=None,  # structlog (govhall.log) owns logging; Litestar must not reconfigure it
    )
