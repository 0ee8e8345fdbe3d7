# Generated from generator/templates/tsb/_workspace.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '86ee4f5ba5b04b5c6099e022724c4b44500ad859bf3f7681e69ca42061383c2b'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'tsb/_workspace.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_obj = resolve('obj')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    try:
        t_2 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield 'apiVersion: '
    yield str(environment.finalize(t_1(environment.getattr(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'placement'), 'api_version'))))
    yield '\nkind: '
    yield str(environment.finalize(t_1(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'kind'))))
    yield '\nmetadata:\n  name: '
    yield str(environment.finalize(t_1(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'name'))))
    yield '\n'
    if (not t_2(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'namespace'))):
        pass
        yield '  namespace: '
        yield str(environment.finalize(t_1(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'namespace'))))
        yield '\n'
    for (l_1_key, l_1_value) in context.call(environment.getattr(environment.getattr(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'placement'), 'parents'), 'items')):
        _loop_vars = {}
        pass
        yield '  '
        yield str(environment.finalize(t_1(l_1_key)))
        yield ': '
        yield str(environment.finalize(t_1(l_1_value)))
        yield '\n'
    l_1_key = l_1_value = missing
    if environment.getattr(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'placement'), 'annotations'):
        pass
        yield '  annotations:\n'
        for (l_1_key, l_1_value) in context.call(environment.getattr(environment.getattr(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'placement'), 'annotations'), 'items')):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.finalize(t_1(l_1_key)))
            yield ': '
            yield str(environment.finalize(t_1(l_1_value)))
            yield '\n'
        l_1_key = l_1_value = missing
    yield 'spec:\n'
    if (not t_2(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'display_name'))):
        pass
        yield '  displayName: '
        yield str(environment.finalize(t_1(environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'display_name'))))
        yield '\n'
    yield '  namespaceSelector:\n    names:\n'
    for l_1_selector in environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'selectors'):
        _loop_vars = {}
        pass
        yield '    - '
        yield str(environment.finalize(t_1(l_1_selector)))
        yield '\n'
    l_1_selector = missing

blocks = {}
debug_info = '1=25&2=27&4=29&5=31&6=34&8=36&9=40&11=45&13=48&14=52&18=58&19=61&23=64&24=68'
