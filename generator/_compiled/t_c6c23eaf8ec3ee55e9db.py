# Generated from generator/templates/tsb/list.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '604e4691142a6c29aff9c7d124aee8568ed09afa9958101db2f63796dc16556c'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'tsb/list.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_items = resolve('items')
    try:
        t_1 = environment.filters['indent']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'indent' found.")
    try:
        t_2 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_2((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\napiVersion: v1\nkind: List\nitems:\n'
    for l_1_obj in (undefined(name='items') if l_0_items is missing else l_0_items):
        _loop_vars = {}
        pass
        yield '- '
        t_3 = []
        pass
        template = environment.get_or_select_template(environment.getattr(l_1_obj, 'body'), 'tsb/list.yaml.j2')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {'obj': l_1_obj}))
        try:
            for event in gen:
                t_3.append(event)
        finally: gen.close()
        yield t_1(concat(t_3), 2)
    l_1_obj = missing

blocks = {}
debug_info = '1=26&5=28&6=34'
