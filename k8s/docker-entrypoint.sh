#!/bin/sh
# Container entrypoint of a Tributary node in a Kubernetes StatefulSet.
#
# It turns the pod's identity into node configuration, given as TRIBUTARY_* environment variables
# (which override keys of the properties file, see README "Configuration"), formats empty storage, and
# execs `bin/tributary server` so the JVM receives SIGTERM directly (controlled shutdown).
#
# Derived, unless the variable is already set (an explicit value always wins):
#   TRIBUTARY_NODE_ID                  NODE_ID_OFFSET + the pod ordinal (the "-N" suffix of the host name)
#   TRIBUTARY_CONTROLLER_QUORUM_VOTERS <CONTROLLER_ID_OFFSET+i>@<CONTROLLER_STS>-<i>.<CONTROLLER_SERVICE>.<POD_NAMESPACE>.svc:<CONTROLLER_PORT>
#                                      for i in 0..CONTROLLER_REPLICAS-1
#   TRIBUTARY_LISTENERS                PLAINTEXT://:9092 and/or CONTROLLER://:9093 by role (every interface
#                                      unless LISTEN_HOST is set, so `kubectl exec ... --bootstrap-server
#                                      localhost:9092` works too)
#   TRIBUTARY_ADVERTISED_LISTENERS     PLAINTEXT://<host>.<SERVICE_NAME>.<POD_NAMESPACE>.svc:9092 (brokers)
#   TRIBUTARY_LOG_DIRS                 /var/lib/tributary/data
#
# Inputs (not TRIBUTARY_*: the node refuses TRIBUTARY_ variables that name no configuration key):
#   TRIBUTARY_PROCESS_ROLES  broker, controller or broker,controller (required)
#   POD_NAME / HOSTNAME      the pod name, e.g. tributary-broker-2 (POD_NAME wins)
#   POD_NAMESPACE            the namespace (downward API); default "default"
#   SERVICE_NAME             this StatefulSet's headless Service (required for the broker role)
#   CONTROLLER_STS, CONTROLLER_SERVICE, CONTROLLER_REPLICAS   the controllers' StatefulSet, its headless
#                            Service and replica count (required unless the voters are given)
#   CONTROLLER_ID_OFFSET     node id of controller pod 0 (default 100: controllers are 100, 101, ...)
#   NODE_ID_OFFSET           node id of this StatefulSet's pod 0 (default: CONTROLLER_ID_OFFSET for a
#                            node with the controller role, else 0: brokers are 0, 1, 2, ...)
#   CLIENT_PORT / CONTROLLER_PORT   default 9092 / 9093
#   LISTEN_HOST              address the listeners and the metrics endpoint bind; default empty: every interface
#   DNS_SUFFIX               appended to "<ns>.svc", e.g. ".cluster.local"; default empty
#   NODE_CONFIG              properties file with the settings shared by all nodes; default
#                            /etc/tributary/node.properties, an empty file when that does not exist
#   CLUSTER_ID               cluster id used to format empty storage (required on first start)
#   FORMAT_REJOIN            "true": format empty storage with --rejoin (a controller that lost its disk)
#   TRIBUTARY_HOME           installation directory; default /opt/tributary
#   ENTRYPOINT_PRINT_ONLY    "true": print the derived variables and the command instead of running it
set -eu

die() {
  echo "docker-entrypoint: $*" >&2
  exit 1
}

is_number() {
  case "$1" in
    '' | *[!0-9]*) return 1 ;;
    *) return 0 ;;
  esac
}

home="${TRIBUTARY_HOME:-/opt/tributary}"
roles="${TRIBUTARY_PROCESS_ROLES:-}"
[ -n "$roles" ] || die "TRIBUTARY_PROCESS_ROLES is not set (broker, controller or broker,controller)"
is_broker=false
is_controller=false
case ",$roles," in *,broker,*) is_broker=true ;; esac
case ",$roles," in *,controller,*) is_controller=true ;; esac

pod="${POD_NAME:-${HOSTNAME:-$(hostname)}}"
pod="${pod%%.*}"
ordinal="${pod##*-}"
is_number "$ordinal" || [ -n "${TRIBUTARY_NODE_ID:-}" ] \
  || die "pod name '$pod' does not end in -<ordinal>; set TRIBUTARY_NODE_ID"
namespace="${POD_NAMESPACE:-default}"
suffix="$namespace.svc${DNS_SUFFIX:-}"
client_port="${CLIENT_PORT:-9092}"
controller_port="${CONTROLLER_PORT:-9093}"
controller_offset="${CONTROLLER_ID_OFFSET:-100}"
is_number "$controller_offset" || die "CONTROLLER_ID_OFFSET '$controller_offset' is not a number"

if [ -z "${TRIBUTARY_NODE_ID:-}" ]; then
  if $is_controller; then offset="${NODE_ID_OFFSET:-$controller_offset}"; else offset="${NODE_ID_OFFSET:-0}"; fi
  is_number "$offset" || die "NODE_ID_OFFSET '$offset' is not a number"
  TRIBUTARY_NODE_ID=$((offset + ordinal))
fi

if [ -z "${TRIBUTARY_CONTROLLER_QUORUM_VOTERS:-}" ]; then
  [ -n "${CONTROLLER_STS:-}" ] || die "CONTROLLER_STS is not set (the controllers' StatefulSet)"
  [ -n "${CONTROLLER_SERVICE:-}" ] || die "CONTROLLER_SERVICE is not set (the controllers' headless Service)"
  replicas="${CONTROLLER_REPLICAS:-}"
  is_number "$replicas" && [ "$replicas" -gt 0 ] || die "CONTROLLER_REPLICAS '$replicas' is not a positive number"
  voters=""
  i=0
  while [ "$i" -lt "$replicas" ]; do
    voters="$voters${voters:+,}$((controller_offset + i))@$CONTROLLER_STS-$i.$CONTROLLER_SERVICE.$suffix:$controller_port"
    i=$((i + 1))
  done
  TRIBUTARY_CONTROLLER_QUORUM_VOTERS="$voters"
fi

if [ -z "${TRIBUTARY_LISTENERS:-}" ]; then
  listeners=""
  bind="${LISTEN_HOST:-}"
  if $is_broker; then listeners="PLAINTEXT://$bind:$client_port"; fi
  if $is_controller; then listeners="$listeners${listeners:+,}CONTROLLER://$bind:$controller_port"; fi
  TRIBUTARY_LISTENERS="$listeners"
fi

if [ -z "${TRIBUTARY_ADVERTISED_LISTENERS:-}" ] && $is_broker; then
  [ -n "${SERVICE_NAME:-}" ] || die "SERVICE_NAME is not set (this StatefulSet's headless Service)"
  TRIBUTARY_ADVERTISED_LISTENERS="PLAINTEXT://$pod.$SERVICE_NAME.$suffix:$client_port"
fi

# The metrics endpoint binds where the listeners do (every interface unless LISTEN_HOST is set).
TRIBUTARY_METRICS_HOST="${TRIBUTARY_METRICS_HOST:-${LISTEN_HOST:-}}"
TRIBUTARY_LOG_DIRS="${TRIBUTARY_LOG_DIRS:-/var/lib/tributary/data}"
export TRIBUTARY_NODE_ID TRIBUTARY_CONTROLLER_QUORUM_VOTERS TRIBUTARY_LISTENERS TRIBUTARY_LOG_DIRS TRIBUTARY_METRICS_HOST
if [ -n "${TRIBUTARY_ADVERTISED_LISTENERS:-}" ]; then export TRIBUTARY_ADVERTISED_LISTENERS; fi

config="${NODE_CONFIG:-/etc/tributary/node.properties}"
if [ "${ENTRYPOINT_PRINT_ONLY:-false}" = true ]; then
  env | grep '^TRIBUTARY_' | grep -v '^TRIBUTARY_JAVA_OPTS=' | sort
  echo "exec $home/bin/tributary server --config $config"
  exit 0
fi
if [ ! -f "$config" ]; then
  config="${TMPDIR:-/tmp}/tributary-node.properties"
  : >"$config"
fi

# Storage is formatted once, on the first start of the pod's volume. Every directory gets
# meta.properties; the first of log.dirs is checked (it also holds the metadata log by default).
first_dir="${TRIBUTARY_LOG_DIRS%%,*}"
if [ ! -f "$first_dir/meta.properties" ]; then
  [ -n "${CLUSTER_ID:-}" ] || die "storage $first_dir is not formatted and CLUSTER_ID is not set"
  rejoin=""
  if [ "${FORMAT_REJOIN:-false}" = true ]; then rejoin="--rejoin"; fi
  echo "docker-entrypoint: formatting $TRIBUTARY_LOG_DIRS for cluster $CLUSTER_ID as node $TRIBUTARY_NODE_ID $rejoin" >&2
  "$home/bin/tributary" storage format --cluster-id "$CLUSTER_ID" --config "$config" $rejoin
fi

echo "docker-entrypoint: node $TRIBUTARY_NODE_ID ($roles), voters $TRIBUTARY_CONTROLLER_QUORUM_VOTERS" >&2
exec "$home/bin/tributary" server --config "$config" "$@"
