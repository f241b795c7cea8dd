"""Audit checkpoints: each tenant's chain head, signed with the server secret and kept outside the database.

The chain alone shows edited, inserted, reordered and missing events, but not the newest events deleted
together: what is left is still a valid chain. A checkpoint anchors the head (sequence number, hash, time) in two
places that whoever can write the database cannot rewrite along with the table: a JSON-lines file under
``GOVHALL_VAR_DIR`` and a structlog line ``audit_checkpoint`` (the copy log shipping keeps; the line holds the
same signed fields, so the file can be rebuilt from the logs). ``verify_chain(anchors=...)`` then fails when a
chain is shorter than a checkpoint or differs from it.

A checkpoint is only taken of a chain that verifies against the earlier ones, so a truncated chain is never
re-anchored. ``govhall audit checkpoint`` (cron) takes one per tenant whose head moved; center admins can take
one from the audit page.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from govhall.audit.services import ChainReport, verify_chain
from govhall.config import get_settings
from govhall.log import get_logger
from govhall.tenancy.context import TenantScopeError, current_tenant_id

log = get_logger(__name__)

FILE_NAME = "audit_checkpoints.jsonl"
_DEV_KEY = b"govhall-insecure-development-checkpoint-key"


def checkpoint_key() -> tuple[bytes, bool]:
    """Signing key (from GOVHALL_SECRET_KEY, separate from the chain's HMAC key) and whether it is a real secret."""
    secret = get_settings().secret_key
    if not secret:
        return _DEV_KEY, False
    return hashlib.sha256(b"govhall-audit-checkpoint-v1:" + secret.encode()).digest(), True


def checkpoint_path(var_dir: Path) -> Path:
    return Path(var_dir) / FILE_NAME


@dataclass(frozen=True)
class Checkpoint:
    tenant_id: UUID
    seq: int
    hash: str
    at: datetime

    def _payload(self) -> bytes:
        doc = {"v": 1, "tenant": str(self.tenant_id), "seq": self.seq, "hash": self.hash,
               "at": self.at.astimezone(UTC).isoformat(timespec="microseconds")}
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()

    def signed(self) -> dict[str, Any]:
        key, _ = checkpoint_key()
        doc: dict[str, Any] = json.loads(self._payload())
        doc["sig"] = hmac.new(key, self._payload(), hashlib.sha256).hexdigest()
        return doc


def parse_line(line: str) -> Checkpoint | None:
    """The checkpoint on one line, or None if the line is malformed or its signature does not match."""
    try:
        doc = json.loads(line)
        cp = Checkpoint(UUID(doc["tenant"]), int(doc["seq"]), str(doc["hash"]), datetime.fromisoformat(doc["at"]))
        sig = str(doc["sig"])
    except (ValueError, KeyError, TypeError):
        return None
    if doc.get("v") != 1 or not hmac.compare_digest(cp.signed()["sig"], sig):
        return None
    return cp


@dataclass
class Anchors:
    """What the checkpoint file says: per tenant the anchored hash of each checkpointed seq, and the newest one."""

    by_tenant: dict[UUID, dict[int, str]] = field(default_factory=dict)
    latest: dict[UUID, Checkpoint] = field(default_factory=dict)
    bad_lines: int = 0
    """Lines that are malformed, carry a wrong signature, or contradict an earlier checkpoint: all findings."""
    found: bool = False

    def of(self, tenant_id: UUID) -> dict[int, str]:
        return self.by_tenant.get(tenant_id, {})


def read_anchors(path: Path, tenant_id: UUID | None = None) -> Anchors:
    out = Anchors()
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        return out
    out.found = True
    tenant_key = str(tenant_id) if tenant_id else None
    with handle:
        for line in handle:
            if not line.strip() or (tenant_key and tenant_key not in line):
                continue
            cp = parse_line(line)
            if cp is None or (tenant_id and cp.tenant_id != tenant_id):
                out.bad_lines += cp is None
                continue
            seen = out.by_tenant.setdefault(cp.tenant_id, {})
            if seen.get(cp.seq, cp.hash) != cp.hash:
                out.bad_lines += 1  # the first one stands: later checkpoints were checked against it
                continue
            seen[cp.seq] = cp.hash
            newest = out.latest.get(cp.tenant_id)
            if newest is None or cp.seq >= newest.seq:
                out.latest[cp.tenant_id] = cp
    return out


def write_checkpoint(path: Path, cp: Checkpoint) -> dict[str, Any]:
    """Log the signed checkpoint (log shipping keeps that copy) and append it to the file (locked, fsynced)."""
    line = cp.signed()
    _, keyed = checkpoint_key()
    log.info("audit_checkpoint", audit_tenant_id=line["tenant"], seq=line["seq"], hash=line["hash"], at=line["at"],
             sig=line["sig"], keyed=keyed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            f.write(json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n")
            f.flush()
            os.fsync(f.fileno())
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
    return line


@dataclass(frozen=True)
class CheckpointResult:
    tenant_id: UUID
    status: str
    """``written``, ``unchanged`` (the head was already anchored), ``empty`` (no events) or ``broken`` (not taken)."""
    report: ChainReport
    checkpoint: Checkpoint | None = None


async def take_checkpoint(session: AsyncSession, path: Path, anchors: Anchors | None = None) -> CheckpointResult:
    """Anchor the current tenant's head if its chain verifies (against the earlier checkpoints too)."""
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise TenantScopeError("take_checkpoint needs a tenant scope")
    anchors = anchors if anchors is not None else read_anchors(path, tenant_id)
    report = await verify_chain(session, anchors=anchors.of(tenant_id))
    if not report.ok:
        log.error("audit_checkpoint_refused", reason=report.reason, broken_at=report.broken_at)
        return CheckpointResult(tenant_id, "broken", report)
    if report.count == 0 or report.head_hash is None:
        return CheckpointResult(tenant_id, "empty", report)
    newest = anchors.latest.get(tenant_id)
    if newest is not None and newest.seq == report.count and newest.hash == report.head_hash:
        return CheckpointResult(tenant_id, "unchanged", report, newest)
    cp = Checkpoint(tenant_id, report.count, report.head_hash, datetime.now(UTC))
    write_checkpoint(path, cp)
    anchors.by_tenant.setdefault(tenant_id, {})[cp.seq] = cp.hash
    anchors.latest[tenant_id] = cp
    return CheckpointResult(tenant_id, "written", report, cp)


def describe(report: ChainReport) -> str:
    """One English line for the CLI and logs."""
    anchored = f", checkpoint at seq {report.anchored_seq}" if report.anchored_seq else ", no checkpoint"
    if report.ok:
        return f"ok, {report.count} events{anchored}"
    what = {
        "truncated": "chain shorter than its checkpoint (newest events deleted)",
        "missing_event": "events missing",
        "broken_link": "broken link (event inserted or reordered)",
        "hash_mismatch": "event edited",
        "checkpoint_mismatch": "chain differs from its checkpoint (rewritten at or before this seq)",
    }.get(report.reason or "", report.reason or "broken")
    where = (f"events {report.missing_from}-{report.missing_to} missing" if report.missing_from is not None
             else f"at seq {report.broken_at}")
    return f"FAILED {report.reason}: {what}; {where}{anchored}"
