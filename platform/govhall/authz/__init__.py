"""Authorization: one registry of (object, action) names, one role table, one Casbin enforcer, one guard factory."""

from govhall.authz.guards import public, requires
from govhall.authz.permissions import Permission, Role

__all__ = ("Permission", "Role", "public", "requires")
