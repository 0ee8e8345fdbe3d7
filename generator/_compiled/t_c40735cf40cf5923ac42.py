# Generated from generator/templates/delivery/gitrepository.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '8536f1d100bf38a06f34f60851cd56d3bf7d34333e697e3f4f7e2b263cdbdf06'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'delivery/gitrepository.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_repo_url = resolve('repo_url')
    l_0_revision = resolve('revision')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\n# The Git repository Flux reads the tree from. Apply this to the cluster that runs Flux.\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: '
    yield str(environment.finalize(t_1((undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n  namespace: '
    yield str(environment.finalize(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace))))
    yield '\nspec:\n  interval: 1m\n  url: '
    yield str(environment.finalize(t_1((undefined(name='repo_url') if l_0_repo_url is missing else l_0_repo_url))))
    yield '\n  ref:\n    branch: '
    yield str(environment.finalize(t_1((undefined(name='revision') if l_0_revision is missing else l_0_revision))))
    yield '\n'

blocks = {}
debug_info = '1=23&6=25&7=27&10=29&12=31'
