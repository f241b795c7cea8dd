"""What happens to an upload's bytes, in a worker thread (``limits.run_bounded``): the type is sniffed from the
content (the client's file name and Content-Type are ignored), images are checked against the pixel cap from
their header before any decoding, then decoded, turned upright, re-encoded without their metadata (EXIF,
GPS) and downscaled, and a JPEG thumbnail is made; PDFs are kept as sent after a structural check.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from govhall.errors import AppError
from govhall.files.limits import Budget, UploadLimits, decompressed_too_large, too_many_pixels

MAX_SIDE = 2560
"""Stored images are downscaled to at most this many pixels on their longer side."""
THUMB_SIDE = 320

MIME_EXT = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}
_PIL_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def unsupported() -> AppError:
    return AppError("file_type_unsupported", "只能上传 JPEG、PNG、WebP 图片或 PDF 文件",
                    "Only JPEG, PNG or WebP images and PDF files can be uploaded", status=415)


def damaged() -> AppError:
    return AppError("file_damaged", "文件已损坏或不完整，无法读取", "The file is damaged or incomplete and cannot be read",
                    status=400)


def sniff(head: bytes) -> str | None:
    """The MIME type from the first bytes, or None for anything we do not accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


@dataclass(frozen=True)
class Processed:
    data: bytes
    mime: str
    sha256: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def process(data: bytes, lim: UploadLimits, budget: Budget) -> Processed:
    mime = sniff(data[:16])
    if mime is None:
        raise unsupported()
    if mime == "application/pdf":
        _check_pdf(data)
        return Processed(data, mime, hashlib.sha256(data).hexdigest())
    return _process_image(data, mime, lim, budget)


def _check_pdf(data: bytes) -> None:
    # A PDF ends with %%EOF (possibly followed by a line break or a few bytes of junk some scanners add).
    if b"%%EOF" not in data[-2048:]:
        raise damaged()


def _process_image(data: bytes, mime: str, lim: UploadLimits, budget: Budget) -> Processed:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        im: Image.Image = Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[mime]])  # reads the header only
    except Image.DecompressionBombError:
        raise too_many_pixels(lim.max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise damaged() from None
    width, height = im.size
    if width < 1 or height < 1:
        raise damaged()
    # Our own cap, from the header, before a single pixel is decoded (Pillow's own bomb check is a second net).
    if width * height > lim.max_pixels:
        raise too_many_pixels(lim.max_pixels)
    if width * height * max(len(im.getbands()), 1) > lim.max_decompressed_bytes:
        raise decompressed_too_large(lim.max_decompressed_bytes)
    budget.check()
    try:
        if mime == "image/jpeg":
            im.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode big JPEGs at a reduced scale directly
        im.load()  # the first frame only (animations are stored as their first frame)
    except Image.DecompressionBombError:
        raise too_many_pixels(lim.max_pixels) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise damaged() from None
    budget.check()
    im = ImageOps.exif_transpose(im)
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if mime == "image/jpeg":
        im = im.convert("RGB") if im.mode not in ("RGB", "L") else im
    else:
        im = im.convert("RGBA" if has_alpha else "RGB") if im.mode not in ("RGB", "RGBA", "L") else im
    if max(im.size) > MAX_SIDE:
        im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    budget.check()
    out = io.BytesIO()
    if mime == "image/jpeg":
        im.save(out, "JPEG", quality=85, optimize=True)
    elif mime == "image/png":
        im.save(out, "PNG", optimize=False, compress_level=6)
    else:
        im.save(out, "WEBP", quality=85)
    body = out.getvalue()
    budget.check()
    thumb = im.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    if thumb.mode in ("RGBA", "LA"):
        bg = Image.new("RGB", thumb.size, (255, 255, 255))
        bg.paste(thumb, mask=thumb.getchannel("A"))
        thumb = bg
    elif thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    tout = io.BytesIO()
    thumb.save(tout, "JPEG", quality=80)
    return Processed(body, mime, hashlib.sha256(body).hexdigest(), im.size[0], im.size[1], tout.getvalue())
