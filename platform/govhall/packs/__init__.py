"""The policy-pack host: hookspecs, the plugin manager, versioned and inherited pack settings.

For pack authors: ``from govhall.packs import hookimpl, PackSpec, PackSettings, label`` and the value types
in ``govhall.packs.types``. For other domains: ``govhall.packs.calendar.work_calendar``,
``govhall.packs.services.resolved_settings`` and ``enabled_hooks``.
"""

from govhall.packs.hookspecs import hookimpl
from govhall.packs.spec import (
    MONTH_DAY_PATTERN,
    TIME_PATTERN,
    PackSettings,
    PackSpec,
    SettingsMigration,
    SettingsProblem,
    label,
)

__all__ = ("MONTH_DAY_PATTERN", "TIME_PATTERN", "PackSettings", "PackSpec", "SettingsMigration", "SettingsProblem",
           "hookimpl", "label")
