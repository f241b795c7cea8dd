"""The OpenAPI document: one rule for operation ids, and the document as JSON without a server.

Every handler's ``operationId`` is derived from where it is written, never typed by hand: the controller class
(``StaffController`` → ``staff``) or, for a plain function, its module (``device_api`` → ``deviceApi``), then the
handler's name in camelCase (``list_staff`` → ``ListStaff``): ``staffListStaff``. A handler serving several methods
gets the method appended (``...Post``). Renaming a handler renames its id; moving routes between URLs does not.
The frontend's generated client (``frontend/src/api/schema.d.ts``, ``make api-client``) is built from this document.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from litestar.utils.helpers import unwrap_partial

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.handlers.http_handlers import HTTPRouteHandler
    from litestar.types import Method
    from litestar.types.internal_types import PathParameterDefinition


def _camel(name: str, *, upper: bool) -> str:
    parts = [p for p in name.replace("-", "_").split("_") if p]
    out = "".join(p[:1].upper() + p[1:] for p in parts)
    return out if upper else out[:1].lower() + out[1:]


def handler_owner(route_handler: HTTPRouteHandler) -> str:
    """``StaffController`` → ``staff``; a module-level handler → its module's last name in camelCase."""
    fn = unwrap_partial(route_handler.fn)
    qualname: str = getattr(fn, "__qualname__", "") or ""
    if "." in qualname and "<locals>" not in qualname:
        owner = qualname.split(".")[-2].removesuffix("Controller") or qualname.split(".")[-2]
        return owner[:1].lower() + owner[1:]
    module: str = getattr(fn, "__module__", "") or ""
    return _camel(module.rsplit(".", 1)[-1], upper=False)


def operation_id(route_handler: HTTPRouteHandler, http_method: Method,
                 path_components: list[str | PathParameterDefinition]) -> str:
    """Litestar ``OpenAPIConfig.operation_id_creator``: owner + handler name (+ method when it serves several)."""
    oid = handler_owner(route_handler) + _camel(route_handler.handler_name, upper=True)
    if len(route_handler.http_methods) > 1:
        oid += str(http_method).title()
    if len(route_handler.paths) > 1:  # the same function at several URLs: the first (sorted) keeps the plain id
        path = "/" + "/".join(c if isinstance(c, str) else "{" + c.name + "}" for c in path_components)
        first = sorted(route_handler.paths)[0]
        if path.rstrip("/") != first.rstrip("/"):
            oid += "At" + _camel("".join(ch if ch.isalnum() else "_" for ch in path), upper=True)
    return oid


def openapi_document(app: Litestar | None = None) -> dict[str, Any]:
    """The app's OpenAPI document as plain JSON data (no server, no database connection)."""
    if app is None:
        from govhall.app import create_app
        from govhall.config import Settings

        app = create_app(Settings(env="dev", openapi=True))
    return app.openapi_schema.to_schema()


def dump_openapi(app: Litestar | None = None) -> str:
    """Stable JSON text of the document (sorted keys, two-space indent, trailing newline): committed and diffed."""
    return json.dumps(openapi_document(app), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
