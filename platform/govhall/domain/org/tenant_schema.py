"""The JSON Schema of a tenant file (``tenants/tenant.schema.json``), for editors: the file's shape, and each
installed pack's settings (all optional: a file sets only what it overrides)."""

from __future__ import annotations

import copy
from typing import Any

from govhall.domain.org.tenant_yaml import ROLES, TEMPLATE_ORDER

_TEXT = {"type": "string", "minLength": 1}


def _pack_settings(spec: Any) -> dict[str, Any]:
    from govhall.packs.jsonschema import settings_schema

    schema = copy.deepcopy(settings_schema(spec, "en"))
    schema.pop("required", None)
    schema["additionalProperties"] = False
    return schema


def tenant_file_schema() -> dict[str, Any]:
    from govhall.packs.manager import get_host

    packs = {name: _pack_settings(p.spec) for name, p in sorted(get_host().packs.items())}
    fields = {name: {"type": "array", "items": {"enum": sorted(s.get("properties", {}))}}
              for name, s in packs.items()}

    def pack_map(values: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": values, "additionalProperties": False}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://govhall.example/tenant.schema.json",
        "title": "govhall tenant file",
        "description": "One center (or province/city node): tenants/*.yaml, applied by `govhall tenants apply`.",
        "type": "object",
        "required": ["key", "name", "level", "division_code"],
        "additionalProperties": False,
        "properties": {
            "key": {**_TEXT, "description": "File-local id; other files name it as their parent"},
            "parent": {**_TEXT, "description": "The parent's key (or division code of a tenant in the database)"},
            "name": {**_TEXT, "maxLength": 200},
            "level": {"enum": ["province", "city", "county", "township"]},
            "division_code": {"type": "string", "pattern": r"^\d{6}(-[0-9A-Za-z]{1,8})?$"},
            "template": {"enum": list(TEMPLATE_ORDER),
                         "description": "Pack template (tenants/templates); used when the file has no pack sections"},
            "departments": {"type": "array", "items": {
                "type": "object", "required": ["name"], "additionalProperties": False,
                "properties": {"name": _TEXT, "code": {"type": "string"}, "windows": {"type": "array", "items": {
                    "type": "object", "required": ["number", "name"], "additionalProperties": False,
                    "properties": {"number": {"type": ["string", "integer"]}, "name": _TEXT}}}}}},
            "staff": {"type": "array", "items": {
                "type": "object", "required": ["name", "employee_no"], "additionalProperties": False,
                "properties": {"name": _TEXT, "employee_no": {"type": ["string", "integer"]},
                               "department": {"type": "string"}, "window": {"type": ["string", "integer"]},
                               "phone": {"type": "string"},
                               "status": {"enum": ["active", "suspended", "returned_to_unit", "left"]}}}},
            "accounts": {"type": "array", "items": {
                "type": "object", "required": ["username", "display_name"], "additionalProperties": False,
                "properties": {"username": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{2,63}$"},
                               "display_name": _TEXT, "roles": {"type": "array", "items": {"enum": list(ROLES)}},
                               "staff": {"type": ["string", "integer"]}, "platform_admin": {"type": "boolean"}}}},
            "leave_approvers": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                                "description": "username -> leave approver kinds (请假审批人): inspection_office, center_deputy_director, center_director, center"},
            "backup_pairs": {"type": "array", "items": {"type": "array", "minItems": 2, "maxItems": 2,
                                                        "items": {"type": ["string", "integer"]}},
                             "description": "AB pairs (AB岗) by employee number"},
            "packs": pack_map(packs),
            "pack_defaults": pack_map(packs),
            "pack_locks": pack_map(fields),
        },
    }
