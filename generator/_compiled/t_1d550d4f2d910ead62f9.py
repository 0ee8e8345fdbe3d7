# Generated from generator/templates/k8s/resourcequota-critical-pods.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'a4597ee497cc22b4e9c2ba7332c42c5ec1ae504e6414920609cbedbbcf44c4df'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'k8s/resourcequota-critical-pods.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\n# On GKE, pods of priority class system-node-critical (istio-cni, ztunnel) are admitted outside\n# kube-system only in a namespace with a ResourceQuota for that class.\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: '
    yield str(environment.finalize(t_1((undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n  namespace: '
    yield str(environment.finalize(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace))))
    yield '\nspec:\n  hard:\n    pods: "1000"\n  scopeSelector:\n    matchExpressions:\n    - operator: In\n      scopeName: PriorityClass\n      values:\n      - system-node-critical\n'

blocks = {}
debug_info = '1=21&7=23&8=25'
