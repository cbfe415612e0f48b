#!/usr/bin/env bash
# Restarts the broker pods of a Tributary StatefulSet one at a time, so that every partition stays
# within its ISR budget: before the first pod and after each one it waits until the pod is Ready and
# no partition is under-replicated or without a leader, as reported by
#   kubectl exec <pod> -- bin/tributary topics --describe --under-replicated-partitions \
#       --unavailable-partitions --bootstrap-server localhost:9092
# (which prints nothing when all is well). The broker StatefulSet uses updateStrategy OnDelete, so this
# is also how a new image or configuration reaches the brokers after `kubectl apply -k`.
#
# Usage: k8s/rolling-restart.sh [-n NAMESPACE] [--context CONTEXT] [--statefulset NAME]
#                               [--timeout SECONDS] [--dry-run]
#   -n, --namespace    namespace of the StatefulSet (default: the context's)
#   --context          kubeconfig context
#   --statefulset      broker StatefulSet (default tributary-broker)
#   --timeout          how long to wait for each pod to be back and in sync (default 900)
#   --dry-run          check the cluster and print what would be restarted, change nothing
# Exit status: 0 when every pod was restarted and is in sync, 1 on a failure or timeout (the
# remaining pods are left alone), 2 for a usage error. Set KUBECTL to use another kubectl binary and
# ROLLING_RESTART_POLL_SECONDS to poll more or less often than every 5 s.
set -euo pipefail

kubectl_bin="${KUBECTL:-kubectl}"
namespace=""
context=""
statefulset="tributary-broker"
timeout=900
dry_run=false
poll="${ROLLING_RESTART_POLL_SECONDS:-5}"

usage() {
  sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ "$#" -gt 0 ]; do
  case "$1" in
    -n | --namespace) [ "$#" -ge 2 ] || usage; namespace="$2"; shift 2 ;;
    --context) [ "$#" -ge 2 ] || usage; context="$2"; shift 2 ;;
    --statefulset) [ "$#" -ge 2 ] || usage; statefulset="$2"; shift 2 ;;
    --timeout) [ "$#" -ge 2 ] || usage; timeout="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage ;;
    *) echo "rolling-restart: unknown argument '$1'" >&2; usage ;;
  esac
done
case "$timeout" in '' | *[!0-9]*) echo "rolling-restart: --timeout must be a number of seconds" >&2; exit 2 ;; esac

k() {
  local args=()
  [ -n "$context" ] && args+=(--context "$context")
  [ -n "$namespace" ] && args+=(--namespace "$namespace")
  "$kubectl_bin" "${args[@]}" "$@"
}

log() {
  echo "rolling-restart: $(date -u +%H:%M:%S) $*" >&2
}

# Prints the partitions that are under-replicated or have no leader, as seen from the pod; fails
# when the command cannot run (the pod or the cluster is not answering).
unhealthy_partitions() {
  # A small heap for the tool: the container's limit is sized for the broker beside it.
  k exec "$1" -c tributary -- env TRIBUTARY_JAVA_OPTS="-Xmx256m -XX:TieredStopAtLevel=1" \
    bin/tributary topics --describe --under-replicated-partitions --unavailable-partitions \
    --bootstrap-server localhost:9092
}

# Waits until the pod is Ready and its view of the cluster has no unhealthy partition.
wait_in_sync() {
  local pod="$1" deadline=$((SECONDS + timeout)) out
  while :; do
    if [ "$(k get pod "$pod" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; then
      if out="$(unhealthy_partitions "$pod" 2>/dev/null)" && [ -z "$out" ]; then
        return 0
      fi
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$pod is not Ready with every partition in sync after ${timeout}s; stopping here"
      [ -n "${out:-}" ] && printf '%s\n' "$out" >&2
      return 1
    fi
    sleep "$poll"
  done
}

replicas="$(k get statefulset "$statefulset" -o 'jsonpath={.spec.replicas}')"
case "$replicas" in '' | *[!0-9]*) log "cannot read spec.replicas of statefulset $statefulset"; exit 1 ;; esac
strategy="$(k get statefulset "$statefulset" -o 'jsonpath={.spec.updateStrategy.type}')"
if [ "$strategy" != OnDelete ]; then
  log "warning: statefulset $statefulset has updateStrategy $strategy, so Kubernetes may also restart pods itself"
fi
# Highest ordinal first, as a StatefulSet's own rolling update does.
pods=()
for ((i = replicas - 1; i >= 0; i--)); do pods+=("$statefulset-$i"); done
log "statefulset $statefulset: ${#pods[@]} pods, order: ${pods[*]}"

# Never start from a degraded cluster: a restart would take a partition below its ISR budget.
log "checking that every pod is Ready and no partition is under-replicated"
for pod in "${pods[@]}"; do
  if ! wait_in_sync "$pod"; then
    log "the cluster is not healthy; nothing was restarted"
    exit 1
  fi
done

for pod in "${pods[@]}"; do
  if $dry_run; then
    log "dry run: would run: $kubectl_bin${context:+ --context $context}${namespace:+ --namespace $namespace} delete pod $pod, then wait until it is Ready and no partition is under-replicated"
    continue
  fi
  uid="$(k get pod "$pod" -o 'jsonpath={.metadata.uid}')"
  log "restarting $pod (SIGTERM: controlled shutdown)"
  k delete pod "$pod" --wait=true
  # The StatefulSet recreates the pod under the same name; wait for the new one.
  deadline=$((SECONDS + timeout))
  until new="$(k get pod "$pod" -o 'jsonpath={.metadata.uid}' 2>/dev/null)" && [ -n "$new" ] && [ "$new" != "$uid" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$pod was not recreated within ${timeout}s; stopping here"
      exit 1
    fi
    sleep "$poll"
  done
  wait_in_sync "$pod" || exit 1
  log "$pod is back: Ready, no under-replicated partitions"
done
if $dry_run; then
  log "dry run: the cluster is healthy; nothing was changed"
else
  log "all ${#pods[@]} pods of $statefulset restarted"
fi
