"""Wire types of the pack API (camelCase; settings values themselves keep the pack's field names)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

import msgspec

from govhall.schemas import CamelStruct


class I18n(CamelStruct):
    zh: str
    en: str


class PackSummary(CamelStruct):
    name: str
    version: str
    title: I18n
    description: I18n
    hooks: list[str]
    distribution: str | None
    distribution_version: str | None


class TenantPack(CamelStruct):
    name: str
    version: str
    title: I18n
    description: I18n
    enabled: bool
    settings_version: int | None
    """This tenant's own version in force on the date asked (None: everything inherited, pack off)."""
    effective_from: dt.date | None
    overridden: int
    locked: int


class TenantRef(CamelStruct):
    id: UUID
    name: str
    level: str


class SourceOut(CamelStruct):
    kind: str
    tenant_id: UUID | None = None
    tenant_name: str | None = None
    level: str | None = None


class FieldOut(CamelStruct):
    name: str
    title: I18n
    state: str
    """``inherited`` | ``overridden`` | ``locked``."""
    source: SourceOut
    locked_by: SourceOut | None
    locked_here: bool
    ignored_override: bool


class PackSettingsOut(CamelStruct):
    pack: PackSummary
    tenant: TenantRef
    on: dt.date
    today: dt.date
    enabled: bool
    json_schema: dict[str, Any]
    ui_schema: dict[str, Any]
    values: dict[str, Any]
    inherited: dict[str, Any]
    overrides: dict[str, Any]
    locks: list[str]
    fields: list[FieldOut]
    settings_version: int | None
    effective_from: dt.date | None
    can_update: bool
    can_lock: bool


class ChangeOut(CamelStruct):
    field: str
    title: I18n
    before: Any = None
    after: Any = None


class VersionOut(CamelStruct):
    version: int
    effective_from: dt.date
    enabled: bool
    overrides: dict[str, Any]
    locks: list[str]
    note: str | None
    changed_by: str | None
    changed_at: dt.datetime | None
    changes: list[ChangeOut]
    status: str
    """``in_force`` (today), ``scheduled`` (later) or ``past``."""
    pack_version: str | None = None
    """The pack release that saved this version (None: saved before releases were recorded)."""
    schema_version: int = 1
    """The settings schema ``overrides`` and ``locks`` are written in (older ones are migrated when resolved)."""


class SaveIn(CamelStruct):
    effective_from: dt.date
    enabled: bool
    overrides: dict[str, Any] = msgspec.field(default_factory=dict)
    locks: list[str] = msgspec.field(default_factory=list)
    note: str | None = None


class ValueChangeOut(CamelStruct):
    field: str
    title: I18n
    before: Any = None
    after: Any = None
    before_inherited: bool = False
    after_inherited: bool = False


class PreviewOut(CamelStruct):
    effective_from: dt.date
    changes: list[ChangeOut]
    """What this tenant's own version changes (overrides, enabling, locks), as saved and audited."""
    values: list[ValueChangeOut]
    """What the tenant will get from that date: the values in force before and after, field by field."""


class SessionOut(CamelStruct):
    label: str
    start: str
    end: str
    open_to_public: bool


class DayOut(CamelStruct):
    day: dt.date
    workday: bool
    reason: str | None
    sessions: list[SessionOut]
    late_grace_minutes: int
    early_grace_minutes: int
    punch_open_before_minutes: int
    punch_close_after_minutes: int


class DressOut(CamelStruct):
    day: dt.date
    season: str
    season_name: I18n
    dress: str
    badge_required: bool
    forbidden: str
    exempt_reason: str | None


class TodayOut(CamelStruct):
    day: dt.date
    schedule: DayOut | None
    dress_code: DressOut | None
    notices: list[I18n]
    """Why a part is missing (pack not enabled, calendar year missing), for the home page."""


class YearCoverageOut(CamelStruct):
    year: int
    status: str
    """``package`` (chinesecalendar) | ``own_calendar`` | ``missing`` | ``not_used`` (no statutory calendar) |
    ``not_enabled`` (no enabled pack keeps a work calendar)."""
    source: SourceOut | None = None
    """For ``own_calendar``: the tenant whose setting holds the year."""
    missing_from: dt.date | None = None
    pack: str | None = None
    field: str | None = None
    """The setting to fill in, for a link to the form (``own_calendar``)."""


class TenantCoverageOut(CamelStruct):
    tenant: TenantRef
    years: list[YearCoverageOut]
    """The current year, then the next."""
    warn_days: int | None
    missing_from: dt.date | None
    blocked: bool
    """Attendance cannot be evaluated today."""
    warning: bool
    """A year without calendar data begins within the warning window (or has begun)."""


class CalendarCoverageOut(CamelStruct):
    today: dt.date
    coverage: TenantCoverageOut
    below_checked: int
    """How many tenants below were checked (those the caller may read; 0 without ``below=true``)."""
    below: list[TenantCoverageOut]
    """The tenants below with a warning, in tree order."""
