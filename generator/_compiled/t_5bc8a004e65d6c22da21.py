# Generated from generator/templates/delivery/applicationset.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '0796e4dc55629b911c0d68ce7e8f296c601f05e30453d89b0c895fa1ccb7c9fd'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'delivery/applicationset.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_name = resolve('name')
    l_0_namespace = resolve('namespace')
    l_0_directories = resolve('directories')
    l_0_project = resolve('project')
    l_0_repo_url = resolve('repo_url')
    l_0_revision = resolve('revision')
    try:
        t_1 = environment.filters['q']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'q' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield ". Do not edit: change the profile and render again.\n# One Argo CD Application per synced directory of the tree, each to its own cluster (an Argo CD\n# cluster registered under the TSB cluster's name). Apply this to the cluster that runs Argo CD.\napiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: "
    yield str(environment.finalize(t_1((undefined(name='name') if l_0_name is missing else l_0_name))))
    yield '\n  namespace: '
    yield str(environment.finalize(t_1((undefined(name='namespace') if l_0_namespace is missing else l_0_namespace))))
    yield '\nspec:\n  goTemplate: true\n  goTemplateOptions:\n  - "missingkey=error"\n  generators:\n  - list:\n      elements:\n'
    for l_1_directory in (undefined(name='directories') if l_0_directories is missing else l_0_directories):
        _loop_vars = {}
        pass
        yield '      - name: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_directory, 'name'))))
        yield '\n        cluster: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_directory, 'cluster'))))
        yield '\n        path: '
        yield str(environment.finalize(t_1(environment.getattr(l_1_directory, 'path'))))
        yield '\n'
    l_1_directory = missing
    yield '  template:\n    metadata:\n      name: '
    yield str(environment.finalize(t_1('{{.name}}')))
    yield '\n    spec:\n      project: '
    yield str(environment.finalize(t_1((undefined(name='project') if l_0_project is missing else l_0_project))))
    yield '\n      source:\n        repoURL: '
    yield str(environment.finalize(t_1((undefined(name='repo_url') if l_0_repo_url is missing else l_0_repo_url))))
    yield '\n        targetRevision: '
    yield str(environment.finalize(t_1((undefined(name='revision') if l_0_revision is missing else l_0_revision))))
    yield '\n        path: '
    yield str(environment.finalize(t_1('{{.path}}')))
    yield '\n      destination:\n        name: '
    yield str(environment.finalize(t_1('{{.cluster}}')))
    yield '\n      syncPolicy:\n        automated:\n          prune: true\n          selfHeal: true\n'

blocks = {}
debug_info = '1=25&7=27&8=29&16=31&17=35&18=37&19=39&23=43&25=45&27=47&28=49&29=51&31=53'
