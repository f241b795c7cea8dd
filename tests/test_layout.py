"""The house: platform/ must not shadow the standard library; the app builds; settings are documented."""

import platform
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_platform_is_the_standard_library() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()
    assert platform.__file__.startswith(sysconfig.get_paths()["stdlib"])
    assert callable(platform.python_version)


def test_govhall_lives_under_platform() -> None:
    import govhall

    assert Path(govhall.__file__).resolve().parent == ROOT / "platform" / "govhall"


def test_every_setting_is_in_the_readme() -> None:
    from dataclasses import fields

    from govhall.config import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f"GOVHALL_{f.name.upper()}" for f in fields(Settings) if f"GOVHALL_{f.name.upper()}" not in readme]
    assert not missing, f"document these settings in README.md: {missing}"


def test_every_route_declares_its_parameters_explicitly(app_settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Litestar 2.23+ warns about inferred path, query, body and dependency parameters (gone in Litestar 3).
    pyproject makes those warnings errors; building the app with every route, the bench-only one included, is
    the check."""
    import warnings

    from litestar.exceptions import LitestarDeprecationWarning

    from govhall.app import create_app
    from govhall.domain.attendance import bench_routes

    monkeypatch.setattr(bench_routes, "ENABLED", True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", LitestarDeprecationWarning)
        app = create_app(app_settings)
    assert "/api/devices/punches/bench-bare" in {r.path for r in app.routes}
