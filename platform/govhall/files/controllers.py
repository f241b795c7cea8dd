"""/api/t/{tenant_id}/files: upload (multipart ``file`` + ``purpose``), read, thumbnail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, MultipartBody
from sqlalchemy.ext.asyncio import AsyncSession

from govhall.authz.guards import requires
from govhall.config import get_settings
from govhall.errors import AppError, field_error
from govhall.files import schemas as s
from govhall.files.models import StoredFile
from govhall.files.services import file_response, read_file, save_upload
from govhall.tenancy.context import current_tenant_id

MULTIPART_OVERHEAD = 64 * 1024


@dataclass
class UploadForm:
    file: UploadFile | None = None
    purpose: str | None = None


def to_out(f: StoredFile) -> s.StoredFileOut:
    return s.StoredFileOut(id=f.id, name=f.name, mime=f.mime, size=f.size, sha256=f.sha256, width=f.width,
                           height=f.height)


def missing_file_part() -> AppError:
    zh, en = "请选择要上传的文件", "Choose a file to upload"
    return AppError("file_missing_part", zh, en, status=400, fields=[field_error("file", zh, en)])


async def _roles(request: Request[Any, Any, Any]) -> frozenset[str]:
    tenant_id = current_tenant_id()
    return frozenset(await request.app.state.authz.roles_in(request.user.id, str(tenant_id)))


class FileController(Controller):
    path = "/api/t/{tenant_id:uuid}/files"
    tags = ["files"]

    @post("/", guards=[requires("file", "upload")], status_code=201,
          request_max_body_size=get_settings().upload_max_bytes + MULTIPART_OVERHEAD)
    async def upload_file(self, db_session: NamedDependency[AsyncSession],
                          data: MultipartBody[UploadForm]) -> s.StoredFileOut:
        if not isinstance(data.file, UploadFile):
            raise missing_file_part()
        f = await save_upload(db_session, data.file, purpose=data.purpose or "")
        await db_session.commit()
        return to_out(f)

    @get("/{file_id:uuid}", guards=[requires("file", "read")])
    async def download_file(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
                            file_id: FromPath[UUID]) -> Response:
        return file_response(await read_file(db_session, request.user, await _roles(request), file_id))

    @get("/{file_id:uuid}/thumbnail", guards=[requires("file", "read")])
    async def file_thumbnail(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession],
                             file_id: FromPath[UUID]) -> Response:
        f = await read_file(db_session, request.user, await _roles(request), file_id)
        return file_response(f, thumbnail=True)
