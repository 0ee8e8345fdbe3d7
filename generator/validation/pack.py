"""The schema pack: every kind gen writes that upstream Kubernetes schemas do not cover (TSB kinds in
both forms, Istio and Gateway API kinds, kustomize, Argo CD and Flux objects) and the two helm
values files, with the enums and patterns of DESIGN.md section 5. kubeconform's layout:
`{group}/{kind}_{version}.json`; the values files under `helm/`."""

from __future__ import annotations

from functools import cache

from .shapes import (
    ANY_OBJECT,
    BOOLEAN,
    DNS_LABEL,
    NON_EMPTY,
    QUANTITY,
    REVISION,
    STRING,
    STRING_MAP,
    Schema,
    array,
    enum,
    object_metadata,
    open_object,
    resource,
    strict,
)
from .tsb_schemas import tsb_schemas

CONTROLPLANE_VALUES = "controlplane-values"
MANAGEMENTPLANE_VALUES = "managementplane-values"

_TARGET_REF = strict(
    {"group": STRING, "kind": enum("Gateway", "GatewayClass", "Service", "ServiceEntry"), "name": NON_EMPTY,
     "namespace": STRING},
    ("kind", "name"),
)
_STRINGS = array(STRING)
_SOURCE = strict({key: _STRINGS for key in (
    "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
    "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts")})
_OPERATION = strict({key: _STRINGS for key in (
    "hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths")})
_ATTACHMENTS = ("selector", "targetRef", "targetRefs")

AUTHORIZATION_POLICY = resource(
    "security.istio.io/v1",
    "AuthorizationPolicy",
    object_metadata(),
    {
        **strict(
            {
                "selector": strict({"matchLabels": STRING_MAP}),
                "targetRef": _TARGET_REF,
                "targetRefs": array(_TARGET_REF, max_items=16),
                "action": enum("ALLOW", "DENY", "AUDIT", "CUSTOM"),
                "provider": strict({"name": NON_EMPTY}, ("name",)),
                "rules": array(
                    strict(
                        {
                            "from": array(strict({"source": _SOURCE})),
                            "to": array(strict({"operation": _OPERATION})),
                            "when": array(strict({"key": NON_EMPTY, "values": _STRINGS, "notValues": _STRINGS},
                                                 ("key",))),
                        }
                    )
                ),
            }
        ),
        # selector, targetRef and targetRefs are mutually exclusive
        "not": {"anyOf": [{"required": [a, b]} for i, a in enumerate(_ATTACHMENTS) for b in _ATTACHMENTS[i + 1:]]},
    },
)

GATEWAY = resource(
    "gateway.networking.k8s.io/v1",
    "Gateway",
    object_metadata(),
    strict(
        {
            "gatewayClassName": NON_EMPTY,
            "listeners": array(
                strict(
                    {"name": DNS_LABEL, "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                     "protocol": NON_EMPTY, "hostname": STRING, "allowedRoutes": ANY_OBJECT, "tls": ANY_OBJECT},
                    ("name", "port", "protocol"),
                )
            ),
            "addresses": array(ANY_OBJECT),
            "infrastructure": ANY_OBJECT,
        },
        ("gatewayClassName", "listeners"),
    ),
)

KUSTOMIZATION = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Kustomization (kustomize.config.k8s.io/v1beta1)",
    **strict(
        {
            "apiVersion": enum("kustomize.config.k8s.io/v1beta1"),
            "kind": enum("Kustomization"),
            "metadata": ANY_OBJECT,
            "resources": array(NON_EMPTY),
            **{key: ANY_OBJECT for key in ("commonLabels", "commonAnnotations", "labels", "patches", "images",
                                           "configMapGenerator", "secretGenerator", "generatorOptions",
                                           "replicas", "buildMetadata", "sortOptions", "openapi")},
            **{key: STRING for key in ("namespace", "namePrefix", "nameSuffix")},
            **{key: array(STRING) for key in ("components", "crds", "transformers", "generators")},
        },
        ("apiVersion", "kind"),
    ),
}

APPLICATION_SET = resource(
    "argoproj.io/v1alpha1",
    "ApplicationSet",
    object_metadata(),
    strict(
        {
            "goTemplate": BOOLEAN,
            "goTemplateOptions": _STRINGS,
            "generators": array(ANY_OBJECT),
            "template": strict({"metadata": ANY_OBJECT, "spec": ANY_OBJECT}, ("metadata", "spec")),
            "syncPolicy": ANY_OBJECT,
            "strategy": ANY_OBJECT,
            "preservedFields": ANY_OBJECT,
            "ignoreApplicationDifferences": array(ANY_OBJECT),
            "templatePatch": STRING,
        },
        ("generators", "template"),
    ),
)

_SOURCE_REF = strict({"kind": enum("GitRepository", "OCIRepository", "Bucket"), "name": NON_EMPTY,
                      "namespace": STRING}, ("kind", "name"))
GIT_REPOSITORY = resource(
    "source.toolkit.fluxcd.io/v1",
    "GitRepository",
    object_metadata(),
    strict(
        {"interval": NON_EMPTY, "url": NON_EMPTY, "ref": strict({k: STRING for k in ("branch", "tag", "semver",
                                                                                     "name", "commit")}),
         "secretRef": strict({"name": NON_EMPTY}, ("name",)), "timeout": STRING, "ignore": STRING,
         "suspend": BOOLEAN, "recurseSubmodules": BOOLEAN, "provider": STRING},
        ("interval", "url"),
    ),
)
FLUX_KUSTOMIZATION = resource(
    "kustomize.toolkit.fluxcd.io/v1",
    "Kustomization",
    object_metadata(),
    strict(
        {"interval": NON_EMPTY, "path": STRING, "prune": BOOLEAN, "sourceRef": _SOURCE_REF,
         "kubeConfig": strict({"secretRef": strict({"name": NON_EMPTY, "key": STRING}, ("name",))}),
         "targetNamespace": STRING, "dependsOn": array(ANY_OBJECT), "timeout": STRING, "wait": BOOLEAN,
         "suspend": BOOLEAN, "serviceAccountName": STRING, "retryInterval": STRING, "force": BOOLEAN},
        ("interval", "prune", "sourceRef"),
    ),
)

V1_LIST = resource("v1", "List", ANY_OBJECT, None, items=array(ANY_OBJECT))
V1_LIST["required"] = ["apiVersion", "kind", "items"]

# --- the helm values files: strict in what gen owns, open where the live values hold the rest ---
_RESOURCES = strict({"requests": strict({k: QUANTITY for k in ("cpu", "memory", "ephemeral-storage")}),
                     "limits": strict({k: QUANTITY for k in ("cpu", "memory", "ephemeral-storage")})})
_WAYPOINT_CONFIG = strict({"enable": BOOLEAN, "disableLabelManagement": BOOLEAN, "revision": REVISION,
                           "resources": _RESOURCES, "overlays": ANY_OBJECT, "annotations": STRING_MAP,
                           "tolerations": array(ANY_OBJECT)})
_AMBIENT = strict(
    {
        "enable": BOOLEAN,
        "ztunnelRevision": REVISION,
        "revision": REVISION,
        "waypoints": strict(
            {
                "clusterLevel": _WAYPOINT_CONFIG,
                "namespaceLevel": array(
                    strict({"name": DNS_LABEL, "selector": strict({"labels": STRING_MAP}, ("labels",)),
                            "config": _WAYPOINT_CONFIG}, ("config",))
                ),
            }
        ),
    }
)
_CNI = strict({"binaryDirectory": {"type": "string", "pattern": "^/"},
               "configurationDirectory": {"type": "string", "pattern": "^/"}, "chained": BOOLEAN,
               "configurationFileName": NON_EMPTY, "cniDaemonsetNamespace": DNS_LABEL, "clusterRole": NON_EMPTY,
               "revision": REVISION})
_PATCH = strict({"path": NON_EMPTY, "value": {}}, ("path",))
_XCP_OVERLAY = open_object({"apiVersion": NON_EMPTY, "kind": NON_EMPTY, "name": NON_EMPTY, "patches": array(_PATCH)},
                           ("apiVersion", "kind", "name"))


def _values(title: str, components: dict[str, Schema]) -> Schema:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **open_object({"spec": open_object({"components": open_object(components)})}, ("spec",)),
    }


# TSB's GitOps component, on the plane that receives the GitOps-form TSB objects.
_GITOPS = open_object({"enabled": BOOLEAN})

CONTROLPLANE = _values(
    "ControlPlane helm values",
    {
        "gitops": _GITOPS,
        "istio": open_object({"ambient": _AMBIENT, "kubeSpec": open_object({"CNI": _CNI})}),
        "spmAgent": open_object({"enabled": BOOLEAN}),
        "xcp": open_object({"kubeSpec": open_object({"overlays": array(_XCP_OVERLAY)})}),
    },
)
MANAGEMENTPLANE = _values(
    "ManagementPlane helm values", {"gitops": _GITOPS, "oap": open_object({"spmAgentReceiverEnabled": BOOLEAN})}
)


@cache
def resource_schemas() -> dict[tuple[str, str], Schema]:
    """(apiVersion, kind) -> schema, for every kind of the pack."""
    schemas = dict(tsb_schemas())
    for schema in (AUTHORIZATION_POLICY, GATEWAY, KUSTOMIZATION, APPLICATION_SET, GIT_REPOSITORY,
                   FLUX_KUSTOMIZATION, V1_LIST):
        properties = schema["properties"]
        schemas[(properties["apiVersion"]["enum"][0], properties["kind"]["enum"][0])] = schema
    return schemas


VALUES_SCHEMAS: dict[str, Schema] = {CONTROLPLANE_VALUES: CONTROLPLANE, MANAGEMENTPLANE_VALUES: MANAGEMENTPLANE}


def values_kind(file_name: str) -> str | None:
    """Which values schema a file follows, by its name (`controlplane-values.yaml`)."""
    stem = file_name.rsplit("/", 1)[-1].removesuffix(".yaml")
    return stem if stem in VALUES_SCHEMAS else None


def pack_path(api_version: str, kind: str) -> str:
    """kubeconform's `{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`."""
    group, _, version = api_version.rpartition("/")
    return f"{group}/{kind.lower()}_{version}.json"

