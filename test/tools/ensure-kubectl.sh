#!/usr/bin/env bash
# Puts Debian's kubectl (package kubernetes-client) under .cache/kubectl-deb for the kubectl
# tests, without installing it system-wide: some machines already carry another kubectl
# package that owns /usr/bin/kubectl. Prints the path of the binary it settled on.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest="$root/.cache/kubectl-deb"
bin="$dest/usr/bin/kubectl"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$root/.cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  if ! apt-get download kubernetes-client >/dev/null 2>&1; then
    # Fresh machines have empty package lists; updating them needs root.
    if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; fi
    apt-get download kubernetes-client >/dev/null 2>&1 || exit 1
  fi
) || {
  if command -v kubectl >/dev/null 2>&1; then
    echo "ensure-kubectl: could not download Debian's kubernetes-client; using $(command -v kubectl)" >&2
    command -v kubectl
    exit 0
  fi
  echo "ensure-kubectl: no kubectl: Debian's kubernetes-client could not be downloaded and none is on PATH" >&2
  exit 1
}
dpkg-deb -x "$work"/kubernetes-client_*.deb "$dest"
echo "$bin"
