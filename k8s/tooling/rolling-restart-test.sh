#!/usr/bin/env bash
# Exercises k8s/rolling-restart.sh against a fake kubectl (no cluster): a deleted pod comes back
# not Ready for a few polls and then reports under-replicated partitions for a few more. Checks that
# the script restarts the pods highest ordinal first, never deletes a pod while another one is out of
# sync, changes nothing with --dry-run, and refuses to start on an unhealthy cluster.
set -euo pipefail
script="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/rolling-restart.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat >"$work/kubectl" <<'FAKE'
#!/usr/bin/env bash
state="$FAKE_STATE"
echo "$*" >>"$state/calls"
args=()
while [ "$#" -gt 0 ]; do
  case "$1" in --namespace | --context) shift 2 ;; *) args+=("$1"); shift ;; esac
done
set -- "${args[@]}"
down() { cat "$state/$1.down" 2>/dev/null || echo 0; }
case "$1 $2" in
  "get statefulset")
    case "$5" in *replicas*) printf 3 ;; *updateStrategy*) printf OnDelete ;; esac ;;
  "get pod")
    n="$(down "$3")"
    case "$5" in
      *uid*) cat "$state/$3.uid" 2>/dev/null || printf 'uid-0' ;;
      *Ready*) if [ "$n" -gt 3 ]; then echo $((n - 1)) >"$state/$3.down"; printf False; else printf True; fi ;;
    esac ;;
  "delete pod")
    for f in "$state"/*.down; do
      [ -e "$f" ] && [ "$(cat "$f")" -gt 0 ] && echo "deleted $3 while $(basename "$f" .down) was out of sync" >>"$state/violations"
    done
    echo "uid-$RANDOM" >"$state/$3.uid"
    echo 6 >"$state/$3.down"
    echo "deleted $3" >>"$state/deleted" ;;
  exec*)
    n="$(down "$2")"
    if [ "$n" -gt 0 ]; then
      echo $((n - 1)) >"$state/$2.down"
      printf '\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,0\tIsr: 1,0\n'
    fi ;;
esac
FAKE
chmod +x "$work/kubectl"

run() {
  local name="$1"; shift
  export FAKE_STATE="$work/$name"
  mkdir -p "$FAKE_STATE"
  KUBECTL="$work/kubectl" ROLLING_RESTART_POLL_SECONDS=0 "$script" -n test "$@" 2>"$FAKE_STATE/log"
}
fail() { echo "rolling-restart-test: FAIL: $*" >&2; exit 1; }

run dry --dry-run || fail "--dry-run on a healthy cluster exited $?"
[ ! -e "$work/dry/deleted" ] || fail "--dry-run deleted pods: $(cat "$work/dry/deleted")"

run real || fail "the restart exited $?: $(cat "$work/real/log")"
[ "$(cat "$work/real/deleted")" = "$(printf 'deleted tributary-broker-2\ndeleted tributary-broker-1\ndeleted tributary-broker-0')" ] \
  || fail "unexpected restarts: $(cat "$work/real/deleted")"
[ ! -e "$work/real/violations" ] || fail "$(cat "$work/real/violations")"

mkdir -p "$work/degraded" && echo 1000 >"$work/degraded/tributary-broker-1.down"
if run degraded --timeout 1; then fail "started on a degraded cluster"; fi
[ ! -e "$work/degraded/deleted" ] || fail "restarted pods of a degraded cluster: $(cat "$work/degraded/deleted")"

echo "rolling-restart-test: OK (order 2,1,0; one pod out of sync at a time; dry run and degraded cluster change nothing)"
