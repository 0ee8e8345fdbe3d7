# Generated from generator/templates/k8s/serviceaccount.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'eacda7ba0665f8955098f20a01ae6144c92c43c6ac7fe007eef46d4f3f4841d4'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'k8s/serviceaccount.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_labels = resolve('labels')
    l_0_annotations = resolve('annotations')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: '
    yield str(environment.finalize(t_1((undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n  namespace: '
    yield str(environment.finalize(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace))))
    yield '\n'
    if (undefined(name='labels') if l_0_labels is missing else l_0_labels):
        pass
        yield '  labels:\n'
        for (l_1_key, l_1_value) in context.call(environment.getattr((undefined(name='labels') if l_0_labels is missing else l_0_labels), 'items')):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.finalize(t_1(l_1_key)))
            yield ': '
            yield str(environment.finalize(t_1(l_1_value)))
            yield '\n'
        l_1_key = l_1_value = missing
    if (undefined(name='annotations') if l_0_annotations is missing else l_0_annotations):
        pass
        yield '  annotations:\n'
        for (l_1_key, l_1_value) in context.call(environment.getattr((undefined(name='annotations') if l_0_annotations is missing else l_0_annotations), 'items')):
            _loop_vars = {}
            pass
            yield '    '
            yield str(environment.finalize(t_1(l_1_key)))
            yield ': '
            yield str(environment.finalize(t_1(l_1_value)))
            yield '\n'
        l_1_key = l_1_value = missing

blocks = {}
debug_info = '1=23&5=25&6=27&7=29&9=32&10=36&13=41&15=44&16=48'
