"""What the audit trail's codes mean to a person: action words, target kinds and detail fields in Chinese and
English (issue 13: the audit log searchable in Chinese, details as labelled fields)."""

from __future__ import annotations

from typing import Any

ACTIONS: dict[str, tuple[str, str]] = {
    "assessment.appeal.decide": ("复核申诉", "Decide an appeal"),
    "assessment.appeal.file": ("提出申诉", "File an appeal"),
    "assessment.month.close": ("考核月结", "Close the assessment month"),
    "assessment.month.publish": ("公布考核结果", "Publish the assessment month"),
    "assessment.month.reopen": ("重新打开考核月", "Reopen the assessment month"),
    "assessment.return_case.flag": ("标记退回原单位", "Flag a return to the home unit"),
    "assessment.record.create": ("记录考核扣分", "Record an assessment item"),
    "attendance_off_post.create": ("记录离岗", "Record time off post"),
    "attendance.correction": ("考勤更正", "Attendance correction"),
    "audit.checkpoint": ("审计检查点", "Audit checkpoint"),
    "auth.login": ("登录", "Sign in"),
    "auth.login_failed": ("登录失败", "Failed sign-in"),
    "auth.logout": ("退出登录", "Sign out"),
    "auth.password_change": ("修改密码", "Change password"),
    "backup_pair.create": ("设置AB岗", "Create a backup pair"),
    "backup_pair.delete": ("删除AB岗", "Delete a backup pair"),
    "department.create": ("新增部门", "Create a department"),
    "department.delete": ("删除部门", "Delete a department"),
    "device.register": ("登记考勤设备", "Register a terminal"),
    "device.revoke": ("停用考勤设备", "Revoke a terminal"),
    "file.upload": ("上传文件", "Upload a file"),
    "leave.approve_step": ("审批请假（一级）", "Approve a leave step"),
    "leave.approved": ("请假获批", "Leave approved"),
    "leave.cancel": ("撤销请假", "Cancel leave"),
    "leave.close": ("销假", "Close leave"),
    "leave.reject": ("驳回请假", "Reject leave"),
    "leave.request": ("申请请假", "Request leave"),
    "leave.withdraw": ("撤回请假", "Withdraw leave"),
    "leave_approver.assign": ("指定请假审批人", "Assign a leave approver"),
    "leave_approver.remove": ("移除请假审批人", "Remove a leave approver"),
    "missed_punch.approve": ("批准补卡", "Approve a missed punch"),
    "missed_punch.reject": ("驳回补卡", "Reject a missed punch"),
    "missed_punch.request": ("申请补卡", "Request a missed punch"),
    "pack_settings.update": ("修改规则配置", "Change rules"),
    "provincial_admin.appoint": ("任命省级管理员", "Appoint a provincial admin"),
    "provincial_admin.revoke": ("撤销省级管理员", "Revoke a provincial admin"),
    "role.assign": ("授予角色", "Assign a role"),
    "role.revoke": ("撤销角色", "Revoke a role"),
    "staff.create": ("新增工作人员", "Add a staff member"),
    "staff.delete": ("删除工作人员", "Delete a staff member"),
    "staff.import": ("导入花名册", "Import a roster"),
    "tenant.create": ("新建中心", "Create a center"),
    "tenant.onboard": ("开通中心", "Onboard a center"),
    "tenant.update": ("修改中心信息", "Update a center"),
    "tenants_code.apply": ("按配置文件更新中心", "Apply tenants as code"),
    "user.create": ("新建账号", "Create an account"),
    "user.disable": ("停用账号", "Disable an account"),
    "user.enable": ("启用账号", "Enable an account"),
    "user.reset_password": ("重置密码", "Reset a password"),
    "window.create": ("新增窗口", "Create a window"),
    "window.delete": ("删除窗口", "Delete a window"),
}

TARGETS: dict[str, tuple[str, str]] = {
    "user": ("账号", "Account"), "staff": ("工作人员", "Staff"), "department": ("部门", "Department"),
    "window": ("窗口", "Window"), "tenant": ("中心", "Center"), "pack_settings": ("规则", "Rules"),
    "pack": ("规则", "Rules"), "leave_request": ("请假", "Leave"), "leave": ("请假", "Leave"),
    "missed_punch": ("补卡", "Missed punch"), "device": ("考勤设备", "Terminal"), "file": ("文件", "File"),
    "backup_pair": ("AB岗", "Backup pair"), "role": ("角色", "Role"), "audit": ("审计", "Audit"),
    "assessment_month": ("考核月", "Assessment month"), "assessment_appeal": ("申诉", "Appeal"),
}

FIELDS: dict[str, tuple[str, str]] = {
    "username": ("用户名", "Username"), "displayName": ("姓名", "Name"), "name": ("名称", "Name"),
    "staffId": ("工作人员", "Staff"), "employeeNo": ("工号", "Employee no."), "employee_no": ("工号", "Employee no."), "role": ("角色", "Role"),
    "roles": ("角色", "Roles"), "kind": ("类别", "Kind"), "type": ("类型", "Type"), "workDate": ("日期", "Date"), "before": ("修改前", "Before"),
    "after": ("修改后", "After"), "userId": ("账号", "Account"), "reason": ("理由", "Reason"),
    "note": ("备注", "Note"), "month": ("月份", "Month"), "level": ("层级", "Level"), "year": ("年度", "Year"),
    "version": ("版本", "Version"), "pack": ("规则包", "Rules"), "packs": ("规则包", "Rules"),
    "changes": ("改动", "Changes"), "time": ("时间", "Time"), "step": ("审批步骤", "Step"),
    "start": ("开始", "Start"), "from": ("自", "From"), "to": ("至", "To"), "decision": ("决定", "Decision"),
    "halfDays": ("半天数", "Half days"), "channel": ("方式", "Channel"), "clause": ("条款", "Clause"),
    "serialNumber": ("设备序列号", "Serial number"), "file": ("文件", "File"), "size": ("大小", "Size"),
    "mime": ("文件类型", "File type"), "divisionCode": ("行政区划代码", "Division code"),
    "created": ("新增", "Created"), "updated": ("更新", "Updated"), "staffA": ("A岗", "Staff A"),
    "staffB": ("B岗", "Staff B"), "tenants": ("中心", "Centers"), "effective_from": ("生效日期", "Effective from"),
    "number": ("编号", "Number"), "code": ("代码", "Code"), "seq": ("序号", "Sequence"), "on": ("日期", "On"),
    "dates": ("日期", "Dates"), "count": ("人数", "Count"), "evidenceFile": ("证明材料", "Evidence"),
    "names": ("人员", "Staff"), "purpose": ("用途", "Purpose"), "actualEnd": ("实际结束", "Actual end"),
}


def action_label(code: str) -> tuple[str, str]:
    return ACTIONS.get(code, (code, code))


def target_label(code: str) -> tuple[str, str]:
    return TARGETS.get(code, (code, code))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{FIELDS.get(k, (k,))[0]}：{_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def detail_fields(details: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(key, zh label, en label, value as text) per detail, in the order recorded; ids stay as they are."""
    out = []
    for key, value in (details or {}).items():
        zh, en = FIELDS.get(key, (key, key))
        out.append((key, zh, en, _text(value)))
    return out


def codes_matching(words: str, table: dict[str, tuple[str, str]]) -> list[str]:
    """The codes whose code, Chinese or English label contains ``words`` (case-insensitive)."""
    w = words.strip().lower()
    return [code for code, (zh, en) in table.items() if w and (w in code.lower() or w in zh or w in en.lower())]
