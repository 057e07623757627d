#!/usr/bin/env bash
# Builds the Kubernetes test harness from Go modules into a git-ignored cache:
#   stage 1: etcd, kube-apiserver, kubectl (+ our certificate helper)
#   stage 2: + kube-controller-manager, kube-scheduler, JobSet and Trainer controllers, kwok
#   --node:  also what the kind node image (e2e/kind-node/) needs beyond those: kubeadm, kubelet,
#            kube-proxy and CoreDNS
# and copies the CRDs / webhook configurations / runtimes / kwok stages that the pinned modules
# ship into the cache (read from the Go module cache; nothing from those projects is committed).
#
# Pins live only in go/*/go.mod (+ go.sum). A binary is rebuilt only when it is missing or when
# its stamp changes (wrapper go.mod/go.sum/*.go, Go version, build flags). GOCACHE is left at
# Go's default so compiled packages persist between runs on the same machine.
#
# Usage: e2e/k8s-harness/build.sh [--stage 1|2] [--node] [--force]
#   KFD_K8S_HARNESS_CACHE  cache directory (default: e2e/k8s-harness/.cache)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KFD_K8S_HARNESS_CACHE:-$here/.cache}"
stage=2
force=0
node=0
while [ $# -gt 0 ]; do
  case "$1" in
    --stage) stage="${2:-}"; shift 2 ;;
    --stage=*) stage="${1#*=}"; shift ;;
    --force) force=1; shift ;;
    --node) node=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$stage" in 1|2) ;; *) echo "build.sh: --stage must be 1 or 2" >&2; exit 2 ;; esac

log() { printf '[k8s-harness] %s\n' "$*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: 'go' is not on PATH; the harness needs Go >= 1.26 (Debian: golang-go from a recent suite, or the official tarball)" >&2
  exit 1
fi
export GOTOOLCHAIN=local     # never fetch a toolchain; fail clearly instead
export CGO_ENABLED=0         # static binaries, no C compiler needed (as upstream releases)
export GOFLAGS="-mod=readonly -buildvcs=false"
goversion="$(go env GOVERSION)"
case "$goversion" in
  go1.2[6-9]*|go1.[3-9][0-9]*|go[2-9]*) ;;
  *) echo "build.sh: $goversion is too old: the pinned modules need Go >= 1.26" >&2; exit 1 ;;
esac

build_flags=(-p 2 -trimpath)
bin="$cache/bin"
mkdir -p "$bin" "$cache/stamps" "$cache/logs"

# name | wrapper module dir | package | stage ("node": only with --node)
targets=(
  "kfd-harness-certs|certs|.|1"
  "etcd|etcd|.|1"
  "kube-apiserver|kubernetes|k8s.io/kubernetes/cmd/kube-apiserver|1"
  "kubectl|kubectl|k8s.io/kubernetes/cmd/kubectl|1"
  "kube-controller-manager|kubernetes|k8s.io/kubernetes/cmd/kube-controller-manager|2"
  "kube-scheduler|kubernetes|k8s.io/kubernetes/cmd/kube-scheduler|2"
  "jobset|jobset|sigs.k8s.io/jobset|2"
  "trainer-controller-manager|trainer|github.com/kubeflow/trainer/v2/cmd/trainer-controller-manager|2"
  "kwok|kwok|sigs.k8s.io/kwok/cmd/kwok|2"
  "kubeadm|kube-node|k8s.io/kubernetes/cmd/kubeadm|node"
  "kubelet|kube-node|k8s.io/kubernetes/cmd/kubelet|node"
  "kube-proxy|kube-node|k8s.io/kubernetes/cmd/kube-proxy|node"
  "coredns|coredns|.|node"
)
# Whether a target of that stage is built in this run.
wanted() { if [ "$1" = node ]; then [ "$node" = 1 ]; else [ "$1" -le "$stage" ]; fi; }

# Peak resident memory (KiB) of a process tree, sampled from /proc once a second.
tree_rss() {
  awk -v root="$1" '
    FNR == 1 { pid = ""; rss = 0 }
    /^Pid:/ { pid = $2 }
    /^PPid:/ { ppid[pid] = $2 }
    /^VmRSS:/ { mem[pid] = $2 }
    END {
      total = 0
      for (p in ppid) {
        q = p
        for (i = 0; i < 64 && q != "" && q != 0; i++) { if (q == root) { total += mem[p]; break } ; q = ppid[q] }
      }
      print total + 0
    }' /proc/[0-9]*/status 2>/dev/null || echo 0
}

# CPU seconds (user + system) of this shell's finished children so far: bash's `times`, written
# to a file by this shell itself (a pipe or $(...) would run it in a subshell with no children).
children_cpu() {
  times >"$cache/logs/.times"
  awk 'END { gsub(/s/, ""); split($1, u, "m"); split($2, s, "m"); printf "%.1f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$cache/logs/.times"
}

peak_kib=0
run_measured() { # command... ; sets last_secs, last_cpu, last_peak_kib; returns the command's status
  local t0 c0 rc=0 peak=0 rss
  t0="$(now)"
  children_cpu >"$cache/logs/.cpu0"; c0="$(cat "$cache/logs/.cpu0")"
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    rss="$(tree_rss "$pid")"
    [ "$rss" -gt "$peak" ] && peak="$rss"
    sleep 0.5
  done
  wait "$pid" || rc=$?
  last_secs="$(secs "$t0" "$(now)")"
  children_cpu >"$cache/logs/.cpu1"; last_cpu="$(secs "$c0" "$(cat "$cache/logs/.cpu1")")"
  last_peak_kib="$peak"
  [ "$peak" -gt "$peak_kib" ] && peak_kib="$peak"
  return "$rc"
}

# Version stamping, as upstream release builds do (kube-apiserver's /version must not say v0.0.0).
ldflags_for() { # module dir
  local v
  case "$1" in
    kubernetes|kubectl|kube-node)
      v="$(cd "$here/go/$1" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
      local major="${v#v}"; major="${major%%.*}"
      local minor="${v#v*.}"; minor="${minor%%.*}"
      for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        printf -- ' -X %s.gitVersion=%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean' \
          "$p" "$v" "$p" "$major" "$p" "$minor" "$p"
      done ;;
    jobset)
      v="$(cd "$here/go/jobset" && go list -m -f '{{.Version}}' sigs.k8s.io/jobset)"
      printf -- ' -X sigs.k8s.io/jobset/pkg/version.GitVersion=%s' "$v" ;;
  esac
}

stamp_of() { # module dir, package, ldflags
  {
    echo "$goversion $(go env GOOS)/$(go env GOARCH) cgo=$CGO_ENABLED ${build_flags[*]} $2 $3"
    cd "$here/go/$1" && for f in go.mod go.sum *.go; do if [ -f "$f" ]; then echo "== $f"; cat "$f"; fi; done
  } | sha256sum | cut -c1-16
}

# kubectl has its own wrapper (so it does not restamp the control plane) but must match its pin.
kube_pin="$(cd "$here/go/kubernetes" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
for wrapper in kubectl kube-node; do
  other_pin="$(cd "$here/go/$wrapper" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
  if [ "$kube_pin" != "$other_pin" ]; then
    echo "build.sh: go/$wrapper pins k8s.io/kubernetes $other_pin but go/kubernetes pins $kube_pin; make them equal" >&2
    exit 1
  fi
done

started="$(now)"
built=()
log "cache: $cache (stage $stage$([ "$node" = 1 ] && echo ' + node'), $goversion, GOCACHE=$(go env GOCACHE))"

for t in "${targets[@]}"; do
  IFS='|' read -r name dir pkg tstage <<<"$t"
  wanted "$tstage" || continue
  ldflags="-s -w$(ldflags_for "$dir")"
  stamp="$(stamp_of "$dir" "$pkg" "$ldflags")"
  if [ "$force" = 0 ] && [ -x "$bin/$name" ] && [ "$(cat "$cache/stamps/$name" 2>/dev/null)" = "$stamp" ]; then
    log "$name: up to date"
    continue
  fi
  log "$name: downloading modules"
  dl_log="$cache/logs/$name-download.log"
  run_measured bash -c 'cd "$1" && go list -deps "$2" >/dev/null 2>"$3"' _ "$here/go/$dir" "$pkg" "$dl_log" \
    || { cat "$dl_log" >&2; echo "build.sh: module download for $name failed" >&2; exit 1; }
  dl="$last_secs"
  downloaded="$(grep -c '^go: downloading' "$dl_log" || true)"
  log "$name: building $pkg"
  run_measured bash -c 'cd "$1" && shift && exec go build "$@"' _ "$here/go/$dir" \
      "${build_flags[@]}" "-ldflags=$ldflags" -o "$bin/$name.tmp" "$pkg" \
    || { rm -f "$bin/$name.tmp"; echo "build.sh: building $name failed" >&2; exit 1; }
  mv -f "$bin/$name.tmp" "$bin/$name"
  echo "$stamp" >"$cache/stamps/$name"
  log "$name: built in ${last_secs}s, ${last_cpu} CPU-s (modules ${dl}s, ${downloaded} downloaded; peak build RSS $((last_peak_kib / 1024)) MiB, binary $(( $(stat -c %s "$bin/$name") / 1048576 )) MiB)"
  built+=("$name")
done

# Manifests shipped inside the pinned modules, copied so that tests never need Go or the module cache.
copy_manifests() {
  local stamp dst="$cache/manifests" tmp
  stamp="$( (cat "$here/go/trainer/go.mod" "$here/go/jobset/go.mod" "$here/go/kwok/go.mod"; echo v2) | sha256sum | cut -c1-16)"
  if [ "$force" = 0 ] && [ -f "$dst/versions.json" ] && [ "$(cat "$cache/stamps/manifests" 2>/dev/null)" = "$stamp" ]; then
    log "manifests: up to date"
    return
  fi
  local trainer jobset kwok trainer_v jobset_v kwok_v kube_v etcd_v
  modinfo() { (cd "$here/go/$1" && go mod download "$2" && go list -m -f "{{.$3}}" "$2"); }
  trainer="$(modinfo trainer github.com/kubeflow/trainer/v2 Dir)"
  trainer_v="$(modinfo trainer github.com/kubeflow/trainer/v2 Version)"
  jobset="$(modinfo jobset sigs.k8s.io/jobset Dir)"
  jobset_v="$(modinfo jobset sigs.k8s.io/jobset Version)"
  kwok="$(modinfo kwok sigs.k8s.io/kwok Dir)"
  kwok_v="$(modinfo kwok sigs.k8s.io/kwok Version)"
  kube_v="$(cd "$here/go/kubernetes" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
  etcd_v="$(cd "$here/go/etcd" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
  tmp="$dst.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp/trainer/crds" "$tmp/trainer/webhook" "$tmp/trainer/runtimes" \
    "$tmp/jobset/crds" "$tmp/jobset/webhook" "$tmp/kwok/stages"
  cp "$trainer"/manifests/base/crds/trainer.kubeflow.org_*.yaml "$tmp/trainer/crds/"
  cp "$trainer/manifests/base/webhook/manifests.yaml" "$tmp/trainer/webhook/"
  find "$trainer/manifests/base/runtimes" -maxdepth 1 -name '*.yaml' ! -name kustomization.yaml \
    -exec cp {} "$tmp/trainer/runtimes/" \;
  cp "$jobset"/config/components/crd/bases/*.yaml "$tmp/jobset/crds/"
  cp "$jobset/config/components/webhook/manifests.yaml" "$jobset/config/components/webhook/kustomization.yaml" "$tmp/jobset/webhook/"
  mkdir -p "$tmp/jobset/webhook/patches" && cp "$jobset"/config/components/webhook/patches/*.yaml "$tmp/jobset/webhook/patches/"
  cp "$kwok/kustomize/stage/node/fast/node-initialize.yaml" \
    "$kwok/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    "$kwok/kustomize/stage/pod/fast/pod-ready.yaml" \
    "$kwok/kustomize/stage/pod/fast/pod-complete.yaml" \
    "$kwok/kustomize/stage/pod/fast/pod-delete.yaml" "$tmp/kwok/stages/"
  chmod -R u+w "$tmp"
  cat >"$tmp/versions.json" <<EOF
{
  "kubernetes": "$kube_v",
  "etcd": "$etcd_v",
  "trainer": "$trainer_v",
  "jobset": "$jobset_v",
  "kwok": "$kwok_v",
  "go": "$goversion"
}
EOF
  rm -rf "$dst"
  mv "$tmp" "$dst"
  echo "$stamp" >"$cache/stamps/manifests"
  log "manifests: trainer $trainer_v, jobset $jobset_v, kwok $kwok_v (kubernetes $kube_v, etcd $etcd_v)"
}
copy_manifests

total="$(secs "$started" "$(now)")"
echo "$stage" >"$cache/stage.tmp"
# The highest stage whose binaries are all present.
have=0
for s in 1 2; do
  ok=1
  for t in "${targets[@]}"; do
    IFS='|' read -r name _ _ tstage <<<"$t"
    [ "$tstage" != node ] && [ "$tstage" -le "$s" ] && [ ! -x "$bin/$name" ] && ok=0
  done
  [ "$ok" = 1 ] && have="$s"
done
rm -f "$cache/stage.tmp"
cat >"$cache/build-info.json" <<EOF
{ "stage": $have, "go": "$goversion", "lastBuildSeconds": $total, "lastBuilt": "$(IFS=,; echo "${built[*]:-}")", "peakBuildRssMiB": $((peak_kib / 1024)) }
EOF
if [ "${#built[@]}" -gt 0 ]; then
  log "build done in ${total}s: built ${built[*]} (peak build RSS $((peak_kib / 1024)) MiB)"
else
  log "build done in ${total}s: everything up to date"
fi
