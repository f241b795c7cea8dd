"""The complainant's identity never leaves except to the intake office (002 投诉 四.1 署名投诉身份保密;
004 投诉 3 对投诉人予以保密; 000 篇七 违规人员不得打击报复): a canary name and phone, then every GET route of
the app in the center, for every role — the person complained about, their chief representative, the duty
officer, the center admin, the leader, the provincial admin, other clerks — plus the exports (xlsx unzipped),
the audit log, the log lines and the database column. 0 disclosures; the intake office sees it through the
identity route only."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from sqlalchemy import select

from govhall.audit.models import AuditEvent
from govhall.domain.complaints.models import Complaint
from govhall.tenancy import tenant_scope
from tests.authz.test_route_permissions import _framework, route_table
from tests.complaints.conftest import C, K, as_user, complaints_center, post

NAME, PHONE = "金丝雀投诉人甲", "13912345678"
STR = {"pack": "complaints", "path": "staff", "month": "2026-10", "date": "2026-10-09"}


def text_of(r: Any) -> str:
    if r.content[:2] == b"PK":  # xlsx: the strings are inside the zip
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return r.content.decode("utf-8", "replace")


async def test_identity_canary_every_role_every_route(client, owner_session, demo, capsys) -> None:  # type: ignore[no-untyped-def]
    c = await complaints_center(owner_session, demo)
    await as_user(client, c.users["intake"])
    r = await post(client, C.format(c.id), {"channel": "in_person", "subject": "窗口刁难", "complainantName": NAME,
                                             "complainantContact": PHONE, "staffId": str(c.staff["E001"])})
    assert r.status_code == 201 and NAME not in r.text
    cid = r.json()["id"]
    for who, path, data in (("intake", "steps", {"action": "register"}), ("leader", "review", {"note": "查"}),
                            ("intake", "steps", {"action": "assign", "assignedTo": "window"}),
                            ("intake", "steps", {"action": "investigate"}),
                            ("intake", "steps", {"action": "conclude", "conclusion": "partly", "note": "部分属实"})):
        await as_user(client, c.users[who])
        r = await post(client, f"{C.format(c.id)}/{cid}/{path}", data)
        assert r.status_code == 200 and NAME not in r.text and PHONE not in r.text, r.text
    ids = {"complaint_id": cid, "staff_id": str(c.staff["E001"]), "department_id": str(c.department_id)}

    routes = [(p, m) for p, m, h in route_table(client.app) if m == "GET" and "{tenant_id:" in p and not _framework(h)]
    users = {**{k: v for k, v in c.users.items()}, "provincial": "prov_admin"}
    attempts, disclosures, revealed = 0, [], 0
    for role, username in users.items():
        await as_user(client, username)
        for path in routes:
            url = re.sub(r"\{(\w+):(\w+)\}", lambda m: str(c.id) if m.group(1) == "tenant_id" else
                         ids.get(m.group(1), STR.get(m.group(1), "00000000-0000-0000-0000-000000000000")), path[0])
            r = await client.get(url)
            attempts += 1
            body = text_of(r)
            if NAME in body or PHONE in body:
                if role == "intake" and path[0].endswith("/identity"):
                    revealed += 1
                else:
                    disclosures.append(f"{role} GET {url}")
    print(f"\nidentity canary: {attempts} GET requests = {len(routes)} routes x {len(users)} users, "
          f"{len(disclosures)} disclosures")
    assert not disclosures, disclosures
    assert revealed == 1  # the scan is not blind: the intake office does see it, there
    assert attempts > 300

    with tenant_scope(c.id):
        audit = list(await owner_session.scalars(select(AuditEvent).where(AuditEvent.tenant_id == c.id)))
        row = await owner_session.scalar(select(Complaint).where(Complaint.id == cid))
    assert audit and not [a for a in audit if NAME in str(a.details) or PHONE in str(a.details)]
    assert "complaint.identity.read" in {a.action for a in audit}
    assert row.identity and NAME.encode() not in row.identity and PHONE.encode() not in row.identity
    out = capsys.readouterr()
    assert NAME not in out.out + out.err and PHONE not in out.out + out.err


async def test_identity_is_bound_to_its_tenant_and_complaint(owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """A ciphertext copied to another center or another complaint does not decrypt (the tenant's own key and
    the complaint number as associated data)."""
    import uuid

    from govhall.domain.complaints import identity

    t1, t2 = uuid.uuid4(), uuid.uuid4()
    blob = identity.seal(t1, "TS2026-0001", NAME, PHONE)
    assert identity.reveal(t1, "TS2026-0001", blob) == (NAME, PHONE)
    assert identity.reveal(t2, "TS2026-0001", blob) is None
    assert identity.reveal(t1, "TS2026-0002", blob) is None


async def test_cases_do_not_leak_either(client, owner_session, demo) -> None:  # type: ignore[no-untyped-def]
    """The case routes answer no complaint data (a smoke check that the board is not a side door)."""
    c = await complaints_center(owner_session, demo)
    await as_user(client, c.users["clerk"])
    r = await client.get(f"{K.format(c.id)}/board")
    assert r.status_code == 200 and NAME not in r.text
