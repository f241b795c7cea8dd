"""A schema-driven fuzz run against the app in-process: 0 server errors (issue 8 item 7).

schemathesis generates requests from the app's own OpenAPI document (every operation, valid and invalid
bodies, parameters and strings with NUL, huge numbers, odd dates); they go through the real app (session auth
as a center admin with its CSRF token, the guards, the services, the database) and no answer may be a 5xx.
``GOVHALL_FUZZ_EXAMPLES`` (default 6 per operation) bounds the run to about a minute.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from tests.conftest import csrf_headers, login

EXAMPLES = int(os.environ.get("GOVHALL_FUZZ_EXAMPLES", "6"))
SKIP = {("POST", "/api/auth/logout"), ("POST", "/api/auth/password")}
"""Would end or change the fuzzing session itself."""


def _blob(value) -> bytes:  # type: ignore[no-untyped-def]
    if isinstance(value, bytes):
        return value
    return str(value).encode() if not isinstance(value, str) else value.encode("utf-8", "surrogatepass")


def _files(files):  # type: ignore[no-untyped-def]
    """The generated multipart parts as httpx sends them (a generated "file" may be any JSON value)."""
    out = []
    for name, value in (files.items() if isinstance(files, dict) else files or []):
        if isinstance(value, tuple):
            value = (value[0], _blob(value[1]), *value[2:])
        else:
            value = ("upload.bin", _blob(value))
        out.append((name, value))
    return out


def _cases(operation, tenant_id: str) -> list:  # type: ignore[no-untyped-def]
    found: list = []

    @settings(max_examples=EXAMPLES, database=None, deadline=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def collect(case) -> None:  # type: ignore[no-untyped-def]
        if "tenant_id" in (case.path_parameters or {}):
            case.path_parameters["tenant_id"] = tenant_id  # inside the admin's own center, past the guard
        found.append(case)

    collect()
    return found


async def _fresh_center(client, demo) -> str:  # type: ignore[no-untyped-def]
    """A county center of its own (onboarded by the provincial admin), so the fuzzer's writes touch no demo
    center that other tests read; logged in as its center admin, password changed."""
    await login(client, "prov_admin")
    city = next(t for code, t in demo.items() if code == "421100")
    username = f"fz_{uuid.uuid4().hex[:8]}"
    r = await client.post(f"/api/t/{city.id}/tenants", headers=csrf_headers(client), json={
        "level": "county", "divisionCode": f"4211{uuid.uuid4().int % 90 + 10:02d}-{uuid.uuid4().hex[:6]}", "name": "模糊测试县政务服务中心",
        "template": "county_hall", "adminUsername": username, "adminDisplayName": "模糊测试管理员"})
    assert r.status_code == 201, r.text
    otp, tenant_id = r.json()["oneTimePassword"], r.json()["tenant"]["id"]
    await client.post("/api/auth/logout", headers=csrf_headers(client))
    await login(client, username, otp)
    r = await client.post("/api/auth/password", json={"currentPassword": otp, "newPassword": "Fuzz#Pass2026"},
                          headers=csrf_headers(client))
    assert r.status_code == 200, r.text
    return tenant_id


@pytest.mark.timeout(600)
async def test_fuzz_no_server_errors(client, demo) -> None:  # type: ignore[no-untyped-def]
    tenant_id = await _fresh_center(client, demo)
    schema = schemathesis.openapi.from_dict((await client.get("/schema/openapi.json")).json())
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        operations += 1
        for case in _cases(operation, tenant_id):
            kw = case.as_transport_kwargs(base_url="http://testserver.local")
            headers = {k: v for k, v in (kw.pop("headers", None) or {}).items() if k.lower() != "user-agent"}
            headers.update(csrf_headers(client))
            kw.pop("cookies", None)  # the client's own session cookie, not a generated one
            if kw.get("files"):
                kw["files"] = _files(kw["files"])
            r = await client.request(kw.pop("method"), kw.pop("url"), headers=headers,
                                     **{k: v for k, v in kw.items() if k in ("params", "json", "content", "data",
                                                                             "files")})
            statuses[r.status_code] += 1
            if r.status_code >= 500:
                errors.append(f"{case.method} {case.formatted_path} -> {r.status_code}: {case.as_curl_command()}")
    print(f"fuzz: {operations} operations, {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert operations > 40
    assert sum(statuses.values()) > operations
    assert not errors, "\n".join(errors[:20])
