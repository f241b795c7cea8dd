"""The pack host: one pluggy PluginManager, packs loaded from the ``govhall.packs`` entry-point group.

First-party packs (``plugins/govhall_packs``) register exactly like a third party's: one entry point per pack,
whose target is the pack module (with ``PACK = PackSpec(...)`` and its ``@hookimpl`` functions).
``GOVHALL_PACKS=work_hours,leave_quotas`` restricts loading to the named packs (empty: all installed).

The core never calls ``pm.hook`` directly for tenant work: ``host.relay(enabled)`` gives a hook relay whose
callers are pluggy *subset* hook callers that leave out every pack the tenant has not enabled. Relays are
cached per set of enabled packs; ``govhall.packs.services.enabled_hooks`` caches per (tenant, settings
versions) on top of that.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy

from govhall.log import get_logger
from govhall.packs import hookspecs
from govhall.packs.spec import PackSpec, SettingsMigration

log = get_logger(__name__)

ENTRY_POINT_GROUP = "govhall.packs"
ALLOW_ENV = "GOVHALL_PACKS"


@dataclass(frozen=True)
class LoadedPack:
    spec: PackSpec
    module: ModuleType
    distribution: str | None
    distribution_version: str | None

    @property
    def name(self) -> str:
        return self.spec.name


class HookRelay:
    """``relay.govhall_work_calendar(rules=..., days=...)``: calls only the enabled packs' implementations."""

    def __init__(self, pm: pluggy.PluginManager, removed: frozenset[object]) -> None:
        self._pm = pm
        self._removed = removed
        self._callers: dict[str, pluggy.HookCaller] = {}

    def __getattr__(self, name: str) -> pluggy.HookCaller:
        if not name.startswith("govhall_"):
            raise AttributeError(name)
        caller = self._callers.get(name)
        if caller is None:
            caller = self._pm.subset_hook_caller(name, self._removed)
            self._callers[name] = caller
        return caller


class PackHost:
    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.packs: dict[str, LoadedPack] = {}
        self._relays: dict[frozenset[str], HookRelay] = {}
        self._migrations: dict[str, dict[int, SettingsMigration]] | None = None
        self._lock = threading.Lock()

    # ---- loading ------------------------------------------------------------------------------------------

    def load_entry_points(self, allow: Iterable[str] | None = None) -> None:
        allowed = set(allow) if allow is not None else None
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if allowed is not None and ep.name not in allowed:
                continue
            if ep.name in self.packs:
                continue
            module = ep.load()
            dist = getattr(ep, "dist", None)
            self.register(module, distribution=dist.name if dist else None,
                          distribution_version=dist.version if dist else None)
            if self.packs[ep.name].spec.name != ep.name:  # pragma: no cover - a packaging mistake
                raise pluggy.PluginValidationError(module, f"entry point {ep.name!r} names pack {module.PACK.name!r}")
        self.pm.check_pending()

    def register(self, module: Any, *, distribution: str | None = None,
                 distribution_version: str | None = None) -> LoadedPack:
        """Register a pack module (or any object with ``PACK`` and hookimpls); tests use it for fixtures."""
        spec = getattr(module, "PACK", None)
        if not isinstance(spec, PackSpec):
            raise pluggy.PluginValidationError(module, f"{module!r} has no PACK = PackSpec(...)")
        with self._lock:
            if spec.name in self.packs:
                raise ValueError(f"pack {spec.name!r} is already registered")
            self.pm.register(module, name=spec.name)
            loaded = LoadedPack(spec, module, distribution, distribution_version)
            self.packs[spec.name] = loaded
            self._relays.clear()
            self._migrations = None
        log.debug("pack_registered", pack=spec.name, version=spec.version)
        return loaded

    def unregister(self, name: str) -> None:
        with self._lock:
            loaded = self.packs.pop(name)
            self.pm.unregister(loaded.module, name=name)
            self._relays.clear()
            self._migrations = None

    # ---- use ----------------------------------------------------------------------------------------------

    def get(self, name: str) -> LoadedPack | None:
        return self.packs.get(name)

    def hooks_of(self, name: str) -> list[str]:
        plugin = self.pm.get_plugin(name)
        callers = self.pm.get_hookcallers(plugin) or []
        return sorted(c.name for c in callers)

    def migrations(self, name: str) -> dict[int, SettingsMigration]:
        """Pack ``name``'s settings migrations by ``from_schema`` (``govhall_settings_migrations``, asked once)."""
        found = self._migrations
        if found is None:
            found = {}
            for step in (s for part in self.pm.hook.govhall_settings_migrations() for s in part):
                steps = found.setdefault(step.pack, {})
                if step.from_schema in steps:
                    raise ValueError(f"pack {step.pack!r}: two settings migrations from schema {step.from_schema}")
                steps[step.from_schema] = step
            self._migrations = found
        return found.get(name, {})

    def relay(self, enabled: Iterable[str]) -> HookRelay:
        """A relay calling only the hooks of the ``enabled`` packs (cached per set)."""
        key = frozenset(enabled)
        relay = self._relays.get(key)
        if relay is None:
            removed = frozenset(p.module for n, p in self.packs.items() if n not in key)
            relay = HookRelay(self.pm, removed)
            with self._lock:
                self._relays[key] = relay
        return relay


_host: PackHost | None = None
_host_lock = threading.Lock()


def get_host() -> PackHost:
    """The process's pack host, loading the installed packs the first time."""
    global _host
    if _host is None:
        with _host_lock:
            if _host is None:
                host = PackHost()
                raw = os.environ.get(ALLOW_ENV, "").strip()
                host.load_entry_points([n.strip() for n in raw.split(",") if n.strip()] if raw else None)
                _host = host
    return _host
