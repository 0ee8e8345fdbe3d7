# Generated from generator/templates/apps/caffeine/deployment-python-service.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '1336bfee28070c95003e629eaf47aef484b315d36272ac4b79202fd9cc912172'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'apps/caffeine/deployment-python-service.yaml.j2'

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
    l_0_replicas = resolve('replicas')
    l_0_selector = resolve('selector')
    l_0_pod_annotations = resolve('pod_annotations')
    l_0_pod_labels = resolve('pod_labels')
    l_0_service_account = resolve('service_account')
    l_0_containers = resolve('containers')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\n# A caffeine service: python:3.9 serving JSON on :8080 and calling its upstreams every $INTERVAL seconds.\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: '
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
    yield 'spec:\n  replicas: '
    yield str(environment.finalize(t_1((undefined(name='replicas') if l_0_replicas is missing else l_0_replicas))))
    yield '\n  selector:\n    matchLabels:\n'
    for (l_1_key, l_1_value) in context.call(environment.getattr((undefined(name='selector') if l_0_selector is missing else l_0_selector), 'items')):
        _loop_vars = {}
        pass
        yield '      '
        yield str(environment.finalize(t_1(l_1_key)))
        yield ': '
        yield str(environment.finalize(t_1(l_1_value)))
        yield '\n'
    l_1_key = l_1_value = missing
    yield '  template:\n    metadata:\n'
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
    yield '    spec:\n      serviceAccountName: '
    yield str(environment.finalize(t_1((undefined(name='service_account') if l_0_service_account is missing else l_0_service_account))))
    yield '\n      containers:\n'
    for l_1_container in (undefined(name='containers') if l_0_containers is missing else l_0_containers):
        _loop_vars = {}
        pass
        yield '      - image: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_container, 'image'))))
        yield '\n        imagePullPolicy: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_container, 'image_pull_policy'))))
        yield '\n        name: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_container, 'name'))))
        yield '\n        command:\n'
        for l_2_part in environment.getattr(l_1_container, 'command'):
            _loop_vars = {}
            pass
            yield '        - '
            yield str(environment.finalize(t_1(l_2_part)))
            yield '\n'
        l_2_part = missing
        yield '        env:\n'
        for l_2_variable in environment.getattr(l_1_container, 'env'):
            _loop_vars = {}
            pass
            yield '        - name: '
            yield str(environment.finalize(t_1(environment.getattr(l_2_variable, 'name'))))
            yield '\n          value: '
            yield str(environment.finalize(t_1(environment.getattr(l_2_variable, 'value'))))
            yield '\n'
        l_2_variable = missing
        yield '        ports:\n'
        for l_2_port in environment.getattr(l_1_container, 'ports'):
            _loop_vars = {}
            pass
            yield '        - containerPort: '
            yield str(environment.finalize(t_1(l_2_port)))
            yield '\n'
        l_2_port = missing
        if context.call(environment.getattr(environment.getattr(l_1_container, 'resources'), 'sections'), _loop_vars=_loop_vars):
            pass
            yield '        resources:\n'
            for (l_2_section, l_2_quantities) in context.call(environment.getattr(environment.getattr(l_1_container, 'resources'), 'sections'), _loop_vars=_loop_vars):
                _loop_vars = {}
                pass
                yield '          '
                yield str(environment.finalize(t_1(l_2_section)))
                yield ':\n'
                for (l_3_resource, l_3_amount) in l_2_quantities:
                    _loop_vars = {}
                    pass
                    yield '            '
                    yield str(environment.finalize(t_1(l_3_resource)))
                    yield ': '
                    yield str(environment.finalize(t_1(l_3_amount)))
                    yield '\n'
                l_3_resource = l_3_amount = missing
            l_2_section = l_2_quantities = missing
    l_1_container = missing

blocks = {}
debug_info = '1=29&6=31&7=33&8=35&10=38&11=42&14=47&16=50&17=54&21=60&24=62&25=66&29=72&31=75&32=79&36=85&37=89&40=95&42=97&43=101&44=103&45=105&47=107&48=111&51=115&52=119&53=121&56=125&57=129&59=132&61=135&62=139&63=141&64=145'
