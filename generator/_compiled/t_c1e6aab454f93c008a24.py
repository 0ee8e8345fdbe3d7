# Generated from generator/templates/delivery/flux-kustomization.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'dbe8b376952183ce78e5920c0caeb5108ca00fee3ff39e995f4ec253190ee751'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'delivery/flux-kustomization.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_directory = resolve('directory')
    l_0_remote = resolve('remote')
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_source = resolve('source')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\n# Applies '
    yield str(environment.finalize(t_1(environment.getattr((undefined(name='directory') if l_0_directory is missing else l_0_directory), 'path'))))
    yield ' to cluster '
    yield str(environment.finalize(t_1(environment.getattr((undefined(name='directory') if l_0_directory is missing else l_0_directory), 'cluster'))))
    if (undefined(name='remote') if l_0_remote is missing else l_0_remote):
        pass
        yield ' through the kubeconfig in\n# Secret '
        yield str(environment.finalize(t_1(str_join((environment.getattr((undefined(name='directory') if l_0_directory is missing else l_0_directory), 'cluster'), '-kubeconfig', )))))
        yield ' (key value) beside this object'
    yield '.\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: '
    yield str(environment.finalize(t_1((undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n  namespace: '
    yield str(environment.finalize(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace))))
    yield '\nspec:\n  interval: 10m\n  path: '
    yield str(environment.finalize(t_1(str_join(('./', environment.getattr((undefined(name='directory') if l_0_directory is missing else l_0_directory), 'path'), )))))
    yield '\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: '
    yield str(environment.finalize(t_1((undefined(name='source') if l_0_source is missing else l_0_source))))
    yield '\n'
    if (undefined(name='remote') if l_0_remote is missing else l_0_remote):
        pass
        yield '  kubeConfig:\n    secretRef:\n      name: '
        yield str(environment.finalize(t_1(str_join((environment.getattr((undefined(name='directory') if l_0_directory is missing else l_0_directory), 'cluster'), '-kubeconfig', )))))
        yield '\n'

blocks = {}
debug_info = '1=24&2=26&3=32&7=35&8=37&11=39&15=41&16=43&19=46'
