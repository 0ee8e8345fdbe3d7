# Generated from generator/templates/init/profile.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'd0366cc46604f3dee647c9265188f8484a10a37b12e395b93aafa182a5406d70'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'init/profile.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_kit = resolve('kit')
    l_0_clusters = resolve('clusters')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# yaml-language-server: $schema=profile.schema.json\n# A starter profile made by `gen init`. Edit it, then `gen render` it. Your editor checks it as you\n# type against the schema named above: write it beside this file with `gen schema -o profile.schema.json`.\nprofile: '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '                  # names the output folder out/<profile>/\n'
    if (undefined(name='kit') if l_0_kit is missing else l_0_kit):
        pass
        yield 'kit: ['
        yield str(environment.finalize(t_1((undefined(name='kit') if l_0_kit is missing else l_0_kit))))
        yield "]                # the team's templating kit, relative to this file (its README)\n"
    yield '\ntsb:\n  version: "1.12.1"                  # ambient needs TSB >= 1.12.1\n  organization: my-org\n  gitopsNamespace: tsb-gitops        # management-plane namespace the TSB objects are applied to\n\nmanagementPlane:\n  cluster: tsb-mp                    # names out/<profile>/management-plane/<cluster>/\n\nclusters:\n'
    for l_1_cluster in (undefined(name='clusters') if l_0_clusters is missing else l_0_clusters):
        l_1_platform = resolve('platform')
        _loop_vars = {}
        pass
        yield '- name: '
        yield str(environment.finalize(t_1(l_1_cluster)))
        yield '\n  platform: '
        yield str(environment.finalize(t_1((undefined(name='platform') if l_1_platform is missing else l_1_platform))))
        yield '              # gke eks aks openshift k3s k3d kind minikube microk8s generic\n  istio:\n    version: "1.24.3"                # ambient needs Istio >= 1.24\n    namespace: istio-system\n  ambient:\n    enabled: true                    # off unless switched on\n    waypoints:\n      mode: tsb-managed              # tsb-managed | explicit | off\n'
    l_1_cluster = l_1_platform = missing
    yield '\ntenants:\n- name: my-tenant\n  workspaces:\n  - name: demo-ws\n    namespaces: ["*/demo"]           # <cluster>/<namespace>; \'*\' wildcards, \'prefix*\'\n    security:\n      propagation: STRICTER\n      authorization:\n        mode: RULES\n        allow:\n        - {from: demo-ws, to: demo-ws}\n\nnamespaces:\n- name: demo\n  clusters: ['
    l_1_loop = missing
    for l_1_cluster, l_1_loop in LoopContext((undefined(name='clusters') if l_0_clusters is missing else l_0_clusters), undefined):
        _loop_vars = {}
        pass
        yield str(environment.finalize(t_1(l_1_cluster)))
        if (not environment.getattr(l_1_loop, 'last')):
            pass
            yield ', '
    l_1_loop = l_1_cluster = missing
    yield "]\n  dataplane: ambient                 # ambient | sidecar | none\n  apps: [caffeine]                   # demo apps from the built-in catalog\n\n# delivery:                          # optional: the GitOps engine's objects under delivery/\n#   engine: argocd                   # argocd | flux\n#   repoURL: https://git.example.com/platform/gitops.git\n#   revision: main\n#   path: out\n"

blocks = {}
debug_info = '4=21&5=23&6=26&18=29&19=34&20=36&44=41'
