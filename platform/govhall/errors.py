"""Errors a person can read: every 4xx carries a code and a message in zh-CN and English.

Body: ``{"status": 400, "code": "...", "message": {"zh": "...", "en": "..."}, "fields": [...]}``, plus
``"details": {...}`` when an error carries facts the UI shows in its own words (e.g. the missing year).
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from advanced_alchemy.exceptions import DuplicateKeyError, IntegrityError, NotFoundError
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import IntegrityError as SAIntegrityError

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


class ErrorMessage(msgspec.Struct):
    zh: str
    en: str


class FieldError(msgspec.Struct):
    field: str
    message: ErrorMessage


class ErrorBody(msgspec.Struct, omit_defaults=True):
    """Every error answer (4xx and 5xx) of the API, as the OpenAPI schema documents it."""

    status: int
    code: str
    """Stable machine-readable reason, e.g. ``validation_error``, ``nul_character``, ``not_found``."""
    message: ErrorMessage
    fields: list[FieldError] = msgspec.field(default_factory=list)
    details: dict[str, Any] | None = None


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


# Unique constraints -> the 409 a person reads (code, zh, en, field or None). One place for every route: a
# check-then-insert that loses a race (two admins, two tabs, twelve requests at once) ends here instead of in a 500.
# Constraints not listed get the generic 409. Add a line when you add a unique constraint.
UNIQUE_CONFLICTS: dict[str, tuple[str, str, str, str | None]] = {
    "uq_tenant_division_code": ("duplicate_division_code", "该行政区划代码已被使用", "Division code already in use",
                                "divisionCode"),
    "uq_user_account_username": ("username_unavailable", "此用户名不可用，请换一个", "This username is not available",
                                 "username"),
    "uq_role_assignment": ("duplicate_role", "该账号已有此角色", "The account already has this role", "role"),
    "uq_department_tenant_name": ("duplicate_department", "已有同名的进驻单位", "A department with this name exists",
                                  "name"),
    "uq_window_tenant_number": ("duplicate_window", "该窗口编号已存在", "A window with this number exists", "number"),
    "uq_staff_tenant_employee_no": ("duplicate_employee_no", "该工号已存在", "This employee number exists", "employeeNo"),
    "uq_backup_pair": ("duplicate_backup_pair", "这两人已结成 AB 岗", "These two are already a backup pair", None),
    "uq_pack_settings_version_tenant_pack_version": (
        "concurrent_update", "规则刚被他人同时修改，请刷新后重试",
        "Someone saved these rules at the same moment; reload and try again", None),
    "uq_audit_event_tenant_seq": ("concurrent_update", "操作冲突，请重试", "Concurrent change; please try again", None),
    "uq_duty_rota_slot": ("rota_slot_taken", "该班次已安排了值班人员", "Someone is already on duty in this slot", None),
    "uq_meeting_month": ("meeting_exists", "本月例会已安排", "This month's meeting exists already", None),
    "uq_red_flag_round_period": ("red_flag_round_exists", "该评比期已有评比", "A round of this period exists", "label"),
    "uq_patrol_client": ("concurrent_update", "该巡查记录正在提交，请稍后刷新", "This patrol is being submitted; reload",
                         None),
}


# SQLite names the columns, not the constraint ("UNIQUE constraint failed: t.a, t.b"); tests/security/test_races.py
# checks this table against the models' unique constraints.
SQLITE_UNIQUE_COLUMNS: dict[str, str] = {
    "tenant.division_code": "uq_tenant_division_code",
    "user_account.username": "uq_user_account_username",
    "role_assignment.tenant_id, role_assignment.user_id, role_assignment.role": "uq_role_assignment",
    "department.tenant_id, department.name": "uq_department_tenant_name",
    "window.tenant_id, window.number": "uq_window_tenant_number",
    "staff.tenant_id, staff.employee_no": "uq_staff_tenant_employee_no",
    "backup_pair.tenant_id, backup_pair.staff_a_id, backup_pair.staff_b_id": "uq_backup_pair",
    "pack_settings_version.tenant_id, pack_settings_version.pack, pack_settings_version.version":
        "uq_pack_settings_version_tenant_pack_version",
    "audit_event.tenant_id, audit_event.seq": "uq_audit_event_tenant_seq",
    "duty_rota_entry.tenant_id, duty_rota_entry.day, duty_rota_entry.slot": "uq_duty_rota_slot",
    "patrol.tenant_id, patrol.client_id": "uq_patrol_client",
    "red_flag_round.tenant_id, red_flag_round.period, red_flag_round.period_start": "uq_red_flag_round_period",
    "meeting.tenant_id, meeting.month": "uq_meeting_month",
}


def unique_constraint(exc: BaseException) -> str | None:
    """The violated unique constraint's name (PostgreSQL reports it; SQLite's column list is looked up)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        name = getattr(cur, "constraint_name", None)
        if name:
            return str(name)
        cur = getattr(cur, "orig", None) or cur.__cause__
    text = str(getattr(exc, "orig", None) or exc)
    if "UNIQUE constraint failed: " in text:
        cols = text.split("UNIQUE constraint failed: ", 1)[1].splitlines()[0].strip()
        return SQLITE_UNIQUE_COLUMNS.get(cols)
    if 'unique constraint "' in text:
        return text.split('unique constraint "', 1)[1].split('"', 1)[0]
    return None


def conflict_response(exc: BaseException) -> Response:
    name = unique_constraint(exc)
    log.info("unique_violation", constraint=name)  # the name only: never the statement or its parameters
    if name in UNIQUE_CONFLICTS:
        code, zh, en, field = UNIQUE_CONFLICTS[name]
        return _body(409, code, zh, en, [field_error(field, zh, en)] if field else [])
    return _body(409, *_GENERIC[409])


_NAMED = re.compile(r"^(?P<field>[a-zA-Z][\w.\[\]]*): (?P<msg>.*)$", re.S)


def _validation_fields(exc: ValidationException) -> list[dict[str, Any]]:
    out = []
    for item in exc.extra or []:
        if isinstance(item, dict):
            key = str(item.get("key") or "")
            msg = str(item.get("message") or "")
            if key in ("", "data") and (m := _NAMED.match(msg)):  # a struct's own check names its field
                key, msg = m.group("field"), m.group("msg").split(" - at `$", 1)[0]
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
    if isinstance(exc, (DuplicateKeyError, IntegrityError, SAIntegrityError)):
        return conflict_response(exc)
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


exception_handlers: ExceptionHandlersMap = {Exception: handle_exception}


_DOCUMENTED = {
    400: "Invalid input: a field's message says what to change (codes such as validation_error, nul_character, "
         "json_too_deep, file_missing)",
    401: "Not logged in, or the session expired",
    403: "Not allowed (or the CSRF token is missing)",
    404: "Not found, or not visible to you",
    409: "Conflicts with an existing record",
    413: "Request body too large",
    429: "Too many requests",
}


def document_errors(handlers: list[Any]) -> list[Any]:
    """Describe the real error body (``ErrorBody``) for every status a route of the app can answer with, in
    place of Litestar's default ``{status_code, detail, extra}``, on every route handler (controllers included)."""
    from litestar.controller import Controller
    from litestar.handlers import HTTPRouteHandler
    from litestar.openapi.datastructures import ResponseSpec

    def apply(handler: HTTPRouteHandler) -> None:
        specs = {status: ResponseSpec(data_container=ErrorBody, description=text, generate_examples=False)
                 for status, text in _DOCUMENTED.items()}
        handler.responses = {**specs, **(handler.responses or {})}

    for item in handlers:
        if isinstance(item, HTTPRouteHandler):
            apply(item)
        elif isinstance(item, type) and issubclass(item, Controller):
            for value in vars(item).values():
                if isinstance(value, HTTPRouteHandler):
                    apply(value)
    return handlers
