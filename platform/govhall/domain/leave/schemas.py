"""Leave API types (camelCase on the wire, unknown fields refused)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct

Half = Literal["am", "pm"]
Text500 = Annotated[str, msgspec.Meta(max_length=500)]


class ExternalSubstitute(CamelStruct):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    phone: Annotated[str, msgspec.Meta(min_length=3, max_length=32, pattern=r"^[0-9+\- ]+$")]
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class LeaveIn(CamelStruct):
    leave_type: Annotated[str, msgspec.Meta(max_length=32)]
    start: date
    end: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    start_half: Half = "am"
    end_half: Half = "pm"
    substitute_staff_id: UUID | None = None
    external_substitute: ExternalSubstitute | None = None
    attachments: Annotated[list[UUID], msgspec.Meta(max_length=10)] = msgspec.field(default_factory=list)
    sick_note_file_id: UUID | None = None
    staff_id: UUID | None = None
    """Only for the center recording an approved paper leave for a staff member (``leave:manage``)."""


class Problem(CamelStruct):
    code: str
    field: str | None
    zh: str
    en: str
    severity: str


class Step(CamelStruct):
    id: UUID | None
    seq: int
    approver: str
    name_zh: str
    name_en: str
    mode: str
    outside: bool
    decision: str = "pending"
    approvers: list[str] = msgspec.field(default_factory=list)
    """Names of the people who may decide (preview and open steps)."""
    decided_by_name: str | None = None
    decided_at: datetime | None = None
    note: str | None = None
    recorded_for_outside: bool = False
    scan_file_id: UUID | None = None


class Quota(CamelStruct):
    role: str
    month: str
    used_days: float
    used_times: int
    max_days: float | None
    max_times: int | None
    counts: bool
    """Whether this request's type counts toward the quota."""


class CheckResult(CamelStruct):
    ok: bool
    days: float
    half_days: int
    problems: list[Problem]
    chain: list[Step]
    quota: Quota | None
    substitute_required: bool
    suggested_substitute_id: UUID | None
    suggested_substitute_name: str | None


class Outcome(CamelStruct):
    kind: str
    on: date
    half_days: int
    leave_type: str | None
    clause: str
    zh: str
    en: str


class LeaveView(CamelStruct):
    id: UUID
    staff_id: UUID
    staff_name: str
    department_name: str | None
    role: str
    leave_type: str
    original_type: str | None
    start: date
    start_half: str
    end: date
    end_half: str
    days: float
    reason: str
    status: str
    phase: str
    """Derived: upcoming / in_effect / ended / closure_due / overdue / — for approved leave."""
    submitted_at: datetime
    substitute_staff_id: UUID | None
    substitute_name: str | None
    external_substitute: ExternalSubstitute | None
    attachments: list[UUID]
    sick_note_file_id: UUID | None
    warnings: list[Problem]
    steps: list[Step]
    recorded_paper: bool
    closure_due: date | None
    closed_at: datetime | None
    closure_channel: str | None
    actual_end: date | None
    actual_end_half: str | None
    outcomes: list[Outcome]
    can_withdraw: bool = False
    can_cancel: bool = False
    can_close: bool = False
    can_decide: bool = False
    decide_step_id: UUID | None = None
    """The step the caller would approve or reject as an approver inside the center."""
    can_record_outside: bool = False
    record_step_id: UUID | None = None
    """The open step whose signed slip the caller (the center) may record with its scan."""
    substitute_status: str = "none"
    """none / pending / confirmed / declined / registered (someone the home unit sent, recorded by the center)."""
    substitute_note: str | None = None
    cover_rule: str = "none"
    """none / block (the last approval waits for confirmed cover) / off_post (days without cover are off post)."""
    can_answer_substitute: bool = False
    """The caller is the named substitute and has not answered yet."""
    can_name_substitute: bool = False
    """The caller may name the cover again: the holder (a colleague), the chief representative or the center
    (a colleague or someone the home unit sent)."""


class LeavePage(CamelStruct):
    items: list[LeaveView]
    total: int


class DecisionIn(CamelStruct):
    approve: bool
    note: Text500 | None = None
    step_id: UUID | None = None
    """Which step of the request (when the caller may decide several); default: the first open one they may."""
    scan_file_id: UUID | None = None
    """An outside approver's signed slip, recorded by the center (required for outside steps)."""


class ClosureIn(CamelStruct):
    channel: Literal["in_person", "phone", "app"] = "app"
    actual_end: date | None = None
    actual_end_half: Half | None = None
    sick_note_file_id: UUID | None = None
    note: Text500 | None = None


class ApproverRow(CamelStruct):
    id: UUID
    kind: str
    user_id: UUID
    username: str
    display_name: str


class ApproverIn(CamelStruct):
    kind: Literal["inspection_office", "center_deputy_director", "center_director", "center"]
    user_id: UUID


class LeaveTypeOption(CamelStruct):
    key: str
    name_zh: str
    name_en: str
    counts_toward_quota: bool


class LeaveMeta(CamelStruct):
    leave_types: list[LeaveTypeOption]
    closure_channels: list[str]
    closure_required: bool
    substitute_scope: str
    my_staff_id: UUID | None
    my_staff_name: str | None
    can_manage: bool
    can_approve: bool
    is_chief: bool
    cover_to_answer: int = 0
    """Requests naming the caller as substitute that wait for their answer (顶岗确认) — they show in the inbox."""


class OutcomesResult(CamelStruct):
    requests: int
    applied: int


class Colleague(CamelStruct):
    id: UUID
    name: str
    department_name: str | None
    window_id: UUID | None


class SubstituteAnswerIn(CamelStruct):
    """The named colleague's answer to covering (顶岗确认)."""

    confirm: bool
    note: Text500 | None = None


class SubstituteIn(CamelStruct):
    """Name the cover again (after a decline): a colleague, who then answers in the app, or — by the chief
    representative or the center — someone the home unit sent, registered at once (备案)."""

    substitute_staff_id: UUID | None = None
    external_substitute: ExternalSubstitute | None = None
    note: Text500 | None = None
