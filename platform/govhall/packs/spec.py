"""What a pack declares about itself: ``PACK = PackSpec(...)`` in its module, and a typed settings struct.

Settings are msgspec structs with defaults. Every field carries a zh-CN title (and description) and their
English versions through ``label(...)``; the host exports the struct as JSON Schema for the UI's form and
validates what a tenant saves against it, field by field, then calls ``problems()`` for rules that span
fields (e.g. a session must end after it starts). Inheritance and locks work on the top-level fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

__all__ = ("MONTH_DAY_PATTERN", "TIME_PATTERN", "PackSettings", "PackSpec", "SettingsMigration", "SettingsProblem",
           "label")

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
"""Times of day in settings are ``HH:MM`` strings (what people type; JSON Schema can check them)."""
MONTH_DAY_PATTERN = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
"""Recurring dates (season bounds) are ``MM-DD`` strings."""


def label(zh: str, en: str, zh_desc: str = "", en_desc: str = "", *, x: dict[str, Any] | None = None,
          **constraints: Any) -> msgspec.Meta:
    """Field metadata: zh-CN title/description (the default language) and English ones for the schema.

    ``x``: hints for the form, written into the schema as ``x-...`` keys (the form picks its widgets from them):
    ``{"widget": "time"}`` (a time picker that also takes "8:30"), ``{"widget": "code"}`` (an internal code the
    form generates and never shows), ``{"widget": "ref", "ref": "categories", "label-field": "name"}`` (one entry
    of another list, chosen by its name), ``{"widget": "refs", ...}`` (several), ``{"add": "添加扣分项",
    "add-en": "Add a violation", "label-field": "name"}`` on a list (its add button and the field that names an
    entry)."""
    extra: dict[str, Any] = {"x-title-en": en}
    for k, v in (x or {}).items():
        extra[f"x-{k}"] = v
    if en_desc:
        extra["x-description-en"] = en_desc
    return msgspec.Meta(title=zh, description=zh_desc or None, extra_json_schema=extra, **constraints)


class SettingsProblem(NamedTuple):
    """A rule a settings value breaks. ``field`` is a path such as ``weekly_sessions[1].end``."""

    field: str
    zh: str
    en: str


class PackSettings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Base of every pack's settings. Subclasses give every field a default and a ``label``."""

    def problems(self) -> list[SettingsProblem]:
        """Cross-field checks that the types alone cannot express. Empty when the settings are sound."""
        return []


@dataclass(frozen=True)
class PackSpec:
    """A pack's identity. ``name`` is the entry-point name (``[project.entry-points."govhall.packs"]``)."""

    name: str
    version: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    settings: type[PackSettings]
    readme: Path | None = None
    """The pack's README.md (lists its settings); the contract test requires it."""
    ui_schema: dict[str, Any] = field(default_factory=dict)
    """Optional form hints for the UI (react-jsonschema-form ``uiSchema``), e.g. checkboxes for weekdays."""
    schema_version: int = 1
    """The version of the settings' shape. Raise it when a release renames, retypes or removes a field or changes
    a default, and declare how settings of the previous schema become this one (``govhall_settings_migrations``):
    saved versions keep the schema they were saved under, and a past date resolves with the defaults of the
    schema in force then."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,62}", self.name):
            raise ValueError(f"pack name {self.name!r}: lowercase letters, digits and _ only")

    def defaults(self) -> PackSettings:
        return self.settings()


@dataclass(frozen=True)
class SettingsMigration:
    """How settings of schema ``from_schema`` of pack ``pack`` become settings of schema ``from_schema + 1``.

    ``defaults`` are the pack's complete defaults under ``from_schema`` (JSON values, that schema's field names):
    a date on which that schema was in force resolves from them, so a release that changes a default does not
    change past months. ``renamed`` maps old field names to new ones; ``convert`` (optional) then turns the
    renamed values (a partial dict: overrides, or full defaults) into the new schema's values.
    """

    pack: str
    from_schema: int
    defaults: Mapping[str, Any]
    renamed: Mapping[str, str] = field(default_factory=dict)
    convert: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def apply(self, values: Mapping[str, Any]) -> dict[str, Any]:
        out = {self.renamed.get(k, k): v for k, v in values.items()}
        return self.convert(out) if self.convert is not None else out

    def rename(self, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.renamed.get(n, n) for n in names)
