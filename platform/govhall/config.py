"""Settings, read once from environment variables (prefix ``GOVHALL_``).

Every field documents its variable and default; the README's settings table is generated from here.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

_DEFAULT_DB = "sqlite+aiosqlite:///./var/govhall.db"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"GOVHALL_{name}", default)


def _bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    env: str = field(default_factory=lambda: _env("ENV", "dev"))
    """GOVHALL_ENV: ``dev`` (default), ``test`` or ``prod``. ``prod`` turns on Secure cookies and hides /schema."""

    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", _DEFAULT_DB))
    """GOVHALL_DATABASE_URL: the app's connection. SQLite file by default; ``postgresql+asyncpg://...`` in production.
    On PostgreSQL this role must be neither owner of the tables nor BYPASSRLS, so row-level security applies."""

    migration_database_url: str = field(default_factory=lambda: _env("MIGRATION_DATABASE_URL", ""))
    """GOVHALL_MIGRATION_DATABASE_URL: the owner connection used by ``govhall db upgrade`` and ``govhall demo``.
    Defaults to GOVHALL_DATABASE_URL."""

    db_pool_size: int = field(default_factory=lambda: int(_env("DB_POOL_SIZE", "10")))
    """GOVHALL_DB_POOL_SIZE: PostgreSQL connections each worker keeps open (kept warm, pinged only after 30 s idle).
    Give it the requests one worker runs at once; workers x (pool size + overflow) + one listener per worker must
    stay under the server's ``max_connections``."""

    db_max_overflow: int = field(default_factory=lambda: int(_env("DB_MAX_OVERFLOW", "10")))
    """GOVHALL_DB_MAX_OVERFLOW: further connections a worker may open for a burst (closed again when returned)."""

    app_db_role: str = field(default_factory=lambda: _env("APP_DB_ROLE", "govhall_app"))
    """GOVHALL_APP_DB_ROLE: PostgreSQL role the migrations grant table access to (created NOLOGIN if missing)."""

    secret_key: str = field(default_factory=lambda: _env("SECRET_KEY", ""))
    """GOVHALL_SECRET_KEY: signs CSRF tokens. Random per process when empty (fine for one process, not for a cluster)."""

    identity_key: str = field(default_factory=lambda: _env("IDENTITY_KEY", ""))
    """GOVHALL_IDENTITY_KEY: master secret of the complainants' identities (each tenant's AES key is derived from it
    and the tenant id, HKDF-SHA256). Falls back to the signing key; set it (and keep it) in production: identities
    encrypted under one key cannot be read under another."""

    login_rate_per_minute: int = field(default_factory=lambda: int(_env("LOGIN_RATE_PER_MINUTE", "20")))
    """GOVHALL_LOGIN_RATE_PER_MINUTE: login attempts per minute from one client address (socket peer, never
    X-Forwarded-For); accounts also lock for 15 minutes after 5 failures."""

    device_rate_per_minute: int = field(default_factory=lambda: int(_env("DEVICE_RATE_PER_MINUTE", "600")))
    """GOVHALL_DEVICE_RATE_PER_MINUTE: terminal requests per minute from one client address (per worker)."""

    device_serial_rate_per_minute: int = field(
        default_factory=lambda: int(_env("DEVICE_SERIAL_RATE_PER_MINUTE", "240")))
    """GOVHALL_DEVICE_SERIAL_RATE_PER_MINUTE: terminal requests per minute for one serial number (per worker)."""

    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", ""))
    """GOVHALL_REDIS_URL: optional; sessions, rate limits and policy change notices shared across processes. Without
    it sessions and login counters live in the database (table ``store_entry``) and notices go through PostgreSQL
    NOTIFY (or, on SQLite, a journal file beside the database), so several workers need nothing more."""

    authz_cache_tenants: int = field(default_factory=lambda: int(_env("AUTHZ_CACHE_TENANTS", "1000")))
    """GOVHALL_AUTHZ_CACHE_TENANTS: how many tenants' role assignments one worker keeps in its Casbin enforcer
    (least recently used are dropped and reloaded on their next request). At least 1."""

    trusted_proxies: tuple[str, ...] = field(
        default_factory=lambda: tuple(p.strip() for p in _env("TRUSTED_PROXIES", "").split(",") if p.strip())
    )
    """GOVHALL_TRUSTED_PROXIES: comma-separated addresses/CIDRs of reverse proxies whose X-Forwarded-For names the
    real client: for the attendance terminals' address allow-lists and for the login rate limits (behind an
    Ingress every user would otherwise share the proxy's bucket). Empty (default): only the socket peer counts."""

    cors_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(o for o in _env("CORS_ORIGINS", "").split(",") if o.strip())
    )
    """GOVHALL_CORS_ORIGINS: comma-separated origins allowed to call the API with credentials. Empty = same origin only."""

    openapi: bool = field(default_factory=lambda: _bool("OPENAPI", True))
    """GOVHALL_OPENAPI: serve the OpenAPI schema and its (locally bundled) UI at /schema. Off in prod unless set."""

    max_body_bytes: int = field(default_factory=lambda: int(_env("MAX_BODY_BYTES", str(2 * 1024 * 1024))))
    """GOVHALL_MAX_BODY_BYTES: request body limit (default 2 MiB); larger bodies get 413."""

    session_idle_minutes: int = field(default_factory=lambda: int(_env("SESSION_IDLE_MINUTES", "30")))
    """GOVHALL_SESSION_IDLE_MINUTES: a session unused this long expires."""

    session_absolute_hours: int = field(default_factory=lambda: int(_env("SESSION_ABSOLUTE_HOURS", "12")))
    """GOVHALL_SESSION_ABSOLUTE_HOURS: a session expires this long after login, used or not."""

    log_level: str = field(default_factory=lambda: _env("LOG_LEVEL", "INFO"))
    """GOVHALL_LOG_LEVEL: DEBUG, INFO, WARNING, ERROR."""

    log_json: bool | None = field(default_factory=lambda: None if _env("LOG_JSON", "") == "" else _bool("LOG_JSON", True))
    """GOVHALL_LOG_JSON: force JSON (1) or console (0) logs; default JSON unless stderr is a terminal."""

    pack_cache_tenants: int = field(default_factory=lambda: int(_env("PACK_CACHE_TENANTS", "2048")))
    """GOVHALL_PACK_CACHE_TENANTS: tenants whose pack settings chain each worker keeps in memory (least recently
    used dropped first; 0 turns the cache off). Every worker drops a chain the moment settings change at the
    tenant or above."""

    job_retention_days: int = field(default_factory=lambda: int(_env("JOB_RETENTION_DAYS", "7")))
    """GOVHALL_JOB_RETENTION_DAYS: days a finished background job (done or failed) and its result file are kept after
    it finished; default 7. Expired jobs of a tenant are deleted when that tenant's jobs are read and when one of its
    jobs is done (no scan across tenants). 0 keeps them forever."""

    static_dir: Path = field(
        default_factory=lambda: Path(_env("STATIC_DIR", str(Path(__file__).parent / "static" / "web")))
    )
    """GOVHALL_STATIC_DIR: the built web UI (``make ui`` writes it)."""

    var_dir: Path = field(default_factory=lambda: Path(_env("VAR_DIR", "./var")))
    """GOVHALL_VAR_DIR: local state outside the database: the audit checkpoints (``audit_checkpoints.jsonl``).
    Point it at a persistent volume shared by the replicas (the ``audit_checkpoint`` log lines are the copy
    that log shipping keeps)."""

    upload_max_bytes: int = field(default_factory=lambda: int(_env("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))))
    """GOVHALL_UPLOAD_MAX_BYTES: largest file accepted by any upload (photos, scans, roster imports); default 10 MiB.
    Upload routes accept request bodies this large (plus the multipart framing) whatever GOVHALL_MAX_BODY_BYTES says."""

    upload_max_decompressed_bytes: int = field(
        default_factory=lambda: int(_env("UPLOAD_MAX_DECOMPRESSED_BYTES", str(64 * 1024 * 1024))))
    """GOVHALL_UPLOAD_MAX_DECOMPRESSED_BYTES: most bytes an upload may expand to (an xlsx's zip entries, an image's
    pixels in memory); default 64 MiB. Zip bombs are refused before anything opens them."""

    upload_max_pixels: int = field(default_factory=lambda: int(_env("UPLOAD_MAX_PIXELS", "40000000")))
    """GOVHALL_UPLOAD_MAX_PIXELS: most pixels (width x height) of an uploaded image; default 40 million. Checked
    from the header, before decoding; images are then downscaled for storage."""

    upload_seconds: float = field(default_factory=lambda: float(_env("UPLOAD_SECONDS", "10")))
    """GOVHALL_UPLOAD_SECONDS: time budget for checking and processing one upload, off the event loop; default 10."""

    job_staff: int = field(default_factory=lambda: int(_env("JOB_STAFF", "300")))
    """GOVHALL_JOB_STAFF: staff of a center above which the month sheet export, the month evaluation and the
    assessment month close answer 409 ``use_background_job`` and run as background jobs; default 300."""

    job_audit_rows: int = field(default_factory=lambda: int(_env("JOB_AUDIT_ROWS", "2000")))
    """GOVHALL_JOB_AUDIT_ROWS: audit events above which the audit log export runs as a background job; default
    2000."""

    job_roster_rows: int = field(default_factory=lambda: int(_env("JOB_ROSTER_ROWS", "500")))
    """GOVHALL_JOB_ROSTER_ROWS: staff rows of a roster import above which it is applied as a background job;
    default 500."""

    job_centers: int = field(default_factory=lambda: int(_env("JOB_CENTERS", "10")))
    """GOVHALL_JOB_CENTERS: centers (with the pack on) above which a what-if over the centers below
    (``scope=subtree``) runs as a background job covering every center; default 10."""

    @property
    def owner_database_url(self) -> str:
        return self.migration_database_url or self.database_url

    @property
    def is_prod(self) -> bool:
        return self.env == "prod"

    @property
    def signing_key(self) -> str:
        if self.is_prod and not self.secret_key:
            raise RuntimeError("GOVHALL_SECRET_KEY must be set in production (CSRF tokens, audit chain HMAC)")
        return self.secret_key or _local_secret(self.database_url)


    @property
    def identity_master_key(self) -> str:
        return self.identity_key or self.signing_key


@lru_cache(maxsize=4)
def _local_secret(database_url: str) -> str:
    """Without GOVHALL_SECRET_KEY: a random key kept beside the SQLite file (stable across restarts, so a
    browser's CSRF cookie stays valid), or a per-process one for other databases."""
    if not database_url.startswith("sqlite") or ":memory:" in database_url:
        return secrets.token_urlsafe(32)
    path = Path(database_url.split(":///", 1)[1]).with_name("secret_key")
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(32)
        path.write_text(key, encoding="ascii")
        path.chmod(0o600)
        return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

