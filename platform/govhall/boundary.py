"""The input boundary: one rule for text and nesting on every route, before any handler sees a value.

- No NUL character (``\\x00``, also ``\\u0000`` in JSON) in any text: path and query parameters, form fields
  (files are bytes and are the upload checks' business) and every JSON string and key. PostgreSQL ``text`` and
  ``jsonb`` cannot hold NUL, so such a value used to reach the database and fail there (a 500). The answer is
  400 ``nul_character`` naming the field (``note``, ``punches[3].pin``, ``query:searchString``).
- JSON nested more than ``MAX_JSON_DEPTH`` levels is refused with 400 ``json_too_deep`` (our bodies are a few
  levels deep; the decoder recursed until Python's limit, a 500, at about 1,000 levels). Malformed JSON is
  400 ``invalid_json``.
- Dates and date-times in request bodies (every ``CamelStruct``) lie in years ``MIN_YEAR``-``MAX_YEAR`` (year
  1 and 9999 overflowed on the first time-zone conversion or day arithmetic), and the date-times of one body are
  either all with an offset or all without (comparing them was a ``TypeError``): see ``govhall.schemas``.

Terminal routes (``/iclock/``, ``/api/devices/``) keep NUL in their bodies and parameters: their lines are checked one at a
time and a bad line is refused on its own (its good neighbours stored), so a terminal's queue never blocks.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile

from govhall.errors import AppError, field_error

MAX_JSON_DEPTH = 32
PER_LINE_PREFIXES = ("/iclock/", "/api/devices/")
"""Routes whose bodies are checked line by line (terminal batches), not refused whole for one bad value."""


def _nul(field: str) -> AppError:
    return AppError("nul_character", f"“{field}”中含有不允许的空字符（\\0）",
                    f"{field}: the NUL character (\\0) is not allowed",
                    fields=[field_error(field, "含有不允许的空字符（\\0）", "Contains a NUL character (\\0)")])


def _too_deep() -> AppError:
    return AppError("json_too_deep", f"提交的数据嵌套过深（最多 {MAX_JSON_DEPTH} 层）",
                    f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels)")


def _invalid_json() -> AppError:
    return AppError("invalid_json", "提交的数据不是有效的 JSON", "The body is not valid JSON")


def _file_missing() -> AppError:
    return AppError("file_missing", "请选择要上传的文件", "Choose a file to upload (multipart/form-data with a file part)",
                    fields=[field_error("file", "请选择文件", "No file part in the request")])


def _path(parent: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def check_json(value: Any, *, text: bool = True) -> None:
    """Walk a decoded JSON value without recursion: depth always, NUL in strings and keys when ``text``."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_JSON_DEPTH:
                raise _too_deep()
            for key, sub in item.items():
                if text and "\x00" in key:
                    raise _nul(_path(where, key.replace("\x00", "\\0")))
                stack.append((sub, _path(where, key), depth + 1))
        elif isinstance(item, list):
            if depth > MAX_JSON_DEPTH:
                raise _too_deep()
            stack.extend((sub, _path(where, i), depth + 1) for i, sub in enumerate(item))
        elif text and isinstance(item, str) and "\x00" in item:
            raise _nul(where or "body")


def _is_json(content_type: str) -> bool:
    ct = content_type.split(";", 1)[0].strip().lower()
    return ct == "application/json" or ct.endswith("+json")


async def check_request(request: Request) -> None:
    """The app's ``before_request`` hook (runs after the guards, before the body is decoded for the handler)."""
    per_line = request.url.path.startswith(PER_LINE_PREFIXES)
    for name, value in request.path_params.items():
        if isinstance(value, str) and "\x00" in value:
            raise _nul(f"path:{name}")
    for name, value in [] if per_line else request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise _nul(f"query:{name.replace(chr(0), '')}")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.headers.get("content-type", "")
    wants_file = _wants_file(request)
    if wants_file and not content_type.lower().startswith("multipart/form-data"):
        raise _file_missing()
    if _is_json(content_type):
        body = await request.body()  # kept by Litestar for the handler's own decoding
        if not body.strip():
            return
        if not per_line and b"\x00" in body:
            raise _nul("body")
        try:
            value = msgspec.json.decode(body)
        except RecursionError:
            raise _too_deep() from None
        except msgspec.DecodeError:
            if per_line:
                return  # the terminal endpoint answers malformed JSON itself
            raise _invalid_json() from None
        check_json(value, text=not per_line and b"\\u0000" in body)
    elif not per_line and content_type.lower().startswith(("multipart/form-data",
                                                           "application/x-www-form-urlencoded")):
        try:
            form = await request.form()
        except (UnicodeDecodeError, ValueError):  # a text part that is not text (binary without a filename)
            raise AppError("invalid_form", "提交的表单内容无法读取（文件请作为文件上传）",
                           "The form data cannot be read (send files as file parts)") from None
        for name, value in form.multi_items():
            if "\x00" in name or (isinstance(value, str) and "\x00" in value):
                raise _nul(name.replace("\x00", ""))
        if wants_file and not any(isinstance(v, UploadFile) for _n, v in form.multi_items()):
            raise _file_missing()


def _wants_file(request: Request) -> bool:
    """Whether the handler's ``data`` is an uploaded file (``MultipartBody[UploadFile]``)."""
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    return data is not None and data.is_subclass_of(UploadFile)
