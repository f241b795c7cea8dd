"""Import every model so the metadata is complete (migrations, create_all in tests)."""

from govhall.audit.models import AuditEvent
from govhall.authz.models import RoleAssignment
from govhall.domain.assessment.models import (
    Appeal,
    AssessmentMonth,
    BonusRecord,
    ReturnCase,
    Scorecard,
    UnitScorecard,
    ViolationRecord,
)
from govhall.domain.attendance.models import (
    AttendanceCorrection,
    AttendanceCorrectionStaff,
    AttendanceDay,
    AttendanceMonth,
    DeviceSync,
    LeaveRecord,
    MissedPunchRequest,
    MonthState,
    OffPostRecord,
    Punch,
    PunchInbox,
)
from govhall.domain.complaints.models import (
    CaseCard,
    CaseImportEvent,
    CaseNotice,
    CaseParticipant,
    CasePause,
    CaseRecord,
    Complaint,
    ComplaintEvent,
    ServiceItem,
)
from govhall.domain.devices.models import Device
from govhall.domain.identity.models import User
from govhall.domain.leave.models import ApproverAssignment, LeaveApprovalStep, LeaveOutcomeRow, LeaveRequest
from govhall.domain.org.models import BackupPair, Department, Staff, Window
from govhall.domain.redflag.models import RedFlagRound
from govhall.domain.supervision.models import (
    DutyLogEntry,
    DutyRotaEntry,
    Meeting,
    OffPostTimer,
    OutingReport,
    Patrol,
    PatrolFinding,
)
from govhall.files.models import StoredFile
from govhall.jobs.models import Job
from govhall.packs.models import PackRelease, PackSettingsVersion
from govhall.store import store_entry
from govhall.tenancy.models import Tenant

__all__ = (
    "Appeal",
    "ApproverAssignment",
    "AssessmentMonth",
    "AttendanceCorrection",
    "AttendanceCorrectionStaff",
    "AttendanceDay",
    "AttendanceMonth",
    "AuditEvent",
    "BackupPair",
    "BonusRecord",
    "CaseCard",
    "CaseImportEvent",
    "CaseNotice",
    "CaseParticipant",
    "CasePause",
    "CaseRecord",
    "Complaint",
    "ComplaintEvent",
    "Department",
    "Device",
    "DeviceSync",
    "DutyLogEntry",
    "DutyRotaEntry",
    "Job",
    "LeaveApprovalStep",
    "LeaveOutcomeRow",
    "LeaveRecord",
    "LeaveRequest",
    "Meeting",
    "MissedPunchRequest",
    "MonthState",
    "OffPostRecord",
    "OffPostTimer",
    "OutingReport",
    "PackRelease",
    "PackSettingsVersion",
    "Patrol",
    "PatrolFinding",
    "Punch",
    "PunchInbox",
    "RedFlagRound",
    "ReturnCase",
    "RoleAssignment",
    "Scorecard",
    "ServiceItem",
    "Staff",
    "StoredFile",
    "Tenant",
    "UnitScorecard",
    "User",
    "ViolationRecord",
    "Window",
    "store_entry",
)
