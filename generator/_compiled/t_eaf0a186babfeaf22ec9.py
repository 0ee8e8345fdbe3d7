# Generated from generator/templates/k8s/_selector.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '5b8041433de0d16a77cd433d1475f28854574cf8b85a50c39526c0c410cc1a29'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'k8s/_selector.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_selector = resolve('selector')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '  selector:\n    matchLabels:\n'
    for (l_1_key, l_1_value) in context.call(environment.getattr((undefined(name='selector') if l_0_selector is missing else l_0_selector), 'items')):
        _loop_vars = {}
        pass
        yield '      '
        yield str(environment.finalize(t_1(l_1_key)))
        yield ': '
        yield str(environment.finalize(t_1(l_1_value)))
        yield '\n'
    l_1_key = l_1_value = missing

blocks = {}
debug_info = '3=19&4=23'
