# Generated from generator/templates/k8s/_container-resources.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'cf9a284ab9cc509958d5b2db90896b7e35cc8214710ddbb9e7afbf97a95097b2'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'k8s/_container-resources.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_container = resolve('container')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    if context.call(environment.getattr(environment.getattr((undefined(name='container') if l_0_container is missing else l_0_container), 'resources'), 'sections')):
        pass
        yield '        resources:\n'
        for (l_1_section, l_1_quantities) in context.call(environment.getattr(environment.getattr((undefined(name='container') if l_0_container is missing else l_0_container), 'resources'), 'sections')):
            _loop_vars = {}
            pass
            yield '          '
            yield str(environment.finalize(t_1(l_1_section)))
            yield ':\n'
            for (l_2_resource, l_2_amount) in l_1_quantities:
                _loop_vars = {}
                pass
                yield '            '
                yield str(environment.finalize(t_1(l_2_resource)))
                yield ': '
                yield str(environment.finalize(t_1(l_2_amount)))
                yield '\n'
            l_2_resource = l_2_amount = missing
        l_1_section = l_1_quantities = missing

blocks = {}
debug_info = '1=18&3=21&4=25&5=27&6=31'
