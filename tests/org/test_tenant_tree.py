"""Issue 16, "A tenant tree that pages": ``GET /api/tenants`` answers a level at a time (the top, ``?parent=``, or
``?searchString=``) with counts instead of subtrees, and shows exactly the tenants Casbin lets the user read."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from govhall.authz.enforcer import Authorizer
from govhall.domain.identity.models import User, platform_admin_ids
from govhall.domain.org.onboarding import visible_tenants
from govhall.tenancy import system_scope
from tests.conftest import csrf_headers, login

PROVINCE, CITY, COUNTY, LUOTIAN = "420000", "421100", "421121", "421123"
LOGINS = ["prov_admin", "platform_admin", "city_admin", "county_admin", "county_chief", "county_duty", "county_clerk",
          "luotian_admin", "luotian_clerk", "township_admin", "city_clerk"]


async def walk(client: AsyncTestClient[Any]) -> dict[str, dict[str, Any]]:
    """Every node the user may see, by expanding the tree level by level (as the UI does)."""
    r = await client.get("/api/tenants")
    if r.status_code == 403:  # no tenant:read at home (clerks): the route guard refuses, as before paging
        return {}
    assert r.status_code == 200, r.text
    todo, seen = list(r.json()["tenants"]), {}
    while todo:
        node = todo.pop()
        seen[node["id"]] = node
        if node["childCount"]:
            r = await client.get("/api/tenants", params={"parent": node["id"], "limit": 500})
            assert r.status_code == 200, r.text
            kids = r.json()["tenants"]
            assert len(kids) == node["childCount"] == r.json()["total"]
            assert all(k["parentId"] == node["id"] for k in kids)
            todo.extend(kids)
    return seen


async def test_the_paged_tree_shows_what_casbin_allows_for_every_login(client, demo, owner_session, app_engine) -> None:  # type: ignore[no-untyped-def]
    """For each demo login: the nodes reached by expanding the tree are exactly the tenants where Casbin allows
    ``tenant:read`` (the rule before paging, ``visible_tenants``), with the same ``canOnboard``, and each node's
    ``descendantCount`` counts the visible nodes below it."""
    # the reference decides with its own enforcer on this loop (the app's runs on the test client's)
    authz = Authorizer(async_sessionmaker(app_engine, expire_on_commit=False), platform_admins=platform_admin_ids)
    for username in LOGINS:
        await login(client, username)
        seen = await walk(client)
        with system_scope():
            user = await owner_session.scalar(select(User).where(User.username == username))
            expected = {str(t.id): can for t, can in await visible_tenants(owner_session, authz, user)}
        await owner_session.commit()
        assert {k: v["canOnboard"] for k, v in seen.items()} == expected, username
        for node in seen.values():
            below = [n for n in seen.values() if f"/{node['id']}/" in _path(seen, n) and n is not node]
            assert node["descendantCount"] == len(below), (username, node["name"])
        await client.post("/api/auth/logout", headers=csrf_headers(client))


def _path(seen: dict[str, dict[str, Any]], node: dict[str, Any]) -> str:
    out, cur = [], node
    while cur is not None:
        out.append(cur["id"])
        cur = seen.get(cur["parentId"]) if cur["parentId"] else None
    return "/" + "/".join(reversed(out)) + "/"


async def test_levels_counts_and_search(client, demo) -> None:  # type: ignore[no-untyped-def]
    await login(client, "prov_admin")
    top = (await client.get("/api/tenants")).json()
    assert [t["divisionCode"] for t in top["tenants"]] == [PROVINCE] and top["total"] == 1
    province = top["tenants"][0]
    assert province["childCount"] >= 1 and province["descendantCount"] >= 4
    kids = (await client.get("/api/tenants", params={"parent": province["id"]})).json()
    assert CITY in {k["divisionCode"] for k in kids["tenants"]}
    # paging: one at a time, in division-code order, the same total
    first = (await client.get("/api/tenants", params={"parent": province["id"], "limit": 1})).json()
    assert len(first["tenants"]) == 1 and first["total"] == kids["total"]
    # search by division code prefix and by part of the name, with the ancestors' names
    found = (await client.get("/api/tenants", params={"searchString": LUOTIAN})).json()
    assert [t["divisionCode"] for t in found["tenants"]][:1] == [LUOTIAN]
    assert found["tenants"][0]["ancestors"][0] == province["name"]
    name = found["tenants"][0]["name"]
    by_name = (await client.get("/api/tenants", params={"searchString": name[2:6]})).json()
    assert LUOTIAN in {t["divisionCode"] for t in by_name["tenants"]}
    assert (await client.get("/api/tenants", params={"searchString": "%"})).json()["total"] == 0  # no wildcards
    assert (await client.get("/api/tenants", params={"limit": 501})).status_code == 400


async def test_a_center_admin_cannot_open_a_foreign_level(client, demo) -> None:  # type: ignore[no-untyped-def]
    """Cross-tenant: children of a tenant the user may not read answer 404 (bilingual), never its children."""
    await login(client, "county_admin")
    top = (await client.get("/api/tenants")).json()
    assert [t["divisionCode"] for t in top["tenants"]] == [COUNTY] and top["tenants"][0]["canOnboard"] is False
    for code in (PROVINCE, CITY, LUOTIAN):
        r = await client.get("/api/tenants", params={"parent": str(demo[code].id)})
        assert r.status_code == 404, r.text
        assert r.json()["message"]["zh"] and r.json()["message"]["en"]
    r = await client.get("/api/tenants", params={"parent": str(uuid.uuid4())})
    assert r.status_code == 404
    assert (await client.get("/api/tenants", params={"searchString": "4211"})).json()["total"] == 1
    assert (await client.get("/api/tenants", params={"id": str(demo[CITY].id)})).json()["tenants"] == []
    one = (await client.get("/api/tenants", params={"id": str(demo[COUNTY].id)})).json()["tenants"]
    assert [t["divisionCode"] for t in one] == [COUNTY]


async def test_a_level_costs_the_same_statements_however_big_the_tree(client, demo, owner_session) -> None:  # type: ignore[no-untyped-def]
    """The query shape of issue 16: a level (or a page of a search) is a fixed handful of statements — the page, the
    ancestors' names for a search, and one grouped statement that counts every childCount and descendantCount of
    the page over index ranges of the path — whatever the number of rows on the page and of tenants below them. Counted on the
    app's engine before and after 30 more centers (a city of 5 counties of 5 townships) below the province; each
    statement reads ``tenant`` at most once per page (no count per row: such a statement names the table again)."""
    from govhall.authz.models import RoleAssignment
    from govhall.tenancy.models import Tenant, TenantLevel
    from tests.attendance.test_clock_in_statements import counted

    await login(client, "prov_admin")
    province = demo[PROVINCE]
    asks = [{}, {"parent": str(province.id)}, {"parent": str(demo[CITY].id)}, {"searchString": "政务服务"},
            {"searchString": "42"}, {"parent": str(province.id), "limit": 1}]

    async def statements() -> list[tuple[int, int]]:
        out = []
        for params in asks:
            with counted(client) as seen:
                r = await client.get("/api/tenants", params=params)
            assert r.status_code == 200, r.text
            reads = [s for s in seen if s.startswith("SELECT") and " tenant " in f"{s} "]
            out.append((len(reads), max(s.count("FROM tenant") for s in reads)))
        return out

    before = await statements()
    with system_scope():
        admin = await owner_session.scalar(select(User.id).where(User.username == "prov_admin"))
    added: list[Tenant] = []

    def add(parent: Tenant, level: TenantLevel, code: str) -> Tenant:
        tid = uuid.uuid4()
        t = Tenant(id=tid, name=f"语句数{code}政务服务中心", level=level, division_code=code, parent_id=parent.id,
                   path=f"{parent.path}{tid}/")
        added.append(t)
        return t

    with system_scope():
        city = add(province, TenantLevel.city, "429900")
        for c in range(5):
            county = add(city, TenantLevel.county, f"4299{c + 1:02d}")
            for s in range(5):
                add(county, TenantLevel.township, f"4299{c + 1:02d}-{s}")
        owner_session.add_all(added)
        await owner_session.flush()
        owner_session.add_all([RoleAssignment(tenant_id=t.id, user_id=admin, role="provincial_admin") for t in added])
        await owner_session.commit()
    try:
        asks.append({"parent": str(city.id)})
        after = await statements()
        assert after[:-1] == before, (before, after)
        assert after[-1] == after[1]  # the new city's 5 counties: as many statements as the province's children
        assert all(n <= 4 and per <= 2 for n, per in after), after
        top = (await client.get("/api/tenants")).json()["tenants"][0]
        assert top["descendantCount"] >= 30
    finally:
        with system_scope():
            for ra in (await owner_session.scalars(select(RoleAssignment).where(
                    RoleAssignment.tenant_id.in_([t.id for t in added])))).all():
                await owner_session.delete(ra)
            await owner_session.flush()
            for t in sorted(added, key=lambda t: -len(t.path)):
                await owner_session.delete(t)
                await owner_session.flush()
            await owner_session.commit()
