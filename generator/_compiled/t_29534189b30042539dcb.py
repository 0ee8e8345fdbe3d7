# Generated from generator/templates/k8s/namespace.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '975938ebb02e960db9462361d75955251ba29a498bb9098989f815168956d551'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'k8s/namespace.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_notes = resolve('notes')
    l_0_name = resolve('name')
    l_0_labels = resolve('labels')
    try:
        t_1 = environment.filters['comment']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'comment' found.")
    try:
        t_2 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_2((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\n'
    for l_1_line in (undefined(name='notes') if l_0_notes is missing else l_0_notes):
        _loop_vars = {}
        pass
        yield str(environment.finalize(t_1(l_1_line)))
        yield '\n'
    l_1_line = missing
    yield 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: '
    yield str(environment.finalize(t_2((undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n'
    if (undefined(name='labels') if l_0_labels is missing else l_0_labels):
        pass
        yield '  labels:\n'
        for (l_1_key, l_1_value) in context.call(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'items')):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.finalize(t_2(l_1_key)))
            yield ': '
            yield str(environment.finalize(t_2(l_1_value)))
            yield '\n'
        l_1_key = l_1_value = missing

blocks = {}
debug_info = '1=28&2=30&3=33&8=37&9=39&11=42&12=46'
