# Generated from generator/templates/helm/managementplane-values.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'e969c666af4f85d87bdf2345fba383ddc3a959f196e45e8e6360913dbe77cba1'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'helm/managementplane-values.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_spm_clusters = resolve('spm_clusters')
    l_0_gitops = resolve('gitops')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\n# ManagementPlane helm values: accept SPM agent data from the clusters that run ambient or the\n# SPM agent ('
    l_1_loop = missing
    t_2 = 1
    for l_1_name, l_1_loop in LoopContext((undefined(name='spm_clusters') if l_0_spm_clusters is missing else l_0_spm_clusters), undefined):
        _loop_vars = {}
        pass
        yield str(environment.finalize(t_1(l_1_name)))
        if (not environment.getattr(l_1_loop, 'last')):
            pass
            yield ', '
        t_2 = 0
    l_1_loop = l_1_name = missing
    if t_2:
        pass
        yield 'none'
    yield ').\n'
    if (undefined(name='gitops') if l_0_gitops is missing else l_0_gitops):
        pass
        yield "# Run TSB's GitOps component: it receives the TSB objects of tsb/ (tsb.form: gitops), which Argo CD,\n# Flux or `kubectl apply -k` apply to this cluster.\n"
    l_1_chart = 'managementplane'
    l_1_release_namespace = 'tsb'
    l_1_file_name = 'managementplane-values.yaml'
    pass
    template = environment.get_template('helm/_base-values-note.yaml.j2', 'helm/managementplane-values.yaml.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'chart': l_1_chart, 'file_name': l_1_file_name, 'release_namespace': l_1_release_namespace}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    l_1_chart = l_1_release_namespace = l_1_file_name = missing
    if ((undefined(name='spm_clusters') if l_0_spm_clusters is missing else l_0_spm_clusters) or (undefined(name='gitops') if l_0_gitops is missing else l_0_gitops)):
        pass
        yield 'spec:\n  components:\n'
        if (undefined(name='gitops') if l_0_gitops is missing else l_0_gitops):
            pass
            yield '    gitops:\n      enabled: true\n'
        if (undefined(name='spm_clusters') if l_0_spm_clusters is missing else l_0_spm_clusters):
            pass
            yield '    oap:\n      spmAgentReceiverEnabled: true\n'
    else:
        pass
        yield '{}\n'

blocks = {}
debug_info = '1=21&3=25&4=38&8=45&9=52&12=55&16=58'
