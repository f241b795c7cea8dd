"""Settings versions down the tenant tree: inheritance and locks over four levels, the version in force on a
date (also when it changes mid-month), enabling, and the hooks that only enabled packs get."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from govhall.errors import AppError
from govhall.packs.models import PackSettingsVersion
from govhall.packs.resolve import resolve
from govhall.packs.services import (
    Actor,
    enabled_hooks,
    hooks_by_span,
    load_chain,
    resolve_pack,
    resolved_settings,
    save_version,
)
from govhall.tenancy import tenant_scope
from tests.packs.conftest import request

ADMIN = Actor(None, "test")
JAN = dt.date(2026, 1, 1)


async def _save(session, tenant, *, on=JAN, enabled=True, overrides=None, locks=(), can_lock=True):  # type: ignore[no-untyped-def]
    with tenant_scope(tenant.id):
        result = await save_version(session, tenant.id, "probe", effective_from=on, enabled=enabled,
                                    overrides=overrides or {}, locks=list(locks), actor=ADMIN, can_lock=can_lock,
                                    allow_past=True)
        await session.commit()
    return result


async def test_four_levels_inherit_override_and_lock(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    """default -> province -> city -> county -> township; a lock at the city binds county and township."""
    s = owner_session
    await _save(s, tree.province, enabled=False, overrides={"a": 10, "b": "prov"})
    await _save(s, tree.city, overrides={"b": "city", "c": [1, 2]}, locks=["b"])
    await _save(s, tree.county, overrides={"a": 30})
    await _save(s, tree.township, overrides={"d": True})

    r = await resolve_pack(s, tree.township.id, "probe", JAN)
    assert (r.settings.a, r.settings.b, r.settings.c, r.settings.d) == (30, "city", (1, 2), True)
    assert r.fields["a"].state == "inherited" and r.fields["a"].source.tenant_id == tree.county.id
    assert r.fields["b"].state == "locked" and r.fields["b"].locked_by.tenant_id == tree.city.id
    assert r.fields["c"].source.tenant_id == tree.city.id
    assert r.fields["d"].state == "overridden"
    assert r.inherited["d"] is False and r.values["d"] is True

    province = await resolve_pack(s, tree.province.id, "probe", JAN)
    assert (province.settings.a, province.settings.b, province.enabled) == (10, "prov", False)
    city = await resolve_pack(s, tree.city.id, "probe", JAN)
    assert city.fields["b"].state == "overridden" and city.fields["b"].locked_here  # a lock binds only below
    default = await resolve_pack(s, tree.province.id, "probe", JAN - dt.timedelta(days=1))
    assert default.settings.a == 1 and default.fields["a"].source.kind == "default"

    # The county may not override the locked field: refused with a message naming the field and the parent.
    with pytest.raises(AppError) as err:
        await _save(s, tree.county, on=dt.date(2026, 3, 1), overrides={"a": 30, "b": "county"})
    assert err.value.status_code == 403 and err.value.code == "field_locked"
    assert "乙" in err.value.zh and tree.city.name in err.value.zh and "locked by" in err.value.en
    assert err.value.fields[0]["field"] == "b"
    await s.rollback()


async def test_lock_set_later_overrules_an_older_child_override(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    s = owner_session
    await _save(s, tree.county, overrides={"a": 55})
    await _save(s, tree.province, on=dt.date(2026, 6, 1), enabled=False, overrides={"a": 5}, locks=["a"])
    assert (await resolved_settings(s, tree.county.id, "probe", dt.date(2026, 5, 31))).a == 55
    after = await resolve_pack(s, tree.county.id, "probe", dt.date(2026, 6, 1))
    assert after.settings.a == 5 and after.fields["a"].ignored_override


async def test_only_lock_permission_may_change_locks(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AppError) as err:
        await _save(owner_session, tree.county, overrides={"a": 2}, locks=["a"], can_lock=False)
    assert err.value.code == "lock_not_allowed" and err.value.status_code == 403
    await owner_session.rollback()


async def test_version_in_force_on_a_date_with_a_mid_month_change(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    """v1 from Jan 1 (a=10), v2 from Mar 16 (a=20), then v3 saved later but effective Feb 1 (a=15)."""
    s = owner_session
    await _save(s, tree.county, overrides={"a": 10})
    await _save(s, tree.county, on=dt.date(2026, 3, 16), overrides={"a": 20})
    await _save(s, tree.county, on=dt.date(2026, 2, 1), overrides={"a": 15})
    on = {d: (await resolved_settings(s, tree.county.id, "probe", d)).a for d in (
        dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 3, 15), dt.date(2026, 3, 16), dt.date(2026, 12, 31))}
    assert list(on.values()) == [10, 15, 15, 20, 20]
    # March is cut in two spans: one batch hook call per span, each with the rules of its days.
    spans = await hooks_by_span(s, tree.county.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert [(a.day, b.day, h.rules.of("probe").a) for a, b, h in spans] == [(1, 15, 15), (16, 31, 20)]


async def test_saving_an_unchanged_version_is_refused_and_nothing_is_written(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    s = owner_session
    await _save(s, tree.county, overrides={"a": 7})
    with pytest.raises(AppError) as err:
        await _save(s, tree.county, on=dt.date(2026, 4, 1), overrides={"a": 7})
    assert err.value.code == "no_changes"
    await s.rollback()
    with pytest.raises(AppError) as err:
        await _save(s, tree.county, on=dt.date(2026, 4, 1), overrides={"a": 101, "b": "x" * 11, "zz": 1})
    assert err.value.status_code == 400 and {f["field"] for f in err.value.fields} == {"a", "b", "zz"}
    await s.rollback()
    with pytest.raises(AppError) as err:  # cross-field check of the merged settings
        await _save(s, tree.county, on=dt.date(2026, 4, 1), overrides={"a": 0, "d": True})
    assert err.value.fields[0]["field"] == "a" and "A cannot be 0" in err.value.fields[0]["message"]["en"]
    await s.rollback()
    with tenant_scope(tree.county.id):
        n = await s.scalar(select(func.count()).select_from(PackSettingsVersion).where(PackSettingsVersion.pack == "probe"))
    assert n == 1


async def test_two_tenants_get_different_answers_from_the_same_input(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    s = owner_session
    await _save(s, tree.county, overrides={"a": 3})
    await _save(s, tree.township, overrides={"a": 4, "b": "town"})
    answers = {}
    for t in (tree.county, tree.township):
        hooks = await enabled_hooks(s, t.id, JAN)
        problems = hooks.call("govhall_check_leave", candidates=[request()], existing=[], today=JAN)
        answers[t.name] = [p.code for p in problems if p.code.startswith("probe:")]
    assert list(answers.values()) == [["probe:a=3:b=default"], ["probe:a=4:b=town"]]


async def test_a_disabled_packs_hooks_are_not_called(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    """The city overrides the probe's settings but does not enable it; the county enables it."""
    s = owner_session
    await _save(s, tree.city, enabled=False, overrides={"a": 9})
    await _save(s, tree.county, enabled=True)
    city = await enabled_hooks(s, tree.city.id, JAN)
    assert "probe" not in city.enabled
    city.hook.govhall_check_leave(rules=city.rules, candidates=[request()], existing=[], today=JAN)
    assert probe.calls == []
    county = await enabled_hooks(s, tree.county.id, JAN)
    assert "probe" in county.enabled and county.rules.of("probe").a == 9  # settings inherited, enabling not
    county.hook.govhall_check_leave(rules=county.rules, candidates=[request()], existing=[], today=JAN)
    assert probe.calls == [(str(tree.county.id), None)]
    # Disabled again from March: the same tenant's hooks leave the pack out from then on.
    await _save(s, tree.county, on=dt.date(2026, 3, 1), enabled=False)
    march = await enabled_hooks(s, tree.county.id, dt.date(2026, 3, 1))
    march.hook.govhall_check_leave(rules=march.rules, candidates=[request()], existing=[], today=JAN)
    assert len(probe.calls) == 1


async def test_subset_callers_are_cached_per_tenant_settings_version(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    s = owner_session
    await _save(s, tree.county, overrides={"a": 1})
    first = await enabled_hooks(s, tree.county.id, JAN)
    again = await enabled_hooks(s, tree.county.id, dt.date(2026, 2, 1))
    assert first.rules is again.rules and first.hook is again.hook
    await _save(s, tree.county, on=dt.date(2026, 2, 1), overrides={"a": 2})
    changed = await enabled_hooks(s, tree.county.id, dt.date(2026, 2, 1))
    assert changed.rules is not first.rules and changed.rules.of("probe").a == 2
    assert changed.hook is first.hook  # same enabled packs -> same pluggy subset callers


async def test_ancestor_rows_are_read_in_their_own_scope(probe, tree, app_session, owner_session) -> None:  # type: ignore[no-untyped-def]
    """The app role (RLS on PostgreSQL) resolves a township's rules from its ancestors' rows, while a plain
    query in the township's scope sees only the township's own rows."""
    await _save(owner_session, tree.province, enabled=False, overrides={"a": 42})
    with tenant_scope(tree.township.id):
        chain = await load_chain(app_session, tree.township.id, {"probe"})
        own = (await app_session.scalars(select(PackSettingsVersion))).all()
        await app_session.commit()
    assert own == []
    from govhall.packs.manager import get_host

    assert resolve(get_host().packs["probe"].spec, chain, JAN).settings.a == 42


async def test_a_parent_change_that_breaks_a_childs_settings_is_refused(probe, tree, owner_session) -> None:  # type: ignore[no-untyped-def]
    """The township turned D on (valid while A is 1); the province may not set A to 0 under it."""
    s = owner_session
    await _save(s, tree.township, overrides={"d": True})
    with pytest.raises(AppError) as err:
        await _save(s, tree.province, on=dt.date(2026, 5, 1), enabled=False, overrides={"a": 0})
    assert err.value.code == "breaks_descendant" and tree.township.name in err.value.zh
    await s.rollback()
    assert (await resolved_settings(s, tree.township.id, "probe", dt.date(2026, 6, 1))).a == 1
    await _save(s, tree.province, on=dt.date(2026, 5, 1), enabled=False, overrides={"a": 2})  # harmless: saved
    assert (await resolved_settings(s, tree.township.id, "probe", dt.date(2026, 6, 1))).a == 2
