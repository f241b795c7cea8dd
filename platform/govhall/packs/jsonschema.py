"""A pack's settings as JSON Schema for the UI's form, in zh-CN (default) or English.

Titles and descriptions are written in zh-CN with ``x-title-en`` / ``x-description-en`` beside them
(``govhall.packs.label``); ``localized`` picks one language. Enumerations carry ``oneOf`` with a title per
value, so the ``enum`` msgspec adds is dropped where a ``oneOf`` exists.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

import msgspec

from govhall.packs.spec import PackSpec

LANGS = ("zh-CN", "en")


@lru_cache(maxsize=64)
def _raw(settings: type) -> dict[str, Any]:
    return msgspec.json.schema(settings)


def _walk(node: Any, en: bool) -> Any:
    if isinstance(node, list):
        return [_walk(x, en) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _walk(v, en) for k, v in node.items()}
    if "oneOf" in out and "enum" in out:
        values = out.pop("enum")
        # msgspec writes a Literal as a bare `enum`; the form (RJSF) picks its widget by `type` and renders nothing
        # for a `oneOf` without one, so the type of the values goes along.
        kinds = {"integer" if isinstance(v, int) and not isinstance(v, bool) else
                 "string" if isinstance(v, str) else "" for v in values}
        if "type" not in out and len(kinds) == 1 and "" not in kinds:
            out["type"] = kinds.pop()
    if en:
        if "x-title-en" in out:
            out["title"] = out["x-title-en"]
        if "x-description-en" in out:
            out["description"] = out["x-description-en"]
        elif "description" in out and "x-title-en" in out:
            out.pop("description")  # no English description: better none than a Chinese one
    return out


def settings_schema(spec: PackSpec, lang: str = "zh-CN") -> dict[str, Any]:
    """The settings schema with the definitions inlined under ``$defs`` and the root titled by the pack."""
    raw = copy.deepcopy(_raw(spec.settings))
    defs: dict[str, Any] = raw.get("$defs", {})
    root_name = raw["$ref"].rsplit("/", 1)[-1]
    root = defs.pop(root_name)
    for d in defs.values():  # nested structs: their class names/docstrings are for developers
        d.pop("title", None)
        d.pop("description", None)
    en = lang.lower().startswith("en")
    root["title"] = spec.title_en if en else spec.title_zh
    root["description"] = spec.description_en if en else spec.description_zh
    root["$defs"] = defs
    return _walk(root, en)
