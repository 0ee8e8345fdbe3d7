# Generated from generator/templates/istio/authorizationpolicy.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '59469b2bdd896a1571aa26937ff35c7b9659e26429b42fd1f03ec02596f761da'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'istio/authorizationpolicy.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_notes = resolve('notes')
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_annotations = resolve('annotations')
    l_0_spec = resolve('spec')
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
    try:
        t_3 = environment.filters['yaml_block']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'yaml_block' found.")
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
    yield 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: '
    yield str(environment.finalize(t_2((undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n  namespace: '
    yield str(environment.finalize(t_2((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace))))
    yield '\n'
    if (undefined(name='labels') if l_0_labels is missing else l_0_labels):
        pass
        yield '  labels:\n'
        for (l_1_key, l_1_value) in (undefined(name='labels') if l_0_labels is missing else l_0_labels):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.finalize(t_2(l_1_key)))
            yield ': '
            yield str(environment.finalize(t_2(l_1_value)))
            yield '\n'
        l_1_key = l_1_value = missing
    if (undefined(name='annotations') if l_0_annotations is missing else l_0_annotations):
        pass
        yield '  annotations:\n'
        for (l_1_key, l_1_value) in (undefined(name='annotations') if l_0_annotations is missing else l_0_annotations):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.finalize(t_2(l_1_key)))
            yield ': '
            yield str(environment.finalize(t_2(l_1_value)))
            yield '\n'
        l_1_key = l_1_value = missing
    if (undefined(name='spec') if l_0_spec is missing else l_0_spec):
        pass
        yield 'spec:\n'
        yield str(environment.finalize(t_3((undefined(name='spec') if l_0_spec is missing else l_0_spec), 2)))
        yield '\n'
    else:
        pass
        yield 'spec: {}\n'

blocks = {}
debug_info = '1=37&2=39&3=42&8=46&9=48&10=50&12=53&13=57&16=62&18=65&19=69&22=74&24=77'
