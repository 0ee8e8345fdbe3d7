# Generated from generator/templates/helm/controlplane-values.yaml.j2 (yaml) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = 'f0229c18301b5eb470858d96a1d354f78a13d9eae197764c414a02278d79bff9'
JINJA = '3.1.6'
SETTINGS = '5426e589489cf20a985dfe4ac5868a0bcf4cbbc70e6dd3e7e0668dedbf50c572'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'helm/controlplane-values.yaml.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_ambient = resolve('ambient')
    l_0_cluster = resolve('cluster')
    l_0_platform = resolve('platform')
    l_0_istio_namespace = resolve('istio_namespace')
    l_0_ztunnel_revision = resolve('ztunnel_revision')
    l_0_cluster_waypoints = resolve('cluster_waypoints')
    l_0_namespace_waypoints = resolve('namespace_waypoints')
    l_0_cni = resolve('cni')
    l_0_spm_agent = resolve('spm_agent')
    l_0_edge_dns_resolution = resolve('edge_dns_resolution')
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
    try:
        t_3 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '# Rendered by gen from profile '
    yield str(environment.finalize(t_2((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '. Do not edit: change the profile and render again.\n'
    if (undefined(name='ambient') if l_0_ambient is missing else l_0_ambient):
        pass
        yield '# ControlPlane helm values for cluster '
        yield str(environment.finalize(t_2((undefined(name='cluster') if l_0_cluster is missing else l_0_cluster))))
        yield ' (platform '
        yield str(environment.finalize(t_2((undefined(name='platform') if l_0_platform is missing else l_0_platform))))
        yield "): Istio ambient\n# mode with the platform's CNI settings, and the SPM agent.\n"
    else:
        pass
        yield '# ControlPlane helm values for cluster '
        yield str(environment.finalize(t_2((undefined(name='cluster') if l_0_cluster is missing else l_0_cluster))))
        yield ' (platform '
        yield str(environment.finalize(t_2((undefined(name='platform') if l_0_platform is missing else l_0_platform))))
        yield '): the SPM agent\n# only; ambient is not enabled on this cluster.\n'
    if (undefined(name='ambient') if l_0_ambient is missing else l_0_ambient):
        pass
        yield '# Sidecar workloads must be restarted once after the upgrade.\n'
    l_1_chart = 'controlplane'
    l_1_release_namespace = (undefined(name='istio_namespace') if l_0_istio_namespace is missing else l_0_istio_namespace)
    l_1_file_name = 'controlplane-values.yaml'
    pass
    template = environment.get_template('helm/_base-values-note.yaml.j2', 'helm/controlplane-values.yaml.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'chart': l_1_chart, 'file_name': l_1_file_name, 'release_namespace': l_1_release_namespace}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    l_1_chart = l_1_release_namespace = l_1_file_name = missing
    yield 'spec:\n  components:\n'
    if (undefined(name='ambient') if l_0_ambient is missing else l_0_ambient):
        pass
        yield '    istio:\n      ambient:\n        enable: true\n'
        if (not t_3((undefined(name='ztunnel_revision') if l_0_ztunnel_revision is missing else l_0_ztunnel_revision))):
            pass
            yield '        ztunnelRevision: '
            yield str(environment.finalize(t_2((undefined(name='ztunnel_revision') if l_0_ztunnel_revision is missing else l_0_ztunnel_revision))))
            yield '\n'
        if (not t_3((undefined(name='cluster_waypoints') if l_0_cluster_waypoints is missing else l_0_cluster_waypoints))):
            pass
            yield '        waypoints:\n          clusterLevel:\n'
            t_4 = []
            pass
            l_2_config = (undefined(name='cluster_waypoints') if l_0_cluster_waypoints is missing else l_0_cluster_waypoints)
            pass
            template = environment.get_template('helm/_waypoint-config.yaml.j2', 'helm/controlplane-values.yaml.j2')
            gen = template.root_render_func(template.new_context(context.get_all(), True, {'config': l_2_config}))
            try:
                for event in gen:
                    t_4.append(event)
            finally: gen.close()
            l_2_config = missing
            yield t_1(concat(t_4), 12, first=True)
            if (undefined(name='namespace_waypoints') if l_0_namespace_waypoints is missing else l_0_namespace_waypoints):
                pass
                yield '          namespaceLevel:\n'
                for l_1_entry in (undefined(name='namespace_waypoints') if l_0_namespace_waypoints is missing else l_0_namespace_waypoints):
                    _loop_vars = {}
                    pass
                    if (not t_3(environment.getattr(l_1_entry, 'name'))):
                        pass
                        yield '          - name: '
                        yield str(environment.finalize(t_2(environment.getattr(l_1_entry, 'name'))))
                        yield '\n'
                    else:
                        pass
                        yield '          - selector:\n              labels:\n'
                        for (l_2_key, l_2_value) in environment.getattr(l_1_entry, 'labels'):
                            _loop_vars = {}
                            pass
                            yield '                '
                            yield str(environment.finalize(t_2(l_2_key)))
                            yield ': '
                            yield str(environment.finalize(t_2(l_2_value)))
                            yield '\n'
                        l_2_key = l_2_value = missing
                    yield '            config:\n'
                    t_5 = []
                    pass
                    l_3_config = environment.getattr(l_1_entry, 'config')
                    pass
                    template = environment.get_template('helm/_waypoint-config.yaml.j2', 'helm/controlplane-values.yaml.j2')
                    gen = template.root_render_func(template.new_context(context.get_all(), True, {'config': l_3_config, 'entry': l_1_entry}))
                    try:
                        for event in gen:
                            t_5.append(event)
                    finally: gen.close()
                    l_3_config = missing
                    yield t_1(concat(t_5), 14, first=True)
                l_1_entry = missing
        yield '      kubeSpec:\n        CNI:\n'
        for (l_1_key, l_1_value) in (undefined(name='cni') if l_0_cni is missing else l_0_cni):
            _loop_vars = {}
            pass
            yield '          '
            yield str(environment.finalize(t_2(l_1_key)))
            yield ': '
            yield str(environment.finalize(t_2(l_1_value)))
            yield '\n'
        l_1_key = l_1_value = missing
    if (undefined(name='spm_agent') if l_0_spm_agent is missing else l_0_spm_agent):
        pass
        yield '    spmAgent:\n      enabled: true\n'
    if (undefined(name='edge_dns_resolution') if l_0_edge_dns_resolution is missing else l_0_edge_dns_resolution):
        pass
        yield '    xcp:\n      kubeSpec:\n        overlays:\n        - apiVersion: install.xcp.tetrate.io/v1alpha1\n          kind: EdgeXcp\n          name: edge-xcp\n          patches:\n          - path: "spec.components.edgeServer.kubeSpec.deployment.env[-1]"\n            value:\n              name: ENABLE_DNS_RESOLUTION_AT_EDGE\n              value: "true"\n'

blocks = {}
debug_info = '1=41&2=43&3=46&6=53&9=57&12=64&15=72&19=75&20=78&22=80&25=87&26=95&28=98&29=101&30=104&34=109&35=113&39=123&45=133&46=137&49=142&53=145'
