"""The Helm chart (issue 9): rendered by Helm's own engine for several value sets, every object validated against
the Kubernetes schema, and the promises of the README checked on the rendered objects.

Rendering: ``helm-python-sdk`` (PyPI) binds Helm's Go SDK (v4) through a bundled shared library, so this is
``helm template`` itself (values.schema.json checked, ``fail`` honoured), offline, without a helm binary.
Validation: ``kubernetes-validate`` (PyPI) ships the Kubernetes OpenAPI schemas; strict mode refuses unknown fields.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "govhall"
K8S_VERSION = "1.30.0"  # the oldest version the README promises (kubeVersion >= 1.27; CronJob timeZone is GA)

# Value sets: the defaults (autoscaled, no Redis), one replica, fixed replicas behind a known Ingress with Redis and
# two workers per pod, everything optional off.
VALUE_SETS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "single_no_redis": {"replicaCount": 1, "autoscaling": {"enabled": False}, "redis": {"enabled": False}},
    "fixed_behind_ingress": {
        "replicaCount": 3, "autoscaling": {"enabled": False}, "redis": {"enabled": True}, "workers": 2,
        "trustedProxies": ["10.244.0.0/16", "192.0.2.10"],
        "networkPolicy": {"ingressFrom": [{"namespaceSelector": {"matchLabels": {
            "kubernetes.io/metadata.name": "ingress-nginx"}}}, {"ipBlock": {"cidr": "10.30.0.0/16"}}],
            "egressTo": [{"ipBlock": {"cidr": "10.0.5.0/24"}}]},
        "imagePullSecrets": [{"name": "registry"}],
        "env": {"GOVHALL_LOG_LEVEL": "DEBUG", "GOVHALL_UPLOAD_MAX_BYTES": "5242880"},
    },
    "minimal": {"replicaCount": 1, "autoscaling": {"enabled": False}, "redis": {"enabled": False},
                "migrations": {"enabled": False}, "networkPolicy": {"enabled": False},
                "topologySpread": {"enabled": False},
                "cronJobs": {"evaluate": {"enabled": False}, "auditCheckpoint": {"enabled": False}}},
}


def render(values: dict[str, Any]) -> list[dict[str, Any]]:
    with helm.Chart.load(str(CHART)) as chart:
        manifests = chart.render(values, name="hall", namespace="govhall", is_install=True)
    return [doc for text in manifests.values() for doc in yaml.safe_load_all(text) if doc]


@pytest.fixture(scope="module", params=list(VALUE_SETS))
def rendered(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, Any]]]:
    return request.param, render(VALUE_SETS[request.param])


def by_kind(objs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objs if o["kind"] == kind]


def pod_specs(objs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for o in objs:
        if o["kind"] in ("Deployment", "Job"):
            out.append((o["metadata"]["name"], o["spec"]["template"]["spec"]))
        elif o["kind"] == "CronJob":
            out.append((o["metadata"]["name"], o["spec"]["jobTemplate"]["spec"]["template"]["spec"]))
    return out


def secret_keys(container: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["valueFrom"]["secretKeyRef"]["key"] for e in container.get("env", []) if "valueFrom" in e}


def plain_env(container: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}


# ---- every object is a valid Kubernetes object ----------------------------------------------------------------


def test_every_object_validates_against_the_kubernetes_schema(rendered) -> None:  # type: ignore[no-untyped-def]
    _name, objs = rendered
    assert objs
    for obj in objs:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)  # raises ValidationError with the path


def test_the_validator_does_refuse_a_broken_object() -> None:
    deployment = by_kind(render({}), "Deployment")[0]
    deployment["spec"]["template"]["spec"]["containers"][0]["securityContext"]["runAsUser"] = "root"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)


def test_helm_lint_finds_no_error() -> None:
    assert helm.lint(str(CHART))["errors"] == []


# ---- database roles: the app URL to the app, the owner URL to the migration Job alone ------------------------


def test_app_pods_and_cronjobs_get_the_app_role_url_only(rendered) -> None:  # type: ignore[no-untyped-def]
    _name, objs = rendered
    for name, spec in pod_specs(objs):
        for c in spec["containers"]:
            keys = secret_keys(c)
            if "-migrate-" in name:
                assert keys["GOVHALL_MIGRATION_DATABASE_URL"] == "owner-url"
                assert "GOVHALL_DATABASE_URL" not in keys and "app-url" not in keys.values(), name
            else:
                assert keys["GOVHALL_DATABASE_URL"] == "app-url", name
                assert "GOVHALL_MIGRATION_DATABASE_URL" not in keys and "owner-url" not in keys.values(), name


# ---- pod security "restricted", writable volumes ---------------------------------------------------------------


def test_every_pod_is_restricted_with_writable_volumes_only_where_mounted(rendered) -> None:  # type: ignore[no-untyped-def]
    _name, objs = rendered
    for name, spec in pod_specs(objs):
        psc = spec["securityContext"]
        assert psc["runAsNonRoot"] is True and isinstance(psc["runAsUser"], int) and psc["runAsUser"] > 0, name
        assert psc["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert spec["automountServiceAccountToken"] is False
        mounts_of = {v["name"]: v for v in spec["volumes"]}
        for c in spec["containers"]:
            sc = c["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False and sc["capabilities"] == {"drop": ["ALL"]}, name
            assert sc["readOnlyRootFilesystem"] is True and sc["runAsNonRoot"] is True, name
            assert sc["seccompProfile"] == {"type": "RuntimeDefault"}, name
            mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
            assert mounts["/tmp"] == "tmp" and plain_env(c)["TMPDIR"] == "/tmp"
            assert "emptyDir" in mounts_of["tmp"]
            if "-migrate-" not in name:  # uploads and audit checkpoints: the shared volume, GOVHALL_VAR_DIR
                assert mounts[plain_env(c)["GOVHALL_VAR_DIR"]] == "var"
                assert mounts_of["var"]["persistentVolumeClaim"] == {"claimName": "govhall-var"}


# ---- CronJobs run real commands --------------------------------------------------------------------------------


def test_cronjobs_run_existing_govhall_commands(rendered) -> None:  # type: ignore[no-untyped-def]
    import click

    from govhall.cli import main

    name, objs = rendered
    cron = {o["metadata"]["name"]: o for o in by_kind(objs, "CronJob")}
    if name == "minimal":
        assert cron == {}
        return
    assert set(cron) == {"hall-govhall-evaluate", "hall-govhall-audit-checkpoint"}
    assert cron["hall-govhall-evaluate"]["spec"]["schedule"] == "30 0 * * *"  # nightly, the halls' time
    assert cron["hall-govhall-audit-checkpoint"]["spec"]["schedule"] == "5 * * * *"  # hourly
    for o in cron.values():
        assert o["spec"]["timeZone"] == "Asia/Shanghai" and o["spec"]["concurrencyPolicy"] == "Forbid"
        (container,) = o["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        program, *args = container["command"]
        assert program == "govhall"
        ctx = click.Context(main)
        cmd: Any = main
        for word in args:  # each word names a subcommand of the one before
            cmd = cmd.get_command(ctx, word)
            assert cmd is not None, f"govhall {' '.join(args)}: no such command"
        assert not isinstance(cmd, click.Group), "the CronJob must run a command, not list a group's help"


# ---- replicas, Redis, PDB, HPA, spread, proxies ----------------------------------------------------------------


def test_pdb_only_with_more_than_one_replica_and_redis_optional(rendered) -> None:  # type: ignore[no-untyped-def]
    name, objs = rendered
    (deployment,) = by_kind(objs, "Deployment")
    app = deployment["spec"]["template"]["spec"]["containers"][0]
    multi = name in ("defaults", "fixed_behind_ingress")
    assert bool(by_kind(objs, "PodDisruptionBudget")) == multi
    assert ("GOVHALL_REDIS_URL" in secret_keys(app)) == (name == "fixed_behind_ingress")  # optional, off by default
    assert app["command"][-2:] == ["--workers", str(VALUE_SETS[name].get("workers", 1))]
    assert bool(by_kind(objs, "HorizontalPodAutoscaler")) == (name == "defaults")
    if name != "defaults":
        assert deployment["spec"]["replicas"] == VALUE_SETS[name]["replicaCount"]


def test_several_replicas_need_no_redis() -> None:
    """Issue 16: sessions and login counters live in the database (store_entry), change notices go through
    PostgreSQL NOTIFY, so several replicas (and several workers per pod) render without Redis."""
    for values in ({"redis": {"enabled": False}},  # the default HPA runs 2 to 10 pods
                   {"replicaCount": 4, "workers": 3, "autoscaling": {"enabled": False}, "redis": {"enabled": False}}):
        (deployment,) = by_kind(render(values), "Deployment")
        app = deployment["spec"]["template"]["spec"]["containers"][0]
        assert "GOVHALL_REDIS_URL" not in secret_keys(app)
    with pytest.raises(helm.HelmRenderError, match="existingSecret"):
        render({"redis": {"enabled": True, "existingSecret": ""}})


def test_topology_spread_and_network_policy(rendered) -> None:  # type: ignore[no-untyped-def]
    name, objs = rendered
    spec = by_kind(objs, "Deployment")[0]["spec"]["template"]["spec"]
    policies = by_kind(objs, "NetworkPolicy")
    if name == "minimal":
        assert "topologySpreadConstraints" not in spec and policies == []
        return
    keys = [c["topologyKey"] for c in spec["topologySpreadConstraints"]]
    assert keys == ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]
    for c in spec["topologySpreadConstraints"]:
        assert c["labelSelector"]["matchLabels"] == by_kind(objs, "Deployment")[0]["spec"]["selector"]["matchLabels"]
    (policy,) = policies
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert policy["spec"]["ingress"][0]["ports"] == [{"port": 8000, "protocol": "TCP"}]
    egress_ports = {p["port"] for rule in policy["spec"]["egress"] for p in rule["ports"]}
    assert egress_ports == {53, 5432, 6379}
    if name == "fixed_behind_ingress":
        assert policy["spec"]["ingress"][0]["from"][1] == {"ipBlock": {"cidr": "10.30.0.0/16"}}
        assert policy["spec"]["egress"][1]["to"] == [{"ipBlock": {"cidr": "10.0.5.0/24"}}]
    else:
        assert "from" not in policy["spec"]["ingress"][0]


def test_trusted_proxies_reach_the_app(rendered) -> None:  # type: ignore[no-untyped-def]
    name, objs = rendered
    for pod, spec in pod_specs(objs):
        env = plain_env(spec["containers"][0])
        if name == "fixed_behind_ingress" and "-migrate-" not in pod:
            assert env["GOVHALL_TRUSTED_PROXIES"] == "10.244.0.0/16,192.0.2.10"
            assert env["GOVHALL_LOG_LEVEL"] == "DEBUG"
        else:
            assert "GOVHALL_TRUSTED_PROXIES" not in env


def test_migration_job_is_a_pre_install_hook() -> None:
    (job,) = by_kind(render({}), "Job")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == ["govhall", "db", "upgrade"]


# ---- values.schema.json ----------------------------------------------------------------------------------------


def _schema_paths(schema: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    out = {}
    for key, sub in schema.get("properties", {}).items():
        out[prefix + key] = sub
        out.update(_schema_paths(sub, f"{prefix}{key}."))
    return out


def _value_paths(values: dict[str, Any], schema: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, value in values.items():
        out.append(prefix + key)
        sub = schema.get("properties", {}).get(key, {})
        if isinstance(value, dict) and "properties" in sub:
            out += _value_paths(value, sub, f"{prefix}{key}.")
    return out


def test_every_value_has_a_described_schema_entry() -> None:
    schema = json.loads((CHART / "values.schema.json").read_text())
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    described = _schema_paths(schema)
    for path in _value_paths(values, schema):
        assert path in described, f"values.yaml {path}: not in values.schema.json"
    for path, sub in described.items():
        assert len(sub.get("description", "")) > 10, f"values.schema.json {path}: no description"


@pytest.mark.parametrize("bad", [
    {"replicaCount": 0},
    {"imagee": {}},  # a typo is refused, not ignored
    {"database": {"appRole": "Robert'); DROP"}},
    {"env": {"GOVHALL_DATABASE_URL": "postgresql://owner@db/govhall"}},  # URLs come from the Secret only
    {"trustedProxies": ["ingress.example"]},
    {"podSecurityContext": {"runAsUser": 0}},
])
def test_the_schema_refuses_bad_values(bad: dict[str, Any]) -> None:
    with pytest.raises(helm.HelmValuesError):
        render(bad)


# ---- the image the chart names ---------------------------------------------------------------------------------


def test_the_dockerfile_builds_the_image_the_chart_runs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert chart["appVersion"] == values["image"]["tag"] == version
    assert f"{values['image']['repository']}:{values['image']['tag']}" in dockerfile  # the build command it documents
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] == f"{values['podSecurityContext']['runAsUser']}:{values['podSecurityContext']['runAsGroup']}"
    assert re.search(r"^FROM node:\S+ AS ui", dockerfile, re.M)  # multi-stage: the UI is built in the image
    assert "uv sync --frozen" in dockerfile and "--no-dev" in dockerfile
    assert re.search(r'^ENTRYPOINT|^CMD \["govhall", "serve"', dockerfile, re.M)
