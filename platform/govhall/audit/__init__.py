"""The append-only, tamper-evident audit log: who did what, when, in which tenant.

Use ``record_audit(session, action=..., target_type=..., target_id=..., details=...)`` in every write.
"""

from govhall.audit.services import record_audit, update_audited, verify_chain

__all__ = ("record_audit", "update_audited", "verify_chain")
