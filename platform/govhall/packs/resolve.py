"""Pure settings resolution: defaults -> province -> city -> county -> township, with locks and versions.

No database here: ``services.load_chain`` reads the rows once, these functions answer for any date. A field
locked at a level is fixed for every level below (their overrides of it are ignored, and refused on save);
a tenant's own locks bind only the tenants below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal
from uuid import UUID

import msgspec

from govhall.log import get_logger
from govhall.packs.spec import PackSettings, PackSpec, SettingsMigration

log = get_logger(__name__)

FieldStateName = Literal["inherited", "overridden", "locked"]


@dataclass(frozen=True)
class VersionRow:
    id: UUID
    tenant_id: UUID
    pack: str
    version: int
    effective_from: dt.date
    enabled: bool
    overrides: dict[str, Any]
    locks: tuple[str, ...]
    note: str | None = None
    changed_by_name: str | None = None
    created_at: dt.datetime | None = None
    schema_version: int = 1
    """The pack's settings schema the overrides and locks were saved under."""
    pack_version: str | None = None
    """The pack release that saved them (None: saved before releases were recorded)."""


@dataclass(frozen=True)
class ChainLevel:
    tenant_id: UUID
    name: str
    level: str
    versions: dict[str, tuple[VersionRow, ...]] = field(default_factory=dict)
    """pack -> versions sorted by (effective_from, version)."""

    def in_force(self, pack: str, on: dt.date) -> VersionRow | None:
        found = None
        for row in self.versions.get(pack, ()):
            if row.effective_from <= on:
                found = row  # sorted, so the last match is the latest effective (ties: higher version)
            else:
                break
        return found


@dataclass(frozen=True)
class Chain:
    levels: tuple[ChainLevel, ...]
    """Root (province) first, the tenant itself last."""

    @property
    def tenant(self) -> ChainLevel:
        return self.levels[-1]

    @property
    def parents(self) -> Chain:
        return Chain(self.levels[:-1])

    def change_dates(self, start: dt.date, end: dt.date, packs: set[str] | None = None) -> list[dt.date]:
        """The dates in (start, end] on which some level's version of some pack takes effect."""
        dates = {
            row.effective_from
            for level in self.levels
            for pack, rows in level.versions.items() if packs is None or pack in packs
            for row in rows if start < row.effective_from <= end
        }
        return sorted(dates)

    def spans(self, start: dt.date, end: dt.date, packs: set[str] | None = None) -> list[tuple[dt.date, dt.date]]:
        """[start, end] cut where the rules change: within a span the same versions are in force."""
        cuts = self.change_dates(start, end, packs)
        out, s = [], start
        for c in cuts:
            out.append((s, c - dt.timedelta(days=1)))
            s = c
        out.append((s, end))
        return out


@dataclass(frozen=True)
class Source:
    """Where a value comes from: the built-in default or a tenant of the chain."""

    kind: Literal["default", "tenant"]
    tenant_id: UUID | None = None
    tenant_name: str | None = None
    level: str | None = None


DEFAULT_SOURCE = Source("default")


@dataclass(frozen=True)
class FieldState:
    state: FieldStateName
    source: Source
    locked_by: Source | None = None
    locked_here: bool = False
    """This tenant locks the field for the tenants below it."""
    ignored_override: bool = False
    """This tenant has an override that a lock above makes ineffective."""


@dataclass(frozen=True)
class Resolved:
    pack: str
    on: dt.date
    enabled: bool
    settings: PackSettings
    values: dict[str, Any]
    """The resolved settings as JSON values (what the form shows)."""
    inherited: dict[str, Any]
    """What the tenant would get without its own overrides (the parent chain's values)."""
    fields: dict[str, FieldState]
    own: VersionRow | None
    fingerprint: tuple[str, ...]
    """``schema:n`` (the schema whose defaults apply) and ``tenant:version`` of every level's version in force
    (identifies the rules for caches)."""

    @property
    def locked_fields(self) -> set[str]:
        return {name for name, st in self.fields.items() if st.locked_by is not None}


def field_types(spec: PackSpec) -> Mapping[str, Any]:
    """Top-level field name -> type. Cached per settings class: ``msgspec.structs.fields`` evaluates the
    (string) annotations on every call, which was most of the time of a resolve."""
    return _field_types(spec.settings)


@lru_cache(maxsize=256)
def _field_types(settings: type[PackSettings]) -> Mapping[str, Any]:
    return MappingProxyType({f.encode_name: f.type for f in msgspec.structs.fields(settings)})


def defaults_json(spec: PackSpec) -> dict[str, Any]:
    return msgspec.to_builtins(spec.settings())


class SettingsHistoryError(Exception):
    """Settings cannot be resolved as they were: a schema step without migration, or a saved value the pack no
    longer accepts. Raised, never skipped: the caller answers 409 with these texts."""

    def __init__(self, code: str, zh: str, en: str, details: dict[str, Any]) -> None:
        super().__init__(en)
        self.code, self.zh, self.en, self.details = code, zh, en, details


def _missing_step(spec: PackSpec, schema: int, why_zh: str, why_en: str) -> SettingsHistoryError:
    return SettingsHistoryError(
        "pack_settings_history_missing",
        f"规则包 {spec.name} 缺少从第 {schema} 版设置结构升级的说明，无法按当时的规则计算（{why_zh}）",
        f"Pack {spec.name} declares no migration from settings schema {schema}, so the rules of that time "
        f"cannot be resolved ({why_en})",
        {"pack": spec.name, "fromSchema": schema, "schema": spec.schema_version},
    )


def migrate_values(spec: PackSpec, migrations: Mapping[int, SettingsMigration], values: Mapping[str, Any],
                   schema: int, why: tuple[str, str]) -> dict[str, Any]:
    """``values`` saved under ``schema`` as values of the pack's current schema."""
    out = dict(values)
    for n in range(schema, spec.schema_version):
        step = migrations.get(n)
        if step is None:
            raise _missing_step(spec, n, *why)
        out = step.apply(out)
    return out


def migrate_locks(spec: PackSpec, migrations: Mapping[int, SettingsMigration], locks: tuple[str, ...],
                  schema: int) -> tuple[str, ...]:
    for n in range(schema, spec.schema_version):
        step = migrations.get(n)
        if step is None:
            raise _missing_step(spec, n, "锁定的字段", "locked fields")
        locks = step.rename(locks)
    return locks


def defaults_then(spec: PackSpec, migrations: Mapping[int, SettingsMigration], schema: int) -> dict[str, Any]:
    """The complete defaults in force under ``schema``, as values of the current schema."""
    if schema >= spec.schema_version:
        return defaults_json(spec)
    step = migrations.get(schema)
    if step is None:
        raise _missing_step(spec, schema, "当时的默认值", "the defaults of that time")
    current = defaults_json(spec)
    then = migrate_values(spec, migrations, step.defaults, schema, ("当时的默认值", "the defaults of that time"))
    return {**current, **{k: v for k, v in then.items() if k in current}}  # fields removed since have no default


def _coerce(spec: PackSpec, types: Mapping[str, Any], name: str, value: Any, level: str) -> Any:
    """A stored value as valid JSON for its field now; loud when the pack no longer accepts it."""
    if name in types:
        try:
            return msgspec.to_builtins(msgspec.convert(value, types[name]))
        except msgspec.ValidationError as exc:
            error = str(exc)
    else:
        error = "unknown field"
    log.error("pack_setting_unusable", pack=spec.name, field=name, level=level, error=error)
    raise SettingsHistoryError(
        "pack_setting_unusable",
        f"规则包 {spec.name} 的已保存设置 {name}（{level}）不再适用于当前版本，且没有升级说明；请联系平台管理员",
        f"The saved setting {name} of pack {spec.name} ({level}) no longer fits the installed release and no "
        "migration converts it; ask the platform administrator",
        {"pack": spec.name, "field": name, "level": level, "error": error},
    )


def resolve(spec: PackSpec, chain: Chain, on: dt.date, *, migrations: Mapping[int, SettingsMigration] | None = None,
            schema_then: int | None = None) -> Resolved:
    """The settings of ``spec`` in force on ``on`` for the chain's tenant: the defaults of the schema in force
    then (``schema_then``, default: the current one), overridden root to leaf by each level's version in force
    (migrated from the schema it was saved under), except fields locked above. Raises ``SettingsHistoryError``
    rather than drop anything."""
    types = field_types(spec)
    steps = migrations or {}
    schema = spec.schema_version if schema_then is None else schema_then
    values = defaults_then(spec, steps, schema)
    sources: dict[str, Source] = dict.fromkeys(values, DEFAULT_SOURCE)
    locked_by: dict[str, Source] = {}
    inherited: dict[str, Any] = dict(values)
    fingerprint: list[str] = [f"schema:{schema}"]  # the defaults differ by schema, so do the rules
    own: VersionRow | None = None
    ignored: set[str] = set()
    last = len(chain.levels) - 1
    for i, level in enumerate(chain.levels):
        row = level.in_force(spec.name, on)
        if i == last:
            inherited = dict(values)
            own = row
        if row is None:
            continue
        fingerprint.append(f"{level.tenant_id}:{row.version}")
        here = Source("tenant", level.tenant_id, level.name, level.level)
        overrides = migrate_values(spec, steps, row.overrides, row.schema_version,
                                   (f"{level.name}的第 {row.version} 版设置", f"version {row.version} of {level.name}"))
        for name, raw in overrides.items():
            if name in locked_by:
                if i == last:
                    ignored.add(name)
                continue
            values[name] = _coerce(spec, types, name, raw, level.name)
            sources[name] = here
        if i < last:
            for name in migrate_locks(spec, steps, row.locks, row.schema_version):
                if name in types:
                    locked_by.setdefault(name, here)
    own_locks = set(migrate_locks(spec, steps, own.locks, own.schema_version)) if own else set()
    fields: dict[str, FieldState] = {}
    tenant = chain.tenant
    for name in types:
        src = sources[name]
        if name in locked_by:
            state: FieldStateName = "locked"
        elif src.kind == "tenant" and src.tenant_id == tenant.tenant_id:
            state = "overridden"
        else:
            state = "inherited"
        fields[name] = FieldState(state, src, locked_by.get(name), name in own_locks, name in ignored)
    settings = msgspec.convert(values, spec.settings)
    return Resolved(
        pack=spec.name, on=on, enabled=bool(own and own.enabled), settings=settings, values=values,
        inherited=inherited, fields=fields, own=own, fingerprint=tuple(fingerprint),
    )
