"""The profile's `migration:` section: ordered phases that move namespaces from sidecars to ambient.

    migration:
      phases:
      - name: client                 # a DNS label: names the phase's folder, 01-client
        namespaces: [client]         # a namespace on every cluster that declares it,
      - name: httpbin                # or <cluster>/<namespace> for one cluster's
        namespaces: [cp-cluster-1/httpbin]

      at: httpbin                    # where the migration stands (default: baseline); `gen render`
                                     # renders that state, advancing is this one line

The namespaces' `dataplane:` is the state before the migration (phase 0, the baseline); each phase
moves the namespaces it lists from `sidecar` to `ambient`. The references are checked by
checks/migration.py; what holds at every phase by migration/invariant.py.
"""

from __future__ import annotations

from typing import Any

from .schema_types import _name, _named_list, _record

# `<namespace>` or `<cluster>/<namespace>`, both DNS-1123 labels.
NAMESPACE_REF = r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z"
MAX_PHASES = 99  # folders are numbered with two digits, 01-<name> to 99-<name>

PHASE: dict[str, Any] = {
    "name": _name(),
    "namespaces": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "schema": {"type": "string", "regex": NAMESPACE_REF, "maxlength": 127, "meta": {"format": "namespace-ref"}},
    },
}

# `baseline`, `<phase>` (the phase done) or `<phase>/<step>` (prepare, move or clean-up); which
# phases and steps exist is migration/steps.py's to say, with a located error.
POSITION = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(/(prepare|move|cleanup))?\Z"

MIGRATION: dict[str, Any] = _record(
    {
        "phases": _named_list(PHASE, required=True, minlength=1) | {"maxlength": MAX_PHASES},
        "at": {"type": "string", "required": False, "empty": False, "regex": POSITION, "maxlength": 127,
               "meta": {"format": "migration-position"}},
    }
)
