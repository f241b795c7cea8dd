"""Operation ids follow one rule (govhall.system.openapi) and the UI's generated client is not stale."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govhall.system.openapi import openapi_document

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "frontend" / "src" / "api" / "openapi.json"
TYPES = ROOT / "frontend" / "src" / "api" / "schema.d.ts"
STALE = "the UI's generated API client is stale: run `make api-client` and commit frontend/src/api/"


def _operations(doc: dict) -> list[tuple[str, str, dict]]:
    return [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()
            if isinstance(op, dict) and "responses" in op]


def test_every_operation_has_a_unique_id_from_the_rule() -> None:
    from govhall.app import create_app, route_handlers
    from govhall.system.openapi import handler_owner, operation_id

    doc = openapi_document()
    ops = _operations(doc)
    ids = [op.get("operationId") for _, _, op in ops]
    assert all(ids), [f"{m} {p}" for p, m, op in ops if not op.get("operationId")]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 100
    # derived, never typed by hand: a handler that sets operation_id= breaks the one rule
    app = create_app()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            assert not isinstance(handler.operation_id, str), f"{handler.handler_name}: drop operation_id=, the rule names it"
    assert route_handlers  # the route table the ids come from
    by_path = {(p, m): op["operationId"] for p, m, op in ops}
    assert by_path[("/api/t/{tenant_id}/staff", "get")] == "staffListStaff"
    assert by_path[("/api/auth/login", "post")] == "authLogin"
    assert callable(handler_owner) and callable(operation_id)


def _fresh_dump() -> str:
    """`govhall openapi` in a new process, exactly as `make api-client` runs it (how Litestar names generic schemas
    such as OffsetPagination[Staff] depends on what the process imported and built before)."""
    done = subprocess.run([sys.executable, "-m", "govhall.cli", "openapi"], check=True, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "GOVHALL_LOG_LEVEL": "warning"})
    return done.stdout


def test_committed_openapi_document_is_current_and_stable() -> None:
    assert COMMITTED.is_file(), STALE
    fresh = _fresh_dump()
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == json.loads(fresh), STALE
    assert _fresh_dump() == fresh  # the same text every time: ids and order do not wander


@pytest.mark.skipif(not (ROOT / "frontend" / "node_modules" / ".bin" / "openapi-typescript").exists()
                    or shutil.which("node") is None, reason="frontend dependencies not installed (make install)")
def test_generated_types_match_the_document(tmp_path: Path) -> None:
    out = tmp_path / "schema.d.ts"
    subprocess.run([str(ROOT / "frontend" / "node_modules" / ".bin" / "openapi-typescript"), str(COMMITTED),
                    "-o", str(out)], check=True, capture_output=True, cwd=ROOT / "frontend", timeout=120)
    assert TYPES.read_text(encoding="utf-8") == out.read_text(encoding="utf-8"), STALE
