"""The complainant's identity at rest: AES-256-GCM with a per-tenant key.

Key derivation: ``HKDF-SHA256(GOVHALL_IDENTITY_KEY or the signing key, salt="govhall/complaint-identity/v1",
info=tenant id bytes)`` -> 32 bytes, one key per tenant (no key table: the key cannot leak through the database;
rotating the master means re-encrypting, ``identity_key_version`` marks the scheme). The stored value is
``nonce (12 bytes) || ciphertext+tag``, with the tenant id and the complaint number as associated data, so a
ciphertext copied into another tenant's or another complaint's row does not decrypt.

Only ``reveal`` turns it back into text, and only services that checked ``complaint:identity`` call it.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from govhall.config import get_settings

KEY_VERSION = 1
_SALT = b"govhall/complaint-identity/v1"


@lru_cache(maxsize=256)
def _key(master: str, tenant_id: UUID) -> AESGCM:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=tenant_id.bytes).derive(master.encode())
    return AESGCM(raw)


def _aad(tenant_id: UUID, number: str) -> bytes:
    return tenant_id.bytes + number.encode()


def seal(tenant_id: UUID, number: str, name: str, contact: str) -> bytes:
    nonce = os.urandom(12)
    plain = json.dumps({"name": name, "contact": contact}, ensure_ascii=False).encode()
    return nonce + _key(get_settings().identity_master_key, tenant_id).encrypt(nonce, plain, _aad(tenant_id, number))


def reveal(tenant_id: UUID, number: str, blob: bytes) -> tuple[str, str] | None:
    """(name, contact), or None when the value cannot be decrypted (another master key)."""
    try:
        plain = _key(get_settings().identity_master_key, tenant_id).decrypt(blob[:12], blob[12:],
                                                                          _aad(tenant_id, number))
    except (InvalidTag, ValueError):
        return None
    data = json.loads(plain)
    return data.get("name", ""), data.get("contact", "")
