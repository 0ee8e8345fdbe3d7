#!/bin/sh
# shellcheck disable=SC1003,SC2016  # single-quoted words (and awk programs) hold $ and \ as text, on purpose
# Checks that one cluster runs what this repository declares for it:
#   - ztunnel and istio-cni have every pod ready (where ambient is enabled);
#   - each namespace has its dataplane labels;
#   - each pod runs its app's containers, with istio-proxy only where a sidecar belongs;
#   - ztunnel lists the ambient pods with protocol HBONE;
#   - each waypoint is Programmed;
#   - each call between namespaces, made from inside the client pod, gets the outcome TSB's
#     rules give it.
#
# Usage: sh verify.sh [--context NAME] [--dry-run]
#   --context NAME  the kubectl (and istioctl) context of this cluster; default: the current one
#   --dry-run       print each command instead of running it
#
# Each check prints "ok: <check>". At the first mismatch it prints "FAIL: <check>", the expected
# and the actual value and the command, and exits 1. Exit 0: every check passed; 2: bad usage.
#
# Rendered by gen. Do not edit: change the profile and render again.

set -u
LC_ALL=C  # byte-wise patterns: a word is quoted unless every byte is one the shell leaves alone
export LC_ALL

profile=waypoints
cluster=west-0
istio_namespace=istio-system

usage() {
  echo "usage: sh verify.sh [--context NAME] [--dry-run]"
}

context=
dry_run=no
while [ $# -gt 0 ]; do
  case $1 in
    --context)
      if [ $# -lt 2 ] || [ -z "$2" ]; then usage >&2; exit 2; fi
      context=$2
      shift 2
      ;;
    --context=?*)
      context=${1#--context=}
      shift
      ;;
    --dry-run)
      dry_run=yes
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
done

# --- Running commands ---------------------------------------------------------------------------

# One word as a shell reads it back: as it is when it needs no quoting, else single-quoted.
quote() {
  case $1 in
    '' | *[!A-Za-z0-9_./:=@%+,-]*)
      set -- "$(printf '%sx' "$1" | sed "s/'/'\\\\''/g")"
      printf "'%s'" "${1%x}"
      ;;
    *) printf '%s' "$1" ;;
  esac
}

# A command as one line of shell.
command_line() {
  line=
  for word in "$@"; do
    line="$line${line:+ }$(quote "$word")"
  done
  printf '%s\n' "$line"
}

# Runs a command: its output goes to $out, its exit code to $code, its errors to $errors. With
# --dry-run it only prints the command, and returns 1: there is nothing to compare.
run() {
  ran=$(command_line "$@")
  if [ "$dry_run" = yes ]; then
    printf '%s\n' "$ran"
    return 1
  fi
  out=$("$@" 2>"$errors")
  code=$?
  return 0
}

# kubectl and istioctl, on the context --context names.
kube() {
  if [ -n "$context" ]; then set -- --context "$context" "$@"; fi
  run kubectl "$@"
}

istio() {
  if [ -n "$context" ]; then set -- "$@" --context "$context"; fi
  run istioctl "$@"
}

# --- Reporting ----------------------------------------------------------------------------------

passed=0

pass() {
  passed=$((passed + 1))
  printf 'ok: %s\n' "$check"
}

# Lines after the first, indented under their heading.
indented() {
  printf '%s\n' "$1" | sed '2,$s/^/          /'
}

# fail EXPECTED ACTUAL: reports the mismatch of the current check, and stops.
fail() {
  printf 'FAIL: %s\n' "$check"
  printf 'expected: %s\n' "$(indented "$1")"
  printf 'actual:   %s\n' "$(indented "$2")"
  printf 'command:  %s\n' "$ran"
  if [ -s "$errors" ]; then
    printf 'errors:   %s\n' "$(indented "$(cat "$errors")")"
  fi
  exit 1
}

# --- Checks -------------------------------------------------------------------------------------

# check_daemonset NAMESPACE NAME: every pod the DaemonSet schedules is ready (one at least).
check_daemonset() {
  check="DaemonSet $2 in $1: every pod ready"
  kube get daemonset "$2" -n "$1" -o 'jsonpath={.status.numberReady}/{.status.desiredNumberScheduled}' || return 0
  ready=${out%%/*}
  desired=${out#*/}
  if [ "$code" = 0 ] && [ -n "$desired" ] && [ "$desired" != 0 ] && [ "$ready" = "$desired" ]; then
    pass
  else
    fail "READY/DESIRED equal, and not 0/0" "${out:-nothing} (READY/DESIRED), kubectl exit $code"
  fi
}

# check_label NAMESPACE KEY VALUE: the Namespace's label KEY is VALUE; an empty VALUE: not set.
check_label() {
  if [ -n "$3" ]; then expected="$2=$3"; else expected="$2 not set"; fi
  check="namespace $1: label $expected"
  key=$(printf '%s' "$2" | sed 's/\./\\./g')  # a dot inside a jsonpath key is escaped
  kube get namespace "$1" -o "jsonpath={.metadata.labels.$key}" || return 0
  if [ "$code" != 0 ]; then
    fail "$expected" "kubectl exit $code"
  elif [ "$out" = "$3" ]; then
    pass
  elif [ -n "$out" ]; then
    fail "$expected" "$2=$out"
  else
    fail "$expected" "$2 not set"
  fi
}

# Reads "pod<TAB>containers<TAB>init containers" lines, keeps the pods of $deployment (named
# <deployment>-<hash>-<hash>) and prints them as "pod: containers"; exits 1 unless there is one at
# least and each runs $containers (in order), with istio-proxy (a container or a native sidecar
# among the init containers) if and only if $sidecar is "sidecar".
pods_program='
BEGIN { FS = "\t"; prefix = ENVIRON["deployment"] "-"; found = 0; wrong = 0 }
index($1, prefix) == 1 && substr($1, length(prefix) + 1) ~ /^[a-z0-9]+-[a-z0-9]+$/ {
  found++
  apps = ""
  proxy = "no-sidecar"
  n = split($2, names, " ")
  for (i = 1; i <= n; i++) if (names[i] == "istio-proxy") proxy = "sidecar"; else apps = apps (apps == "" ? "" : " ") names[i]
  n = split($3, names, " ")
  for (i = 1; i <= n; i++) if (names[i] == "istio-proxy") proxy = "sidecar"
  if (apps != ENVIRON["containers"] "" || proxy != ENVIRON["sidecar"] "") wrong++
  print $1 ": " $2 ($3 == "" ? "" : " (init: " $3 ")")
}
END { exit (found == 0 || wrong > 0) }
'

# The pods check_pods listed last, and their namespace.
pods_read=no
pods_namespace=

# check_pods NAMESPACE DEPLOYMENT sidecar|no-sidecar CONTAINER...: the Deployment's pods run its
# CONTAINERs, and istio-proxy beside them (sidecar) or not (no-sidecar).
check_pods() {
  namespace=$1
  deployment=$2
  sidecar=$3
  shift 3
  containers="$*"
  check="namespace $namespace: pods of $deployment"
  if [ "$pods_read" = no ] || [ "$namespace" != "$pods_namespace" ]; then  # one listing per namespace
    pods_read=yes
    pods_namespace=$namespace
    kube get pods -n "$namespace" -o 'jsonpath={range .items[*]}{.metadata.name}{"\t"}{.spec.containers[*].name}{"\t"}{.spec.initContainers[*].name}{"\n"}{end}' || return 0
    pods_listed=$out
    pods_code=$code
    pods_command=$ran
  fi
  [ "$dry_run" = no ] || return 0
  ran=$pods_command
  if [ "$sidecar" = sidecar ]; then
    expected="$deployment-...: $containers, and istio-proxy (a sidecar)"
  else
    expected="$deployment-...: $containers, no istio-proxy"
  fi
  [ "$pods_code" = 0 ] || fail "$expected" "kubectl exit $pods_code"
  if actual=$(printf '%s\n' "$pods_listed" | deployment=$deployment containers=$containers sidecar=$sidecar awk "$pods_program"); then
    pass
  else
    fail "$expected" "${actual:-no pod of $deployment}"
  fi
}

# Reads istioctl's workload table (NAMESPACE, POD NAME, ..., PROTOCOL last), keeps the pods of
# $deployment in $namespace and prints them as "pod protocol"; exits 1 unless there is one at
# least and each has $protocol.
ztunnel_program='
NR == 1 {
  sub(/POD NAME/, "POD_NAME")
  for (i = 1; i <= NF; i++) column[$i] = i
  name = ("POD_NAME" in column) ? column["POD_NAME"] : column["NAME"]
  prefix = ENVIRON["deployment"] "-"
  found = 0
  wrong = 0
  next
}
$column["NAMESPACE"] "" == ENVIRON["namespace"] "" && index($name, prefix) == 1 && substr($name, length(prefix) + 1) ~ /^[a-z0-9]+-[a-z0-9]+$/ {
  found++
  if ($NF "" != ENVIRON["protocol"] "") wrong++
  print $name " " $NF
}
END { exit (found == 0 || wrong > 0) }
'

# ztunnel's workload table, read once for every check_ztunnel.
ztunnel_read=no

# check_ztunnel NAMESPACE DEPLOYMENT PROTOCOL: ztunnel lists the Deployment's pods with PROTOCOL
# (HBONE: ztunnel captures them; TCP: they are outside ambient).
check_ztunnel() {
  check="ztunnel: pods of $2 in $1 with protocol $3"
  if [ "$ztunnel_read" = no ]; then
    ztunnel_read=yes
    istio ztunnel-config workload -n "$istio_namespace" || return 0
    ztunnel_table=$out
    ztunnel_code=$code
    ztunnel_command=$ran
  fi
  [ "$dry_run" = no ] || return 0
  ran=$ztunnel_command
  [ "$ztunnel_code" = 0 ] || fail "$2-... $3" "istioctl exit $ztunnel_code"
  if actual=$(printf '%s\n' "$ztunnel_table" | namespace=$1 deployment=$2 protocol=$3 awk "$ztunnel_program"); then
    pass
  else
    fail "$2-... $3" "${actual:-no pod of $2 listed}"
  fi
}

# check_waypoint NAMESPACE NAME: the waypoint's Gateway is Programmed.
check_waypoint() {
  check="waypoint $2 in $1: Programmed"
  kube get gateways.gateway.networking.k8s.io "$2" -n "$1" -o 'jsonpath={.status.conditions[?(@.type=="Programmed")].status}' || return 0
  if [ "$code" = 0 ] && [ "$out" = True ]; then
    pass
  else
    fail "Programmed: True" "Programmed: ${out:-no such condition}, kubectl exit $code"
  fi
}

# check_call NAMESPACE CLIENT URL EXPECTED WHY: curl URL from inside the client pod. EXPECTED:
#   ok      the app answers: any HTTP status but 403 (a proxy denied it) and 000 (no answer);
#   denied  403, RBAC: access denied (a sidecar or a waypoint refuses it);
#   reset   ztunnel resets the connection (it enforces the rule at L4): curl exits 56, prints 000.
check_call() {
  check="call from $2 in $1 to $3"
  kube exec -n "$1" "$2" -- curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$3" || return 0
  actual="HTTP ${out:-nothing}, exit $code"
  case $4 in
    ok)
      if [ "$code" = 0 ] && [ -n "$out" ] && [ "$out" != 403 ] && [ "$out" != 000 ]; then pass; return; fi
      expected="an answer: HTTP status other than 403 and 000, exit 0"
      ;;
    denied)
      if [ "$out" = 403 ]; then pass; return; fi
      expected="HTTP 403 (RBAC: access denied)"
      ;;
    reset)
      if [ "$code" = 56 ]; then pass; return; fi
      expected="connection reset: HTTP 000, exit 56"
      ;;
    *)
      expected="$4"
      ;;
  esac
  fail "$expected ($5)" "$actual"
}

# skip_call NAMESPACE CLIENT URL WHY: a call whose outcome gen cannot tell (a conditional rule).
skip_call() {
  [ "$dry_run" = no ] || return 0
  printf 'skip: call from %s in %s to %s: %s\n' "$2" "$1" "$3" "$4"
}

# --- This cluster -------------------------------------------------------------------------------

if [ "$dry_run" = no ]; then
  errors=$(mktemp) || exit 2
  trap 'rm -f "$errors"' EXIT
  trap 'exit 130' INT TERM
  printf 'verifying cluster %s of profile %s%s\n' "$cluster" "$profile" "${context:+ (context $context)}"
fi

# ztunnel and istio-cni run on every node.
check_daemonset istio-system ztunnel
check_daemonset istio-system istio-cni-node

# --- Namespaces ---------------------------------------------------------------------------------
# Namespaces checked alike share one function, run with the namespace's name.

# 1 namespace: its labels and pods, ztunnel's view of them.
namespaces_1() {
  check_label "$1" istio.io/dataplane-mode ambient
  check_label "$1" istio-injection ''
  check_label "$1" istio.io/rev ''
  check_label "$1" istio.io/use-waypoint waypoint
  check_pods "$1" details-v1 no-sidecar details
  check_pods "$1" ratings-v1 no-sidecar ratings
  check_pods "$1" reviews-v1 no-sidecar reviews
  check_pods "$1" reviews-v2 no-sidecar reviews
  check_pods "$1" reviews-v3 no-sidecar reviews
  check_pods "$1" productpage-v1 no-sidecar productpage
  check_pods "$1" sleep no-sidecar sleep
  check_ztunnel "$1" details-v1 HBONE
  check_ztunnel "$1" ratings-v1 HBONE
  check_ztunnel "$1" reviews-v1 HBONE
  check_ztunnel "$1" reviews-v2 HBONE
  check_ztunnel "$1" reviews-v3 HBONE
  check_ztunnel "$1" productpage-v1 HBONE
  check_ztunnel "$1" sleep HBONE
}

# Each namespace, in the profile's order.
namespaces_1 bookinfo

# Waypoints: each Gateway is Programmed.
check_waypoint bookinfo waypoint

# Calls between namespaces, from inside the client pods.
check_call bookinfo deploy/sleep productpage.bookinfo.svc.cluster.local:9080/api/v1/products/1/reviews ok 'allowed: shop/bookinfo-ws -> shop/bookinfo-ws: no authorization set: TSB'"'"'s default (DISABLED) allows; enforced by waypoint waypoint (TSB)'

if [ "$dry_run" = no ]; then
  printf 'all %s checks passed on cluster %s\n' "$passed" "$cluster"
fi
