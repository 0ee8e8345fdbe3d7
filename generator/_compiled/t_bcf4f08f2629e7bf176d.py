# Generated from generator/templates/k8s/_pod-metadata.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '34b85f175a5d2cd8d58be506eb2bd22e64de72e73a539ca5f29bb7f3a45dcd69'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'k8s/_pod-metadata.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_pod_annotations = resolve('pod_annotations')
    l_0_pod_labels = resolve('pod_labels')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '    metadata:\n'
    if (undefined(name='pod_annotations') if l_0_pod_annotations is missing else l_0_pod_annotations):
        pass
        yield '      annotations:\n'
        for (l_1_key, l_1_value) in context.call(environment.getattr((undefined(name='pod_annotations') if l_0_pod_annotations is missing else l_0_pod_annotations), 'items')):
            _loop_vars = {}
            pass
            yield '        '
            yield str(environment.finalize(t_1(l_1_key)))
            yield ': '
            yield str(environment.finalize(t_1(l_1_value)))
            yield '\n'
        l_1_key = l_1_value = missing
    yield '      labels:\n'
    for (l_1_key, l_1_value) in context.call(environment.getattr((undefined(name='pod_labels') if l_0_pod_labels is missing else l_0_pod_labels), 'items')):
        _loop_vars = {}
        pass
        yield '        '
        yield str(environment.finalize(t_1(l_1_key)))
        yield ': '
        yield str(environment.finalize(t_1(l_1_value)))
        yield '\n'
    l_1_key = l_1_value = missing

blocks = {}
debug_info = '2=20&4=23&5=27&9=33&10=37'
