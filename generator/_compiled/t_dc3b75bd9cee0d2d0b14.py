# Generated from generator/templates/migration/PHASE.md.j2 (markdown) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '787a74c6f8874bb82c7276c9bd19864deb51c6653e45618604cc54087de78778'
JINJA = '3.1.6'
SETTINGS = '761af9ed5ee4350e418533e8f5828dc9c5eb89db46b2433e51890895560b60df'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'migration/PHASE.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_number = resolve('number')
    l_0_count = resolve('count')
    l_0_name = resolve('name')
    l_0_profile_name = resolve('profile_name')
    l_0_sidecars_after = resolve('sidecars_after')
    l_0_moved = resolve('moved')
    l_0_steps = resolve('steps')
    l_0_engine = resolve('engine')
    l_0_profile_file = resolve('profile_file')
    l_0_clusters = resolve('clusters')
    l_0_pairs = resolve('pairs')
    try:
        t_1 = environment.filters['code']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'code' found.")
    try:
        t_2 = environment.filters['codes']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'codes' found.")
    try:
        t_3 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_4 = environment.filters['line']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'line' found.")
    try:
        t_5 = environment.filters['sh']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'sh' found.")
    pass
    if ((undefined(name='number') if l_0_number is missing else l_0_number) == 0):
        pass
        yield '# Phase 0 of '
        yield str(environment.finalize(t_4((undefined(name='count') if l_0_count is missing else l_0_count))))
        yield ': the baseline\n'
    else:
        pass
        yield '# Phase '
        yield str(environment.finalize(t_4((undefined(name='number') if l_0_number is missing else l_0_number))))
        yield ' of '
        yield str(environment.finalize(t_4((undefined(name='count') if l_0_count is missing else l_0_count))))
        yield ': '
        yield str(environment.finalize(t_1((undefined(name='name') if l_0_name is missing else l_0_name))))
        yield '\n'
    yield '\nRendered by gen from profile '
    yield str(environment.finalize(t_1((undefined(name='profile_name') if l_0_profile_name is missing else l_0_profile_name))))
    yield '; do not edit: change the profile and run\n`gen plan` again.\n\n'
    if ((undefined(name='number') if l_0_number is missing else l_0_number) == 0):
        pass
        yield 'The estate before the migration, as the profile declares it. The phases move to ambient, in this\norder: '
        yield str(environment.finalize(t_2((undefined(name='sidecars_after') if l_0_sidecars_after is missing else l_0_sidecars_after))))
        yield '.\n'
    else:
        pass
        yield 'This phase moves from sidecars to ambient: '
        yield str(environment.finalize(t_2((undefined(name='moved') if l_0_moved is missing else l_0_moved))))
        yield '.\n'
        if (undefined(name='sidecars_after') if l_0_sidecars_after is missing else l_0_sidecars_after):
            pass
            yield 'Still on sidecars after it, for later phases: '
            yield str(environment.finalize(t_2((undefined(name='sidecars_after') if l_0_sidecars_after is missing else l_0_sidecars_after))))
            yield '.\n'
        else:
            pass
            yield 'After it, every namespace of the migration runs ambient: the profile may now give them\n`dataplane: ambient` and drop `migration:`, which renders the same tree.\n'
    yield '\n'
    if (undefined(name='number') if l_0_number is missing else l_0_number):
        pass
        yield '## Steps\n\n'
        if (t_3((undefined(name='steps') if l_0_steps is missing else l_0_steps)) > 1):
            pass
            yield 'This phase is '
            yield str(environment.finalize(t_4(t_3((undefined(name='steps') if l_0_steps is missing else l_0_steps)))))
            yield ' Git states, one commit each, in this order. Each'
        else:
            pass
            yield 'This phase is one Git state, one commit. It'
        yield " is safe to sync and to\nhold for days: gen's rollout simulator decided every call to a namespace with policies at each\nstep, while the engine syncs it (old and new pods side by side, the step's objects applied and the\nlast one's not yet pruned) and after it, and every call stays as the baseline decides it (`gen plan --explain`\nprints them); TSB's rules decide the other calls, the same at every phase (Calls, below).\n"
        for l_1_step in (undefined(name='steps') if l_0_steps is missing else l_0_steps):
            _loop_vars = {}
            pass
            yield '\n### Step '
            yield str(environment.finalize(t_4(environment.getattr(l_1_step, 'number'))))
            yield ': '
            yield str(environment.finalize(t_1(environment.getattr(l_1_step, 'name'))))
            yield '\n\n'
            if (environment.getattr(l_1_step, 'name') == 'prepare'):
                pass
                yield 'The namespaces still run sidecars. Their waypoint is deployed and the `istio.io/use-waypoint` labels\nset, and the policies that move to the waypoint are added beside the ones the sidecars enforce: a\n`-waypoint` copy on `targetRefs`, and a `-ztunnel` part for what ztunnel enforces once the pods\nmove. The sidecars decide every call as before.\n'
            elif (environment.getattr(l_1_step, 'name') == 'move'):
                pass
                yield "The namespaces lose their injection label and get `istio.io/dataplane-mode: ambient` in one change,\nso they are never labelled for both. Their Deployments' pods carry the ambient label too, so the\nGitOps engine restarts them when it syncs the step (the Namespace is applied first); until a pod\nrestarts it keeps its sidecar and the policies it enforces.\n"
            else:
                pass
                yield 'Every pod runs in ambient: the selector policies only the sidecars needed, and the `-waypoint`\ncopies, are removed; each moved policy is now on `targetRefs` under its own name (the engine\napplies it before it prunes the copy).\n'
            yield '\nIn Git: set where the migration stands in the profile, render, and commit; '
            if environment.getattr(l_1_step, 'folder'):
                pass
                yield str(environment.finalize(t_1(str_join((environment.getattr(l_1_step, 'folder'), '/', )))))
            else:
                pass
                yield '`clusters/`'
            yield ' here\nis what this renders for the namespaces.\n\n```yaml\nmigration:\n  at: '
            yield str(environment.finalize(t_4(environment.getattr(l_1_step, 'at'))))
            yield '\n```\n\n```sh\ngen render '
            yield str(environment.finalize(t_5((undefined(name='profile_file') if l_0_profile_file is missing else l_0_profile_file))))
            yield '\n```\n\n'
            if environment.getattr(l_1_step, 'added'):
                pass
                yield 'Adds: '
                yield str(environment.finalize(t_2(environment.getattr(l_1_step, 'added'))))
                yield '.\n'
            if environment.getattr(l_1_step, 'changed'):
                pass
                yield 'Changes: '
                yield str(environment.finalize(t_2(environment.getattr(l_1_step, 'changed'))))
                yield '.\n'
            if environment.getattr(l_1_step, 'removed'):
                pass
                yield 'Removes: '
                yield str(environment.finalize(t_2(environment.getattr(l_1_step, 'removed'))))
                yield '.\n'
            yield "\nOnce the engine has synced it, the step's verify script checks each cluster as the step leaves it\n(DaemonSets, labels, pods and their containers, HBONE, waypoints, every call's outcome) and stops at\nthe first mismatch; from this folder:\n\n```sh\n"
            def t_6(fiter):
                for l_2_part in fiter:
                    if environment.getattr(l_2_part, 'steps'):
                        yield l_2_part
            for l_2_part in t_6((undefined(name='clusters') if l_0_clusters is missing else l_0_clusters)):
                _loop_vars = {}
                pass
                yield 'sh '
                yield str(environment.finalize(t_5(str_join(((str_join((environment.getattr(l_1_step, 'folder'), '/', )) if environment.getattr(l_1_step, 'folder') else ''), 'clusters/', environment.getattr(l_2_part, 'cluster'), '/verify.sh', )))))
                yield ' --context <kube-context of '
                yield str(environment.finalize(t_4(environment.getattr(l_2_part, 'cluster'))))
                yield '>\n'
            l_2_part = missing
            yield '```\n'
            if environment.getattr(l_1_step, 'waypoints'):
                pass
                yield '\nBefore the next step, each waypoint is programmed:\n\n```sh\n'
                for l_2_gateway in environment.getattr(l_1_step, 'waypoints'):
                    _loop_vars = {}
                    pass
                    yield str(environment.finalize(t_5(('kubectl', 'wait', '--for=condition=Programmed', str_join(('gateway/', environment.getattr(l_2_gateway, 'name'), )), '-n', environment.getattr(l_2_gateway, 'namespace'), '--timeout=300s'))))
                    yield '\n'
                l_2_gateway = missing
                yield '```\n'
            if (environment.getattr(l_1_step, 'name') == 'move'):
                pass
                yield '\nBy hand, with the engine suspended (below), the commands make the same change to the labels:\nnamespace by namespace, label, then restart, so that the new pods start without a sidecar and\nztunnel captures them.\n'
                def t_7(fiter):
                    for l_2_part in fiter:
                        if environment.getattr(l_2_part, 'steps'):
                            yield l_2_part
                for l_2_part in t_7((undefined(name='clusters') if l_0_clusters is missing else l_0_clusters)):
                    _loop_vars = {}
                    pass
                    yield '\n#### Cluster '
                    yield str(environment.finalize(t_1(environment.getattr(l_2_part, 'cluster'))))
                    yield '\n\n```sh\n'
                    for l_3_move in environment.getattr(l_2_part, 'steps'):
                        _loop_vars = {}
                        pass
                        yield str(environment.finalize(t_5(environment.getattr(l_3_move, 'label'))))
                        yield '\n'
                        yield str(environment.finalize(t_5(environment.getattr(l_3_move, 'restart'))))
                        yield '\n'
                    l_3_move = missing
                    yield '```\n'
                l_2_part = missing
                yield '\nChecks, once the pods have restarted:\n'
                def t_8(fiter):
                    for l_2_part in fiter:
                        if environment.getattr(l_2_part, 'steps'):
                            yield l_2_part
                for l_2_part in t_8((undefined(name='clusters') if l_0_clusters is missing else l_0_clusters)):
                    _loop_vars = {}
                    pass
                    for l_3_move in environment.getattr(l_2_part, 'steps'):
                        _loop_vars = {}
                        pass
                        l_4_step = l_3_move
                        pass
                        yield '\nCluster '
                        yield str(environment.finalize(t_1(environment.getattr(l_2_part, 'cluster'))))
                        yield ', namespace '
                        yield str(environment.finalize(t_1(environment.getattr(l_4_step, 'namespace'))))
                        yield ': each pod runs without a sidecar.\n\n'
                        l_5_proxy = False
                        pass
                        template = environment.get_template('migration/_pod-check.md.j2', 'migration/PHASE.md.j2')
                        gen = template.root_render_func(template.new_context(context.get_all(), True, {'proxy': l_5_proxy, 'step': l_4_step, 'move': l_3_move, 'part': l_2_part}))
                        try:
                            for event in gen:
                                yield event
                        finally: gen.close()
                        l_5_proxy = missing
                        yield '\nztunnel captures the pods and talks HBONE to them:\n\n```sh\nistioctl ztunnel-config workload  -n '
                        yield str(environment.finalize(t_5(environment.getattr(l_2_part, 'istio_namespace'))))
                        yield ' | grep HBONE\n```\n\nExpected: one line per pod of '
                        yield str(environment.finalize(t_1(environment.getattr(l_4_step, 'namespace'))))
                        yield ', ending in `HBONE`:\n\n```text\n'
                        def t_9(fiter):
                            for l_5_pod in fiter:
                                if environment.getattr(l_5_pod, 'ambient'):
                                    yield l_5_pod
                        for l_5_pod in t_9(environment.getattr(l_4_step, 'pods')):
                            _loop_vars = {}
                            pass
                            yield str(environment.finalize(t_4(environment.getattr(l_4_step, 'namespace'))))
                            yield ' '
                            yield str(environment.finalize(t_4(environment.getattr(l_5_pod, 'deployment'))))
                            yield '-... ... HBONE\n'
                        l_5_pod = missing
                        yield '```\n'
                        if environment.getattr(l_4_step, 'waypoint'):
                            pass
                            yield '\nTSB deploys its managed waypoint in the namespace (TSB-managed waypoints):\n\n```sh\nkubectl get gateways -n '
                            yield str(environment.finalize(t_5(environment.getattr(l_4_step, 'namespace'))))
                            yield '\n```\n\n```text\nNAME CLASS ADDRESS PROGRAMMED AGE\nwaypoint istio-waypoint ... True ...\n```\n'
                        l_4_step = missing
                    l_3_move = missing
                l_2_part = missing
            yield "\nRollback, in Git first: revert this step's commit (or set `migration.at: "
            yield str(environment.finalize(t_4(environment.getattr(l_1_step, 'previous_at'))))
            yield '` and render), and\nlet the engine sync it. A change made only with `kubectl` does not last: '
            yield str(environment.finalize(t_4(environment.getattr((undefined(name='engine') if l_0_engine is missing else l_0_engine), 'name'))))
            yield ' re-applies Git.\n'
            if environment.getattr(l_1_step, 'restarts'):
                pass
                yield 'Then restart, so that the pods get their sidecars again:\n'
                def t_10(fiter):
                    for l_2_part in fiter:
                        if environment.getattr(l_2_part, 'steps'):
                            yield l_2_part
                for l_2_part in t_10((undefined(name='clusters') if l_0_clusters is missing else l_0_clusters)):
                    _loop_vars = {}
                    pass
                    yield '\n```sh\n'
                    for l_3_move in environment.getattr(l_2_part, 'steps'):
                        _loop_vars = {}
                        pass
                        yield str(environment.finalize(t_5(environment.getattr(l_3_move, 'restart'))))
                        yield '\n'
                    l_3_move = missing
                    yield '```\n'
                l_2_part = missing
        l_1_step = missing
        yield '\n### Stopping the engine\n\nTo change the cluster by hand (the commands above, or an urgent rollback before Git can be\nchanged), suspend '
        yield str(environment.finalize(t_4(environment.getattr((undefined(name='engine') if l_0_engine is missing else l_0_engine), 'name'))))
        yield ' first, or it undoes the change:\n'
        if environment.getattr((undefined(name='engine') if l_0_engine is missing else l_0_engine), 'suspend'):
            pass
            yield '\n```sh\n'
            for l_1_command in environment.getattr((undefined(name='engine') if l_0_engine is missing else l_0_engine), 'suspend'):
                _loop_vars = {}
                pass
                yield str(environment.finalize(t_5(l_1_command)))
                yield '\n'
            l_1_command = missing
            yield '```\n\nand once Git holds the state you want, resume it:\n\n```sh\n'
            for l_1_command in environment.getattr((undefined(name='engine') if l_0_engine is missing else l_0_engine), 'resume'):
                _loop_vars = {}
                pass
                yield str(environment.finalize(t_5(l_1_command)))
                yield '\n'
            l_1_command = missing
            yield '```\n'
        else:
            pass
            yield 'the profile names no `delivery:` engine, so gen cannot print its commands.\n'
    else:
        pass
        yield '## In Git\n\nThe folders under `clusters/` here are what this renders for the namespaces. Where the migration\nstands is one line of the profile, `migration.at`; here it is the baseline (its default):\n\n```sh\ngen render '
        yield str(environment.finalize(t_5((undefined(name='profile_file') if l_0_profile_file is missing else l_0_profile_file))))
        yield ' --phase baseline\n```\n\n## Before the first phase\n'
        def t_11(fiter):
            for l_1_part in fiter:
                if environment.getattr(l_1_part, 'ambient'):
                    yield l_1_part
        for l_1_part in t_11((undefined(name='clusters') if l_0_clusters is missing else l_0_clusters)):
            _loop_vars = {}
            pass
            yield '\n### Cluster '
            yield str(environment.finalize(t_1(environment.getattr(l_1_part, 'cluster'))))
            yield '\n\nAmbient is enabled on this cluster (its ControlPlane values): ztunnel and istio-cni run on every\nnode.\n\n```sh\nkubectl get daemonset -n '
            yield str(environment.finalize(t_5(environment.getattr(l_1_part, 'istio_namespace'))))
            yield ' ztunnel\nkubectl get daemonset -n '
            yield str(environment.finalize(t_5(environment.getattr(l_1_part, 'cni_namespace'))))
            yield ' istio-cni-node\n```\n\nExpected: DESIRED, READY and AVAILABLE are equal in each.\n'
            if environment.getattr(l_1_part, 'steps'):
                pass
                yield '\nSidecars started before ambient was enabled on the cluster cannot reach ambient workloads: once it\nis enabled, restart every sidecar namespace once.\n\n```sh\n'
                for l_2_step in environment.getattr(l_1_part, 'steps'):
                    _loop_vars = {}
                    pass
                    yield str(environment.finalize(t_5(environment.getattr(l_2_step, 'restart'))))
                    yield '\n'
                l_2_step = missing
                yield '```\n'
                for l_2_step in environment.getattr(l_1_part, 'steps'):
                    _loop_vars = {}
                    pass
                    yield '\nNamespace '
                    yield str(environment.finalize(t_1(environment.getattr(l_2_step, 'namespace'))))
                    yield ' still runs sidecars'
                    if environment.getattr(l_2_step, 'pods'):
                        pass
                        yield ' (with native sidecars, `istio-proxy` is listed among the init containers instead)'
                    yield ':\n\n'
                    l_3_proxy = True
                    pass
                    template = environment.get_template('migration/_pod-check.md.j2', 'migration/PHASE.md.j2')
                    gen = template.root_render_func(template.new_context(context.get_all(), True, {'proxy': l_3_proxy, 'step': l_2_step, 'part': l_1_part}))
                    try:
                        for event in gen:
                            yield event
                    finally: gen.close()
                    l_3_proxy = missing
                l_2_step = missing
        l_1_part = missing
    yield '\n## Calls\n\nWho may call whom is the same before and after '
    if (undefined(name='number') if l_0_number is missing else l_0_number):
        pass
        yield 'this phase'
    else:
        pass
        yield 'every phase'
    yield ": gen\nchecked the allow/deny decision of every pair, at every phase, against the baseline's `gen\nmatrix`. "
    if (undefined(name='number') if l_0_number is missing else l_0_number):
        pass
        yield "The decisions that involve this phase's namespaces"
    else:
        pass
        yield 'Every decision, by namespace'
    yield ':\n\n'
    t_12 = 1
    for l_1_pair in (undefined(name='pairs') if l_0_pairs is missing else l_0_pairs):
        _loop_vars = {}
        pass
        yield '- '
        yield str(environment.finalize(t_1(environment.getattr(l_1_pair, 'source'))))
        yield ' to '
        yield str(environment.finalize(t_1(environment.getattr(l_1_pair, 'target'))))
        yield ': '
        yield str(environment.finalize(t_1(environment.getattr(l_1_pair, 'decision'))))
        yield ', '
        yield str(environment.finalize(t_1(environment.getattr(l_1_pair, 'decided_by'))))
        yield '\n'
        t_12 = 0
    l_1_pair = missing
    if t_12:
        pass
        yield '- none: no workspace selects these namespaces.\n'
    def t_13(fiter):
        for l_1_part in fiter:
            if environment.getattr(l_1_part, 'calls'):
                yield l_1_part
    for l_1_part in t_13((undefined(name='clusters') if l_0_clusters is missing else l_0_clusters)):
        _loop_vars = {}
        pass
        yield '\n### Cluster '
        yield str(environment.finalize(t_1(environment.getattr(l_1_part, 'cluster'))))
        yield '\n'
        for l_2_call in environment.getattr(l_1_part, 'calls'):
            _loop_vars = {}
            pass
            yield '\n'
            yield str(environment.finalize(t_1(environment.getattr(l_2_call, 'source'))))
            yield ' to '
            yield str(environment.finalize(t_1(environment.getattr(l_2_call, 'target'))))
            yield ' ('
            yield str(environment.finalize(t_4(environment.getattr(l_2_call, 'decision'))))
            yield '):\n\n```sh\n'
            yield str(environment.finalize(t_5(environment.getattr(l_2_call, 'command'))))
            yield '\n```\n\nExpected: '
            yield str(environment.finalize(t_1(environment.getattr(l_2_call, 'expect'))))
            yield '\n'
        l_2_call = missing
    l_1_part = missing
    yield '\n'
    if (not (undefined(name='number') if l_0_number is missing else l_0_number)):
        pass
        yield '## Rollback\n\nNothing to roll back: this is the state before the migration.\n'

blocks = {}
debug_info = '4=52&5=55&7=60&10=67&13=69&15=72&17=77&18=79&19=82&26=88&29=91&34=100&36=104&38=108&43=111&54=118&59=125&63=127&66=129&67=132&69=134&70=137&72=139&73=142&81=145&82=153&85=159&90=162&91=165&95=169&100=172&102=180&105=182&106=185&107=187&113=193&114=200&117=206&119=212&124=220&127=222&130=224&131=231&134=237&139=240&152=246&153=248&154=250&156=253&159=261&160=264&170=271&171=273&174=276&175=279&182=283&183=286&196=296&200=298&202=306&208=308&209=310&213=312&219=315&220=318&223=322&225=326&227=334&235=344&237=351&239=359&240=363&244=376&246=384&247=386&249=390&252=396&255=398&259=403'
