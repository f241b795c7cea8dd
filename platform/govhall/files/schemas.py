from __future__ import annotations

from uuid import UUID

from govhall.schemas import CamelStruct


class StoredFileOut(CamelStruct):
    id: UUID
    name: str
    mime: str
    size: int
    sha256: str
    width: int | None
    height: int | None
