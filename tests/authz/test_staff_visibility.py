"""One rule for who sees whose staff (``govhall.authz.visibility``), and every domain answers alike for every role.

The rule: center admin, provincial admin (inherited) and duty officer see the whole center; a chief
representative (首席代表) the own department; anyone else only the own record. A platform admin holds no role in
a center, so it has no special reach there (the old attendance-only fallback is gone).
"""

from __future__ import annotations

from types import SimpleNamespace
from uuid import uuid4

import pytest

from govhall.authz.permissions import Role
from govhall.authz.visibility import Reach, scope_for
from govhall.domain.org.models import Staff
from govhall.domain.org.rules import staff_scope
from tests.conftest import login

COUNTY = "421121"

DEPT_A, DEPT_B = uuid4(), uuid4()
ME = SimpleNamespace(id=uuid4(), department_id=DEPT_A)
COLLEAGUE = SimpleNamespace(id=uuid4(), department_id=DEPT_A)
OTHER = SimpleNamespace(id=uuid4(), department_id=DEPT_B)
NOBODY = SimpleNamespace(id=uuid4(), department_id=None)

EXPECTED = {  # role -> (sees colleague of the own department, sees someone of another department)
    Role.center_admin.value: (True, True),
    Role.provincial_admin.value: (True, True),
    Role.duty_officer.value: (True, True),
    Role.chief_representative.value: (True, False),
    Role.clerk.value: (False, False),
    Role.platform_admin.value: (False, False),
    Role.supervision_office.value: (True, True),  # 稽查督办科 oversees the whole hall (issue 15)
    Role.center_leader.value: (True, True),
}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_rule_for_every_role(role: str) -> None:
    colleague, other = EXPECTED[role]
    scope = scope_for({role}, ME)
    assert scope.allows(ME), "the own record is always visible"
    assert scope.allows(COLLEAGUE) is colleague
    assert scope.allows(OTHER) is other
    assert scope.allows(NOBODY) is other
    assert scope.allows(None) is False
    # Without an own department a chief representative reaches only the own record; without an own record,
    # only a center-wide role sees anything.
    no_dept = scope_for({role}, SimpleNamespace(id=ME.id, department_id=None))
    assert no_dept.reach is (Reach.center if other else Reach.own)
    assert scope_for({role}, None).allows(COLLEAGUE) is other


def test_the_widest_role_wins() -> None:
    assert scope_for({Role.clerk.value, Role.chief_representative.value}, ME).reach is Reach.department
    assert scope_for({Role.chief_representative.value, Role.duty_officer.value}, ME).reach is Reach.center
    assert scope_for(set(), ME).reach is Reach.own


def test_criteria_match_allows_for_tables_that_reference_staff() -> None:
    """The SQL form says the same as the check: the own department's members or the own record."""
    scope = scope_for({Role.chief_representative.value}, ME)
    with pytest.raises(ValueError):
        scope.criteria(SimpleNamespace(staff_id=Staff.id), staff_column="staff_id")  # no member query given
    sql = str(scope.criteria(Staff).compile(compile_kwargs={"literal_binds": False}))
    assert "department_id" in sql and "staff.id" in sql


async def _visible(client, t, all_ids: set[str]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What each domain answers: the org staff list, the org single read, the attendance month of each person."""
    r = await client.get(f"/api/t/{t}/staff", params={"pageSize": 100})
    org_list = {s["id"] for s in r.json()["items"]} if r.status_code == 200 else r.status_code
    org_one, att = set(), set()
    statuses = set()
    for sid in sorted(all_ids):
        one = await client.get(f"/api/t/{t}/staff/{sid}")
        month = await client.get(f"/api/t/{t}/attendance/staff/{sid}/month", params={"month": "2026-03"})
        statuses.add((one.status_code, month.status_code))
        if one.status_code == 200:
            org_one.add(sid)
        if month.status_code == 200:
            att.add(sid)
    return {"list": org_list, "one": org_one, "attendance": att, "statuses": statuses}


async def test_every_domain_answers_alike_for_every_role(client, demo, app_session) -> None:  # type: ignore[no-untyped-def]
    t = demo[COUNTY].id
    await login(client, "county_admin")
    everyone = {s["id"]: s for s in (await client.get(f"/api/t/{t}/staff", params={"pageSize": 100})).json()["items"]}
    ids = set(everyone)
    assert len(ids) >= 4

    for username in ("county_admin", "county_duty", "prov_admin"):
        await login(client, username)
        seen = await _visible(client, t, ids)
        assert seen["list"] == seen["one"] == seen["attendance"] == ids, username

    await login(client, "county_chief")
    me = await client.get("/api/auth/me")
    assert me.status_code == 200
    seen = await _visible(client, t, ids)
    chief = next(s for s in everyone.values() if s["name"] == "李建国")
    own_department = {i for i, s in everyone.items() if s["departmentId"] == chief["departmentId"]}
    assert own_department and own_department != ids
    assert seen["list"] == seen["one"] == seen["attendance"] == own_department
    assert seen["statuses"] <= {(200, 200), (404, 404)}, "outside the scope is 'not found' in every domain"

    # A clerk and a platform admin may use neither list here: both domains refuse alike (no permission), and the
    # rule gives each only the own record wherever a domain asks it.
    for username in ("county_clerk", "platform_admin"):
        await login(client, username)
        seen = await _visible(client, t, ids)
        assert seen["list"] == 403 and seen["one"] == set() and seen["attendance"] == set(), username
        assert seen["statuses"] == {(403, 403)}, username


async def test_the_helper_reads_the_own_record_only_in_its_tenant(demo, app_session) -> None:  # type: ignore[no-untyped-def]
    """``staff_scope`` finds the own staff record only when the account's home is the tenant asked about."""
    from govhall.tenancy import tenant_scope

    class Authz:
        async def roles_in(self, _user, _domain):  # type: ignore[no-untyped-def]
            return [Role.chief_representative.value]

    t = demo[COUNTY].id
    user = SimpleNamespace(id=uuid4(), staff_id=uuid4(), tenant_id=uuid4())  # home elsewhere
    with tenant_scope(t):
        scope = await staff_scope(app_session, Authz(), user, t)
    assert scope.reach is Reach.own and scope.staff_id is None
