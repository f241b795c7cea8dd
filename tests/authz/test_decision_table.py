"""The decision table through the real enforcer (role rows loaded from the database, as in production):
every role x every registered action x {own tenant, child tenant, sibling tenant, other province, "", "*",
"platform"} -> the allow/deny written below. 0 mismatches.

The table is the specification: a new permission must be added here (one line, one decision per role).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.authz.enforcer import Authorizer
from govhall.authz.models import RoleAssignment
from govhall.authz.permissions import PLATFORM_DOMAIN, Role, all_permissions
from govhall.domain.identity.models import User, platform_admin_ids
from govhall.domain.org.tenants import create_tenant
from govhall.tenancy import system_scope, tenant_scope
from govhall.tenancy.models import TenantLevel

ROLES = ["platform_admin", "provincial_admin", "center_admin", "chief_representative", "duty_officer", "clerk",
         "supervision_office", "center_leader"]
DOMAINS = ["own", "child", "sibling", "other_province", "", "*", "platform"]

# x = allowed in the role's own tenant (a provincial admin also in every tenant below its province;
# a platform admin only in the reserved "platform" domain); . = denied everywhere.
SPEC = """
permission              platform provincial center chief duty clerk  superv leader
tenant:read                 x        x        x      .     .    .      .      .
tenant:onboard              x        x        .      .     .    .      .      .
provincial_admin:read       x        .        .      .     .    .      .      .
provincial_admin:appoint    x        .        .      .     .    .      .      .
province:create             x        .        .      .     .    .      .      .
department:read             .        x        x      x     x    .      x      x
department:write            .        x        x      .     .    .      .      .
window:read                 .        x        x      x     x    .      x      x
window:write                .        x        x      .     .    .      .      .
staff:read                  .        x        x      x     x    .      x      x
staff:write                 .        x        x      .     .    .      .      .
user:read                   .        x        x      .     .    .      .      .
user:write                  .        x        x      .     .    .      .      .
role:assign                 .        x        x      .     .    .      .      .
audit:read                  x        x        x      .     .    .      .      .
audit:checkpoint            .        x        x      .     .    .      .      .
pack_settings:read          x        x        x      .     .    .      .      .
pack_settings:update        x        x        x      .     .    .      .      .
pack_settings:lock          x        x        .      .     .    .      .      .
device:read                 .        x        x      .     .    .      .      .
device:write                .        x        x      .     .    .      .      .
attendance:read             .        x        x      x     x    x      x      x
attendance:punch            .        .        x      x     x    x      x      .
attendance:board            .        x        x      x     x    .      x      x
attendance:sheet            .        x        x      .     .    .      .      .
missed_punch:request        .        .        x      x     x    x      x      .
missed_punch:approve        .        x        x      x     x    .      .      .
leave:read                  .        x        x      x     x    x      x      x
leave:request               .        .        x      x     x    x      x      .
leave:approve               .        x        x      x     x    .      .      .
leave:manage                .        x        x      .     .    .      .      .
assessment:read             .        x        x      x     x    x      x      x
assessment:write            .        x        x      .     x    .      .      .
assessment:record           .        x        x      x     x    .      x      .
assessment:appeal           .        .        x      x     x    x      x      .
assessment:decide           .        x        x      .     .    .      .      .
assessment:close            .        x        x      .     .    .      .      .
file:upload                 .        x        x      x     x    x      x      x
file:read                   .        x        x      x     x    x      x      x
self:read                   x        x        x      x     x    x      x      x
complaint:read              .        x        x      x     .    .      x      x
complaint:receive           .        .        x      .     x    .      x      .
complaint:handle            .        x        x      .     .    .      x      .
complaint:review            .        .        x      .     .    .      .      x
complaint:identity          .        .        .      .     .    .      x      .
case:read                   .        x        x      x     x    x      x      x
case:log                    .        .        x      x     .    x      .      .
case:manage                 .        x        x      .     .    .      x      .
duty_rota:read              .        x        x      x     x    .      x      x
duty_rota:plan              .        x        x      .     .    .      .      .
patrol:read                 .        x        x      .     x    .      x      x
patrol:record               .        .        x      .     x    .      x      .
outing:report               .        .        x      x     x    x      x      .
outing:approve              .        .        x      .     x    .      x      .
red_flag:read               .        x        x      x     x    x      x      x
red_flag:write              .        x        x      .     .    .      x      .
red_flag:award              .        x        x      .     .    .      .      x
attendance_correction:read  .        x        x      .     .    .      .      .
attendance_correction:write .        x        x      .     .    .      .      .
job:read                    x        x        x      x     x    x      x      x
job:create                  x        x        x      x     x    x      x      x
"""


def _spec() -> dict[str, set[str]]:
    lines = [line.split() for line in SPEC.strip().splitlines()]
    header = lines[0][1:]
    assert len(header) == len(ROLES)
    grants: dict[str, set[str]] = {r: set() for r in ROLES}
    for row in lines[1:]:
        key, marks = row[0], row[1:]
        assert len(marks) == len(ROLES), row
        for role, mark in zip(ROLES, marks, strict=True):
            assert mark in "x.", row
            if mark == "x":
                grants[role].add(key)
    return grants


def expected(role: str, domain: str, key: str, spec: dict[str, set[str]]) -> bool:
    if domain in ("", "*"):
        return False
    if role == "platform_admin":
        return domain == "platform" and key in spec[role]
    if domain == "own" or (domain == "child" and role == "provincial_admin"):
        return key in spec[role]
    return False


@dataclass
class World:
    users: dict[str, uuid.UUID]
    domains: dict[str, dict[str, str]]  # role -> domain kind -> domain string
    trap_user: uuid.UUID
    trap_domain: str


async def _user(session, role_label: str, **kw) -> User:  # type: ignore[no-untyped-def]
    u = User(username=f"dt_{role_label}_{uuid.uuid4().hex[:8]}", display_name=role_label, password_hash="x",
             must_change_password=False, is_active=True, failed_logins=0, **kw)
    session.add(u)
    await session.flush()
    return u


@pytest.fixture(scope="module")
async def world(demo, owner_engine) -> World:  # type: ignore[no-untyped-def]
    province, city, county = demo["420000"], demo["421100"], demo["421121"]
    sfx = uuid.uuid4().int % 9000 + 1000
    async with async_sessionmaker(owner_engine, expire_on_commit=False)() as s:
        users: dict[str, uuid.UUID] = {}
        with tenant_scope(province.id):
            prov = await _user(s, "provincial_admin")
            s.add(RoleAssignment(user_id=prov.id, role=Role.provincial_admin.value))
            plat = await _user(s, "platform_admin", is_platform_admin=True)
            await s.flush()
        users["provincial_admin"], users["platform_admin"] = prov.id, plat.id
        with system_scope():  # created after the provincial grant, so they inherit it (explicit rows)
            own = await create_tenant(s, name=f"决策县{sfx}", level=TenantLevel.county, division_code=f"4211{sfx % 90 + 10:02d}-d{sfx}",
                                      parent=city)
            child = await create_tenant(s, name=f"决策镇{sfx}", level=TenantLevel.township,
                                        division_code=f"4211{sfx % 90 + 10:02d}-t{sfx}", parent=own)
            other_prov = await create_tenant(s, name=f"外省{sfx}", level=TenantLevel.province,
                                             division_code=f"43{sfx:04d}", parent=None)
            other_county = await create_tenant(s, name=f"外省县{sfx}", level=TenantLevel.county,
                                               division_code=f"43{sfx:04d}-c", parent=other_prov)
        with tenant_scope(own.id):
            for role in ROLES[2:]:
                u = await _user(s, role)
                s.add(RoleAssignment(user_id=u.id, role=role))
                users[role] = u.id
            # A role *named* platform_admin written into a tenant must grant nothing anywhere.
            trap = await _user(s, "trap")
            s.add(RoleAssignment(user_id=trap.id, role=Role.platform_admin.value))
            await s.flush()
        await s.commit()
    center = {"own": str(own.id), "child": str(child.id), "sibling": str(county.id),
              "other_province": str(other_county.id), "": "", "*": "*", "platform": PLATFORM_DOMAIN}
    provincial = {**center, "own": str(province.id), "child": str(own.id), "sibling": str(other_prov.id)}
    domains = {r: (provincial if r in ("provincial_admin", "platform_admin") else center) for r in ROLES}
    return World(users, domains, trap.id, str(own.id))


async def test_decision_table(world, app_engine) -> None:  # type: ignore[no-untyped-def]
    spec = _spec()
    registered = {p.key for p in all_permissions()}
    specified = set().union(*spec.values()) | {line.split()[0] for line in SPEC.strip().splitlines()[1:]}
    assert not registered - specified, f"add these permissions to the SPEC table: {sorted(registered - specified)}"
    assert not specified - registered, f"SPEC names unregistered permissions: {sorted(specified - registered)}"

    authz = Authorizer(async_sessionmaker(app_engine, expire_on_commit=False), platform_admins=platform_admin_ids)
    decisions, mismatches = 0, []
    for role in ROLES:
        for kind in DOMAINS:
            domain = world.domains[role][kind]
            for perm in all_permissions():
                got = await authz.allowed(world.users[role], domain, perm)
                want = expected(role, kind, perm.key, spec)
                decisions += 1
                if got != want:
                    mismatches.append((role, kind or '""', perm.key, got, want))
    # the trap: a tenant row naming platform_admin
    for kind in ("own", "platform"):
        for perm in all_permissions():
            decisions += 1
            domain = world.trap_domain if kind == "own" else PLATFORM_DOMAIN
            if await authz.allowed(world.trap_user, domain, perm):
                mismatches.append(("trap(platform_admin row in a tenant)", kind, perm.key, True, False))
    print(f"\ndecision table: {decisions} decisions through the real enforcer, {len(mismatches)} mismatches")
    assert not mismatches, mismatches[:20]
    assert decisions == len(ROLES) * len(DOMAINS) * len(registered) + 2 * len(registered)


async def test_wildcard_and_pattern_rows_grant_nothing(world, app_engine) -> None:  # type: ignore[no-untyped-def]
    """Even a (forbidden) grouping row with domain "*" or "" written straight into the enforcer gives no access:
    the model has no domain matching function and refuses "" and "*" request domains."""
    from govhall.authz.permissions import lookup

    authz = Authorizer(async_sessionmaker(app_engine, expire_on_commit=False), platform_admins=platform_admin_ids)
    mallory = str(uuid.uuid4())
    own = world.domains["clerk"]["own"]
    enforcer = await authz.ensure_domain(own)  # forbidden rows written straight into a tenant's enforcer
    enforcer.add_named_grouping_policies("g", [[mallory, "center_admin", "*"], [mallory, "center_admin", ""],
                                               [mallory, "center_admin", own[:8] + "*"]])
    perm = lookup("staff", "read")
    for domain in (own, world.domains["clerk"]["sibling"], "*", "", "platform"):
        assert await authz.allowed(mallory, domain, perm) is False, domain
        assert enforcer.enforce(mallory, "staff", "read", domain) is False, domain


# Authority over accounts (authz/authority.py, issue 8 item 1): may an actor act on an account (reset, disable,
# enable, edit, change roles)? Rows: the account (roles by tenant: own = the tenant in the URL, sib = a sibling,
# far = another province); columns: the actor. x = may. The actor's own roles: provincial admin = provincial_admin
# in own and sib (its province), center admin = center_admin in own, the others their role in own.
AUTHORITY_SPEC = """
account                          platform provincial center chief duty clerk
no_roles                             .        x        x      .     .    .
own:clerk                            .        x        x      .     .    .
own:chief_representative             .        x        x      .     .    .
own:duty_officer                     .        x        x      .     .    .
own:center_admin                     .        x        x      .     .    .
own:provincial_admin                 .        x        .      .     .    .
own:clerk,sib:clerk                  .        x        .      .     .    .
own:clerk,far:clerk                  .        .        .      .     .    .
own:center_admin,far:clerk           .        .        .      .     .    .
own:provincial_admin,far:provincial_admin .   .        .      .     .    .
platform_admin                       .        .        .      .     .    .
own:platform_admin                   .        x        x      .     .    .
"""
ACTOR_ROLES = {
    "platform": {},  # holds nothing inside tenants
    "provincial": {"own": {"provincial_admin"}, "sib": {"provincial_admin"}},
    "center": {"own": {"center_admin"}},
    "chief": {"own": {"chief_representative"}},
    "duty": {"own": {"duty_officer"}},
    "clerk": {"own": {"clerk"}},
}


def test_authority_over_accounts_decision_table() -> None:
    """A platform_admin row written into a tenant grants nothing (the enforcer ignores it), so it does not make its
    holder untouchable either; a real platform admin account (the flag) is never managed from a tenant."""
    from govhall.authz.authority import covers

    lines = [line.split() for line in AUTHORITY_SPEC.strip().splitlines()]
    header = lines[0][1:]
    decisions, mismatches = 0, []
    for row in lines[1:]:
        account, marks = row[0], row[1:]
        platform = account == "platform_admin"
        target: dict[str, set[str]] = {}
        if not platform and account != "no_roles":
            for part in account.split(","):
                dom, role = part.split(":")
                target.setdefault(dom, set()).add(role)
        for actor, mark in zip(header, marks, strict=True):
            got = covers(ACTOR_ROLES[actor], target, target_is_platform_admin=platform)
            # the URL check (user:write in "own") comes first, in the guard: only admins get here
            got = got and actor in ("provincial", "center")
            decisions += 1
            if got != (mark == "x"):
                mismatches.append((account, actor, got))
    # granting a role counts as holding it: a center admin may grant center roles, never provincial_admin
    assert covers(ACTOR_ROLES["center"], {}, grant=("own", "center_admin"))
    assert not covers(ACTOR_ROLES["center"], {}, grant=("own", "provincial_admin"))
    assert not covers(ACTOR_ROLES["center"], {}, grant=("sib", "clerk"))
    print(f"\nauthority over accounts: {decisions + 3} decisions, {len(mismatches)} mismatches")
    assert not mismatches, mismatches
