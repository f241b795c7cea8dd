"""Static UI files and compression (issue 13): hashed assets cached for a year and immutable, index.html never
cached without revalidation, text answers compressed with br (or gzip), binary files sent as they are."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from govhall.config import Settings

JS = ("export const x = " + "'govhall';" * 200).encode()


@pytest.fixture
async def static_client(app_settings: Settings, tmp_path: Path, demo):  # type: ignore[no-untyped-def]
    from litestar.testing import AsyncTestClient

    from govhall.app import create_app

    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>" + " " * 600, encoding="utf-8")
    (tmp_path / "assets" / "index-AbC123xy.js").write_bytes(JS)
    (tmp_path / "assets" / "photo-AbC123xy.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (tmp_path / "favicon.txt").write_text("x" * 700, encoding="utf-8")
    settings = replace(app_settings, static_dir=tmp_path)
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as c:
        yield c


async def test_hashed_assets_are_immutable_and_index_is_revalidated(static_client) -> None:  # type: ignore[no-untyped-def]
    asset = await static_client.get("/assets/index-AbC123xy.js")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/", "/t/some-center/staff", "/login"):  # client routes answer index.html
        page = await static_client.get(path)
        assert page.status_code == 200 and "<div id=root>" in page.text
        assert page.headers["cache-control"] == "no-cache", path
    other = await static_client.get("/favicon.txt")  # not under assets/: no content hash, so no year-long cache
    assert other.headers["cache-control"] == "no-cache"


async def test_text_is_compressed_with_brotli_or_gzip(static_client) -> None:  # type: ignore[no-untyped-def]
    br = await static_client.get("/assets/index-AbC123xy.js", headers={"accept-encoding": "gzip, deflate, br"})
    assert br.headers["content-encoding"] == "br"
    assert "accept-encoding" in br.headers["vary"].lower()
    assert br.content == JS  # httpx decodes br (brotli installed)
    gz = await static_client.get("/assets/index-AbC123xy.js", headers={"accept-encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip" and gz.content == JS
    plain = await static_client.get("/assets/index-AbC123xy.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == JS
    api = await static_client.get("/schema/openapi.json", headers={"accept-encoding": "br"})
    assert api.status_code == 200 and api.headers["content-encoding"] == "br"


async def test_binary_files_are_not_compressed_again(static_client) -> None:  # type: ignore[no-untyped-def]
    png = await static_client.get("/assets/photo-AbC123xy.png", headers={"accept-encoding": "br, gzip"})
    assert png.status_code == 200
    assert "content-encoding" not in png.headers


def test_compressible_types() -> None:
    from govhall.system.compression import compressible

    for ctype in ("text/html; charset=utf-8", "application/json", "text/javascript", "application/javascript",
                  "text/css", "image/svg+xml", "application/problem+json"):
        assert compressible(ctype), ctype
    for ctype in ("image/png", "image/jpeg",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip", ""):
        assert not compressible(ctype), ctype
