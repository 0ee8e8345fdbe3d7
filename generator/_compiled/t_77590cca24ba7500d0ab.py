# Generated from generator/templates/apps/caffeine/deployment-netshoot.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'fe35be9810eb28c407b1eb48c21305f04e423a162f2a77b9957f764392c0690d'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'apps/caffeine/deployment-netshoot.yaml.j2'

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
    l_0_volumes = resolve('volumes')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield ". Do not edit: change the profile and render again.\n# A debugging client: calls coffee-shop every $INTERVAL seconds and prints curl's timings.\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
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
        yield '      - name: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_container, 'name'))))
        yield '\n        image: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_container, 'image'))))
        yield '\n        imagePullPolicy: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_container, 'image_pull_policy'))))
        yield '\n        command:\n'
        for l_2_part in environment.getattr(l_1_container, 'command'):
            _loop_vars = {}
            pass
            yield '        - '
            yield str(environment.finalize(t_1(l_2_part)))
            yield '\n'
        l_2_part = missing
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
        yield '        volumeMounts:\n'
        for l_2_mount in environment.getattr(l_1_container, 'volume_mounts'):
            _loop_vars = {}
            pass
            yield '        - name: '
            yield str(environment.finalize(t_1(environment.getattr(l_2_mount, 'name'))))
            yield '\n          mountPath: '
            yield str(environment.finalize(t_1(environment.getattr(l_2_mount, 'mount_path'))))
            yield '\n'
        l_2_mount = missing
    l_1_container = missing
    yield '      volumes:\n'
    for l_1_volume in (undefined(name='volumes') if l_0_volumes is missing else l_0_volumes):
        _loop_vars = {}
        pass
        yield '      - name: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_volume, 'name'))))
        yield '\n        configMap:\n          name: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_volume, 'reference'))))
        yield '\n'
    l_1_volume = missing

blocks = {}
debug_info = '1=30&6=32&7=34&8=36&10=39&11=43&14=48&16=51&17=55&21=61&24=63&25=67&29=73&31=76&32=80&36=86&37=90&40=96&42=98&43=102&44=104&45=106&47=108&48=112&50=115&52=118&53=122&54=124&55=128&60=135&61=139&62=141&65=145&66=149&67=151&71=156&72=160&74=162'
