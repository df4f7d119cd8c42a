"""The Helm chart, rendered by the real Helm engine and checked against the Kubernetes schemas.

helm-python-sdk binds Helm's Go SDK (no helm binary, no cluster): `helm_python.lint` is
`helm lint`, `Chart.render` is `helm template` including values.schema.json validation.
Every rendered manifest is then validated with kubernetes-validate in strict mode (unknown
fields are errors) against the oldest Kubernetes the chart supports and a current one.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

pytestmark = pytest.mark.chart

REPO = Path(__file__).resolve().parents[2]
CHART_DIR = REPO / "helm" / "lingxi"
PRODUCTION_VALUES = CHART_DIR / "values-production.example.yaml"
DOCKERFILE = REPO / "infra" / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"

RELEASE = "lingxi"
NAMESPACE = "lingxi"
# Oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and a current one.
KUBE_VERSIONS = ("1.27.0", "1.33.0")
LINT_KUBE_VERSION = "v1.33.0"

GRPC_PORTS = {
    "tag": 50051,
    "product": 50052,
    "strategy": 50053,
    "campaign": 50054,
    "channel": 50055,
    "points": 50056,
}
DEPLOYABLES = (*GRPC_PORTS, "gateway")
PER_DEPLOYABLE_KINDS = (
    "Deployment",
    "Service",
    "ServiceAccount",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "ConfigMap",
)
SECRET_ENV = ("DATABASE_URL", "LINGXI_SERVICE_TOKEN", "LINGXI_PII_KEY")
UID = 10001

# Rendered manifests per values variant.
Variants = dict[str, list[dict[str, Any]]]

# Values that switch on every optional template (chart-managed Secrets, NetworkPolicies,
# Ingress, OTLP export, inline API keys) so that they are rendered and validated too.
EVERYTHING_VALUES: dict[str, Any] = {
    "secrets": {
        "create": True,
        "databaseUrl": "postgresql+asyncpg://lingxi:pg-Secret-0xC0FFEE@pg.databases:5432/lingxi",
        "serviceToken": "svc-token-3f9a1c7e5b2d4a6c8e0f",
        "piiKey": "pii-key-Zm9vYmFyYmF6cXV4",
    },
    "otel": {"endpoint": "http://otel-collector.observability:4317"},
    "gateway": {
        "jwt": {
            "issuer": "https://sso.example.com/realms/lingxi",
            "audience": "lingxi-gateway",
            "jwksUrl": "https://sso.example.com/realms/lingxi/certs",
        },
        "apiKeys": {"content": "keys:\n  - id: partner-a\n    hash: apikey-hash-7d1e9b\n"},
    },
    "defaults": {"env": {"LINGXI_FEATURE_X": "on"}},
    "ingress": {"enabled": True, "className": "nginx", "tls": [{"secretName": "gw-tls", "hosts": ["a.b"]}]},
    "networkPolicy": {
        "enabled": True,
        "gateway": {"from": [{"namespaceSelector": {"matchLabels": {"name": "ingress-nginx"}}}]},
    },
}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def parse(rendered: dict[str, str]) -> list[dict[str, Any]]:
    """Rendered templates (path -> text) to one dict per manifest; NOTES.txt is not one."""
    manifests: list[dict[str, Any]] = []
    for path, text in sorted(rendered.items()):
        if path.endswith("NOTES.txt"):
            continue
        manifests += [document for document in yaml.safe_load_all(text) if document]
    return manifests


def render(chart: helm.Chart, values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Render like `helm template lingxi helm/lingxi -n lingxi`."""
    return parse(chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True))


def find(manifests: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    matches = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected exactly one {kind}/{name}, found {len(matches)}"
    return matches[0]


def of_kind(manifests: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m for m in manifests if m["kind"] == kind]


def annotations_of(manifest: dict[str, Any]) -> dict[str, str]:
    return manifest["metadata"].get("annotations") or {}


def hook_weight(manifest: dict[str, Any]) -> int:
    return int(annotations_of(manifest)["helm.sh/hook-weight"])


def pod_template(manifests: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The pod template of deployable `name`'s Deployment."""
    template: dict[str, Any] = find(manifests, "Deployment", deployable_name(name))["spec"]["template"]
    return template


def main_container(manifests: list[dict[str, Any]], name: str) -> dict[str, Any]:
    container: dict[str, Any] = pod_template(manifests, name)["spec"]["containers"][0]
    return container


def config_data(manifests: list[dict[str, Any]], name: str) -> dict[str, str]:
    data: dict[str, str] = find(manifests, "ConfigMap", deployable_name(name))["data"]
    return data


def pod_specs(manifests: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for manifest in manifests:
        if manifest["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
            yield f"{manifest['kind']}/{manifest['metadata']['name']}", manifest["spec"]["template"]["spec"]


def container_env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in container.get("env", [])}


def secret_values(manifests: list[dict[str, Any]]) -> list[str]:
    values = []
    for secret in of_kind(manifests, "Secret"):
        values += [base64.b64decode(v).decode() for v in (secret.get("data") or {}).values()]
        values += list((secret.get("stringData") or {}).values())
    return values


def deployable_name(name: str) -> str:
    return f"{RELEASE}-{name}"


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chart() -> Iterator[helm.Chart]:
    with helm.Chart.load(CHART_DIR) as loaded:
        yield loaded


@pytest.fixture(scope="module")
def production_values() -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load(PRODUCTION_VALUES.read_text(encoding="utf-8"))
    return values


@pytest.fixture(scope="module")
def variants(chart: helm.Chart, production_values: dict[str, Any]) -> Variants:
    return {
        "default": render(chart),
        "production": render(chart, production_values),
        "everything": render(chart, EVERYTHING_VALUES),
    }


VARIANTS = ("default", "production", "everything")


# --------------------------------------------------------------------------------------------
# Helm: lint, schema, render
# --------------------------------------------------------------------------------------------


def test_chart_metadata(chart: helm.Chart) -> None:
    assert chart.metadata["apiVersion"] == "v2"
    assert chart.name == "lingxi"
    assert chart.schema is not None, "values.schema.json must ship with the chart"


@pytest.mark.parametrize("which", ["default", "production"])
def test_helm_lint_is_clean(which: str, production_values: dict[str, Any]) -> None:
    values = production_values if which == "production" else None
    report = helm.lint(CHART_DIR, values, strict=True, namespace=NAMESPACE, kube_version=LINT_KUBE_VERSION)
    assert report["errors"] == []
    # Severity 1 is informational ("icon is recommended"); warnings and errors are not allowed.
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert problems == []


def test_production_example_passes_the_schema(chart: helm.Chart, production_values: dict[str, Any]) -> None:
    chart.validate_schema(production_values)


@pytest.mark.parametrize(
    "bad_values",
    [
        pytest.param({"tag": {"replicas": "two"}}, id="replicas-not-integer"),
        pytest.param({"replicaCount": 3}, id="unknown-top-level-key"),
        pytest.param({"gateway": {"ingres": {"enabled": True}}}, id="typo-in-gateway"),
        pytest.param({"defaults": {"autoscaling": {"maxReplica": 4}}}, id="typo-in-autoscaling"),
        pytest.param({"product": {"grpcPort": 70000}}, id="port-out-of-range"),
        pytest.param({"nats": {"url": "http://nats:4222"}}, id="nats-url-scheme"),
        pytest.param({"environment": "prod"}, id="environment-enum"),
        pytest.param({"defaults": {"env": {"LINGXI_PII_KEY": "oops"}}}, id="secret-in-plain-env"),
        pytest.param({"secrets": {"create": True, "serviceToken": "short", "piiKey": "k"}}, id="weak-token"),
    ],
)
def test_schema_rejects_bad_values(chart: helm.Chart, bad_values: dict[str, Any]) -> None:
    with pytest.raises(helm.HelmValuesError, match="schema"):
        chart.render(bad_values, name=RELEASE, namespace=NAMESPACE)


def test_lint_reports_schema_violations() -> None:
    report = helm.lint(CHART_DIR, {"tag": {"replicas": "two"}}, namespace=NAMESPACE)
    assert any("/tag/replicas" in error for error in report["errors"])


def test_chart_managed_secret_requires_its_values(chart: helm.Chart) -> None:
    values = {"secrets": {"create": True, "serviceToken": "x" * 32, "piiKey": "k"}}
    with pytest.raises(helm.HelmRenderError, match=r"secrets\.databaseUrl is required"):
        chart.render(values, name=RELEASE, namespace=NAMESPACE)


# --------------------------------------------------------------------------------------------
# Kubernetes schemas
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_manifest_is_valid_kubernetes(variants: Variants, variant: str, kube_version: str) -> None:
    manifests = variants[variant]
    assert manifests
    failures = []
    for manifest in manifests:
        try:
            kubernetes_validate.validate(manifest, kube_version, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(part) for part in error.path)
            failures.append(f"{manifest['kind']}/{manifest['metadata']['name']} at {path}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            failures.append(error.message)
    assert failures == []


def test_validated_variants_cover_every_core_template(variants: Variants) -> None:
    kinds = {m["kind"] for variant in VARIANTS for m in variants[variant]}
    assert kinds == {*PER_DEPLOYABLE_KINDS, "Job", "Secret", "NetworkPolicy", "Ingress"}


def test_strict_validation_is_not_vacuous(variants: Variants) -> None:
    deployment = copy.deepcopy(find(variants["default"], "Deployment", deployable_name("tag")))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBE_VERSIONS[-1], strict=True)


# --------------------------------------------------------------------------------------------
# What the chart must contain
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", DEPLOYABLES)
def test_each_deployable_has_its_resources(variants: Variants, variant: str, name: str) -> None:
    manifests = variants[variant]
    full = deployable_name(name)
    resources = {kind: find(manifests, kind, full) for kind in PER_DEPLOYABLE_KINDS}

    deployment = resources["Deployment"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod_labels.items()
    assert selector["app.kubernetes.io/component"] == name
    assert "replicas" not in deployment["spec"], "the HPA owns the replica count"

    assert resources["Service"]["spec"]["selector"] == selector
    assert resources["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"] == selector
    hpa = resources["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": full}
    assert 1 <= hpa["minReplicas"] <= hpa["maxReplicas"]

    pod = deployment["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == full
    container = pod["containers"][0]
    assert container["args"] == ["serve", name]
    assert container["envFrom"] == [{"configMapRef": {"name": full}}]
    assert pod.get("topologySpreadConstraints") or pod.get("affinity", {}).get("podAntiAffinity")


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_pod_is_hardened(variants: Variants, variant: str) -> None:
    pods = list(pod_specs(variants[variant]))
    assert len(pods) == len(DEPLOYABLES) + 2, "seven Deployments and two hook Jobs"
    for where, pod in pods:
        assert pod["automountServiceAccountToken"] is False, where
        pod_security = pod["securityContext"]
        assert pod_security["runAsNonRoot"] is True, where
        assert pod_security["runAsUser"] == UID, where
        assert pod_security["seccompProfile"] == {"type": "RuntimeDefault"}, where
        tmp_volumes = {v["name"] for v in pod["volumes"] if "emptyDir" in v}
        for container in pod["containers"] + pod.get("initContainers", []):
            label = f"{where} container {container['name']}"
            security = container["securityContext"]
            assert security["runAsNonRoot"] is True, label
            assert security["runAsUser"] == UID, label
            assert security["readOnlyRootFilesystem"] is True, label
            assert security["allowPrivilegeEscalation"] is False, label
            assert security.get("privileged", False) is False, label
            assert security["capabilities"] == {"drop": ["ALL"]}, label
            assert security["seccompProfile"] == {"type": "RuntimeDefault"}, label
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= container["resources"][bound].keys(), label
            tmp_mounts = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
            assert len(tmp_mounts) == 1 and tmp_mounts[0]["name"] in tmp_volumes, label


@pytest.mark.parametrize("variant", VARIANTS)
def test_service_accounts_do_not_mount_tokens(variants: Variants, variant: str) -> None:
    for account in of_kind(variants[variant], "ServiceAccount"):
        assert account["automountServiceAccountToken"] is False, account["metadata"]["name"]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", list(GRPC_PORTS))
def test_services_use_native_grpc_probes(variants: Variants, variant: str, name: str) -> None:
    manifests = variants[variant]
    port = GRPC_PORTS[name]
    container = main_container(manifests, name)
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["grpc"]["port"] == port, probe
        assert "httpGet" not in container[probe] and "tcpSocket" not in container[probe]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports["grpc"] == port
    config = config_data(manifests, name)
    assert config["LINGXI_GRPC_PORT"] == str(port)
    assert config["LINGXI_GRPC_HOST"] == "0.0.0.0"
    assert config["LINGXI_METRICS_PORT"] == str(ports["metrics"])
    service = find(manifests, "Service", deployable_name(name))
    service_ports = {p["name"]: p["port"] for p in service["spec"]["ports"]}
    assert service_ports == {"grpc": port, "metrics": ports["metrics"]}


@pytest.mark.parametrize("variant", VARIANTS)
def test_gateway_is_http_with_health_endpoints(variants: Variants, variant: str) -> None:
    manifests = variants[variant]
    container = main_container(manifests, "gateway")
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"http": 8080}
    config = config_data(manifests, "gateway")
    assert config["LINGXI_GATEWAY_HOST"] == "0.0.0.0"
    assert config["LINGXI_GATEWAY_PORT"] == "8080"
    for name, port in GRPC_PORTS.items():
        assert config[f"LINGXI_{name.upper()}_ADDR"] == f"{deployable_name(name)}:{port}"


@pytest.mark.parametrize("variant", VARIANTS)
def test_common_configuration(variants: Variants, variant: str) -> None:
    for name in DEPLOYABLES:
        config = config_data(variants[variant], name)
        assert config["LINGXI_ENVIRONMENT"] == "production"
        assert config["LINGXI_LOG_FORMAT"] == "json"
        assert config["LINGXI_MIGRATE_ON_START"] == "false"
        assert config["NATS_URL"].startswith("nats://")


@pytest.mark.parametrize("variant", VARIANTS)
def test_hook_jobs(variants: Variants, variant: str) -> None:
    manifests = variants[variant]
    migrate = find(manifests, "Job", f"{RELEASE}-migrate")
    provision = find(manifests, "Job", f"{RELEASE}-provision-streams")
    for job, args in ((migrate, ["migrate"]), (provision, ["provision-streams"])):
        hooks = set(annotations_of(job)["helm.sh/hook"].split(","))
        assert hooks == {"pre-install", "pre-upgrade"}
        pod = job["spec"]["template"]["spec"]
        assert pod["restartPolicy"] == "Never"
        assert pod["containers"][0]["args"] == args
        assert SECRET_ENV[0] in container_env(pod["containers"][0])
        account = find(manifests, "ServiceAccount", pod["serviceAccountName"])
        assert "pre-install" in annotations_of(account)["helm.sh/hook"]
        assert hook_weight(account) < hook_weight(job)
    # Streams are provisioned after the schema is migrated.
    assert hook_weight(migrate) < hook_weight(provision)
    for secret in of_kind(manifests, "Secret"):
        if "helm.sh/hook" in annotations_of(secret):
            assert hook_weight(secret) < hook_weight(migrate)


@pytest.mark.parametrize("variant", VARIANTS)
def test_secrets_only_reach_pods_through_secret_refs(variants: Variants, variant: str) -> None:
    manifests = variants[variant]
    for config_map in of_kind(manifests, "ConfigMap"):
        assert not set(SECRET_ENV) & set(config_map["data"]), config_map["metadata"]["name"]
    for where, pod in pod_specs(manifests):
        env = container_env(pod["containers"][0])
        for name in SECRET_ENV:
            assert "value" not in env[name], f"{where}: {name} must not be a literal"
            assert "secretKeyRef" in env[name]["valueFrom"], where


def test_no_secret_value_appears_in_a_config_map(variants: Variants) -> None:
    manifests = variants["everything"]
    secrets = secret_values(manifests)
    assert len(secrets) == 4, "three platform secrets and the API keys file"
    exposed = [
        (config_map["metadata"]["name"], key)
        for config_map in of_kind(manifests, "ConfigMap")
        for key, value in config_map["data"].items()
        for secret in secrets
        if secret in value or value in secret
    ]
    assert exposed == []
    # Nor anywhere outside a Secret, e.g. in a pod annotation or a literal env value.
    outside = json.dumps([m for m in manifests if m["kind"] != "Secret"])
    for secret in secrets:
        assert secret not in outside


def test_chart_managed_secret_is_an_early_hook(variants: Variants) -> None:
    secret = find(variants["everything"], "Secret", f"{RELEASE}-secrets")
    assert set(annotations_of(secret)["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    assert set(secret["data"]) == set(SECRET_ENV)
    mounts = main_container(variants["everything"], "gateway")["volumeMounts"]
    assert {"name": "api-keys", "mountPath": "/etc/lingxi/api-keys", "readOnly": True} in mounts
    config = config_data(variants["everything"], "gateway")
    assert config["LINGXI_API_KEYS_FILE"] == "/etc/lingxi/api-keys/api-keys.yaml"
    assert config["LINGXI_JWT_ISSUER"] == "https://sso.example.com/realms/lingxi"


def test_existing_secrets_are_referenced_by_name(variants: Variants) -> None:
    manifests = variants["production"]
    assert of_kind(manifests, "Secret") == [], "production reads Secrets created out of band"
    env = container_env(main_container(manifests, "tag"))
    database = env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert database == {"name": "lingxi-database-url", "key": "DATABASE_URL"}
    pii = env["LINGXI_PII_KEY"]["valueFrom"]["secretKeyRef"]
    assert pii == {"name": "lingxi-secrets", "key": "LINGXI_PII_KEY"}


def test_config_checksum_rolls_only_the_changed_deployable(chart: helm.Chart) -> None:
    def checksums(values: dict[str, Any] | None) -> dict[str, str]:
        manifests = render(chart, values)
        return {
            name: pod_template(manifests, name)["metadata"]["annotations"]["checksum/config"]
            for name in DEPLOYABLES
        }

    before = checksums(None)
    after = checksums({"campaign": {"env": {"LINGXI_CAMPAIGN_BATCH": "500"}}})
    assert {name for name in DEPLOYABLES if before[name] != after[name]} == {"campaign"}
    moved = checksums({"product": {"grpcPort": 50152}})
    # Everyone who calls the product service gets the new address, and so rolls.
    assert {name for name in DEPLOYABLES if before[name] != moved[name]} == set(DEPLOYABLES)


def test_disabled_deployable_disappears_everywhere(chart: helm.Chart) -> None:
    manifests = render(chart, {"points": {"enabled": False}})
    assert not [m for m in manifests if m["metadata"]["name"] == deployable_name("points")]
    assert "LINGXI_POINTS_ADDR" not in config_data(manifests, "gateway")


def test_fixed_replicas_without_autoscaling(chart: helm.Chart) -> None:
    manifests = render(chart, {"defaults": {"autoscaling": {"enabled": False}, "replicas": 3}})
    assert of_kind(manifests, "HorizontalPodAutoscaler") == []
    for name in DEPLOYABLES:
        assert find(manifests, "Deployment", deployable_name(name))["spec"]["replicas"] == 3


def test_network_policies(variants: Variants) -> None:
    manifests = variants["everything"]
    assert of_kind(variants["default"], "NetworkPolicy") == []
    release_labels = {"app.kubernetes.io/name": "lingxi", "app.kubernetes.io/instance": RELEASE}

    deny = find(manifests, "NetworkPolicy", f"{RELEASE}-default-deny")["spec"]
    assert deny["podSelector"]["matchLabels"] == release_labels
    assert deny["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in deny and "egress" not in deny

    dependencies = find(manifests, "NetworkPolicy", f"{RELEASE}-dependencies")["spec"]
    egress_ports = {port["port"] for rule in dependencies["egress"] for port in rule["ports"]}
    assert {53, 5432, 4222, 4317} <= egress_ports

    grpc = find(manifests, "NetworkPolicy", f"{RELEASE}-grpc-egress")["spec"]
    assert {p["port"] for p in grpc["egress"][0]["ports"]} == set(GRPC_PORTS.values())

    for name, port in GRPC_PORTS.items():
        policy = find(manifests, "NetworkPolicy", deployable_name(name))["spec"]
        grpc_rule = next(rule for rule in policy["ingress"] if rule["ports"][0]["port"] == port)
        assert grpc_rule["from"] == [{"podSelector": {"matchLabels": release_labels}}]

    gateway = find(manifests, "NetworkPolicy", deployable_name("gateway"))["spec"]
    assert gateway["ingress"][0]["ports"] == [{"port": 8080, "protocol": "TCP"}]
    assert gateway["ingress"][0]["from"] == EVERYTHING_VALUES["networkPolicy"]["gateway"]["from"]
    assert any(port["port"] == 443 for rule in gateway["egress"] for port in rule["ports"])


def test_ingress_routes_to_the_gateway(variants: Variants) -> None:
    ingress = find(variants["production"], "Ingress", deployable_name("gateway"))["spec"]
    assert ingress["ingressClassName"] == "nginx"
    backend = ingress["rules"][0]["http"]["paths"][0]["backend"]
    assert backend == {"service": {"name": deployable_name("gateway"), "port": {"name": "http"}}}


def test_service_monitors(chart: helm.Chart) -> None:
    # ServiceMonitor is a Prometheus Operator CRD: kubernetes-validate has no schema for it,
    # so its shape is checked here and it stays off in the validated variants.
    monitors = of_kind(render(chart, {"serviceMonitor": {"enabled": True}}), "ServiceMonitor")
    assert {m["metadata"]["name"] for m in monitors} == {deployable_name(n) for n in DEPLOYABLES}
    for monitor in monitors:
        component = monitor["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
        assert monitor["spec"]["endpoints"][0]["port"] == ("http" if component == "gateway" else "metrics")


def test_release_name_prefixes_every_resource(chart: helm.Chart) -> None:
    manifests = parse(chart.render(name="blue", namespace="ns"))
    names = {m["metadata"]["name"] for m in manifests}
    assert all(name.startswith("blue-lingxi-") for name in names), names
    config = find(manifests, "ConfigMap", "blue-lingxi-gateway")["data"]
    assert config["LINGXI_TAG_ADDR"] == "blue-lingxi-tag:50051"


# --------------------------------------------------------------------------------------------
# The image (no Docker engine here: the Dockerfile is parsed, not built)
# --------------------------------------------------------------------------------------------


def dockerfile_stages() -> list[tuple[str, list[tuple[str, str]]]]:
    """Split the Dockerfile into (FROM argument, [(INSTRUCTION, arguments)]) per stage."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    logical = re.sub(r"\\\n", " ", text)
    global_args: dict[str, str] = {}
    stages: list[tuple[str, list[tuple[str, str]]]] = []
    for raw in logical.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, arguments = line.partition(" ")
        instruction = instruction.upper()
        arguments = arguments.strip()
        if instruction == "FROM":
            image = re.sub(r"\$\{(\w+)\}", lambda m: global_args.get(m.group(1), m.group(0)), arguments)
            stages.append((image, []))
        elif not stages and instruction == "ARG":
            key, _, default = arguments.partition("=")
            global_args[key] = default
        elif stages:
            stages[-1][1].append((instruction, arguments))
    return stages


def test_dockerfile_is_multi_stage_with_a_slim_runtime() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    builder_from, builder = stages[0]
    assert " AS builder" in builder_from
    assert any(i == "RUN" and "pip install ." in a for i, a in builder)
    final_from, final = stages[-1]
    assert final_from.startswith("python:3.11-slim")
    assert any(i == "COPY" and "--from=builder" in a and "/venv" in a for i, a in final)
    assert any(i == "COPY" and a.startswith("infra/") for i, a in final)


def test_dockerfile_final_stage_runs_unprivileged_without_compilers() -> None:
    _, final = dockerfile_stages()[-1]
    users = [a for i, a in final if i == "USER"]
    assert users, "the final stage must set USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert user == str(UID)
    commands = " ".join(a for i, a in final if i == "RUN")
    for tool in ("gcc", "g++", "clang", "build-essential", "make", "cc ", "cargo", "rustc"):
        assert not re.search(rf"(^|[\s=]){re.escape(tool.strip())}(\s|$)", commands), tool
    instructions = dict(final)
    assert json.loads(instructions["ENTRYPOINT"]) == ["lingxi"]
    assert json.loads(instructions["CMD"]) == ["serve", "gateway"]
    labels = " ".join(a for i, a in final if i == "LABEL")
    for key in ("title", "description", "version", "revision", "created", "source"):
        assert f"org.opencontainers.image.{key}=" in labels, key


def test_dockerignore_keeps_local_state_out() -> None:
    patterns = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    for required in (".git/", ".venv/", ".lingxi/", "**/__pycache__"):
        assert required in patterns, required
