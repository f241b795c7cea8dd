"""Pack settings of a tenant: read (resolved down the tenant tree, as in force on a date), save (a new version),
and the enabled packs' hooks with the tenant's settings, for every other domain.

Reading a tenant's rules needs its ancestors' settings rows, which belong to the ancestors. ``_read_chain`` is
the one place that reads them: it opens each ancestor's own tenant scope in turn (the ORM guard and RLS then
apply to that ancestor), reads only ``pack_settings_version`` rows, and returns to the caller's scope.
``load_chain`` and the resolving functions read through the app's per-worker cache of chains
(``govhall.packs.cache``) when the session has one; a save announces itself so every worker drops its copies.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.clock import local_today
from govhall.errors import AppError, field_error, not_found
from govhall.log import get_logger
from govhall.packs import cache as chain_cache
from govhall.packs import history as releases
from govhall.packs.manager import HookRelay, LoadedPack, get_host
from govhall.packs.models import PackRelease, PackSettingsVersion
from govhall.packs.resolve import (
    Chain,
    ChainLevel,
    Resolved,
    SettingsHistoryError,
    VersionRow,
    field_types,
    resolve,
)
from govhall.packs.spec import PackSettings, PackSpec
from govhall.packs.types import PackRuleError, TenantRules
from govhall.packs.validation import Problem, check_overrides, field_titles
from govhall.tenancy.context import TenantScopeError, current_tenant_id, system_scope, tenant_scope
from govhall.tenancy.models import Tenant

log = get_logger(__name__)

MAX_NOTE = 500


@dataclass(frozen=True)
class Actor:
    id: UUID | None
    name: str | None


# ---- reading ------------------------------------------------------------------------------------------------


def get_pack(name: str) -> LoadedPack:
    pack = get_host().get(name)
    if pack is None:
        raise AppError("unknown_pack", f"规则包 {name} 不存在或未安装", f"Policy pack {name} is not installed",
                       status=404)
    return pack


async def _tenant_path(session: AsyncSession, tenant_id: UUID) -> list[Tenant]:
    with system_scope():
        tenant = await session.get(Tenant, tenant_id)
        if tenant is None:
            raise not_found("机构", "Tenant")
        ids = [UUID(p) for p in tenant.path.strip("/").split("/")]
        rows = {t.id: t for t in (await session.scalars(select(Tenant).where(Tenant.id.in_(ids)))).all()}
    return [rows[i] for i in ids]


def _row(v: PackSettingsVersion) -> VersionRow:
    return VersionRow(id=v.id, tenant_id=v.tenant_id, pack=v.pack, version=v.version,
                      effective_from=v.effective_from, enabled=v.enabled, overrides=dict(v.overrides or {}),
                      locks=tuple(v.locks or ()), note=v.note, changed_by_name=v.changed_by_name,
                      created_at=v.created_at, schema_version=v.schema_version or 1, pack_version=v.pack_version)


async def _level(session: AsyncSession, t: Tenant, packs: set[str] | None) -> ChainLevel:
    stmt = select(PackSettingsVersion).order_by(PackSettingsVersion.effective_from, PackSettingsVersion.version)
    if packs is not None:
        stmt = stmt.where(PackSettingsVersion.pack.in_(sorted(packs)))
    with tenant_scope(t.id):  # the tenant's own rows, read in its own scope (ORM guard + RLS)
        rows = (await session.scalars(stmt.execution_options(populate_existing=True))).all()
    by_pack: dict[str, list[VersionRow]] = {}
    for r in rows:
        by_pack.setdefault(r.pack, []).append(_row(r))
    return ChainLevel(t.id, t.name, t.level.value, {k: tuple(v) for k, v in by_pack.items()})


async def _read_chain(session: AsyncSession, tenant_id: UUID, packs: set[str] | None) -> Chain:
    return Chain(tuple([await _level(session, t, packs) for t in await _tenant_path(session, tenant_id)]))


async def load_chains_below(session: AsyncSession, tenant_id: UUID, packs: set[str] | None = None
                            ) -> dict[UUID, Chain]:
    """The chains of the tenant and of every tenant below it (root first, in tree order), reading each tenant's
    rows once: a province of n centers costs n + depth queries, not one chain walk per center."""
    path = await _tenant_path(session, tenant_id)
    root = path[-1]
    with system_scope():
        below = list((await session.scalars(
            select(Tenant).where(Tenant.path.startswith(root.path), Tenant.id != root.id).order_by(Tenant.path)
        )).all())
    levels = {t.id: await _level(session, t, packs) for t in [*path, *below]}
    return {t.id: Chain(tuple(levels[UUID(p)] for p in t.path.strip("/").split("/"))) for t in [root, *below]}


async def _cached(session: AsyncSession, tenant_id: UUID) -> chain_cache.Entry | None:
    """The tenant's cached chain (all packs), read and kept on a miss; None when the session reads uncached."""
    cache = chain_cache.session_cache(session)
    if cache is None:
        return None
    entry = cache.get(tenant_id)
    if entry is None:
        generation = cache.generation  # before reading: a save committed meanwhile keeps this out of the cache
        entry = cache.put(tenant_id, await _read_chain(session, tenant_id, None), generation)
    return entry


def _only(chain: Chain, packs: set[str]) -> Chain:
    return Chain(tuple(replace(lv, versions={p: v for p, v in lv.versions.items() if p in packs})
                       for lv in chain.levels))


async def load_chain(session: AsyncSession, tenant_id: UUID, packs: set[str] | None = None) -> Chain:
    """The tenant and its ancestors with all their settings versions (of ``packs``, default: all)."""
    entry = await _cached(session, tenant_id)
    if entry is None:
        return await _read_chain(session, tenant_id, packs)
    return entry.chain if packs is None else _only(entry.chain, packs)


def resolve_at(spec: PackSpec, chain: Chain, on: dt.date) -> Resolved:
    """``resolve`` with the pack's settings migrations and the schema in force on ``on`` (``packs.history``);
    what cannot be resolved as it was is a 409 that says why, never a silently different answer."""
    try:
        return resolve(spec, chain, on, migrations=get_host().migrations(spec.name),
                       schema_then=releases.schema_on(spec.name, on, spec.schema_version))
    except SettingsHistoryError as exc:
        raise AppError(exc.code, exc.zh, exc.en, status=409, details=exc.details) from exc


def _resolve(spec: PackSpec, chain: Chain, on: dt.date, entry: chain_cache.Entry | None) -> Resolved:
    if entry is None:
        return resolve_at(spec, chain, on)
    schema = releases.schema_on(spec.name, on, spec.schema_version)
    return entry.derive(("resolve", spec.name, spec.settings, spec.schema_version, schema, on),
                        lambda c: resolve_at(spec, c, on))


async def tenant_today(session: AsyncSession, tenant_id: UUID) -> dt.date:
    """The tenant's date now, on the same clock as attendance (so a test clock moves both)."""
    with system_scope():
        tenant = await session.get(Tenant, tenant_id)
    return local_today(tenant.timezone if tenant and tenant.timezone else "Asia/Shanghai")


async def resolve_pack(session: AsyncSession, tenant_id: UUID, pack: str, on: dt.date) -> Resolved:
    spec = get_pack(pack).spec
    entry = await _cached(session, tenant_id)
    chain = entry.chain if entry is not None else await _read_chain(session, tenant_id, {pack})
    return _resolve(spec, chain, on, entry)


async def resolved_settings(session: AsyncSession, tenant_id: UUID, pack: str, on: dt.date) -> PackSettings:
    """The tenant's settings of ``pack`` in force on ``on`` (whether or not the tenant enabled the pack)."""
    return (await resolve_pack(session, tenant_id, pack, on)).settings


@dataclass(frozen=True)
class TenantHooks:
    """The hooks of the packs a tenant enabled, and the ``rules`` to pass them (``hook.x(rules=rules, ...)``)."""

    hook: HookRelay
    rules: TenantRules
    enabled: frozenset[str]

    def call(self, name: str, **kwargs: Any) -> Any:
        """Call hook ``name`` with ``rules`` filled in; a list hook's per-pack lists come back concatenated."""
        caller = getattr(self.hook, name)
        result = caller(rules=self.rules, **kwargs)
        if caller.spec is not None and not caller.spec.opts.get("firstresult"):
            return [item for part in result for item in part]
        return result


_RULES_CACHE: OrderedDict[tuple[UUID, tuple[tuple[str, str], ...]], TenantRules] = OrderedDict()
_RULES_CACHE_SIZE = 2048


def hooks_for(tenant_id: UUID, resolved: dict[str, Resolved]) -> TenantHooks:
    """The enabled packs' hooks with the tenant's rules.

    ``rules`` is cached per (tenant, settings versions in force): a new version is a new key, so nothing goes
    stale. The relay (pluggy subset hook callers) is cached by the host per set of enabled packs and rebuilt
    whenever a pack is registered or unregistered.
    """
    enabled = {name: r for name, r in resolved.items() if r.enabled}
    fingerprint = tuple(sorted((name, ",".join(r.fingerprint)) for name, r in enabled.items()))
    key = (tenant_id, fingerprint)
    rules = _RULES_CACHE.get(key)
    if rules is None:
        rules = TenantRules(tenant_id=tenant_id, settings={n: r.settings for n, r in enabled.items()},
                            fingerprint=fingerprint)
        _RULES_CACHE[key] = rules
        if len(_RULES_CACHE) > _RULES_CACHE_SIZE:
            _RULES_CACHE.popitem(last=False)
    else:
        _RULES_CACHE.move_to_end(key)
    return TenantHooks(get_host().relay(enabled), rules, frozenset(enabled))


def resolve_all(chain: Chain, on: dt.date, entry: chain_cache.Entry | None = None) -> dict[str, Resolved]:
    return {name: _resolve(p.spec, chain, on, entry) for name, p in get_host().packs.items()}


async def _full_chain(session: AsyncSession, tenant_id: UUID) -> tuple[Chain, chain_cache.Entry | None]:
    entry = await _cached(session, tenant_id)
    return (entry.chain if entry is not None else await _read_chain(session, tenant_id, None)), entry


async def enabled_hooks(session: AsyncSession, tenant_id: UUID, on: dt.date) -> TenantHooks:
    """The pluggy subset hook caller of the packs the tenant enabled on ``on``, with their settings then."""
    chain, entry = await _full_chain(session, tenant_id)
    return hooks_for(tenant_id, resolve_all(chain, on, entry))


async def hooks_by_span(session: AsyncSession, tenant_id: UUID, start: dt.date, end: dt.date
                        ) -> list[tuple[dt.date, dt.date, TenantHooks]]:
    """[start, end] cut into spans of unchanged rules, each with its hooks: one batch hook call per span."""
    chain, entry = await _full_chain(session, tenant_id)
    return [(s, e, hooks_for(tenant_id, resolve_all(chain, s, entry))) for s, e in chain.spans(start, end)]


def rule_error(exc: PackRuleError) -> AppError:
    fields = [field_error(exc.field, exc.zh, exc.en)] if exc.field else None
    return AppError(exc.code, exc.zh, exc.en, status=exc.status, fields=fields, details=exc.details)


def _same_scope(tenant_id: UUID) -> None:
    """Writes and own-history reads happen in the tenant's scope: the request's (set by the guard) or none (CLI)."""
    scope = current_tenant_id()
    if scope is not None and scope != tenant_id:
        raise TenantScopeError("pack settings of another tenant")


# ---- saving -------------------------------------------------------------------------------------------------


def _invalid(problems: list[Problem]) -> AppError:
    n = len(problems)
    return AppError(
        "invalid_settings", f"设置有 {n} 处错误，未保存任何内容", f"{n} setting(s) invalid; nothing was saved",
        status=400, fields=[field_error(p.field, p.zh, p.en) for p in problems],
    )


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    keys = sorted(set(before) | set(after))
    return [{"field": k, "before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)]


@dataclass(frozen=True)
class SaveResult:
    row: PackSettingsVersion
    changes: list[dict[str, Any]]


async def preview_version(session: AsyncSession, tenant_id: UUID, pack: str, *, effective_from: dt.date,
                          enabled: bool, overrides: dict[str, Any], locks: list[str], can_lock: bool,
                          today: dt.date | None = None, allow_past: bool = False) -> tuple[Resolved, dict[str, Any],
                                                                                         list[dict[str, Any]]]:
    """Check a change without saving it: the resolved rules before, the clean overrides, the changes."""
    spec = get_pack(pack).spec
    today = today or await tenant_today(session, tenant_id)
    if effective_from < today and not allow_past:
        msg_zh = f"生效日期不能早于今天（{today.isoformat()}）：过去的月份始终按当时的规则计算"
        msg_en = f"The effective date cannot be before today ({today.isoformat()}): past months keep their rules"
        raise AppError("effective_date_in_past", msg_zh, msg_en, status=400,
                       fields=[field_error("effectiveFrom", msg_zh, msg_en)])
    chain = await load_chain(session, tenant_id, {pack})
    current = resolve_at(spec, chain, effective_from)
    types = field_types(spec)
    titles = field_titles(spec)
    locked = {name: st.locked_by for name, st in current.fields.items() if st.locked_by is not None}
    refused = [name for name in overrides if name in locked]
    if refused:
        fields = []
        for name in refused:
            by = locked[name]
            zh = f"「{titles.get(name, (name, name))[0]}」已被上级（{by.tenant_name}）锁定，本级不能修改"
            en = f"{titles.get(name, (name, name))[1]} is locked by {by.tenant_name}; it cannot be changed here"
            fields.append(field_error(name, zh, en))
        first = fields[0]["message"]
        raise AppError("field_locked", first["zh"] if len(fields) == 1 else f"{len(fields)} 项设置已被上级锁定，未保存",
                       first["en"] if len(fields) == 1 else f"{len(fields)} settings are locked by a parent; nothing saved",
                       status=403, fields=fields)
    own_locks = sorted(set(current.own.locks) if current.own else set())
    wanted_locks = sorted(set(locks))
    if wanted_locks != own_locks and not can_lock:
        raise AppError("lock_not_allowed", "只有省级管理员可以锁定或解锁设置项",
                       "Only provincial administrators may lock or unlock settings", status=403)
    bad_locks = [name for name in wanted_locks if name not in types]
    problems = [Problem(n, f"「{n}」不是本规则包的设置项，不能锁定", f"{n} is not a setting of this pack; cannot lock it")
                for n in bad_locks]
    clean, _merged, more = check_overrides(spec, overrides, current.inherited)
    problems += more
    if problems:
        raise _invalid(problems)
    before: dict[str, Any] = {"enabled": current.enabled, "overrides": dict(current.own.overrides) if current.own else {},
              "locks": own_locks}
    changes = changes_between(before["overrides"], clean)
    if before["enabled"] != enabled:
        changes.insert(0, {"field": "@enabled", "before": before["enabled"], "after": enabled})
    if own_locks != wanted_locks:
        changes.append({"field": "@locks", "before": own_locks, "after": wanted_locks})
    return current, clean, changes


def effective_changes(current: Resolved, clean: dict[str, Any]) -> list[dict[str, Any]]:
    """What the tenant will actually get, field by field: the values in force before and after, and whether
    each is inherited (for the diff shown before saving)."""
    own = set(current.own.overrides) if current.own else set()
    out = []
    for name, before in current.values.items():
        if current.fields[name].locked_by is not None:
            continue
        after = clean.get(name, current.inherited[name])
        was, will = name not in own, name not in clean
        if before != after or was != will:
            out.append({"field": name, "before": before, "after": after, "before_inherited": was,
                        "after_inherited": will})
    return out


async def save_version(session: AsyncSession, tenant_id: UUID, pack: str, *, effective_from: dt.date,
                       enabled: bool, overrides: dict[str, Any], locks: list[str] | None = None,
                       note: str | None = None, actor: Actor, can_lock: bool, today: dt.date | None = None,
                       allow_past: bool = False) -> SaveResult:
    """Save a new version (one transaction with its audit event). Nothing is written when anything is wrong.

    Commit with ``govhall.packs.cache.commit(session)``: every worker then drops the cached chains of this tenant
    and of every tenant below it (a plain commit drops this worker's only; others hear it on PostgreSQL)."""
    locks = list(locks or [])
    chain_cache.mark_written(session, tenant_id)  # checked against the database, not a copy
    _current, clean, changes = await preview_version(
        session, tenant_id, pack, effective_from=effective_from, enabled=enabled, overrides=overrides,
        locks=locks, can_lock=can_lock, today=today, allow_past=allow_past)
    if not changes:
        raise AppError("no_changes", "与该日期生效的规则相同，无需保存",
                       "Same as the rules in force on that date; nothing to save", status=400)
    if note and len(note) > MAX_NOTE:
        raise AppError("invalid_note", f"说明不能超过 {MAX_NOTE} 字", f"The note must be at most {MAX_NOTE} characters",
                       status=400, fields=[field_error("note", f"不能超过 {MAX_NOTE} 字", f"At most {MAX_NOTE} characters")])
    _same_scope(tenant_id)
    with tenant_scope(tenant_id):
        latest = await session.scalar(
            select(func.max(PackSettingsVersion.version)).where(PackSettingsVersion.pack == pack))
        row = PackSettingsVersion(
            tenant_id=tenant_id, pack=pack, version=(latest or 0) + 1, effective_from=effective_from,
            enabled=enabled, overrides=clean, locks=sorted(set(locks)), note=(note or None),
            changed_by_id=actor.id, changed_by_name=actor.name,
            pack_version=get_pack(pack).spec.version, schema_version=get_pack(pack).spec.schema_version,
        )
        session.add(row)
        await session.flush()
        await _check_descendants(session, tenant_id, pack, effective_from)
        await _audit(session, row, changes, actor)
        await chain_cache.announce(session, tenant_id)
    log.info("pack_settings_saved", pack=pack, version=row.version, effective_from=str(effective_from),
             changed=[c["field"] for c in changes])
    return SaveResult(row, changes)


async def _check_descendants(session: AsyncSession, tenant_id: UUID, pack: str, on: dt.date) -> None:
    """A parent's change must not break the settings of a tenant below that has settings of its own (e.g. the
    province renames a category that a county's violations still use). Checked on the new row, unflushed
    changes included; the caller's transaction is rolled back on refusal, so nothing is saved."""
    spec = get_pack(pack).spec
    with system_scope():
        tenant = await session.get(Tenant, tenant_id)
        below = (await session.scalars(
            select(Tenant).where(Tenant.path.startswith(tenant.path), Tenant.id != tenant_id).order_by(Tenant.path)
        )).all() if tenant else []
    for sub in below:
        chain = await load_chain(session, sub.id, {pack})
        steps_below = sub.path.count("/") - tenant.path.count("/")  # type: ignore[union-attr]  # no tenant: below is empty
        if not any(level.versions.get(pack) for level in chain.levels[-steps_below:]):
            continue  # nothing set between here and there: it gets exactly what was checked for this tenant
        dates = [on, *chain.change_dates(on, dt.date.max, {pack})]
        problems = next((found for d in dates if (found := resolve_at(spec, chain, d).settings.problems())), [])
        if problems:
            p = problems[0]
            raise AppError(
                "breaks_descendant",
                f"此修改会使下级“{sub.name}”的设置失效（{p.field}：{p.zh}），未保存。请先调整该下级的设置",
                f"This change would break the settings of {sub.name} below ({p.field}: {p.en}); nothing was "
                f"saved. Adjust that tenant's settings first",
                status=409, fields=[field_error(p.field, p.zh, p.en)],
            )


async def _audit(session: AsyncSession, row: PackSettingsVersion, changes: list[dict[str, Any]], actor: Actor) -> None:
    """The single audit call site of pack settings (same transaction as the version it records)."""
    from govhall.audit.services import record_audit

    await record_audit(
        session, action="pack_settings.update", target_type="pack_settings", target_id=f"{row.pack}@{row.version}",
        details={"pack": row.pack, "version": row.version, "effective_from": row.effective_from.isoformat(),
                 "enabled": row.enabled, "locks": list(row.locks), "note": row.note, "changes": changes},
        actor_id=actor.id,
    )


async def history(session: AsyncSession, tenant_id: UUID, pack: str) -> list[tuple[VersionRow, list[dict[str, Any]]]]:
    """The tenant's versions of ``pack``, newest first, each with what it changed against the one saved before."""
    get_pack(pack)
    _same_scope(tenant_id)
    with tenant_scope(tenant_id):
        rows = (await session.scalars(
            select(PackSettingsVersion).where(PackSettingsVersion.pack == pack).order_by(PackSettingsVersion.version)
        )).all()
    out = []
    prev: VersionRow | None = None
    for r in map(_row, rows):
        before_over = prev.overrides if prev else {}
        changes = changes_between(before_over, r.overrides)
        if (prev.enabled if prev else False) != r.enabled:
            changes.insert(0, {"field": "@enabled", "before": prev.enabled if prev else False, "after": r.enabled})
        if (sorted(prev.locks) if prev else []) != sorted(r.locks):
            changes.append({"field": "@locks", "before": sorted(prev.locks) if prev else [], "after": sorted(r.locks)})
        out.append((r, changes))
        prev = r
    return list(reversed(out))


# ---- installed releases ---------------------------------------------------------------------------------------


async def record_releases(session: AsyncSession, today: dt.date | None = None) -> None:
    """Note each installed pack's settings schema the first day it is seen here (idempotent; several processes
    starting at once insert it once), then load the history this process resolves past dates with."""
    from sqlalchemy.exc import IntegrityError

    day = today or local_today("UTC")
    with system_scope():
        known = {(p, n) for p, n in (await session.execute(
            select(PackRelease.pack, PackRelease.schema_version))).all()}
        for name, loaded in sorted(get_host().packs.items()):
            if (name, loaded.spec.schema_version) in known:
                continue
            session.add(PackRelease(pack=name, version=loaded.spec.version,
                                    schema_version=loaded.spec.schema_version, installed_on=day))
            try:
                await session.commit()
                log.info("pack_release_recorded", pack=name, version=loaded.spec.version,
                         schema=loaded.spec.schema_version)
            except IntegrityError:  # another process recorded it first
                await session.rollback()
    await load_releases(session)


async def load_releases(session: AsyncSession) -> None:
    with system_scope():
        rows = (await session.execute(
            select(PackRelease.pack, PackRelease.installed_on, PackRelease.schema_version))).all()
    releases.set_history((p, on, n) for p, on, n in rows)
