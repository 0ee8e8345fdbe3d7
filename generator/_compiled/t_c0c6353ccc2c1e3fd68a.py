# Generated from generator/templates/helm/_waypoint-config.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '27899369b2615af907ce15a9a6536b1030f520bfb5e0c9742f9b2d798f740704'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'helm/_waypoint-config.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_config = resolve('config')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    if (not ((environment.getattr((undefined(name='config') if l_0_config is missing else l_0_config), 'settings') or environment.getattr((undefined(name='config') if l_0_config is missing else l_0_config), 'requests')) or environment.getattr((undefined(name='config') if l_0_config is missing else l_0_config), 'limits'))):
        pass
        yield '{}\n'
    for (l_1_key, l_1_value) in environment.getattr((undefined(name='config') if l_0_config is missing else l_0_config), 'settings'):
        _loop_vars = {}
        pass
        yield str(environment.finalize(t_1(l_1_key)))
        yield ': '
        yield str(environment.finalize(t_1(l_1_value)))
        yield '\n'
    l_1_key = l_1_value = missing
    if (environment.getattr((undefined(name='config') if l_0_config is missing else l_0_config), 'requests') or environment.getattr((undefined(name='config') if l_0_config is missing else l_0_config), 'limits')):
        pass
        yield 'resources:\n'
        def t_2(fiter):
            for (l_1_part, l_1_quantities) in fiter:
                if l_1_quantities:
                    yield (l_1_part, l_1_quantities)
        for (l_1_part, l_1_quantities) in t_2([('requests', environment.getattr((undefined(name='config') if l_0_config is missing else l_0_config), 'requests')), ('limits', environment.getattr((undefined(name='config') if l_0_config is missing else l_0_config), 'limits'))]):
            _loop_vars = {}
            pass
            yield '  '
            yield str(environment.finalize(t_1(l_1_part)))
            yield ':\n'
            for (l_2_key, l_2_value) in l_1_quantities:
                _loop_vars = {}
                pass
                yield '    '
                yield str(environment.finalize(t_1(l_2_key)))
                yield ': '
                yield str(environment.finalize(t_1(l_2_value)))
                yield '\n'
            l_2_key = l_2_value = missing
        l_1_part = l_1_quantities = missing

blocks = {}
debug_info = '2=18&5=21&6=24&8=29&10=32&11=40&12=42&13=46'
