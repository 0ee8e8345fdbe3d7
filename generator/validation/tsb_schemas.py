"""TSB kinds (Tenant, TenantSetting, Workspace, WorkspaceSetting, security Group), in both object
forms: GitOps (`tsb.tetrate.io/v2`, hierarchy in annotations) and tctl (`api.tsb.tetrate.io/v2`,
hierarchy in metadata). The specs are the same in both; enums and patterns as TSB's API says."""

from __future__ import annotations

from .shapes import (
    ANY_OBJECT,
    BOOLEAN,
    DNS_LABEL,
    NON_EMPTY,
    STRING,
    STRING_MAP,
    Schema,
    array,
    enum,
    object_metadata,
    resource,
    strict,
)

GITOPS_API = "tsb.tetrate.io/v2"
TCTL_API = "api.tsb.tetrate.io/v2"
SECURITY_API = "security.tsb.tetrate.io/v2"

NAMESPACE_SELECTOR_ITEM: Schema = {"type": "string", "pattern": "^(\\*|[^/*]+)/(\\*|[^/*]+\\*?)$"}
FQN: Schema = {
    "type": "string",
    "pattern": "^organizations/[^/]+/tenants/[^/]+(/workspaces/[^/]+(/securitygroups/[^/]+)?)?$",
}
RULE: Schema = strict({"from": strict({"fqn": FQN}, ("fqn",)), "to": strict({"fqn": FQN}, ("fqn",))}, ("from", "to"))

SECURITY_SETTING: Schema = strict(
    {
        "authenticationSettings": strict(
            {"trafficMode": enum("UNSET", "OPTIONAL", "REQUIRED"), "http": ANY_OBJECT}
        ),
        "authorization": strict(
            {
                "mode": enum("UNSET", "NAMESPACE", "GROUP", "WORKSPACE", "CLUSTER", "DISABLED", "CUSTOM", "RULES"),
                "http": ANY_OBJECT,
                "serviceAccounts": array(STRING),
                "rules": strict({"allow": array(RULE), "deny": array(RULE), "denyAll": BOOLEAN}),
            }
        ),
        "propagationStrategy": enum("REPLACE", "STRICTER"),
        "extension": array(ANY_OBJECT),
        "waf": ANY_OBJECT,
        "displayName": STRING,
    }
)

COMMON: dict[str, Schema] = {
    "displayName": STRING,
    "description": STRING,
    "etag": STRING,
    "fqn": STRING,
    "configGenerationMetadata": ANY_OBJECT,
    "deletionProtectionEnabled": BOOLEAN,
}

SPECS: dict[str, Schema] = {
    "Tenant": strict({**COMMON, "securityDomain": STRING}),
    "TenantSetting": strict(
        {**COMMON, "defaultSecuritySetting": SECURITY_SETTING, "defaultTrafficSetting": ANY_OBJECT}
    ),
    "Workspace": strict(
        {
            **COMMON,
            "namespaceSelector": strict({"names": array(NAMESPACE_SELECTOR_ITEM)}, ("names",)),
            "privileged": BOOLEAN,
            "isolationBoundary": STRING,
        },
        ("namespaceSelector",),
    ),
    "WorkspaceSetting": strict(
        {
            **COMMON,
            "defaultSecuritySetting": SECURITY_SETTING,
            "defaultTrafficSetting": ANY_OBJECT,
            "defaultEastWestGatewaySettings": array(ANY_OBJECT),
            "regionalFailover": array(ANY_OBJECT),
            "failoverSettings": ANY_OBJECT,
        }
    ),
    "Group": strict(
        {
            **COMMON,
            "namespaceSelector": strict({"names": array(NAMESPACE_SELECTOR_ITEM)}, ("names",)),
            "configMode": enum("BRIDGED", "DIRECT"),
        },
        ("namespaceSelector",),
    ),
}

# Which parents each kind names: (hierarchy keys, the ones that must be present).
HIERARCHY: dict[str, tuple[str, ...]] = {
    "Tenant": ("organization",),
    "TenantSetting": ("organization", "tenant"),
    "Workspace": ("organization", "tenant"),
    "WorkspaceSetting": ("organization", "tenant", "workspace"),
    "Group": ("organization", "tenant", "workspace"),
}


def _gitops_metadata(kind: str) -> Schema:
    keys = HIERARCHY[kind]
    annotations: Schema = {
        "type": "object",
        "properties": {f"tsb.tetrate.io/{key}": {"type": "string", "minLength": 1} for key in keys},
        "required": [f"tsb.tetrate.io/{key}" for key in keys],
        "additionalProperties": {"type": "string"},
    }
    metadata = object_metadata()
    metadata["properties"] = {**metadata["properties"], "annotations": annotations}
    metadata["required"] = ["name", "namespace", "annotations"]
    return metadata


def _tctl_metadata(kind: str) -> Schema:
    keys = HIERARCHY[kind]
    properties: dict[str, Schema] = {"name": DNS_LABEL, "labels": STRING_MAP, "annotations": STRING_MAP}
    properties.update({key: NON_EMPTY for key in ("organization", "tenant", "workspace", "group")})
    return strict(properties, ("name", *keys))


def tsb_schemas() -> dict[tuple[str, str], Schema]:
    """(apiVersion, kind) -> schema, both forms of every TSB kind gen may write."""
    schemas: dict[tuple[str, str], Schema] = {}
    for kind, spec in SPECS.items():
        if kind == "Group":  # security groups keep their apiVersion in both forms: either metadata
            metadata: Schema = {"oneOf": [_gitops_metadata(kind), _tctl_metadata(kind)]}
            schemas[(SECURITY_API, kind)] = resource(SECURITY_API, kind, metadata, spec)
            continue
        schemas[(GITOPS_API, kind)] = resource(GITOPS_API, kind, _gitops_metadata(kind), spec)
        schemas[(TCTL_API, kind)] = resource(TCTL_API, kind, _tctl_metadata(kind), spec)
    return schemas
