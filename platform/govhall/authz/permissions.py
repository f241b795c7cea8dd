"""The one registry of permissions (object, action) and the one table of what each role may do.

Every route declares one of these through ``requires(obj, act)``; a test walks the route table and fails on a
route without one. Adding a capability = add its Permission here and grant it to roles below.
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class Role(str, enum.Enum):
    platform_admin = "platform_admin"  # reserved domain "platform" only
    provincial_admin = "provincial_admin"
    center_admin = "center_admin"
    chief_representative = "chief_representative"
    duty_officer = "duty_officer"
    clerk = "clerk"
    supervision_office = "supervision_office"  # 稽查督办科 / 业务科 / 监察室: complaint intake, the complainant's identity
    center_leader = "center_leader"  # 中心领导: reviews (批阅) complaints, reads the ledgers


class Permission(NamedTuple):
    obj: str
    act: str

    @property
    def key(self) -> str:
        return f"{self.obj}:{self.act}"


PLATFORM_DOMAIN = "platform"

_REGISTRY: dict[str, Permission] = {}


def permission(obj: str, act: str) -> Permission:
    perm = Permission(obj, act)
    _REGISTRY[perm.key] = perm
    return perm


def lookup(obj: str, act: str) -> Permission:
    try:
        return _REGISTRY[f"{obj}:{act}"]
    except KeyError:
        raise KeyError(f"unregistered permission {obj}:{act}; add it to govhall.authz.permissions") from None


def all_permissions() -> list[Permission]:
    return list(_REGISTRY.values())


# --- the registry -----------------------------------------------------------------------------------------
TENANT_READ = permission("tenant", "read")
TENANT_ONBOARD = permission("tenant", "onboard")
PROVINCIAL_ADMIN_READ = permission("provincial_admin", "read")
PROVINCIAL_ADMIN_APPOINT = permission("provincial_admin", "appoint")
DEPARTMENT_READ = permission("department", "read")
DEPARTMENT_WRITE = permission("department", "write")
WINDOW_READ = permission("window", "read")
WINDOW_WRITE = permission("window", "write")
STAFF_READ = permission("staff", "read")
STAFF_WRITE = permission("staff", "write")
USER_READ = permission("user", "read")
USER_WRITE = permission("user", "write")
ROLE_ASSIGN = permission("role", "assign")
AUDIT_READ = permission("audit", "read")
AUDIT_CHECKPOINT = permission("audit", "checkpoint")
PACK_SETTINGS_READ = permission("pack_settings", "read")
PACK_SETTINGS_UPDATE = permission("pack_settings", "update")
PACK_SETTINGS_LOCK = permission("pack_settings", "lock")
DEVICE_READ = permission("device", "read")
DEVICE_WRITE = permission("device", "write")
ATTENDANCE_READ = permission("attendance", "read")
ATTENDANCE_PUNCH = permission("attendance", "punch")
ATTENDANCE_BOARD = permission("attendance", "board")
ATTENDANCE_SHEET = permission("attendance", "sheet")
MISSED_PUNCH_REQUEST = permission("missed_punch", "request")
MISSED_PUNCH_APPROVE = permission("missed_punch", "approve")
LEAVE_READ = permission("leave", "read")
LEAVE_REQUEST = permission("leave", "request")
LEAVE_APPROVE = permission("leave", "approve")
LEAVE_MANAGE = permission("leave", "manage")
ASSESSMENT_READ = permission("assessment", "read")
ASSESSMENT_WRITE = permission("assessment", "write")
SELF_READ = permission("self", "read")
PROVINCE_CREATE = permission("province", "create")
ASSESSMENT_RECORD = permission("assessment", "record")  # record violations and bonuses (duty, chief, admin)
ASSESSMENT_APPEAL = permission("assessment", "appeal")  # appeal one's own record (申诉)
ASSESSMENT_DECIDE = permission("assessment", "decide")  # decide appeals, run return-to-unit cases
ASSESSMENT_CLOSE = permission("assessment", "close")  # close, publish, reopen a month; pay list and notices

_CLERK = {SELF_READ, ATTENDANCE_READ, ATTENDANCE_PUNCH, MISSED_PUNCH_REQUEST, LEAVE_READ, LEAVE_REQUEST,
          ASSESSMENT_READ}
_DUTY = _CLERK | {ATTENDANCE_BOARD, MISSED_PUNCH_APPROVE, LEAVE_APPROVE, STAFF_READ, DEPARTMENT_READ,
                  WINDOW_READ, ASSESSMENT_WRITE}
_CHIEF = _CLERK | {ATTENDANCE_BOARD, MISSED_PUNCH_APPROVE, LEAVE_APPROVE, STAFF_READ, DEPARTMENT_READ,
                   WINDOW_READ}
_CENTER_ADMIN = _DUTY | _CHIEF | {
    TENANT_READ, DEPARTMENT_WRITE, WINDOW_WRITE, STAFF_WRITE, USER_READ, USER_WRITE, ROLE_ASSIGN, AUDIT_READ,
    AUDIT_CHECKPOINT, PACK_SETTINGS_READ, PACK_SETTINGS_UPDATE, DEVICE_READ, DEVICE_WRITE, ATTENDANCE_SHEET,
    LEAVE_MANAGE,
}
_PROVINCIAL = (_CENTER_ADMIN - {ATTENDANCE_PUNCH, MISSED_PUNCH_REQUEST, LEAVE_REQUEST}) | {
    TENANT_ONBOARD, PACK_SETTINGS_LOCK,
}

# assessment (issue 11), appended: everyone appeals their own records; duty officers and chief representatives
# record; center admins (and provincial admins) also decide and close.
_CLERK |= {ASSESSMENT_APPEAL}
_DUTY |= {ASSESSMENT_APPEAL, ASSESSMENT_RECORD}
_CHIEF |= {ASSESSMENT_APPEAL, ASSESSMENT_RECORD}
_CENTER_ADMIN |= {ASSESSMENT_APPEAL, ASSESSMENT_RECORD, ASSESSMENT_DECIDE, ASSESSMENT_CLOSE}
_PROVINCIAL |= {ASSESSMENT_RECORD, ASSESSMENT_DECIDE, ASSESSMENT_CLOSE}

# complaints and the case ledger (issue 15). The complainant's identity (complaint:identity) is held by the intake
# office only: never by the person complained about, their chief representative, the duty officer, the center
# admin or the provincial admin (002 投诉 四.1 署名投诉身份保密; 004 投诉 3 对投诉人予以保密).
COMPLAINT_READ = permission("complaint", "read")
COMPLAINT_RECEIVE = permission("complaint", "receive")
COMPLAINT_HANDLE = permission("complaint", "handle")
COMPLAINT_REVIEW = permission("complaint", "review")
COMPLAINT_IDENTITY = permission("complaint", "identity")
CASE_READ = permission("case", "read")
CASE_LOG = permission("case", "log")
CASE_MANAGE = permission("case", "manage")

_CLERK |= {CASE_READ, CASE_LOG}
_DUTY |= {CASE_READ, COMPLAINT_RECEIVE}
_CHIEF |= {CASE_READ, CASE_LOG, COMPLAINT_READ}
_CENTER_ADMIN |= {CASE_READ, CASE_LOG, CASE_MANAGE, COMPLAINT_READ, COMPLAINT_RECEIVE, COMPLAINT_HANDLE,
                  COMPLAINT_REVIEW}
_PROVINCIAL |= {CASE_READ, CASE_MANAGE, COMPLAINT_READ, COMPLAINT_HANDLE}
_SUPERVISION = {SELF_READ, ATTENDANCE_READ, ATTENDANCE_PUNCH, MISSED_PUNCH_REQUEST, LEAVE_READ, LEAVE_REQUEST,
                ASSESSMENT_READ, ASSESSMENT_APPEAL, ASSESSMENT_RECORD, ATTENDANCE_BOARD, STAFF_READ, DEPARTMENT_READ,
                WINDOW_READ, CASE_READ, CASE_MANAGE, COMPLAINT_READ, COMPLAINT_RECEIVE, COMPLAINT_HANDLE,
                COMPLAINT_IDENTITY}
_LEADER = {SELF_READ, ATTENDANCE_READ, ATTENDANCE_BOARD, LEAVE_READ, ASSESSMENT_READ, STAFF_READ, DEPARTMENT_READ,
           WINDOW_READ, CASE_READ, COMPLAINT_READ, COMPLAINT_REVIEW}

# corrections by the center (考勤更正, issue 13): the center's admins correct many staff-days at once.
ATTENDANCE_CORRECTION_READ = permission("attendance_correction", "read")
ATTENDANCE_CORRECTION_WRITE = permission("attendance_correction", "write")
_CENTER_ADMIN |= {ATTENDANCE_CORRECTION_READ, ATTENDANCE_CORRECTION_WRITE}
_PROVINCIAL |= {ATTENDANCE_CORRECTION_READ, ATTENDANCE_CORRECTION_WRITE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.platform_admin: frozenset({SELF_READ, TENANT_READ, TENANT_ONBOARD, PACK_SETTINGS_READ, PACK_SETTINGS_UPDATE,
                                    PACK_SETTINGS_LOCK, AUDIT_READ, PROVINCIAL_ADMIN_READ, PROVINCIAL_ADMIN_APPOINT,
                                    PROVINCE_CREATE}),
    Role.provincial_admin: frozenset(_PROVINCIAL),
    Role.center_admin: frozenset(_CENTER_ADMIN),
    Role.chief_representative: frozenset(_CHIEF),
    Role.duty_officer: frozenset(_DUTY),
    Role.clerk: frozenset(_CLERK),
    Role.supervision_office: frozenset(_SUPERVISION),
    Role.center_leader: frozenset(_LEADER),
}

# --- the tenant file store (govhall.files): every center role and the provincial admin upload and read; which
# files a user may read is decided per file by the uploader, the center's admins and the domain's reader.
FILE_UPLOAD = permission("file", "upload")
FILE_READ = permission("file", "read")
for _role in (Role.provincial_admin, Role.center_admin, Role.chief_representative, Role.duty_officer, Role.clerk,
              Role.supervision_office, Role.center_leader):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {FILE_UPLOAD, FILE_READ}

# --- supervision (issue 14): the duty rota (read by the supervisors, planned by the center's admins), patrols
# (recorded on the phone by duty officers and center admins, read by them and provincial admins).
DUTY_ROTA_READ = permission("duty_rota", "read")
DUTY_ROTA_PLAN = permission("duty_rota", "plan")
PATROL_READ = permission("patrol", "read")
PATROL_RECORD = permission("patrol", "record")
OUTING_REPORT = permission("outing", "report")  # report one's own outing (supervisors: anyone's); list, return
OUTING_APPROVE = permission("outing", "approve")
# The supervision office (稽查督办科) patrols and signs off outings like a duty officer; center leaders read.
_DUTY_AND_PATROLS: dict[Role, set[Permission]] = {
    Role.provincial_admin: {DUTY_ROTA_READ, DUTY_ROTA_PLAN, PATROL_READ},
    Role.center_admin: {DUTY_ROTA_READ, DUTY_ROTA_PLAN, PATROL_READ, PATROL_RECORD, OUTING_REPORT, OUTING_APPROVE},
    Role.chief_representative: {DUTY_ROTA_READ, OUTING_REPORT},
    Role.duty_officer: {DUTY_ROTA_READ, PATROL_READ, PATROL_RECORD, OUTING_REPORT, OUTING_APPROVE},
    Role.clerk: {OUTING_REPORT},
    Role.supervision_office: {DUTY_ROTA_READ, PATROL_READ, PATROL_RECORD, OUTING_REPORT, OUTING_APPROVE},
    Role.center_leader: {DUTY_ROTA_READ, PATROL_READ},
}
for _role, _perms in _DUTY_AND_PATROLS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# --- the red flag (流动红旗, issue 14): everyone in the center reads published rounds (the drafts: those who write);
# the center's admins and the supervision office (稽查督办科, 004/4 二.5 考评与量化) prepare a round and enter the
# council's ratings; the center's admins and leaders award and publish.
RED_FLAG_READ = permission("red_flag", "read")
RED_FLAG_WRITE = permission("red_flag", "write")
RED_FLAG_AWARD = permission("red_flag", "award")
_RED_FLAG: dict[Role, set[Permission]] = {
    Role.provincial_admin: {RED_FLAG_READ, RED_FLAG_WRITE, RED_FLAG_AWARD},
    Role.center_admin: {RED_FLAG_READ, RED_FLAG_WRITE, RED_FLAG_AWARD},
    Role.chief_representative: {RED_FLAG_READ},
    Role.duty_officer: {RED_FLAG_READ},
    Role.clerk: {RED_FLAG_READ},
    Role.supervision_office: {RED_FLAG_READ, RED_FLAG_WRITE},
    Role.center_leader: {RED_FLAG_READ, RED_FLAG_AWARD},
}
for _role, _perms in _RED_FLAG.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms
# --- background jobs (issue 16, govhall.jobs): every role reads the jobs it started and starts jobs; which kinds a
# user may start is decided by each kind's own permission (a month sheet export needs attendance:sheet, ...).
JOB_READ = permission("job", "read")
JOB_CREATE = permission("job", "create")
for _role in ROLE_PERMISSIONS:
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {JOB_READ, JOB_CREATE}
