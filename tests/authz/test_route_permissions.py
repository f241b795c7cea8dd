"""Every route declares its permission: ``requires(obj, act)`` from the one registry, or ``opt=public()``."""

from __future__ import annotations

from govhall.authz.guards import PUBLIC_OPT
from govhall.authz.permissions import all_permissions


def route_table(app):  # type: ignore[no-untyped-def]
    """(path, method, handler) for every HTTP route of the app."""
    from litestar.routes import HTTPRoute

    rows = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods):
                if method in ("OPTIONS", "HEAD"):
                    continue
                rows.append((route.path, method, handler))
    return rows


def _framework(handler) -> bool:  # type: ignore[no-untyped-def]
    fn = getattr(handler.fn, "func", handler.fn)
    return getattr(fn, "__module__", "").startswith("litestar.")


def declared_permissions(handler) -> list:  # type: ignore[no-untyped-def]
    return [g.permission for g in handler.resolve_guards() if hasattr(g, "permission")]


def test_every_route_has_a_permission_or_is_public(app_settings) -> None:  # type: ignore[no-untyped-def]
    from govhall.app import create_app

    app = create_app(app_settings)
    missing, both, public = [], [], []
    for path, method, handler in route_table(app):
        perms = declared_permissions(handler)
        # The OpenAPI routes are Litestar's own, excluded from auth by path and switched off in prod.
        is_public = bool(handler.opt.get(PUBLIC_OPT)) or _framework(handler)
        if not perms and not is_public:
            missing.append(f"{method} {path}")
        if perms and is_public:
            both.append(f"{method} {path}")
        if is_public:
            public.append(f"{method} {path}")
    assert not missing, f"routes without requires() or public(): {missing}"
    assert not both, f"routes both public and guarded: {both}"
    # Public routes are the few that must work before login; any new one is a conscious decision.
    allowed_public_prefixes = ("/healthz", "/readyz", "/api/auth/login", "/api/auth/logout", "/iclock",
                               "/api/devices/", "/{path:path}", "/", "/schema", "/vendor")
    surprising = [p for p in public if not p.split(" ", 1)[1].startswith(allowed_public_prefixes)]
    assert not surprising, f"unexpected public routes: {surprising}"


def test_declared_permissions_are_registered(app_settings) -> None:  # type: ignore[no-untyped-def]
    from govhall.app import create_app

    registered = set(all_permissions())
    app = create_app(app_settings)
    unknown = [(p, m) for p, m, h in route_table(app) for perm in declared_permissions(h) if perm not in registered]
    assert not unknown


def test_a_route_without_permission_is_caught(app_settings) -> None:  # type: ignore[no-untyped-def]
    """The check itself works: a handler with neither marker is reported."""
    from litestar import Litestar, get

    @get("/naked")
    async def naked() -> None:
        return None

    app = Litestar(route_handlers=[naked], openapi_config=None)
    rows = [(p, m) for p, m, h in route_table(app) if not declared_permissions(h) and not h.opt.get(PUBLIC_OPT)]
    assert rows == [("/naked", "GET")]
