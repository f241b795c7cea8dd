"""The one set of upload limits every upload path obeys (evidence photos, leave scans, roster imports).

Everything that looks inside an upload runs in a worker thread, never on the event loop, within a time
budget, after cheap checks that need no decoding (the byte count; an image's header for its pixel count;
a zip's directory for its uncompressed sizes and ratio). A file over a limit is refused with a clear 4xx in
zh-CN and English:

| limit                         | setting                                   | refused with |
|-------------------------------|-------------------------------------------|--------------|
| bytes received                | ``GOVHALL_UPLOAD_MAX_BYTES``              | 413 ``file_too_large`` |
| bytes once decompressed       | ``GOVHALL_UPLOAD_MAX_DECOMPRESSED_BYTES`` | 413 ``file_decompressed_too_large`` |
| pixels of an image            | ``GOVHALL_UPLOAD_MAX_PIXELS``             | 413 ``image_too_many_pixels`` |
| seconds of processing         | ``GOVHALL_UPLOAD_SECONDS``                | 413 ``file_too_complex`` |

Work that exceeds its time budget is abandoned by the request at once; the worker checks the same deadline
between steps (``Budget.check``) and stops itself, and the pool is small, so bombs cannot pile up threads.
"""

from __future__ import annotations

import asyncio
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from govhall.config import Settings, get_settings
from govhall.errors import AppError

T = TypeVar("T")

MAX_ZIP_RATIO = 100
"""Largest uncompressed/compressed ratio of one zip entry bigger than 1 MiB (real xlsx parts stay near 10)."""
MAX_ZIP_ENTRIES = 1000


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_decompressed_bytes: int
    max_pixels: int
    seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        return cls(max_bytes=settings.upload_max_bytes, max_decompressed_bytes=settings.upload_max_decompressed_bytes,
                   max_pixels=settings.upload_max_pixels, seconds=settings.upload_seconds)


_state: dict[str, object] = {}


def configure(settings: Settings) -> None:
    """Called by the app factory: the limits and the storage root of this process."""
    _state["limits"] = UploadLimits.from_settings(settings)
    _state["root"] = Path(settings.var_dir) / "files"


def limits() -> UploadLimits:
    if "limits" not in _state:
        configure(get_settings())
    return _state["limits"]  # type: ignore[return-value]  # _state holds one value per key; configure() just set it


def storage_root() -> Path:
    if "root" not in _state:
        configure(get_settings())
    return _state["root"]  # type: ignore[return-value]  # _state holds one value per key; configure() just set it


MULTIPART_OVERHEAD = 64 * 1024


def route_body_limit() -> int:
    """``request_max_body_size`` of every upload route: the file limit plus the multipart framing."""
    return get_settings().upload_max_bytes + MULTIPART_OVERHEAD


def missing_file_part() -> AppError:
    from govhall.errors import field_error

    zh, en = "请选择要上传的文件", "Choose a file to upload"
    return AppError("file_missing_part", zh, en, status=400, fields=[field_error("file", zh, en)])


# --- errors -------------------------------------------------------------------------------------------------
def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def too_large(max_bytes: int) -> AppError:
    return AppError("file_too_large", f"文件过大，最大 {_mib(max_bytes)}", f"The file is too large (at most {_mib(max_bytes)})",
                    status=413, details={"maxBytes": max_bytes})


def decompressed_too_large(max_bytes: int) -> AppError:
    return AppError("file_decompressed_too_large", f"文件解压后过大（超过 {_mib(max_bytes)}），可能是压缩炸弹，已拒绝",
                    f"The file expands to more than {_mib(max_bytes)} when decompressed (a zip bomb?); refused",
                    status=413, details={"maxDecompressedBytes": max_bytes})


def expands_too_much() -> AppError:
    return AppError("file_decompressed_too_large",
                    f"文件中有部分解压后膨胀到原来的 {MAX_ZIP_RATIO} 倍以上，可能是压缩炸弹，已拒绝",
                    f"Part of the file expands more than {MAX_ZIP_RATIO}-fold when decompressed (a zip bomb?); refused",
                    status=413, details={"maxRatio": MAX_ZIP_RATIO})


def too_many_pixels(max_pixels: int) -> AppError:
    mp, wan = f"{max_pixels / 1_000_000:g}", f"{max_pixels / 10_000:g}"
    return AppError("image_too_many_pixels", f"图片像素过多（最多 {wan} 万像素），请缩小后再上传",
                    f"The image has too many pixels (at most {mp} megapixels); shrink it and try again",
                    status=413, details={"maxPixels": max_pixels})


def too_complex(seconds: float) -> AppError:
    return AppError("file_too_complex", f"文件处理超过 {seconds:g} 秒，已拒绝；请检查文件或拆分后再上传",
                    f"Processing the file took more than {seconds:g} s; refused. Check the file or split it",
                    status=413, details={"seconds": seconds})


class BudgetExceeded(Exception):
    """Raised inside the worker when its deadline has passed; the request has answered already."""


@dataclass
class Budget:
    deadline: float

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded


# --- running work off the loop ------------------------------------------------------------------------------
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="govhall-upload")


async def run_bounded(fn: Callable[[Budget], T], *, seconds: float | None = None) -> T:
    """Run ``fn(budget)`` in the upload worker pool; 413 ``file_too_complex`` when it overruns its budget
    (queueing included). ``fn`` calls ``budget.check()`` between steps so that abandoned work stops too."""
    secs = limits().seconds if seconds is None else seconds
    budget = Budget(time.monotonic() + secs)
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_POOL, fn, budget)
    try:
        return await asyncio.wait_for(future, timeout=secs)
    except (TimeoutError, BudgetExceeded):
        raise too_complex(secs) from None


# --- checks that need no decoding ---------------------------------------------------------------------------
def check_bytes(n: int, lim: UploadLimits | None = None) -> None:
    lim = lim or limits()
    if n > lim.max_bytes:
        raise too_large(lim.max_bytes)


def check_zip(zf: zipfile.ZipFile, lim: UploadLimits | None = None) -> int:
    """Refuse a zip (xlsx, docx) whose directory announces too much: more than ``max_decompressed_bytes`` in all,
    a suspicious ratio on a large entry, or too many entries. Returns the announced total. Python's zipfile
    never inflates an entry past its announced size (it stops there and fails the CRC), so the directory's
    numbers bound the work that follows."""
    lim = lim or limits()
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise decompressed_too_large(lim.max_decompressed_bytes)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise expands_too_much()
    if total > lim.max_decompressed_bytes:
        raise decompressed_too_large(lim.max_decompressed_bytes)
    return total
