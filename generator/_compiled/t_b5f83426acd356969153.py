# Generated from generator/templates/tsb/_setting.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'edee27e6e756185df5fba5892e90f747835e2f8c7d44ca69fd80b80f03b9dc5a'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'tsb/_setting.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_obj = resolve('obj')
    l_0_security = missing
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
    l_0_security = environment.getattr((undefined(name='obj') if l_0_obj is missing else l_0_obj), 'security')
    context.vars['security'] = l_0_security
    context.exported_vars.add('security')
    if ((t_2(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'propagation')) and t_2(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'traffic_mode'))) and t_2(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'authorization_mode'))):
        pass
        yield 'spec: {}\n'
    else:
        pass
        yield 'spec:\n  defaultSecuritySetting:\n'
        if (not t_2(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'propagation'))):
            pass
            yield '    propagationStrategy: '
            yield str(environment.finalize(t_1(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'propagation'))))
            yield '\n'
        if (not t_2(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'traffic_mode'))):
            pass
            yield '    authenticationSettings:\n      trafficMode: '
            yield str(environment.finalize(t_1(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'traffic_mode'))))
            yield '\n'
        if (not t_2(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'authorization_mode'))):
            pass
            yield '    authorization:\n      mode: '
            yield str(environment.finalize(t_1(environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'authorization_mode'))))
            yield '\n'
            if ((environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'deny_all') or environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'allow')) or environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'deny')):
                pass
                yield '      rules:\n'
                if environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'deny_all'):
                    pass
                    yield '        denyAll: true\n'
                def t_3(fiter):
                    for (l_1_kind, l_1_rules) in fiter:
                        if l_1_rules:
                            yield (l_1_kind, l_1_rules)
                for (l_1_kind, l_1_rules) in t_3([('allow', environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'allow')), ('deny', environment.getattr((undefined(name='security') if l_0_security is missing else l_0_security), 'deny'))]):
                    _loop_vars = {}
                    pass
                    yield '        '
                    yield str(environment.finalize(t_1(l_1_kind)))
                    yield ':\n'
                    for l_2_rule in l_1_rules:
                        _loop_vars = {}
                        pass
                        yield '        - from:\n            fqn: '
                        yield str(environment.finalize(t_1(environment.getattr(l_2_rule, 'source'))))
                        yield '\n          to:\n            fqn: '
                        yield str(environment.finalize(t_1(environment.getattr(l_2_rule, 'target'))))
                        yield '\n'
                    l_2_rule = missing
                l_1_kind = l_1_rules = missing

blocks = {}
debug_info = '1=26&2=28&4=30&5=32&6=35&8=37&9=41&11=46&13=49&14=53&17=58&18=61&23=67&24=70&26=72&28=75&30=77&32=80&33=82&35=85&38=88&39=96&40=98&42=102&44=104'
