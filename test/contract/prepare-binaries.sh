#!/usr/bin/env bash
# Runs before `npm test` / `npm run test:contract`: builds (or finds cached) the real
# kube-apiserver and etcd the contract suite compares the simulator with. Without Go the suite
# cannot run: outside CI that is a loud warning and the contract tests skip themselves; under
# CI=true it is a failure, so CI never goes green without having run the contract.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null 2>&1; then
  export PATH="/usr/local/go/bin:$PATH"
fi

if [ -n "${KUBE_APISERVER_BIN:-}" ] && [ -n "${ETCD_BIN:-}" ]; then
  echo "contract: using KUBE_APISERVER_BIN=$KUBE_APISERVER_BIN and ETCD_BIN=$ETCD_BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  banner="CONTRACT SUITE WILL BE SKIPPED: no Go toolchain (Go >= 1.26) to build kube-apiserver and etcd"
  if [ "${CI:-}" = "true" ]; then
    echo "contract: $banner — under CI=true this is a failure" >&2
    exit 1
  fi
  printf '\n%s\n*** %s ***\n%s\n\n' "$(printf '%*s' 90 '' | tr ' ' '*')" "$banner" "$(printf '%*s' 90 '' | tr ' ' '*')" >&2
  exit 0
fi

exec bash "$here/build-binaries.sh"
