# Generated from generator/templates/helm/_base-values-note.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'ec6e572682730fae3448a1e4badf71c9ccb7b29549cbcf374fa74525d740b0c2'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'helm/_base-values-note.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_base_file = resolve('base_file')
    l_0_chart = resolve('chart')
    l_0_release_namespace = resolve('release_namespace')
    l_0_file_name = resolve('file_name')
    l_0_dropped_secrets = resolve('dropped_secrets')
    l_0_fresh_release = resolve('fresh_release')
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
    if (not t_2((undefined(name='base_file') if l_0_base_file is missing else l_0_base_file))):
        pass
        yield '# This is '
        yield str(environment.finalize(t_1((undefined(name='base_file') if l_0_base_file is missing else l_0_base_file))))
        yield " (the live values) with gen's settings merged in; apply it alone:\n#   helm upgrade "
        yield str(environment.finalize(t_1((undefined(name='chart') if l_0_chart is missing else l_0_chart))))
        yield ' <'
        yield str(environment.finalize(t_1((undefined(name='chart') if l_0_chart is missing else l_0_chart))))
        yield ' chart> -n '
        yield str(environment.finalize(t_1((undefined(name='release_namespace') if l_0_release_namespace is missing else l_0_release_namespace))))
        yield ' -f '
        yield str(environment.finalize(t_1((undefined(name='file_name') if l_0_file_name is missing else l_0_file_name))))
        if (undefined(name='dropped_secrets') if l_0_dropped_secrets is missing else l_0_dropped_secrets):
            pass
            yield ' -f <your secrets file>'
        yield '\n'
        if (undefined(name='dropped_secrets') if l_0_dropped_secrets is missing else l_0_dropped_secrets):
            pass
            yield '# gen removed the secrets of the live values, which never go to Git: keep them in your secret\n# store and pass them at install time as <your secrets file>:\n'
            for l_1_path in (undefined(name='dropped_secrets') if l_0_dropped_secrets is missing else l_0_dropped_secrets):
                _loop_vars = {}
                pass
                yield '#   '
                yield str(environment.finalize(t_1(l_1_path)))
                yield '\n'
            l_1_path = missing
        yield '# The live values follow, as they were saved, without their secrets.\n'
    elif (undefined(name='fresh_release') if l_0_fresh_release is missing else l_0_fresh_release):
        pass
        yield '# The profile says this file alone installs the release (baseValues: none); apply it alone:\n#   helm upgrade --install '
        yield str(environment.finalize(t_1((undefined(name='chart') if l_0_chart is missing else l_0_chart))))
        yield ' <'
        yield str(environment.finalize(t_1((undefined(name='chart') if l_0_chart is missing else l_0_chart))))
        yield ' chart> -n '
        yield str(environment.finalize(t_1((undefined(name='release_namespace') if l_0_release_namespace is missing else l_0_release_namespace))))
        yield ' -f '
        yield str(environment.finalize(t_1((undefined(name='file_name') if l_0_file_name is missing else l_0_file_name))))
        yield '\n'
    else:
        pass
        yield '# Layer it over the live values (it holds no list, which helm would replace rather than merge):\n#   helm get values '
        yield str(environment.finalize(t_1((undefined(name='chart') if l_0_chart is missing else l_0_chart))))
        yield ' -n '
        yield str(environment.finalize(t_1((undefined(name='release_namespace') if l_0_release_namespace is missing else l_0_release_namespace))))
        yield ' > live-values.yaml\n#   helm upgrade '
        yield str(environment.finalize(t_1((undefined(name='chart') if l_0_chart is missing else l_0_chart))))
        yield ' <'
        yield str(environment.finalize(t_1((undefined(name='chart') if l_0_chart is missing else l_0_chart))))
        yield ' chart> -n '
        yield str(environment.finalize(t_1((undefined(name='release_namespace') if l_0_release_namespace is missing else l_0_release_namespace))))
        yield ' -f live-values.yaml -f '
        yield str(environment.finalize(t_1((undefined(name='file_name') if l_0_file_name is missing else l_0_file_name))))
        yield '\n'

blocks = {}
debug_info = '3=29&4=32&5=34&7=45&10=48&11=52&15=56&17=59&20=70&21=74'
