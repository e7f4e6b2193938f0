#!/usr/bin/env bash
# Builds the real kube-apiserver and etcd that the contract tests run against.
#
# The versions come from the tool modules' go.mod files (test/contract/tools/*), so bumping a
# version there is the only change needed. Binaries land in a cache outside git, keyed by the
# kubernetes version:
#   ${MESH_TUI_CACHE:-$HOME/.cache/mesh-tui}/kube/<kube version>/kube-apiserver
#   ${MESH_TUI_CACHE:-$HOME/.cache/mesh-tui}/kube/<kube version>/etcd-<etcd version>
# A binary that is already there is not rebuilt. Modules come from the Go module proxy only.
#
# The build machine is shared (2 cores), so everything runs under `nice -n 19` with at most
# GOMAXPROCS=2 (override with GOMAXPROCS / NICE_LEVEL).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$here/tools"
cache_root="${MESH_TUI_CACHE:-$HOME/.cache/mesh-tui}"

if [ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null 2>&1; then
  export PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null 2>&1 || { echo "build-binaries: go not found (expected Go >= 1.26)" >&2; exit 1; }

export GOMAXPROCS="${GOMAXPROCS:-2}"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export CGO_ENABLED=0
nice_level="${NICE_LEVEL:-19}"

# Reads the version a tool module requires for one module path.
required_version() {
  local gomod="$1" module="$2"
  awk -v m="$module" '($1 == m || ($1 == "require" && $2 == m)) { print ($1 == m ? $2 : $3); exit }' "$gomod"
}

kube_version="$(required_version "$tools/kube-apiserver/go.mod" k8s.io/kubernetes)"
etcd_version="$(required_version "$tools/etcd/go.mod" go.etcd.io/etcd/server/v3)"
[ -n "$kube_version" ] || { echo "build-binaries: no k8s.io/kubernetes version in tools/kube-apiserver/go.mod" >&2; exit 1; }
[ -n "$etcd_version" ] || { echo "build-binaries: no go.etcd.io/etcd/server/v3 version in tools/etcd/go.mod" >&2; exit 1; }

out_dir="$cache_root/kube/$kube_version"
mkdir -p "$out_dir"

seconds_since() { echo $(( $(date +%s) - $1 )); }

# build <tool dir> <package> <output path> <extra ldflags>
build() {
  local dir="$1" pkg="$2" out="$3" ldflags="$4"
  if [ -x "$out" ]; then
    echo "build-binaries: $out is cached, nothing to do"
    return 0
  fi
  local start tmp
  start=$(date +%s)
  tmp="$out.partial.$$"
  echo "build-binaries: downloading modules for $pkg (Go module proxy: $(go env GOPROXY))"
  (cd "$dir" && nice -n "$nice_level" go mod download)
  echo "build-binaries: compiling $pkg -> $out (nice $nice_level, GOMAXPROCS=$GOMAXPROCS); a cold build takes minutes"
  # Write to a temporary name first so an interrupted build never leaves a binary that looks cached.
  (cd "$dir" && nice -n "$nice_level" go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp" "$pkg")
  mv -f "$tmp" "$out"
  echo "build-binaries: built $out ($(du -h "$out" | cut -f1)) in $(seconds_since "$start")s"
}

total_start=$(date +%s)
echo "build-binaries: kube-apiserver $kube_version, etcd $etcd_version, cache $out_dir"

kube_ldflags=""
if [ ! -x "$out_dir/kube-apiserver" ]; then
  minor="${kube_version#v1.}"
  minor="${minor%%.*}"
  # A plain `go build` would report v0.0.0-master+$Format:%H$ from /version; stamp the real one.
  kube_ldflags="-X k8s.io/component-base/version.gitVersion=$kube_version"
  kube_ldflags+=" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  kube_ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  # The release time of the module, not "now": the same inputs then give the same binary.
  release_date="$(cd "$tools/kube-apiserver" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)"
  kube_ldflags+=" -X k8s.io/component-base/version.buildDate=$release_date"
fi

build "$tools/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "$out_dir/kube-apiserver" "$kube_ldflags"
build "$tools/etcd" go.etcd.io/etcd/server/v3 "$out_dir/etcd-$etcd_version" ""

"$out_dir/kube-apiserver" --version
"$out_dir/etcd-$etcd_version" --version | awk 'NR == 1'
echo "build-binaries: done in $(seconds_since "$total_start")s"
