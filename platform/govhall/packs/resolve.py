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
from govhall.packs.spec import PackSettings, PackSpec

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
    """``tenant:version`` of every level's version in force (identifies the rules for caches)."""

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


def _coerce(spec: PackSpec, types: Mapping[str, Any], name: str, value: Any) -> tuple[bool, Any]:
    """A stored value as valid JSON for its field now; (False, None) if the pack no longer accepts it."""
    if name not in types:
        return False, None
    try:
        return True, msgspec.to_builtins(msgspec.convert(value, types[name]))
    except msgspec.ValidationError as exc:
        log.warning("pack_setting_ignored", pack=spec.name, field=name, error=str(exc))
        return False, None


def resolve(spec: PackSpec, chain: Chain, on: dt.date) -> Resolved:
    types = field_types(spec)
    values = defaults_json(spec)
    sources: dict[str, Source] = dict.fromkeys(values, DEFAULT_SOURCE)
    locked_by: dict[str, Source] = {}
    inherited: dict[str, Any] = dict(values)
    fingerprint: list[str] = []
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
        for name, raw in row.overrides.items():
            if name in locked_by:
                if i == last:
                    ignored.add(name)
                continue
            ok, value = _coerce(spec, types, name, raw)
            if ok:
                values[name] = value
                sources[name] = here
        if i < last:
            for name in row.locks:
                if name in types:
                    locked_by.setdefault(name, here)
    own_locks = set(own.locks) if own else set()
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
