# Generated from generator/templates/migration/_pod-check.md.j2 (markdown) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'a97de6da70266dfaaee59dacbd54d26d782643b6274635a1d6805e47be700c58'
JINJA = '3.1.6'
SETTINGS = '761af9ed5ee4350e418533e8f5828dc9c5eb89db46b2433e51890895560b60df'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'migration/_pod-check.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_step = resolve('step')
    l_0_proxy = resolve('proxy')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['line']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'line' found.")
    try:
        t_3 = environment.filters['sh']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'sh' found.")
    pass
    yield '```sh\nkubectl get pods -n '
    yield str(environment.finalize(t_3(environment.getattr((undefined(name='step') if l_0_step is missing else l_0_step), 'namespace'))))
    yield ' -o jsonpath=\'{range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[*].name}{"\\n"}{end}\'\n```\n\nExpected: one line per pod, its name then its containers'
    if (undefined(name='proxy') if l_0_proxy is missing else l_0_proxy):
        pass
        yield ', `istio-proxy` among them'
    else:
        pass
        yield ": the app's only, no `istio-proxy`"
    yield ':\n\n```text\n'
    for l_1_pod in environment.getattr((undefined(name='step') if l_0_step is missing else l_0_step), 'pods'):
        _loop_vars = {}
        pass
        yield str(environment.finalize(t_2(environment.getattr(l_1_pod, 'deployment'))))
        yield '-...\t'
        yield str(environment.finalize(t_2(t_1(context.eval_ctx, environment.getattr(l_1_pod, 'containers'), ' '))))
        if (undefined(name='proxy') if l_0_proxy is missing else l_0_proxy):
            pass
            yield ' istio-proxy'
        yield '\n'
    l_1_pod = missing
    yield '```\n'

blocks = {}
debug_info = '3=32&6=34&9=41&10=44'
