"""structlog, configured once. Every line carries request_id, tenant_id and user_id when known.

Request-scoped values live in structlog's contextvars; the middleware below clears them per request, the
auth layer binds user_id and the tenant guard binds tenant_id.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import MutableMapping
from typing import Any

import structlog
from litestar.types import ASGIApp, Receive, Scope, Send

_configured = False


def configure_logging(level: str = "INFO", json: bool | None = None) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    if json is None:
        json = not sys.stderr.isatty()
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        redact_sql_errors,
        structlog.processors.format_exc_info,
    ]
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler()
    # Foreign (stdlib) log lines, e.g. uvicorn's and SQLAlchemy's, get the same context and format.
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processor=renderer))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # pycasbin logs every decision at INFO once a dictConfig re-enables it; keep it quiet.
    logging.getLogger("casbin").setLevel(logging.WARNING)


def _exc(exc_info: object) -> BaseException | None:
    if exc_info is True:
        return sys.exc_info()[1]
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1]
    return None


def redact_sql_errors(_logger: object, _name: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Database errors never reach the log with data: an error whose chain holds a SQLAlchemy statement error is
    logged as its type, the statement without parameters, the constraint name and the stack frames — not its
    message, which can carry parameters or the driver's ``DETAIL: Key (username)=(...)``. (The engines also run
    with ``hide_parameters=True``.)"""
    exc = _exc(event_dict.get("exc_info"))
    if exc is None:
        return event_dict
    import traceback

    from sqlalchemy.exc import StatementError

    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in chain and len(chain) < 10:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    sql = next((e for e in chain if isinstance(e, StatementError)), None)
    if sql is None:
        return event_dict
    del event_dict["exc_info"]
    orig = getattr(sql, "orig", None)
    event_dict["exception"] = "".join(traceback.format_tb(exc.__traceback__)) + (
        f"{type(exc).__module__}.{type(exc).__qualname__} (database error {type(orig).__name__ if orig else ''}; "
        "message withheld: it may carry data)")
    event_dict["sql_statement"] = (sql.statement or "")[:2000]
    name = getattr(orig, "constraint_name", None) or getattr(getattr(orig, "__cause__", None), "constraint_name", None)
    if name:
        event_dict["constraint"] = name
    return event_dict


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)


def request_context_middleware(app: ASGIApp) -> ASGIApp:
    """Bind a request id (client's X-Request-ID if sane, else new) and echo it back."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        structlog.contextvars.clear_contextvars()
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if given.isalnum() and len(given) <= 64 else uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id, path=scope["path"],
                                               method=scope["method"])  # type: ignore[typeddict-item]  # an http scope (checked above)

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        await app(scope, receive, send_with_id)

    return middleware
