#!/usr/bin/env bash
# Renders k8s/base and every k8s/overlays/* with `kubectl kustomize` and checks the result offline
# (no cluster): Kubernetes schemas of each object plus this repository's own rules, among them that
# the node ids, voters and advertised names docker-entrypoint.sh derives for every pod form a valid
# cluster (see tooling/validate.mjs); then tests k8s/rolling-restart.sh against a fake kubectl
# (tooling/rolling-restart-test.sh). Exits non-zero on any problem, including missing tools.
#   k8s/validate.sh              # base and all overlays
#   k8s/validate.sh DIR...       # these kustomization directories instead
# Needs kubectl (with kustomize), node and npm; the pinned validator packages are installed with
# `npm ci` into k8s/tooling/node_modules (not committed) when missing or out of date.
set -euo pipefail

k8s="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tooling="$k8s/tooling"

for tool in kubectl node npm; do
  command -v "$tool" >/dev/null || { echo "validate.sh: $tool is not installed; it is needed to check k8s/" >&2; exit 1; }
done

stamp="$tooling/node_modules/.installed-from-package-lock.json"
if ! cmp -s "$tooling/package-lock.json" "$stamp"; then
  echo "validate.sh: installing the validator (npm ci in k8s/tooling)" >&2
  if ! (cd "$tooling" && npm ci --no-audit --no-fund --loglevel=error >&2); then
    echo "validate.sh: npm ci failed in $tooling; the manifests were NOT validated" >&2
    exit 1
  fi
  cp "$tooling/package-lock.json" "$stamp"
fi

if [ "$#" -eq 0 ]; then
  set -- "$k8s/base" "$k8s"/overlays/*/
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
for dir in "$@"; do
  dir="${dir%/}"
  name="$(basename "$dir")"
  rendered="$out/$name.yaml"
  echo "== $dir"
  if ! kubectl kustomize "$dir" >"$rendered"; then
    echo "validate.sh: kubectl kustomize $dir failed" >&2
    status=1
    continue
  fi
  if ! ENTRYPOINT="$k8s/docker-entrypoint.sh" node "$tooling/validate.mjs" "$rendered"; then
    status=1
  fi
done
# The scripts: POSIX syntax of the entrypoint, and rolling-restart.sh against a fake kubectl.
if ! sh -n "$k8s/docker-entrypoint.sh" || ! bash -n "$k8s/rolling-restart.sh"; then
  echo "validate.sh: a script of k8s/ has a syntax error" >&2
  status=1
fi
if ! "$tooling/rolling-restart-test.sh"; then
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "validate.sh: FAILED" >&2
else
  echo "validate.sh: all manifests valid"
fi
exit "$status"
