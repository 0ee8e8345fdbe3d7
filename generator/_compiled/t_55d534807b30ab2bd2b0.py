# Generated from generator/templates/graph/verify.sh.j2 (shell) by generator/output/precompiled.py: do not edit.
SOURCE_SHA256 = '4f255fabb66d415cc761544873747f1584aced66ecc4e99b3aa0066a25b73b73'
JINJA = '3.1.6'
SETTINGS = '7765d145adb065a8bef7c554d73b061e72fc03fc07dec8f17aabd33596aa6e9a'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'graph/verify.sh.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_profile = resolve('profile')
    l_0_cluster = resolve('cluster')
    l_0_istio_namespace = resolve('istio_namespace')
    l_0_ambient = resolve('ambient')
    l_0_cni_namespace = resolve('cni_namespace')
    l_0_shapes = resolve('shapes')
    l_0_namespace_lines = resolve('namespace_lines')
    l_0_waypoints = resolve('waypoints')
    l_0_calls = resolve('calls')
    try:
        t_1 = environment.filters['sh']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'sh' found.")
    try:
        t_2 = environment.filters['shq']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'shq' found.")
    pass
    yield '#!/bin/sh\n# shellcheck disable=SC1003,SC2016  # single-quoted words (and awk programs) hold $ and \\ as text, on purpose\n# Checks that one cluster runs what this repository declares for it:\n#   - ztunnel and istio-cni have every pod ready (where ambient is enabled);\n#   - each namespace has its dataplane labels;\n#   - each pod runs its app\'s containers, with istio-proxy only where a sidecar belongs;\n#   - ztunnel lists the ambient pods with protocol HBONE;\n#   - each waypoint is Programmed;\n#   - each call between namespaces, made from inside the client pod, gets the outcome TSB\'s\n#     rules give it.\n#\n# Usage: sh verify.sh [--context NAME] [--dry-run]\n#   --context NAME  the kubectl (and istioctl) context of this cluster; default: the current one\n#   --dry-run       print each command instead of running it\n#\n# Each check prints "ok: <check>". At the first mismatch it prints "FAIL: <check>", the expected\n# and the actual value and the command, and exits 1. Exit 0: every check passed; 2: bad usage.\n#\n# Rendered by gen. Do not edit: change the profile and render again.\n\nset -u\nLC_ALL=C  # byte-wise patterns: a word is quoted unless every byte is one the shell leaves alone\nexport LC_ALL\n\nprofile='
    yield str(environment.finalize(t_2((undefined(name='profile') if l_0_profile is missing else l_0_profile))))
    yield '\ncluster='
    yield str(environment.finalize(t_2((undefined(name='cluster') if l_0_cluster is missing else l_0_cluster))))
    yield '\nistio_namespace='
    yield str(environment.finalize(t_2((undefined(name='istio_namespace') if l_0_istio_namespace is missing else l_0_istio_namespace))))
    yield '\n\nusage() {\n  echo "usage: sh verify.sh [--context NAME] [--dry-run]"\n}\n\ncontext=\ndry_run=no\nwhile [ $# -gt 0 ]; do\n  case $1 in\n    --context)\n      if [ $# -lt 2 ] || [ -z "$2" ]; then usage >&2; exit 2; fi\n      context=$2\n      shift 2\n      ;;\n    --context=?*)\n      context=${1#--context=}\n      shift\n      ;;\n    --dry-run)\n      dry_run=yes\n      shift\n      ;;\n    -h | --help)\n      usage\n      exit 0\n      ;;\n    *)\n      usage >&2\n      exit 2\n      ;;\n  esac\ndone\n\n# --- Running commands ---------------------------------------------------------------------------\n\n# One word as a shell reads it back: as it is when it needs no quoting, else single-quoted.\nquote() {\n  case $1 in\n    \'\' | *[!A-Za-z0-9_./:=@%+,-]*)\n      set -- "$(printf \'%sx\' "$1" | sed "s/\'/\'\\\\\\\\\'\'/g")"\n      printf "\'%s\'" "${1%x}"\n      ;;\n    *) printf \'%s\' "$1" ;;\n  esac\n}\n\n# A command as one line of shell.\ncommand_line() {\n  line=\n  for word in "$@"; do\n    line="$line${line:+ }$(quote "$word")"\n  done\n  printf \'%s\\n\' "$line"\n}\n\n# Runs a command: its output goes to $out, its exit code to $code, its errors to $errors. With\n# --dry-run it only prints the command, and returns 1: there is nothing to compare.\nrun() {\n  ran=$(command_line "$@")\n  if [ "$dry_run" = yes ]; then\n    printf \'%s\\n\' "$ran"\n    return 1\n  fi\n  out=$("$@" 2>"$errors")\n  code=$?\n  return 0\n}\n\n# kubectl and istioctl, on the context --context names.\nkube() {\n  if [ -n "$context" ]; then set -- --context "$context" "$@"; fi\n  run kubectl "$@"\n}\n\nistio() {\n  if [ -n "$context" ]; then set -- "$@" --context "$context"; fi\n  run istioctl "$@"\n}\n\n# --- Reporting ----------------------------------------------------------------------------------\n\npassed=0\n\npass() {\n  passed=$((passed + 1))\n  printf \'ok: %s\\n\' "$check"\n}\n\n# Lines after the first, indented under their heading.\nindented() {\n  printf \'%s\\n\' "$1" | sed \'2,$s/^/          /\'\n}\n\n# fail EXPECTED ACTUAL: reports the mismatch of the current check, and stops.\nfail() {\n  printf \'FAIL: %s\\n\' "$check"\n  printf \'expected: %s\\n\' "$(indented "$1")"\n  printf \'actual:   %s\\n\' "$(indented "$2")"\n  printf \'command:  %s\\n\' "$ran"\n  if [ -s "$errors" ]; then\n    printf \'errors:   %s\\n\' "$(indented "$(cat "$errors")")"\n  fi\n  exit 1\n}\n\n# --- Checks -------------------------------------------------------------------------------------\n\n# check_daemonset NAMESPACE NAME: every pod the DaemonSet schedules is ready (one at least).\ncheck_daemonset() {\n  check="DaemonSet $2 in $1: every pod ready"\n  kube get daemonset "$2" -n "$1" -o \'jsonpath={.status.numberReady}/{.status.desiredNumberScheduled}\' || return 0\n  ready=${out%%/*}\n  desired=${out#*/}\n  if [ "$code" = 0 ] && [ -n "$desired" ] && [ "$desired" != 0 ] && [ "$ready" = "$desired" ]; then\n    pass\n  else\n    fail "READY/DESIRED equal, and not 0/0" "${out:-nothing} (READY/DESIRED), kubectl exit $code"\n  fi\n}\n\n# check_label NAMESPACE KEY VALUE: the Namespace\'s label KEY is VALUE; an empty VALUE: not set.\ncheck_label() {\n  if [ -n "$3" ]; then expected="$2=$3"; else expected="$2 not set"; fi\n  check="namespace $1: label $expected"\n  key=$(printf \'%s\' "$2" | sed \'s/\\./\\\\./g\')  # a dot inside a jsonpath key is escaped\n  kube get namespace "$1" -o "jsonpath={.metadata.labels.$key}" || return 0\n  if [ "$code" != 0 ]; then\n    fail "$expected" "kubectl exit $code"\n  elif [ "$out" = "$3" ]; then\n    pass\n  elif [ -n "$out" ]; then\n    fail "$expected" "$2=$out"\n  else\n    fail "$expected" "$2 not set"\n  fi\n}\n\n# Reads "pod<TAB>containers<TAB>init containers" lines, keeps the pods of $deployment (named\n# <deployment>-<hash>-<hash>) and prints them as "pod: containers"; exits 1 unless there is one at\n# least and each runs $containers (in order), with istio-proxy (a container or a native sidecar\n# among the init containers) if and only if $sidecar is "sidecar".\npods_program=\'\nBEGIN { FS = "\\t"; prefix = ENVIRON["deployment"] "-"; found = 0; wrong = 0 }\nindex($1, prefix) == 1 && substr($1, length(prefix) + 1) ~ /^[a-z0-9]+-[a-z0-9]+$/ {\n  found++\n  apps = ""\n  proxy = "no-sidecar"\n  n = split($2, names, " ")\n  for (i = 1; i <= n; i++) if (names[i] == "istio-proxy") proxy = "sidecar"; else apps = apps (apps == "" ? "" : " ") names[i]\n  n = split($3, names, " ")\n  for (i = 1; i <= n; i++) if (names[i] == "istio-proxy") proxy = "sidecar"\n  if (apps != ENVIRON["containers"] "" || proxy != ENVIRON["sidecar"] "") wrong++\n  print $1 ": " $2 ($3 == "" ? "" : " (init: " $3 ")")\n}\nEND { exit (found == 0 || wrong > 0) }\n\'\n\n# The pods check_pods listed last, and their namespace.\npods_read=no\npods_namespace=\n\n# check_pods NAMESPACE DEPLOYMENT sidecar|no-sidecar CONTAINER...: the Deployment\'s pods run its\n# CONTAINERs, and istio-proxy beside them (sidecar) or not (no-sidecar).\ncheck_pods() {\n  namespace=$1\n  deployment=$2\n  sidecar=$3\n  shift 3\n  containers="$*"\n  check="namespace $namespace: pods of $deployment"\n  if [ "$pods_read" = no ] || [ "$namespace" != "$pods_namespace" ]; then  # one listing per namespace\n    pods_read=yes\n    pods_namespace=$namespace\n    kube get pods -n "$namespace" -o \'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[*].name}{"\\t"}{.spec.initContainers[*].name}{"\\n"}{end}\' || return 0\n    pods_listed=$out\n    pods_code=$code\n    pods_command=$ran\n  fi\n  [ "$dry_run" = no ] || return 0\n  ran=$pods_command\n  if [ "$sidecar" = sidecar ]; then\n    expected="$deployment-...: $containers, and istio-proxy (a sidecar)"\n  else\n    expected="$deployment-...: $containers, no istio-proxy"\n  fi\n  [ "$pods_code" = 0 ] || fail "$expected" "kubectl exit $pods_code"\n  if actual=$(printf \'%s\\n\' "$pods_listed" | deployment=$deployment containers=$containers sidecar=$sidecar awk "$pods_program"); then\n    pass\n  else\n    fail "$expected" "${actual:-no pod of $deployment}"\n  fi\n}\n\n# Reads istioctl\'s workload table (NAMESPACE, POD NAME, ..., PROTOCOL last), keeps the pods of\n# $deployment in $namespace and prints them as "pod protocol"; exits 1 unless there is one at\n# least and each has $protocol.\nztunnel_program=\'\nNR == 1 {\n  sub(/POD NAME/, "POD_NAME")\n  for (i = 1; i <= NF; i++) column[$i] = i\n  name = ("POD_NAME" in column) ? column["POD_NAME"] : column["NAME"]\n  prefix = ENVIRON["deployment"] "-"\n  found = 0\n  wrong = 0\n  next\n}\n$column["NAMESPACE"] "" == ENVIRON["namespace"] "" && index($name, prefix) == 1 && substr($name, length(prefix) + 1) ~ /^[a-z0-9]+-[a-z0-9]+$/ {\n  found++\n  if ($NF "" != ENVIRON["protocol"] "") wrong++\n  print $name " " $NF\n}\nEND { exit (found == 0 || wrong > 0) }\n\'\n\n# ztunnel\'s workload table, read once for every check_ztunnel.\nztunnel_read=no\n\n# check_ztunnel NAMESPACE DEPLOYMENT PROTOCOL: ztunnel lists the Deployment\'s pods with PROTOCOL\n# (HBONE: ztunnel captures them; TCP: they are outside ambient).\ncheck_ztunnel() {\n  check="ztunnel: pods of $2 in $1 with protocol $3"\n  if [ "$ztunnel_read" = no ]; then\n    ztunnel_read=yes\n    istio ztunnel-config workload -n "$istio_namespace" || return 0\n    ztunnel_table=$out\n    ztunnel_code=$code\n    ztunnel_command=$ran\n  fi\n  [ "$dry_run" = no ] || return 0\n  ran=$ztunnel_command\n  [ "$ztunnel_code" = 0 ] || fail "$2-... $3" "istioctl exit $ztunnel_code"\n  if actual=$(printf \'%s\\n\' "$ztunnel_table" | namespace=$1 deployment=$2 protocol=$3 awk "$ztunnel_program"); then\n    pass\n  else\n    fail "$2-... $3" "${actual:-no pod of $2 listed}"\n  fi\n}\n\n# check_waypoint NAMESPACE NAME: the waypoint\'s Gateway is Programmed.\ncheck_waypoint() {\n  check="waypoint $2 in $1: Programmed"\n  kube get gateways.gateway.networking.k8s.io "$2" -n "$1" -o \'jsonpath={.status.conditions[?(@.type=="Programmed")].status}\' || return 0\n  if [ "$code" = 0 ] && [ "$out" = True ]; then\n    pass\n  else\n    fail "Programmed: True" "Programmed: ${out:-no such condition}, kubectl exit $code"\n  fi\n}\n\n# check_call NAMESPACE CLIENT URL EXPECTED WHY: curl URL from inside the client pod. EXPECTED:\n#   ok      the app answers: any HTTP status but 403 (a proxy denied it) and 000 (no answer);\n#   denied  403, RBAC: access denied (a sidecar or a waypoint refuses it);\n#   reset   ztunnel resets the connection (it enforces the rule at L4): curl exits 56, prints 000.\ncheck_call() {\n  check="call from $2 in $1 to $3"\n  kube exec -n "$1" "$2" -- curl -s -o /dev/null -w \'%{http_code}\' --max-time 10 "$3" || return 0\n  actual="HTTP ${out:-nothing}, exit $code"\n  case $4 in\n    ok)\n      if [ "$code" = 0 ] && [ -n "$out" ] && [ "$out" != 403 ] && [ "$out" != 000 ]; then pass; return; fi\n      expected="an answer: HTTP status other than 403 and 000, exit 0"\n      ;;\n    denied)\n      if [ "$out" = 403 ]; then pass; return; fi\n      expected="HTTP 403 (RBAC: access denied)"\n      ;;\n    reset)\n      if [ "$code" = 56 ]; then pass; return; fi\n      expected="connection reset: HTTP 000, exit 56"\n      ;;\n    *)\n      expected="$4"\n      ;;\n  esac\n  fail "$expected ($5)" "$actual"\n}\n\n# skip_call NAMESPACE CLIENT URL WHY: a call whose outcome gen cannot tell (a conditional rule).\nskip_call() {\n  [ "$dry_run" = no ] || return 0\n  printf \'skip: call from %s in %s to %s: %s\\n\' "$2" "$1" "$3" "$4"\n}\n\n# --- This cluster -------------------------------------------------------------------------------\n\nif [ "$dry_run" = no ]; then\n  errors=$(mktemp) || exit 2\n  trap \'rm -f "$errors"\' EXIT\n  trap \'exit 130\' INT TERM\n  printf \'verifying cluster %s of profile %s%s\\n\' "$cluster" "$profile" "${context:+ (context $context)}"\nfi\n'
    if (undefined(name='ambient') if l_0_ambient is missing else l_0_ambient):
        pass
        yield '\n# ztunnel and istio-cni run on every node.\ncheck_daemonset '
        yield str(environment.finalize(t_2((undefined(name='istio_namespace') if l_0_istio_namespace is missing else l_0_istio_namespace))))
        yield ' ztunnel\ncheck_daemonset '
        yield str(environment.finalize(t_2((undefined(name='cni_namespace') if l_0_cni_namespace is missing else l_0_cni_namespace))))
        yield ' istio-cni-node\n'
    else:
        pass
        yield '\n# Ambient is disabled on this cluster: no ztunnel or istio-cni to check.\n'
    if (undefined(name='shapes') if l_0_shapes is missing else l_0_shapes):
        pass
        yield "\n# --- Namespaces ---------------------------------------------------------------------------------\n# Namespaces checked alike share one function, run with the namespace's name.\n"
        for l_1_shape in (undefined(name='shapes') if l_0_shapes is missing else l_0_shapes):
            _loop_vars = {}
            pass
            yield '\n# '
            yield str(environment.finalize(t_1(environment.getattr(l_1_shape, 'count'))))
            yield ' '
            if (environment.getattr(l_1_shape, 'count') > 1):
                pass
                yield 'namespaces: their'
            else:
                pass
                yield 'namespace: its'
            yield ' labels and pods'
            if environment.getattr(l_1_shape, 'ztunnel'):
                pass
                yield ", ztunnel's view of them"
            yield '.\nnamespaces_'
            yield str(environment.finalize(t_1(environment.getattr(l_1_shape, 'number'))))
            yield '() {\n'
            yield str(environment.finalize(environment.getattr(l_1_shape, 'body')))
            yield '}\n'
        l_1_shape = missing
        yield "\n# Each namespace, in the profile's order.\n"
        yield str(environment.finalize((undefined(name='namespace_lines') if l_0_namespace_lines is missing else l_0_namespace_lines)))
    if (undefined(name='waypoints') if l_0_waypoints is missing else l_0_waypoints):
        pass
        yield '\n# Waypoints: each Gateway is Programmed.\n'
        for l_1_waypoint in (undefined(name='waypoints') if l_0_waypoints is missing else l_0_waypoints):
            _loop_vars = {}
            pass
            yield 'check_waypoint '
            yield str(environment.finalize(t_2(environment.getattr(l_1_waypoint, 'namespace'))))
            yield ' '
            yield str(environment.finalize(t_2(environment.getattr(l_1_waypoint, 'name'))))
            yield '\n'
        l_1_waypoint = missing
    if (undefined(name='calls') if l_0_calls is missing else l_0_calls):
        pass
        yield '\n# Calls between namespaces, from inside the client pods.\n'
        for l_1_call in (undefined(name='calls') if l_0_calls is missing else l_0_calls):
            _loop_vars = {}
            pass
            if (environment.getattr(l_1_call, 'status') == 'conditional'):
                pass
                yield 'skip_call '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'source'))))
                yield ' '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'client'))))
                yield ' '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'url'))))
                yield ' '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'reason'))))
                yield '\n'
            else:
                pass
                yield 'check_call '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'source'))))
                yield ' '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'client'))))
                yield ' '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'url'))))
                yield ' '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'status'))))
                yield ' '
                yield str(environment.finalize(t_2(environment.getattr(l_1_call, 'reason'))))
                yield '\n'
        l_1_call = missing
    yield '\nif [ "$dry_run" = no ]; then\n  printf \'all %s checks passed on cluster %s\\n\' "$passed" "$cluster"\nfi\n'

blocks = {}
debug_info = '25=33&26=35&27=37&319=39&322=42&323=44&328=49&332=52&334=56&335=69&336=71&340=75&341=76&344=79&345=83&348=88&351=91&352=94&353=97&355=108'
