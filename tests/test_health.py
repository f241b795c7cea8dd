async def test_healthz_needs_no_database(client) -> None:  # type: ignore[no-untyped-def]
    r = await client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert r.headers["x-request-id"]


async def test_readyz_checks_the_database(client) -> None:  # type: ignore[no-untyped-def]
    r = await client.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ok"


async def test_unknown_api_path_is_a_json_404(client) -> None:  # type: ignore[no-untyped-def]
    r = await client.get("/api/nope")
    assert r.status_code == 404
    assert r.json()["message"]["zh"]


async def test_openapi_ui_loads_no_internet_assets(client) -> None:  # type: ignore[no-untyped-def]
    r = await client.get("/schema/swagger")
    assert r.status_code == 200
    import re

    assert not re.findall(r"""(?:src|href)\s*=\s*["']?https?://""", r.text)
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/t/{tenant_id}/staff" in schema["paths"]


async def test_body_size_limit_gives_413(client) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import csrf_headers

    await client.get("/healthz")
    r = await client.post("/api/auth/login", content=b"x" * (3 * 1024 * 1024),
                          headers={"content-type": "application/json", **csrf_headers(client)})
    assert r.status_code == 413
