# Generated from generator/templates/graph/README.md.j2 (markdown) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'c54db661aba7a5ebc62de148307b2f322c2a50f70045dc46ca776f6d600da347'
JINJA = '3.1.6'
SETTINGS = '761af9ed5ee4350e418533e8f5828dc9c5eb89db46b2433e51890895560b60df'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'graph/README.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_clusters = resolve('clusters')
    l_0_workspaces = resolve('workspaces')
    l_0_tenancy = resolve('tenancy')
    l_0_calls = resolve('calls')
    l_0_details = resolve('details')
    l_0_migration = resolve('migration')
    l_0_at = resolve('at')
    try:
        t_1 = environment.filters['code']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'code' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['line']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'line' found.")
    try:
        t_4 = environment.filters['sh']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'sh' found.")
    pass
    yield '# Estate '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '\n\nRendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield ': do not edit; change the profile and render again.\nEverything below is what this tree makes the clusters do, from the same profile as the manifests.\n\n## Clusters\n'
    for l_1_cluster in (undefined(name='clusters') if l_0_clusters is missing else l_0_clusters):
        _loop_vars = {}
        pass
        yield '\n### '
        yield str(environment.finalize(t_1(environment.getattr(l_1_cluster, 'name'))))
        yield '\n\n'
        yield str(environment.finalize(t_1(environment.getattr(l_1_cluster, 'platform'))))
        yield ', Istio '
        yield str(environment.finalize(t_1(environment.getattr(l_1_cluster, 'istio'))))
        yield ', '
        if environment.getattr(l_1_cluster, 'ambient'):
            pass
            yield 'ambient: ztunnel carries the traffic of ambient namespaces over HBONE, waypoints enforce L7 policy for the Services behind them'
        else:
            pass
            yield 'sidecars only'
        yield '.\n\n'
        if environment.getattr(l_1_cluster, 'diagram'):
            pass
            yield '```mermaid\n'
            yield str(environment.finalize(environment.getattr(l_1_cluster, 'diagram')))
            yield '\n```\n'
        else:
            pass
            yield 'Its '
            yield str(environment.finalize(t_3(t_2(environment.getattr(l_1_cluster, 'namespaces')))))
            yield ' namespaces are too many for one mermaid drawing (at most 50,000 characters); the table lists them.\n'
        yield '\n| Namespace | Dataplane | Waypoint | Apps |\n|---|---|---|---|\n'
        for l_2_ns in environment.getattr(l_1_cluster, 'namespaces'):
            _loop_vars = {}
            pass
            yield '| '
            yield str(environment.finalize(t_1(environment.getattr(l_2_ns, 'name'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_2_ns, 'dataplane'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_2_ns, 'waypoint'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_2_ns, 'apps'))))
            yield ' |\n'
        l_2_ns = missing
    l_1_cluster = missing
    if (undefined(name='workspaces') if l_0_workspaces is missing else l_0_workspaces):
        pass
        yield '\n## Tenancy\n'
        if (undefined(name='tenancy') if l_0_tenancy is missing else l_0_tenancy):
            pass
            yield '\n```mermaid\n'
            yield str(environment.finalize((undefined(name='tenancy') if l_0_tenancy is missing else l_0_tenancy)))
            yield '\n```\n'
        else:
            pass
            yield '\nToo many tenants and workspaces for one mermaid drawing (at most 50,000 characters); the table lists them.\n'
        yield '\n| Tenant | Workspace | Namespaces | Authorization | Propagation |\n|---|---|---|---|---|\n'
        for l_1_row in (undefined(name='workspaces') if l_0_workspaces is missing else l_0_workspaces):
            _loop_vars = {}
            pass
            yield '| '
            yield str(environment.finalize(t_1(environment.getattr(l_1_row, 'tenant'))))
            yield ' | '
            yield str(environment.finalize(t_1(environment.getattr(l_1_row, 'workspace'))))
            yield ' | '
            yield str(environment.finalize(t_1(environment.getattr(l_1_row, 'namespaces'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_1_row, 'authorization'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_1_row, 'propagation'))))
            yield ' |\n'
        l_1_row = missing
    yield '\n## Calls\n'
    if (undefined(name='calls') if l_0_calls is missing else l_0_calls):
        pass
        yield "\nEach namespace's own calls (its curl client calling its app's entry point), and one call for each\nallow or deny rule that names a caller and a callee in one cluster, decided by the workspaces'\nrules (`gen matrix --namespaces` lists every pair):\n\n| Cluster | From | To | Path | Outcome | Enforced by |\n|---|---|---|---|---|---|\n"
        for l_1_call in (undefined(name='calls') if l_0_calls is missing else l_0_calls):
            _loop_vars = {}
            pass
            yield '| '
            yield str(environment.finalize(t_1(environment.getattr(l_1_call, 'cluster'))))
            yield ' | '
            yield str(environment.finalize(t_1(environment.getattr(l_1_call, 'source'))))
            yield ' | '
            yield str(environment.finalize(t_1(environment.getattr(l_1_call, 'target'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_1_call, 'path'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_1_call, 'outcome'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_1_call, 'component'))))
            yield ' |\n'
        l_1_call = missing
        for l_1_call in (undefined(name='calls') if l_0_calls is missing else l_0_calls)[:(undefined(name='details') if l_0_details is missing else l_0_details)]:
            _loop_vars = {}
            pass
            yield '\n'
            yield str(environment.finalize(t_1(environment.getattr(l_1_call, 'source'))))
            yield ' → '
            yield str(environment.finalize(t_1(environment.getattr(l_1_call, 'target'))))
            yield ' on '
            yield str(environment.finalize(t_1(environment.getattr(l_1_call, 'cluster'))))
            yield ': '
            yield str(environment.finalize(t_3(environment.getattr(l_1_call, 'outcome'))))
            yield ', '
            yield str(environment.finalize(t_1(environment.getattr(l_1_call, 'decided_by'))))
            yield '.\n\n```sh\n'
            yield str(environment.finalize(t_4(environment.getattr(l_1_call, 'command'))))
            yield '\n```\n\nExpected: '
            yield str(environment.finalize(t_1(environment.getattr(l_1_call, 'expect'))))
            yield '\n'
        l_1_call = missing
        if (t_2((undefined(name='calls') if l_0_calls is missing else l_0_calls)) > (undefined(name='details') if l_0_details is missing else l_0_details)):
            pass
            yield '\nThe other '
            yield str(environment.finalize(t_3((t_2((undefined(name='calls') if l_0_calls is missing else l_0_calls)) - (undefined(name='details') if l_0_details is missing else l_0_details)))))
            yield " calls' commands and expected outputs are in each cluster's `verify.sh` (`--dry-run` prints them).\n"
    else:
        pass
        yield "\nNo namespace runs a curl client and an app entry point, and no rule names such a pair: the\nworkspaces' rules are listed by `gen matrix --namespaces`.\n"
    if (undefined(name='migration') if l_0_migration is missing else l_0_migration):
        pass
        yield '\n## Migration\n\nThe estate stands at '
        yield str(environment.finalize(t_1((undefined(name='at') if l_0_at is missing else l_0_at))))
        yield " (`migration.at`). Each position is a Git state; `gen plan`\nwrites each one's tree and checks, `PHASE.md` says how to roll forward and back.\n\n| Position | State |\n|---|---|\n"
        for l_1_row in (undefined(name='migration') if l_0_migration is missing else l_0_migration):
            _loop_vars = {}
            pass
            yield '| '
            yield str(environment.finalize(t_1(environment.getattr(l_1_row, 'position'))))
            yield ' | '
            yield str(environment.finalize(t_3(environment.getattr(l_1_row, 'state'))))
            yield ' |\n'
        l_1_row = missing
    yield '\n## After a sync\n\nOnce the GitOps engine has synced a cluster, check it does what this page says:\n'
    for l_1_cluster in (undefined(name='clusters') if l_0_clusters is missing else l_0_clusters):
        _loop_vars = {}
        pass
        yield '\n```sh\nsh '
        yield str(environment.finalize(t_4(environment.getattr(l_1_cluster, 'script'))))
        yield ' --context <kube-context of '
        yield str(environment.finalize(t_3(environment.getattr(l_1_cluster, 'name'))))
        yield '>\n```\n'
    l_1_cluster = missing
    yield '\nEach script checks, in order, and stops at the first mismatch with the expected and the actual\noutput: the ztunnel and istio-cni DaemonSets are ready, each namespace has its dataplane labels,\neach waypoint is `Programmed`, each pod has its containers (no `istio-proxy` in ambient\nnamespaces), `istioctl ztunnel-config workload` shows HBONE for ambient pods, and each call above\ngets its expected outcome. `--dry-run` prints the commands instead of running them.\n'

blocks = {}
debug_info = '1=44&3=46&7=48&9=52&11=54&13=65&15=68&18=73&23=76&24=80&27=90&30=93&33=96&42=102&43=106&48=118&56=121&57=125&59=138&61=142&64=152&67=154&69=157&71=160&78=165&82=168&87=170&88=174&95=180&98=184'
