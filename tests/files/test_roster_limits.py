"""The roster import within the upload limits (issue 8 item 2): a 36 KB spreadsheet of 4 million empty rows
once froze a worker for 29 s. Now the file is read in a worker thread, its zip directory is checked before
openpyxl opens it, every row counts (empty ones too) and a clear 413 comes back; the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import io
import threading
import zipfile

import pytest

from govhall.domain.org import roster
from govhall.errors import AppError
from govhall.files import limits as L
from tests.conftest import csrf_headers, login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"
HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
TAIL = "</sheetData></worksheet>"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return f'<row r="1">{_cell("A1", "姓名")}{_cell("B1", "工号")}</row>'


def xlsx_with_sheet(write_sheet) -> bytes:  # type: ignore[no-untyped-def]
    """A real workbook (from openpyxl) whose first sheet's XML is written by ``write_sheet(fh)`` in pieces,
    so that a sheet of 4 million rows never sits in memory."""
    from openpyxl import Workbook

    base = io.BytesIO()
    Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename == SHEET:
                with dst.open(SHEET, "w", force_zip64=True) as fh:
                    write_sheet(fh)
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def empty_rows_bomb(rows: int = 4_000_000) -> bytes:
    def write(fh):  # type: ignore[no-untyped-def]
        fh.write((HEAD + _header_row()).encode())
        block = b"<row/>" * 100_000
        for _ in range(rows // 100_000):
            fh.write(block)
        fh.write(TAIL.encode())
    return xlsx_with_sheet(write)


def staff_at_row(row: int, tag: str) -> bytes:
    """Header in row 1 and one person in row ``row``: the rows between are missing, which openpyxl fills in."""
    def write(fh):  # type: ignore[no-untyped-def]
        person = f'<row r="{row}">{_cell(f"A{row}", "隔行员工")}{_cell(f"B{row}", f"G{tag}")}</row>'
        fh.write((HEAD + _header_row() + person + TAIL).encode())
    return xlsx_with_sheet(write)


def _url(center) -> str:  # type: ignore[no-untyped-def]
    return f"/api/t/{center.id}/staff/import"


async def _post(client, center, content: bytes, field: str = "file"):  # type: ignore[no-untyped-def]
    return await client.post(_url(center), files={field: ("roster.xlsx", content, XLSX)}, headers=csrf_headers(client))


async def test_four_million_empty_rows_are_refused_without_blocking_the_loop(client, centers, monkeypatch) -> None:
    """The 36 KB bomb: its zip directory announces a 24 MB sheet at a ratio near 1000:1 -> 413 before openpyxl
    opens it. The parse waits in its worker thread until /healthz has answered: on the event loop it could not."""
    a, _ = centers
    bomb = empty_rows_bomb()
    assert len(bomb) < 100_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        assert zf.getinfo(SHEET).file_size > 20_000_000
    await login(client, a.users["admin"])

    gate, real = threading.Event(), roster._read_rows
    in_worker: list[bool] = []

    def gated(content, budget):  # type: ignore[no-untyped-def]
        in_worker.append(threading.current_thread() is not threading.main_thread())
        assert gate.wait(30), "the event loop was blocked: /healthz never answered"
        return real(content, budget)

    monkeypatch.setattr(roster, "_read_rows", gated)
    task = asyncio.create_task(_post(client, a, bomb))
    health = await client.get("/healthz")
    assert health.status_code == 200
    gate.set()
    r = await task
    assert in_worker == [True]
    assert r.status_code == 413, r.text
    body = r.json()
    assert body["code"] == "file_decompressed_too_large"
    assert "压缩炸弹" in body["message"]["zh"] and "zip bomb" in body["message"]["en"]


async def test_rows_beyond_the_sheet_cap_are_refused_even_when_missing(client, centers, owner_session) -> None:
    """Every row counts, empty or missing ones too: a person in row 5000 imports, one in row 5001 does not
    (a 2 KB file that would otherwise have openpyxl fill in millions of rows: 4,000,000 -> same 413)."""
    import uuid

    a, _ = centers
    await login(client, a.users["admin"])
    tag = uuid.uuid4().hex[:6].upper()
    r = await _post(client, a, staff_at_row(roster.MAX_SHEET_ROWS, tag))
    assert r.status_code == 200 and r.json() == {"created": 1, "updated": 0}, r.text
    for row in (roster.MAX_SHEET_ROWS + 1, 4_000_000):
        content = staff_at_row(row, tag + "X")
        assert len(content) < 10_000
        r = await _post(client, a, content)
        assert r.status_code == 413, r.text
        assert r.json()["code"] == "roster_too_many_rows" and "5000" in r.json()["message"]["en"]


async def test_import_limits_and_bad_forms(client, centers) -> None:
    a, _ = centers
    await login(client, a.users["admin"])
    r = await client.post(_url(a), data={"note": "x"}, files={"other": ("a.txt", b"abc", "text/plain")},
                          headers=csrf_headers(client))
    assert r.status_code == 400 and r.json()["code"] == "file_missing_part", r.text
    r = await client.post(_url(a), json={}, headers=csrf_headers(client))
    assert r.status_code == 400, r.text
    r = await _post(client, a, b"PK\x03\x04 not really a zip")
    assert r.status_code == 400 and r.json()["code"] == "roster_invalid"
    r = await _post(client, a, b"\x00" * (L.limits().max_bytes + 1))
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"
    # the web UI's field name still works
    r = await _post(client, a, empty_rows_bomb(200_000), field="data")
    assert r.status_code == 413 and r.json()["code"] == "file_decompressed_too_large"


def test_check_zip_bounds() -> None:
    """The directory check alone: total announced size and per-entry ratio."""
    lim = L.UploadLimits(max_bytes=1 << 20, max_decompressed_bytes=5 << 20, max_pixels=1000, seconds=1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b"<x/>" * 100_000)  # 400 KB at a high ratio, but small: fine
        zf.writestr("b.bin", bytes(range(256)) * 4096)  # 1 MiB, barely compressible: fine
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert L.check_zip(zf, lim) == 400_000 + (1 << 20)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(6):
            zf.writestr(f"p{i}.bin", bytes(range(256)) * 4096)  # 6 MiB in all, over the 5 MiB cap
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf, pytest.raises(AppError) as err:
        L.check_zip(zf, lim)
    assert err.value.code == "file_decompressed_too_large" and err.value.status_code == 413
