"""For random tenants, workspaces, settings and rule sets, `gen matrix` decides every pair as the
RULES semantics and propagation of DESIGN.md section 5b say.

The expected decision is worked out here from the model alone, without gen's matrix internals:
the callee's tenant setting and workspace setting are combined by the tenant's strategy (REPLACE
unless STRICTER), then the mode in force decides.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.matrix import workspace_matrix
from generator.problems import ProfilePath
from generator.profile.model import (
    Authorization,
    AuthorizationMode,
    ManagementPlane,
    Profile,
    PropagationStrategy,
    Rule,
    SecuritySettings,
    TenancyRef,
    Tenant,
    TrafficMode,
    Tsb,
    Version,
    Workspace,
)

# DESIGN.md 5b, weakest first.
STRICTNESS = ["UNSET", "DISABLED", "CLUSTER", "WORKSPACE", "NAMESPACE", "GROUP", "RULES", "CUSTOM"]
# RULES, the mode with the most to get wrong, is drawn about two times in three.
MODES = [AuthorizationMode.RULES] * 15 + list(AuthorizationMode)
# None is REPLACE too; STRICTER, with its two rule sets, is drawn half of the time.
STRATEGIES = [None, PropagationStrategy.REPLACE, PropagationStrategy.STRICTER, PropagationStrategy.STRICTER]
TENANT_NAMES = ["t0", "t1", "t2"]
WORKSPACE_NAMES = ["w0", "w1", "w2"]


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    tenant_names = draw(st.lists(st.sampled_from(TENANT_NAMES), min_size=1, max_size=3, unique=True))
    layout = {
        t: draw(st.lists(st.sampled_from(WORKSPACE_NAMES), min_size=1, max_size=3, unique=True)) for t in tenant_names
    }
    refs = [TenancyRef(t) for t in tenant_names] + [TenancyRef(t, w) for t, ws in layout.items() for w in ws]

    def security(path: ProfilePath) -> SecuritySettings | None:
        if draw(st.integers(0, 7)) == 0:
            return None
        authorization = None
        if draw(st.integers(0, 7)) > 0:
            auth_path = (*path, "authorization")

            def rules(kind: str, most: int) -> tuple[Rule, ...]:
                pairs = draw(st.lists(st.tuples(st.sampled_from(refs), st.sampled_from(refs)), max_size=most))
                return tuple(Rule(source, target, (*auth_path, kind, i)) for i, (source, target) in enumerate(pairs))

            authorization = Authorization(
                mode=draw(st.sampled_from(MODES)),
                allow=rules("allow", 3),
                deny=rules("deny", 1),
                path=auth_path,
                deny_all=draw(st.integers(0, 7)) == 0,
            )
        return SecuritySettings(
            setting_name="s",
            propagation=draw(st.sampled_from(STRATEGIES)),
            authorization=authorization,
            path=path,
            traffic_mode=draw(st.sampled_from([None, *TrafficMode])),
        )

    tenants = []
    for i, name in enumerate(tenant_names):
        path: ProfilePath = ("tenants", i)
        workspaces = tuple(
            Workspace(
                w,
                name,
                None,
                (f"*/{name}-{w}",),
                security((*path, "workspaces", j, "security")),
                (*path, "workspaces", j),
            )
            for j, w in enumerate(layout[name])
        )
        tenants.append(Tenant(name, workspaces, path, security=security((*path, "security"))))
    tsb = Tsb(Version.parse("1.12.1"), "o", "g", ("tsb",))
    return Profile("p", tsb, ManagementPlane("mp", ("managementPlane",)), (), tuple(tenants), ())


def _names(ref: TenancyRef, workspace: Workspace) -> bool:
    return ref.tenant == workspace.tenant and ref.workspace in (None, workspace.name)


def _in_force(tenant: Tenant, callee: Workspace) -> list[Authorization]:
    """The authorizations that hold at `callee`, after propagation from its tenant."""

    def defined(setting: SecuritySettings | None) -> Authorization | None:
        authorization = setting.authorization if setting else None
        return authorization if authorization and authorization.mode is not AuthorizationMode.UNSET else None

    parent, child = defined(tenant.security), defined(callee.security)
    stricter = tenant.security is not None and tenant.security.propagation is PropagationStrategy.STRICTER
    if parent is None or child is None:
        return [a for a in (parent, child) if a is not None]
    if not stricter:
        return [child]
    if parent.mode is child.mode is AuthorizationMode.RULES:
        return [parent, child]
    return [parent if STRICTNESS.index(parent.mode.value) >= STRICTNESS.index(child.mode.value) else child]


def expected_decision(tenant: Tenant, caller: Workspace, callee: Workspace) -> str:
    in_force = _in_force(tenant, callee)
    if not in_force:
        return "allow"
    mode = in_force[0].mode.value
    same = (caller.tenant, caller.name) == (callee.tenant, callee.name)
    if mode == "DISABLED":
        return "allow"
    if mode == "WORKSPACE":
        return "allow" if same else "deny"
    if mode in ("NAMESPACE", "GROUP"):
        return "conditional" if same else "deny"
    if mode in ("CLUSTER", "CUSTOM"):
        return "conditional"

    def hit(rule: Rule) -> bool:
        return _names(rule.source, caller) and _names(rule.target, callee)

    if any(a.deny_all for a in in_force) or any(hit(r) for a in in_force for r in a.deny):
        return "deny"
    return "allow" if all(any(hit(r) for r in a.allow) for a in in_force if a.allow) else "deny"


def _rule_at(profile: Profile, path: ProfilePath) -> Rule | None:
    for tenant in profile.tenants:
        for setting in (tenant.security, *(w.security for w in tenant.workspaces)):
            authorization = setting.authorization if setting else None
            for rule in (*authorization.allow, *authorization.deny) if authorization else ():
                if rule.path == path:
                    return rule
    return None


@settings(max_examples=150, deadline=None, database=None)
@given(profiles())
def test_matrix_agrees_with_the_rules_semantics(profile: Profile) -> None:
    workspaces = {str(w.ref): (tenant, w) for tenant in profile.tenants for w in tenant.workspaces}
    entries = workspace_matrix(profile)
    assert [(e.source, e.target) for e in entries] == [(a, b) for a in workspaces for b in workspaces]
    for entry in entries:
        (_, caller), (tenant, callee) = workspaces[entry.source], workspaces[entry.target]
        assert entry.decision.value == expected_decision(tenant, caller, callee), entry
        # A decision that names a rule names one that matches this pair, of the kind decided.
        rule = _rule_at(profile, entry.path) if entry.path else None
        if rule is not None:
            assert _names(rule.source, caller) and _names(rule.target, callee), entry
            assert entry.path is not None and entry.path[-2] == ("allow" if entry.decision.value == "allow" else "deny")
