"""The file store's API for routes and domains.

- ``save_upload(session, upload, purpose=...)``: check and process the upload off the event loop, store its
  bytes under ``$GOVHALL_VAR_DIR/files/<tenant_id>/<sha256[:2]>/<sha256>`` (once per tenant: same bytes, same
  file), add the ``StoredFile`` row and the ``file.upload`` audit event; flushes, the caller commits.
- ``get_files(session, ids)``: the current tenant's files with these ids (400 ``file_not_found`` otherwise).
- ``file_response(f)``: the bytes as an HTTP answer (type, nosniff, ``private, no-store``, the file name).
- ``register_reader(prefix, can_read)``: a domain says who else may read its files (``leave.`` -> the
  approvers of the request). The uploader and the center's admins (center admin, provincial admin) always may.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

import structlog
from litestar import Response
from litestar.datastructures import UploadFile
from litestar.response import Stream
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit import record_audit
from govhall.authz.permissions import Role
from govhall.errors import AppError, field_error
from govhall.files import limits as L
from govhall.files.models import StoredFile
from govhall.files.processing import MIME_EXT, Processed, process
from govhall.log import get_logger
from govhall.tenancy.context import TenantScopeError, current_tenant_id

__all__ = ("file_response", "get_files", "may_read", "read_file", "register_reader", "save_upload")

log = get_logger(__name__)

PURPOSE_RE = re.compile(r"^[a-z][a-z0-9_]{0,30}(\.[a-z0-9_]{1,30}){0,3}$")
ALWAYS_READ = frozenset({Role.center_admin.value, Role.provincial_admin.value})

CanRead = Callable[[AsyncSession, Any, frozenset[str], StoredFile], Awaitable[bool]]
_READERS: list[tuple[str, CanRead]] = []


def register_reader(purpose_prefix: str, can_read: CanRead) -> None:
    """``can_read(session, user, roles, f)`` decides for files whose purpose starts with ``purpose_prefix``
    whether ``user`` (the request's user, with its ``roles`` in the file's tenant) may read ``f``; it runs in
    the tenant scope of the request. Registering the same function again is a no-op (module reloads)."""
    if (purpose_prefix, can_read) not in _READERS:
        _READERS.append((purpose_prefix, can_read))


# --- names and paths -----------------------------------------------------------------------------------------
def clean_name(raw: str | None, mime: str) -> str:
    """The client's file name without directories, control, format (bidi, zero-width) or private characters,
    at most 120 characters, ending in the extension of its real type."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    ext = MIME_EXT[mime]
    stem, dot, old_ext = name.rpartition(".")
    if not dot:
        stem, old_ext = name, ""
    if f".{old_ext.lower()}" not in (ext, ".jpeg" if ext == ".jpg" else ext):
        stem = name
    stem = (stem or "file")[: 120 - len(ext)]
    return stem + ext


def _path(tenant_id: UUID, sha256: str, *, thumbnail: bool = False) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a sha256")
    p = L.storage_root() / str(tenant_id) / sha256[:2] / sha256
    return p.with_name(sha256 + ".thumb.jpg") if thumbnail else p


def _write_once(path: Path, data: bytes) -> None:
    """Content-addressed: the same bytes land at the same path; a file already there is kept. Written to a
    temporary file and renamed, so a reader never sees half a file, even with two uploads at once."""
    if path.exists() and path.stat().st_size == len(data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _current_user_id() -> UUID:
    raw = structlog.contextvars.get_contextvars().get("user_id")
    try:
        return UUID(str(raw))
    except (TypeError, ValueError):
        raise AppError("not_authenticated", "请先登录", "Please log in", status=401) from None


def _store_unavailable() -> AppError:
    return AppError("file_store_unavailable", "文件存储暂时不可用，请稍后再试或联系管理员",
                    "The file store is unavailable; try again later or contact the administrator", status=503)


def _bad_purpose() -> AppError:
    return AppError("invalid_purpose", "文件用途不正确", "Invalid file purpose",
                    fields=[field_error("purpose", "文件用途不正确", "Invalid file purpose")])


# --- upload --------------------------------------------------------------------------------------------------
async def save_upload(session: AsyncSession, upload: UploadFile, *, purpose: str) -> StoredFile:
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantScopeError("save_upload needs a tenant scope")
    if not isinstance(purpose, str) or not PURPOSE_RE.fullmatch(purpose):
        raise _bad_purpose()
    user_id = _current_user_id()
    lim = L.limits()
    data = await upload.read(lim.max_bytes + 1)
    L.check_bytes(len(data), lim)
    if not data:
        raise AppError("file_empty", "文件是空的", "The file is empty", status=400)

    def work(budget: L.Budget) -> Processed:
        out = process(data, lim, budget)
        budget.check()
        try:
            _write_once(_path(tenant_id, out.sha256), out.data)
            if out.thumbnail is not None:
                _write_once(_path(tenant_id, out.sha256, thumbnail=True), out.thumbnail)
        except OSError as exc:  # full disk, read-only or missing volume: the operator's problem, said plainly
            log.error("file_store_write_failed", error=str(exc), root=str(L.storage_root()))
            raise _store_unavailable() from None
        return out

    result = await L.run_bounded(work)
    name = clean_name(upload.filename, result.mime)
    # The same person uploading the same bytes for the same purpose again (a retry on a flaky phone network)
    # gets the file they already have.
    same = (await session.scalars(select(StoredFile).where(
        StoredFile.sha256 == result.sha256, StoredFile.uploaded_by == user_id, StoredFile.purpose == purpose,
    ).limit(1))).first()
    if same is not None:
        return same
    f = StoredFile(sha256=result.sha256, mime=result.mime, size=len(result.data), name=name, purpose=purpose,
                   uploaded_by=user_id, width=result.width, height=result.height)
    session.add(f)
    await session.flush()
    await record_audit(session, action="file.upload", target_type="file", target_id=str(f.id),
                       details={"name": name, "purpose": purpose, "mime": result.mime, "size": f.size,
                                "sha256": result.sha256, "receivedBytes": len(data)})
    log.info("file_uploaded", file_id=str(f.id), purpose=purpose, mime=result.mime, size=f.size)
    return f


# --- reading -------------------------------------------------------------------------------------------------
def _not_found() -> AppError:
    return AppError("file_not_found", "文件不存在或无权查看", "File not found", status=404)


async def get_files(session: AsyncSession, ids: Iterable[UUID]) -> list[StoredFile]:
    """The current tenant's files with these ids, in the order given (duplicates once); 400 ``file_not_found``
    naming the first unknown id when any id is not a file of this tenant."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {f.id: f for f in (await session.scalars(select(StoredFile).where(StoredFile.id.in_(wanted)))).all()}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise AppError("file_not_found", "附件不存在，请重新上传", "An attached file does not exist; upload it again",
                       status=400, details={"missing": [str(i) for i in missing]})
    return [found[i] for i in wanted]


async def may_read(session: AsyncSession, user: Any, roles: frozenset[str], f: StoredFile) -> bool:
    if f.uploaded_by == user.id or roles & ALWAYS_READ:
        return True
    for prefix, can_read in list(_READERS):
        if f.purpose.startswith(prefix) and await can_read(session, user, roles, f):
            return True
    return False


async def read_file(session: AsyncSession, user: Any, roles: Iterable[str], file_id: UUID) -> StoredFile:
    """One file of the current tenant that ``user`` may read; 404 ``file_not_found`` otherwise (a file the
    user may not read is indistinguishable from one that does not exist)."""
    f = await session.get(StoredFile, file_id)
    if f is None or not await may_read(session, user, frozenset(roles), f):
        raise _not_found()
    return f


def _disposition(kind: str, name: str) -> str:
    ascii_name = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in name)
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


async def _chunks(path: Path, size: int = 64 * 1024):
    import anyio

    async with await anyio.open_file(path, "rb") as fh:
        while chunk := await fh.read(size):
            yield chunk


def file_response(f: StoredFile, *, thumbnail: bool = False) -> Response:
    """The file's bytes (or its JPEG thumbnail; for a PDF, 404 ``no_thumbnail``), streamed from the store.
    Images open inline; PDFs download (a PDF viewer in the app's origin is not a risk worth taking)."""
    if thumbnail and not f.mime.startswith("image/"):
        raise AppError("no_thumbnail", "此文件没有缩略图", "This file has no thumbnail", status=404)
    path = _path(f.tenant_id, f.sha256, thumbnail=thumbnail)
    if thumbnail and not path.exists():
        path = _path(f.tenant_id, f.sha256)
    try:
        length = path.stat().st_size
    except FileNotFoundError:
        log.error("file_bytes_missing", file_id=str(f.id), path=str(path))
        raise AppError("file_missing", "文件内容已丢失，请重新上传", "The file's content is missing; upload it again",
                       status=404) from None
    except OSError as exc:
        log.error("file_store_read_failed", file_id=str(f.id), error=str(exc))
        raise _store_unavailable() from None
    mime = "image/jpeg" if thumbnail and path.name.endswith(".thumb.jpg") else f.mime
    name = f.name if not thumbnail else f"{f.name.rsplit('.', 1)[0]}-thumb.jpg"
    kind = "attachment" if mime == "application/pdf" else "inline"
    return Stream(_chunks(path), media_type=mime, headers={
        "Content-Length": str(length),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Disposition": _disposition(kind, name),
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })
