"""Wire types of complaints and the case ledger. No response type outside ``ComplaintIdentity`` has a field for
the complainant's name or contact: the identity can only leave through the identity route."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct

Text = Annotated[str, msgspec.Meta(max_length=2000)]
Short = Annotated[str, msgspec.Meta(max_length=200)]
Channel = Literal["in_person", "phone", "letter", "mailbox", "web", "hotline"]
LevelIn = Literal["center", "city", "province"]
Conclusion = Literal["substantiated", "partly", "unsubstantiated"]
Assignee = Literal["window", "back_office", "discipline", "judicial"]
Feedback = Literal["satisfied", "basically", "unsatisfied"]
StepAction = Literal["register", "assign", "investigate", "conclude", "reply", "feedback", "close", "extend"]
CaseType = Literal["immediate", "promised", "joint", "referred"]
PauseKind = Literal["supplement", "hearing", "appraisal", "expert", "inspection", "tender"]
NoticeKind = Literal["one_time", "supplement", "acceptance", "promise"]


class ComplaintIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"complainant_name": (50, True)}

    channel: Channel
    subject: Annotated[str, msgspec.Meta(max_length=200)]
    class_key: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    level: LevelIn = "center"
    received_at: datetime | None = None
    anonymous: bool = False
    complainant_name: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    complainant_contact: Annotated[str, msgspec.Meta(max_length=100)] = ""
    staff_id: UUID | None = None
    window_id: UUID | None = None
    department_id: UUID | None = None
    departments: Annotated[int, msgspec.Meta(ge=1, le=50)] = 1
    problem: Text = ""
    demand: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class ReviewIn(CamelStruct):
    note: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class StepIn(CamelStruct):
    action: StepAction
    note: Text = ""
    assigned_to: Assignee | None = None
    conclusion: Conclusion | None = None
    reply_channel: Channel | None = None
    feedback: Feedback | None = None
    extend_amount: Annotated[int, msgspec.Meta(ge=1, le=365)] | None = None
    extend_unit: Literal["hours", "days", "working_days"] | None = None


class ComplaintEventView(CamelStruct):
    action: str
    status: str
    at: datetime
    by_name: str
    note: str | None


class ComplaintView(CamelStruct):
    id: UUID
    number: str
    channel: str
    level: str
    written: bool
    class_key: str
    class_name: str
    clause: str
    deadline: str
    received_at: datetime
    due_at: datetime
    status: str
    overdue: bool
    anonymous: bool
    identity_protected: bool
    """True when a name was given: only the intake office sees it (``GET .../identity``)."""
    subject: str
    problem: str
    demand: str
    staff_id: UUID | None
    staff_name: str | None
    window_id: UUID | None
    window_name: str | None
    department_id: UUID | None
    department_name: str | None
    reply_in_writing: bool
    review_note: str | None
    assigned_to: str | None
    conclusion: str | None
    opinion: str | None
    reply_channel: str | None
    replied_at: datetime | None
    feedback: str | None
    closed_at: datetime | None
    extended: bool
    extension_note: str | None
    window_points: float
    window_zeroes: bool
    person_violation_id: UUID | None
    reward_yuan: float
    intake_office: str
    events: list[ComplaintEventView] = msgspec.field(default_factory=list)


class ComplaintIdentity(CamelStruct):
    complaint_id: UUID
    name: str
    contact: str


class ComplaintClass(CamelStruct):
    """One complaint class of the rules (its reward or fine, the clause, whether it is major)."""

    key: str
    name: str
    name_en: str
    amount: int
    unit: str
    clause: str
    major: bool
    multi_department: bool


class ComplaintMeta(CamelStruct):
    channels: list[str]
    classes: list[ComplaintClass]
    intake_office: str
    anonymous_allowed: bool
    written_needs_written_reply: bool
    can_receive: bool
    can_handle: bool
    can_review: bool
    can_see_identity: bool


class SummaryRow(CamelStruct):
    key: str
    name: str
    count: int
    substantiated: int = 0
    points: float = 0
    zeroed: bool = False


class ComplaintSummary(CamelStruct):
    month: str
    total: int
    by_status: list[SummaryRow]
    by_class: list[SummaryRow]
    by_channel: list[SummaryRow]
    by_window: list[SummaryRow]
    substantiated: int
    partly: int
    unsubstantiated: int
    overdue: int
    replied_on_time: int
    rewards_yuan: float


# ---- cases ---------------------------------------------------------------------------------------------------


class ServiceItemView(CamelStruct):
    id: UUID
    code: str
    name: str
    department_id: UUID | None
    department_name: str | None
    legal_days: int
    promised_days: int
    default_type: str


class RowProblem(CamelStruct):
    row: int
    field: str
    zh: str
    en: str


class ImportReport(CamelStruct):
    rows: int
    good: int
    bad: int
    applied: int
    skipped_duplicates: int
    problems: list[RowProblem]
    committed: bool


class ParticipantIn(CamelStruct):
    department_id: UUID
    days: Annotated[int, msgspec.Meta(ge=1, le=365)]


class CaseIn(CamelStruct):
    __names__: ClassVar[dict[str, tuple[int, bool]]] = {"applicant": (100, True)}

    item_code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    case_type: CaseType | None = None
    accepted_at: datetime | None = None
    due_at: datetime | None = None
    """Only to check against a due time the platform gave: refused when before the acceptance."""
    staff_id: UUID | None = None
    applicant: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    participants: Annotated[list[ParticipantIn], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    """Joint cases (联办件): the other departments, each with its own days and so its own due time."""


class PauseIn(CamelStruct):
    kind: PauseKind
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class ExtensionIn(CamelStruct):
    days: Annotated[int, msgspec.Meta(ge=1, le=60)]
    approved_by: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class NoticeIn(CamelStruct):
    kind: NoticeKind
    materials: Annotated[list[Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(max_length=30)] = \
        msgspec.field(default_factory=list)


class NoticeView(CamelStruct):
    id: UUID
    case_id: UUID
    kind: str
    title: str
    number: str
    issued_at: datetime
    body: dict[str, object]


class ParticipantView(CamelStruct):
    department_id: UUID
    department_name: str
    due_at: datetime
    completed_at: datetime | None


class PauseView(CamelStruct):
    kind: str
    started_at: datetime
    ended_at: datetime | None
    days: int
    note: str | None
    approved_by: str | None


class CaseView(CamelStruct):
    id: UUID
    number: str
    item_code: str
    item_name: str
    case_type: str
    staff_id: UUID | None
    staff_name: str | None
    department_name: str | None
    window_name: str | None
    applicant: str
    accepted_at: datetime
    due_at: datetime
    completed_at: datetime | None
    paused: bool
    pause_kind: str | None
    remaining_minutes: int
    """Working-clock minutes to the due time (negative: overdue)."""
    overdue_working_days: int
    card: str
    card_points: float
    participants: list[ParticipantView] = msgspec.field(default_factory=list)
    pauses: list[PauseView] = msgspec.field(default_factory=list)
    notices: list[NoticeView] = msgspec.field(default_factory=list)


class Board(CamelStruct):
    now: datetime
    cases: list[CaseView]
    yellow: int
    red: int


class CardsIssued(CamelStruct):
    issued: int
    violations: int
