"""Compressed answers: brotli when the browser accepts it, gzip otherwise, for text only.

Litestar's ``CompressionConfig`` compresses every answer above ``minimum_size``; photos, xlsx files and zip
archives are compressed already, so squeezing them again costs CPU for nothing. This middleware class decides per
answer, from its ``Content-Type``, and passes anything else (or anything already encoded) through untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from litestar.config.compression import CompressionConfig
from litestar.datastructures import Headers
from litestar.enums import CompressionEncoding
from litestar.middleware.compression import CompressionMiddleware

if TYPE_CHECKING:
    from litestar.types import Message, Scope, Send

_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml",
               "application/manifest+json", "application/problem+json", "application/vnd.oai.openapi")


def compressible(content_type: str) -> bool:
    ctype = content_type.split(";", 1)[0].strip().lower()
    return ctype.startswith(_TEXT_TYPES) or ctype.endswith("+json")


class TextCompressionMiddleware(CompressionMiddleware):
    def create_compression_send_wrapper(
        self, send: Send, compression_encoding: Literal[CompressionEncoding.BROTLI, CompressionEncoding.GZIP] | str,
        scope: Scope,
    ) -> Send:
        compressing = super().create_compression_send_wrapper(send, compression_encoding, scope)
        target: Send | None = None

        async def choose(message: Message) -> None:
            nonlocal target
            if message["type"] == "http.response.start":
                headers = Headers(message.get("headers") or [])
                plain = compressible(headers.get("content-type", "")) and "content-encoding" not in headers
                target = compressing if plain else send
            await (target or compressing)(message)

        return choose


def compression_config() -> CompressionConfig:
    """brotli (quality 5: fast enough per answer) with gzip for browsers that do not accept br."""
    return CompressionConfig(backend="brotli", brotli_quality=5, brotli_gzip_fallback=True, minimum_size=500,
                             middleware_class=TextCompressionMiddleware)
