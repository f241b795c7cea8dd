"""Import every model so the metadata is complete (migrations, create_all in tests)."""

from govhall.domain.assessment.models import (
    Appeal,
    AssessmentMonth,
    BonusRecord,
    ReturnCase,
    Scorecard,
    ViolationRecord,
)
from govhall.domain.audit.models import AuditEvent
from govhall.domain.devices.models import Device
from govhall.domain.identity.models import RoleAssignment, User
from govhall.domain.org.models import BackupPair, Department, Staff, Tenant, Window
from govhall.packs.models import PackSettingsVersion

__all__ = ("Appeal", "AssessmentMonth", "AuditEvent", "BackupPair", "BonusRecord", "Department", "Device", "PackSettingsVersion", "ReturnCase", "RoleAssignment", "Scorecard", "Staff", "Tenant", "User", "ViolationRecord", "Window")
