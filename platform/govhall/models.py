"""Import every model so the metadata is complete (migrations, create_all in tests)."""

from govhall.audit.models import AuditEvent
from govhall.authz.models import RoleAssignment
from govhall.domain.devices.models import Device
from govhall.domain.identity.models import User
from govhall.domain.leave.models import ApproverAssignment, LeaveApprovalStep, LeaveOutcomeRow, LeaveRequest
from govhall.domain.org.models import BackupPair, Department, Staff, Window
from govhall.files.models import StoredFile
from govhall.packs.models import PackSettingsVersion
from govhall.tenancy.models import Tenant

__all__ = ("ApproverAssignment", "AuditEvent", "BackupPair", "Department", "Device", "LeaveApprovalStep", "LeaveOutcomeRow",
           "LeaveRequest", "PackSettingsVersion", "RoleAssignment", "Staff", "StoredFile", "Tenant", "User", "Window")
