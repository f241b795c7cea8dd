"""Errors a person can read: every 4xx carries a code and a message in zh-CN and English.

Body: ``{"status": 400, "code": "...", "message": {"zh": "...", "en": "..."}, "fields": [...]}``, plus
``"details": {...}`` when an error carries facts the UI shows in its own words (e.g. the missing year).
"""

from __future__ import annotations

from typing import Any

from advanced_alchemy.exceptions import DuplicateKeyError, IntegrityError, NotFoundError
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from govhall.log import get_logger

log = get_logger(__name__)


class AppError(HTTPException):
    status_code = 400

    def __init__(self, code: str, zh: str, en: str, *, status: int | None = None,
                 fields: list[dict[str, Any]] | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(detail=en, status_code=status or self.status_code)
        self.code, self.zh, self.en, self.fields = code, zh, en, fields or []
        self.details = details or {}


class AccessViolation(Exception):
    """Code tried to reach data it must not (another tenant's rows, tenant rows without a scope): logged, and
    answered with a generic 403. ``govhall.tenancy.TenantScopeError`` is one."""


def field_error(field: str, zh: str, en: str) -> dict[str, Any]:
    return {"field": field, "message": {"zh": zh, "en": en}}


def not_found(what_zh: str, what_en: str) -> AppError:
    return AppError("not_found", f"{what_zh}不存在或无权访问", f"{what_en} not found", status=404)


# Generic messages for statuses that do not come from our own AppError.
_GENERIC = {
    400: ("bad_request", "请求内容有误，请检查后重试", "The request is invalid"),
    401: ("not_authenticated", "请先登录", "Please log in"),
    403: ("forbidden", "您没有执行此操作的权限", "You are not allowed to do this"),
    404: ("not_found", "请求的内容不存在", "Not found"),
    405: ("method_not_allowed", "不支持此操作", "Method not allowed"),
    409: ("conflict", "数据与现有记录冲突（可能重复）", "Conflicts with an existing record (duplicate?)"),
    413: ("too_large", "提交的内容过大", "Request body too large"),
    429: ("too_many_requests", "操作过于频繁，请稍后再试", "Too many requests, try again later"),
    500: ("server_error", "服务器内部错误，请稍后再试", "Internal server error"),
}


def _body(status: int, code: str, zh: str, en: str, fields: list[dict[str, Any]] | None = None,
          details: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"status": status, "code": code, "message": {"zh": zh, "en": en}, "fields": fields or []}
    if details:
        body["details"] = details
    return Response(body, status_code=status, media_type=MediaType.JSON)


def _validation_fields(exc: ValidationException) -> list[dict[str, Any]]:
    out = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            key = str(item.get("key") or "")
            msg = str(item.get("message") or "")
            out.append(field_error(key, f"字段 {key} 不正确：{msg}", f"{key}: {msg}"))
    return out


def handle_exception(request: Request, exc: Exception) -> Response:
    if isinstance(exc, AppError):
        return _body(exc.status_code, exc.code, exc.zh, exc.en, exc.fields, exc.details)
    if isinstance(exc, ValidationException):
        code, zh, en = _GENERIC[400]
        return _body(400, "validation_error", zh, en, _validation_fields(exc))
    if isinstance(exc, NotFoundError):
        return _body(404, *_GENERIC[404])
    if isinstance(exc, (DuplicateKeyError, IntegrityError)):
        return _body(409, *_GENERIC[409])
    if isinstance(exc, AccessViolation):
        log.warning("tenant_scope_violation", error=str(exc))
        return _body(403, *_GENERIC[403])
    if isinstance(exc, HTTPException) and exc.status_code == 403 and "csrf" in str(exc.detail).lower():
        return _body(403, "csrf_failed", "页面已过期，请刷新后重试", "Security token missing or expired; reload the page")
    if isinstance(exc, HTTPException):
        status = exc.status_code
        code, zh, en = _GENERIC.get(status, ("error", "请求失败", exc.detail or "Request failed"))
        headers = getattr(exc, "headers", None)
        resp = _body(status, code, zh, en)
        if headers:
            resp.headers.update(headers)
        return resp
    log.exception("unhandled_error", path=request.url.path)
    return _body(HTTP_500_INTERNAL_SERVER_ERROR, *_GENERIC[500])


exception_handlers = {Exception: handle_exception}
