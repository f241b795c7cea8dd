"""Fixtures of the file store tests: two fresh centers of our own (accounts: clerk, clerk2, chief, duty, admin,
other_clerk), and builders for images and bombs made in the test (small on disk)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from tests.attendance.centers import Center, make_center


@pytest.fixture(scope="module")
async def centers(demo, owner_engine) -> tuple[Center, Center]:  # type: ignore[no-untyped-def]
    async with async_sessionmaker(owner_engine, expire_on_commit=False)() as s:
        a = await make_center(s, demo, attendance_rules=False)
        b = await make_center(s, demo, attendance_rules=False)
    return a, b


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), color: tuple[int, ...] = (200, 30, 30),
                mode: str = "RGB", **save: object) -> bytes:
    from PIL import Image

    im = Image.new(mode, size, color)
    out = io.BytesIO()
    im.save(out, fmt, **save)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of width x height zero pixels, written by hand row by row (nothing of that
    size is ever held in memory): 20000 x 20000 = 400 million pixels in about 50 KB."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte + packed bits
    comp = zlib.compressobj(9)
    parts = [comp.compress(row * 1000) for _ in range(height // 1000)]
    parts.append(comp.compress(row * (height % 1000)))
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
