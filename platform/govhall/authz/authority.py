"""Authority over accounts: the one rule that decides whether an actor may act on another account.

Casbin decides whether an actor may use an account action (``user:write``, ``role:assign``) in a tenant; this
rule decides *which* accounts of that tenant. Resetting a password hands over the account, disabling it locks
its owner out, editing it or changing its roles changes what it may do — so the actor must already hold, in
every tenant where the account holds a role, an authority at least as high as the account's there:

- platform admins' accounts (reserved ``platform`` domain) are never managed through a tenant's account
  actions; they live in the platform tenant, where no tenant role exists;
- an account holding a role in a tenant where the actor is not an administrator (center admin or provincial
  admin there) is refused: a center admin cannot take over an account that also works in another center or
  province, nor a provincial admin one that holds a role in another province;
- a higher role is refused: a center admin cannot manage a provincial admin's account;
- peers of equal authority may manage each other (two center admins of one center, two provincial admins of
  one province): each already holds everything the other holds, so nothing is gained, and a center whose
  only other admin is away can still recover an account; every such action is audited;
- granting a role counts as holding it afterwards: the actor must hold at least that role in that tenant.

Used by every account write in ``domain/identity/accounts.py`` and checked in ``tests/authz/test_decision_table.py``
(the pure rule) and ``tests/authz/test_account_escalation.py`` (every action x role x account kind over HTTP).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.permissions import Role
from govhall.errors import AppError

# How much authority a role carries inside one tenant. Chief representatives and duty officers are different
# but neither is above the other; platform_admin has no rank inside a tenant (such rows grant nothing).
RANK: dict[str, int] = {
    Role.clerk.value: 0,
    Role.chief_representative.value: 1,
    Role.duty_officer.value: 1,
    Role.supervision_office.value: 1,
    Role.center_leader.value: 1,
    Role.center_admin.value: 2,
    Role.provincial_admin.value: 3,
}
ADMIN_RANK = RANK[Role.center_admin.value]

Roles = Mapping[str, Iterable[str]]  # domain (tenant id as str) -> roles held there


def _rank(roles: Iterable[str]) -> int:
    return max((RANK[r] for r in roles if r in RANK), default=-1)


def covers(actor: Roles, target: Roles, *, target_is_platform_admin: bool = False,
           grant: tuple[str, str] | None = None) -> bool:
    """True when an actor holding ``actor`` roles may act on an account holding ``target`` roles.

    ``grant`` = (domain, role) about to be given to the account: it counts as held."""
    if target_is_platform_admin:
        return False
    wanted: dict[str, set[str]] = {d: set(rs) for d, rs in target.items()}
    if grant is not None:
        wanted.setdefault(grant[0], set()).add(grant[1])
    for domain, roles in wanted.items():
        need = _rank(roles)
        if need < 0:
            continue
        if _rank(actor.get(domain, ())) < max(need, ADMIN_RANK):
            return False
    return True


async def roles_of(session: AsyncSession, user_ids: Iterable[UUID]) -> dict[UUID, dict[str, set[str]]]:
    """Every role each account holds, in every tenant (one query, outside any tenant scope)."""
    from govhall.authz.models import RoleAssignment
    from govhall.tenancy.context import system_scope

    ids = list(set(user_ids))
    out: dict[UUID, dict[str, set[str]]] = {u: {} for u in ids}
    if not ids:
        return out
    # On PostgreSQL, RLS hides other tenants' rows; a SELECT-only policy (migration 0008_security) shows the rows
    # of exactly the accounts named in ``app.account_authority``, for this lookup alone.
    pg = (await session.connection()).dialect.name == "postgresql"
    if pg:
        await session.execute(text("SELECT set_config('app.account_authority', :v, true)"),
                              {"v": ",".join(str(i) for i in ids)})
    try:
        with system_scope():
            rows = (await session.execute(select(RoleAssignment.user_id, RoleAssignment.tenant_id, RoleAssignment.role)
                                          .where(RoleAssignment.user_id.in_(ids)))).all()
    finally:
        if pg:
            await session.execute(text("SELECT set_config('app.account_authority', '', true)"))
    for uid, tid, role in rows:
        out[uid].setdefault(str(tid), set()).add(role)
    return out


def no_authority() -> AppError:
    return AppError("no_authority_over_account", "您无权管理此账号：它在其他机构持有角色，或权限高于您",
                    "You have no authority over this account: it holds roles elsewhere or above yours", status=403)


async def manageable(session: AsyncSession, actor_id: UUID, targets: Iterable[tuple[UUID, bool]]) -> set[UUID]:
    """The accounts among ``targets`` ((id, is_platform_admin) pairs) the actor has authority over."""
    targets = list(targets)
    held = await roles_of(session, [actor_id, *(t for t, _ in targets)])
    actor = held.get(actor_id, {})
    return {t for t, plat in targets if covers(actor, held.get(t, {}), target_is_platform_admin=plat)}


async def require_authority(session: AsyncSession, actor_id: UUID, target_id: UUID, *, target_is_platform_admin: bool,
                            grant: tuple[UUID, str] | None = None) -> None:
    """Raise 403 ``no_authority_over_account`` unless the actor has authority over the account."""
    held = await roles_of(session, [actor_id, target_id])
    g = (str(grant[0]), grant[1]) if grant else None
    if not covers(held.get(actor_id, {}), held.get(target_id, {}), target_is_platform_admin=target_is_platform_admin,
                  grant=g):
        raise no_authority()
