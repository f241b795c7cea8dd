"""Security headers on every HTTP answer (issue 8 item 11), in one ``before_send`` hook.

- ``Content-Security-Policy``: scripts, styles, images, fonts and connections from our own origin only; inline
  styles are allowed (Ant Design injects its CSS-in-JS as <style> elements), inline scripts are not (the built UI
  has none); ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` keep every page out of frames. The bundled
  OpenAPI viewer at ``/schema`` (never served in prod) needs an inline bootstrap script and gets that alone.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``, ``Permissions-Policy`` (geolocation
  for our own clock-in page only; no camera, microphone or payment).
- ``Cache-Control: no-store`` on every ``/api/`` answer (they carry personal data: names, punches, one-time
  passwords), unless the handler chose its own.
"""

from __future__ import annotations

from litestar.types import Message, Scope

# 'unsafe-eval': the rules forms validate with ajv (@rjsf/validator-ajv8), which compiles each JSON Schema with
# `new Function`; without it the 规则配置 page cannot validate or save. Inline scripts stay forbidden, so injected
# markup still cannot run. Precompiled (standalone) validators would let this go.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
CSP_SCHEMA = CSP.replace("script-src 'self' 'unsafe-eval'", "script-src 'self' 'unsafe-inline'")
_COMMON = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(self), camera=(), microphone=(), payment=()"),
]


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Litestar ``before_send`` hook: runs for every answer, including those of the auth and exception layers."""
    if message["type"] != "http.response.start" or scope.get("type") != "http":
        return
    path: str = scope.get("path", "")
    csp = (CSP_SCHEMA if path.startswith("/schema") else CSP).encode()
    headers = list(message.get("headers") or [])
    names = {bytes(k).lower() for k, _ in headers}
    extra = [(k, v) for k, v in [(b"content-security-policy", csp), *_COMMON] if k not in names]
    if path.startswith("/api/") and b"cache-control" not in names:
        extra.append((b"cache-control", b"no-store"))
    message["headers"] = [*headers, *extra]
