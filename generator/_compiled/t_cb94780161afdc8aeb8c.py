# Generated from generator/templates/k8s/kustomization.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'e4638d03258c9052e8b4103078cc963a06a4a1878c2d812ab26f9b39bb574268'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'k8s/kustomization.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_resources = resolve('resources')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n'
    for l_1_file in (undefined(name='resources') if l_0_resources is missing else l_0_resources):
        _loop_vars = {}
        pass
        yield '- '
        yield str(environment.finalize(t_1(l_1_file)))
        yield '\n'
    l_1_file = missing

blocks = {}
debug_info = '1=20&5=22&6=26'
