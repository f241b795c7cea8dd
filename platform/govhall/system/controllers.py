"""/healthz (process alive), /readyz (database reachable), and the single-page UI with its client routes."""

from __future__ import annotations

from pathlib import Path

from litestar import Request, Response, get
from litestar.params import FromPath
from litestar.response import File
from sqlalchemy import text

from govhall.authz.guards import public
from govhall.errors import AppError


@get("/healthz", opt=public(), include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", opt=public(), include_in_schema=False)
async def readyz(request: Request) -> Response[dict[str, str]]:
    try:
        async with request.app.state.db_session_factory() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        return Response({"status": "unavailable", "reason": type(exc).__name__}, status_code=503)
    return Response({"status": "ok"})


@get("/", opt=public(), include_in_schema=False)
async def index(request: Request) -> File:
    return await _serve(request, "")


@get("/{path:path}", opt=public(), include_in_schema=False)
async def spa(request: Request, path: FromPath[str]) -> File:
    return await _serve(request, path.lstrip("/"))


async def _serve(request: Request, path: str) -> File:
    """Serve a built asset if it exists, otherwise index.html so client-side routes load the app."""
    if path.startswith(("api/", "iclock/")) or path in {"api", "iclock"}:
        raise AppError("not_found", "请求的内容不存在", "Not found", status=404)
    root: Path = request.app.state.settings.static_dir.resolve()
    candidate = (root / path).resolve() if path else root / "index.html"
    if not candidate.is_relative_to(root) or not candidate.is_file():
        candidate = root / "index.html"
    if not candidate.is_file():
        raise AppError("ui_not_built", "界面尚未构建，请运行 make ui", "UI not built: run `make ui`", status=503)
    # Vite names every file under assets/ by its content hash: cache it for a year, never revalidate. Everything else
    # (index.html, which names the current hashes; unhashed files) is revalidated on each use.
    hashed = candidate.is_relative_to(root / "assets")
    cache = "public, max-age=31536000, immutable" if hashed else "no-cache"
    return File(candidate, filename=candidate.name, content_disposition_type="inline", headers={"Cache-Control": cache})
