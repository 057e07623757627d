#!/usr/bin/env bash
# Builds the kind node image the real-cluster tests run, from Debian packages and Go modules only
# (no kindest/node image can be pulled on these machines):
#   - a debootstrapped Debian with systemd, containerd, runc, iptables and the CNI plugins;
#   - kind's own node files (entrypoint, containerd and kubelet units/config) from the
#     sigs.k8s.io/kind module of the kind on PATH (images/base/files);
#   - kubeadm, kubelet, kubectl from the k8s test harness (e2e/k8s-harness, same pins and cache);
#   - the images kubeadm runs (kube-apiserver, kube-controller-manager, kube-scheduler,
#     kube-proxy, etcd, CoreDNS, pause), built here and preloaded into the node's containerd
#     under the names kubeadm asks for;
#   - kfd-pod-network instead of kindnetd (files/kfd-pod-network).
# The tag carries a hash of every input, so an existing tag is reused (nothing is rebuilt) and a
# changed input makes a new tag; older kfd-test/kind-node tags are removed.
#
# Usage: e2e/kind-node/build.sh [--force] [--print-tag] [--debootstrap-only]
#   --print-tag         print the tag the current inputs give (after the harness build) and exit
#   --debootstrap-only  only the two Debian file systems (cached by their package lists), which
#                       need no Go: .ci/run starts this early, beside npm ci and the harness build
#   KFD_K8S_HARNESS_CACHE  the harness cache (default: e2e/k8s-harness/.cache)
#   KFD_KIND_NODE_CACHE    where node-image.json and logs go (default: e2e/kind-node/.cache)
#   KFD_DEBIAN_MIRROR      Debian mirror (default: the one apt uses here)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
harness_cache="${KFD_K8S_HARNESS_CACHE:-$repo/e2e/k8s-harness/.cache}"
cache="${KFD_KIND_NODE_CACHE:-$here/.cache}"
SUITE=bookworm
# What kind's base image installs that a node needs here, from Debian (kind's Dockerfile lists
# them), plus containerd, runc and the CNI plugins, which kind builds from source.
NODE_PACKAGES=systemd,systemd-sysv,containerd,runc,iptables,nftables,kmod,ca-certificates,containernetworking-plugins,conntrack,iproute2,ethtool,mount,util-linux,procps,libseccomp2,pigz,jq,bash
# The component images' base: kube-proxy needs iptables and conntrack; the rest need nothing.
BASE_PACKAGES=iptables,conntrack,ca-certificates
LABEL_POD_NETWORK=io.kubeflow-desktop.node.pod-network

force=0
print_tag=0
debootstrap_only=0
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    --print-tag) print_tag=1 ;;
    --debootstrap-only) debootstrap_only=1 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument: $a" >&2; exit 2 ;;
  esac
done

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo # debootstrap makes root-owned files
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "[kind-node] $*" >&2; }
die() { echo "kind-node build: $*" >&2; exit 1; }
started="$(now)"
mkdir -p "$cache"

command -v docker >/dev/null || die "docker is not on PATH"
mirror="${KFD_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  # The apt source for $SUITE itself, as scripts/build-test-images.sh finds it.
  mirror="$(bash -c 'source <(sed -n "/^apt_mirror() {/,/^}/p" "$1"); SUITE=$2 apt_mirror' _ "$repo/scripts/build-test-images.sh" "$SUITE")"
fi
[ -n "$mirror" ] || die "no Debian mirror for $SUITE in /etc/apt/sources.list(.d); set KFD_DEBIAN_MIRROR"
command -v debootstrap >/dev/null || die "debootstrap is missing: sudo apt-get install debootstrap"

work="$(mktemp -d /var/tmp/kfd-kind-node-XXXXXX)"
containerd_pid=""
cleanup() {
  [ -n "$containerd_pid" ] && $SUDO kill "$containerd_pid" 2>/dev/null || true
  $SUDO rm -rf "$work"
}
trap cleanup EXIT

debootstrap_to() { # dir packages
  local t0; t0="$(now)"
  $SUDO debootstrap --variant=minbase --include="$2" "$SUITE" "$1" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"
  }
  $SUDO rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/locale/*
  log "debootstrap $(basename "$1") took $(since "$t0") s"
}

# The two Debian file systems, cached by their package lists (they need neither Go nor the harness):
# the component images' base layer (shared by all of them, so containerd stores it once), as an
# image; the node's root file system, as a tar in the cache.
base_tag="kfd-test/kind-node-base:$(echo "$SUITE $BASE_PACKAGES" | sha256sum | cut -c1-12)"
rootfs_tar="$cache/rootfs-$(echo "$SUITE $NODE_PACKAGES" | sha256sum | cut -c1-12).tar"
ensure_debootstraps() {
  if ! docker image inspect "$base_tag" >/dev/null 2>&1; then
    debootstrap_to "$work/base" "$BASE_PACKAGES"
    $SUDO tar -C "$work/base" -c . | docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$base_tag" >/dev/null
    $SUDO rm -rf "$work/base"
  fi
  if [ ! -f "$rootfs_tar" ]; then
    debootstrap_to "$work/rootfs-debootstrap" "$NODE_PACKAGES"
    $SUDO tar -C "$work/rootfs-debootstrap" -c . >"$rootfs_tar.tmp"
    mv -f "$rootfs_tar.tmp" "$rootfs_tar"
    $SUDO rm -rf "$work/rootfs-debootstrap"
    for old in "$cache"/rootfs-*.tar; do [ "$old" = "$rootfs_tar" ] || rm -f "$old"; done
  fi
}
if [ "$debootstrap_only" = 1 ]; then
  ensure_debootstraps
  log "Debian file systems ready ($(since "$started") s): $base_tag, $rootfs_tar"
  exit 0
fi

command -v kind >/dev/null || die "kind is not on PATH (go install sigs.k8s.io/kind@v0.30.0)"
command -v go >/dev/null || die "go is not on PATH (needed for the kind module files and the harness)"

# 1. The harness binaries (same pins and cache as the k8s test harness; only relinks when warm).
KFD_K8S_HARNESS_CACHE="$harness_cache" bash "$repo/e2e/k8s-harness/build.sh" --stage 2 --node >&2
bin="$harness_cache/bin"
versions="$harness_cache/manifests/versions.json"
json_field() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" "$2" | head -n 1; }
kube_version="$(json_field kubernetes "$versions")"
etcd_version="$(json_field etcd "$versions")"
[ -n "$kube_version" ] || die "no Kubernetes version in $versions"

# 2. kind's node files, from the module of the kind binary on PATH.
kind_version="$(kind version | grep -o 'v[0-9][0-9.]*' | head -n 1)"
kind_dir="$(cd / && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "sigs.k8s.io/kind@$kind_version" | json_field Dir /dev/stdin)"
kind_files="$kind_dir/images/base/files"
[ -d "$kind_files" ] || die "no images/base/files in sigs.k8s.io/kind@$kind_version ($kind_dir)"

# 3. The images kubeadm will run, by the names it asks for (read from kubeadm: no registry name
# is written here).
kubeadm_images="$("$bin/kubeadm" config images list --kubernetes-version "$kube_version" 2>/dev/null)"
image_ref() { grep -E "/$1:[^/]*$" <<<"$kubeadm_images" | head -n 1; }
declare -A ref
for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd coredns pause; do
  ref[$c]="$(image_ref "$c")"
  [ -n "${ref[$c]}" ] || die "kubeadm $kube_version lists no $c image: $kubeadm_images"
done
coredns_pin="$(cd "$repo/e2e/k8s-harness/go/coredns" && go list -m -f '{{.Version}}' github.com/coredns/coredns)"
[ "${ref[coredns]##*:}" = "$coredns_pin" ] || die "kubeadm $kube_version deploys CoreDNS ${ref[coredns]##*:} but e2e/k8s-harness/go/coredns pins $coredns_pin; make them equal"
case "${ref[etcd]##*:}" in
  "${etcd_version#v}"-*) ;;
  *) die "kubeadm $kube_version runs etcd ${ref[etcd]##*:} but the harness builds etcd $etcd_version; make them agree" ;;
esac
pause_c="$(cd / && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download -json "k8s.io/kubernetes@$kube_version" | json_field Dir /dev/stdin)/build/pause/linux/pause.c"
[ -f "$pause_c" ] || die "no build/pause/linux/pause.c in k8s.io/kubernetes@$kube_version"

# 4. The tag: a hash of every input.
stamp="$(
  {
    echo "$SUITE $NODE_PACKAGES $BASE_PACKAGES $kind_version $kube_version"
    printf '%s\n' "$kubeadm_images"
    cat "$0"
    (cd "$here/files" && for f in *; do echo "== $f"; cat "$f"; done)
    (cd "$kind_files" && find . -type f | sort | xargs sha256sum)
    for b in kubeadm kubelet kubectl kube-proxy kube-apiserver kube-controller-manager kube-scheduler etcd coredns; do
      echo "$b $(cat "$harness_cache/stamps/$b")"
    done
    sha256sum <"$pause_c"
  } | sha256sum | cut -c1-12
)"
tag="kfd-test/kind-node:$kube_version-$stamp"

write_info() { # seconds
  cat >"$cache/node-image.json" <<EOF
{ "image": "$tag", "kubernetes": "$kube_version", "kind": "$kind_version", "stamp": "$stamp", "buildSeconds": $1, "sizeBytes": $(docker image inspect -f '{{.Size}}' "$tag") }
EOF
}

if [ "$print_tag" = 1 ]; then echo "$tag"; exit 0; fi
if [ "$force" = 0 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  log "$tag exists; not rebuilt ($(since "$started") s)"
  [ -f "$cache/node-image.json" ] && grep -q "\"$tag\"" "$cache/node-image.json" || write_info 0
  echo "$tag"
  exit 0
fi

ensure_debootstraps

# 5b. The component images, tagged by kubeadm's names only long enough to be saved.
t0="$(now)"
pause_tag="${ref[pause]##*:}"
mkdir -p "$work/pause"
cc -Os -Wall -Werror -static "-DVERSION=v$pause_tag-kfd" -o "$work/pause/pause" "$pause_c"
printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' >"$work/pause/Dockerfile"
component_image() { # component, then "binary:path-in-image" pairs; the Dockerfile tail on stdin
  local c=$1 dir="$work/img-$1"; shift
  mkdir -p "$dir"
  { echo "FROM $base_tag"; for pair in "$@"; do echo "COPY ${pair%%:*} ${pair#*:}"; cp "$bin/${pair%%:*}" "$dir/" 2>/dev/null || cp "$here/files/${pair%%:*}" "$dir/"; done; cat; } >"$dir/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "${ref[$c]}" "$dir" >/dev/null 2>"$work/build-$c.log" || { cat "$work/build-$c.log" >&2; die "building the $c image failed"; }
}
DOCKER_BUILDKIT=0 docker build -q -t "${ref[pause]}" "$work/pause" >/dev/null 2>"$work/build-pause.log" || { cat "$work/build-pause.log" >&2; die "building the pause image failed"; }
for c in kube-apiserver kube-controller-manager kube-scheduler etcd; do component_image "$c" "$c:/usr/local/bin/$c" </dev/null; done
mkdir -p "$work/img-kube-proxy"
cp "$bin/kube-proxy" "$work/img-kube-proxy/kube-proxy.bin"
cp "$here/files/kube-proxy" "$work/img-kube-proxy/kube-proxy"
printf 'FROM %s\nCOPY kube-proxy.bin /usr/local/bin/kube-proxy.bin\nCOPY kube-proxy /usr/local/bin/kube-proxy\n' "$base_tag" >"$work/img-kube-proxy/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t "${ref[kube-proxy]}" "$work/img-kube-proxy" >/dev/null 2>"$work/build-kube-proxy.log" || { cat "$work/build-kube-proxy.log" >&2; die "building the kube-proxy image failed"; }
component_image coredns "coredns:/coredns" <<<'ENTRYPOINT ["/coredns"]'
all_refs=()
for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd coredns pause; do all_refs+=("${ref[$c]}"); done
docker save -o "$work/images.tar" "${all_refs[@]}"
docker rmi "${all_refs[@]}" >/dev/null
log "component images built and saved in $(since "$t0") s ($(( $(stat -c %s "$work/images.tar") / 1048576 )) MiB)"

# 5c. The node's root file system.
root="$work/rootfs"
t0="$(now)"
mkdir -p "$root"
$SUDO tar -C "$root" -xf "$rootfs_tar"
# kind's files, with the modes its Dockerfile gives them.
$SUDO install -d -m 0755 "$root/kind" "$root/kind/bin" "$root/kind/manifests" "$root/etc/containerd" "$root/etc/systemd/system/kubelet.service.d" "$root/etc/kubernetes/manifests" "$root/opt/cni"
$SUDO install -m 0755 "$kind_files"/usr/local/bin/* "$root/usr/local/bin/"
$SUDO install -m 0644 "$kind_files"/kind/*.txt "$root/kind/"
$SUDO install -m 0755 "$kind_files"/kind/bin/* "$root/kind/bin/"
$SUDO install -m 0644 "$kind_files"/etc/crictl.yaml "$root/etc/"
$SUDO install -m 0644 "$kind_files"/etc/containerd/* "$root/etc/containerd/"
$SUDO install -m 0644 "$kind_files"/etc/default/* "$root/etc/default/"
$SUDO install -m 0644 "$kind_files"/etc/sysctl.d/* "$root/etc/sysctl.d/"
$SUDO install -m 0644 "$kind_files"/etc/systemd/system/*.service "$kind_files"/etc/systemd/system/*.slice "$root/etc/systemd/system/"
$SUDO install -m 0644 "$kind_files"/etc/systemd/system/kubelet.service.d/* "$root/etc/systemd/system/kubelet.service.d/"
# Debian installs containerd and runc under /usr/bin and /usr/sbin, the CNI plugins under
# /usr/lib/cni; kind's units and containerd's defaults look in /usr/local/bin and /opt/cni/bin.
for b in containerd containerd-shim-runc-v2 ctr; do $SUDO ln -sf "/usr/bin/$b" "$root/usr/local/bin/$b"; done
$SUDO ln -sfn /usr/lib/cni "$root/opt/cni/bin"
# The Kubernetes binaries, and the version kind reads to choose its kubeadm config.
$SUDO install -m 0755 "$bin/kubeadm" "$bin/kubelet" "$bin/kubectl" "$root/usr/bin/"
echo "$kube_version" | $SUDO tee "$root/kind/version" >/dev/null
$SUDO install -m 0644 "$here/files/default-storage.yaml" "$here/files/kfd-pod-network-rbac.yaml" "$root/kind/manifests/"
# Our entrypoint (writable cgroup mounts without --privileged, then kind's) and the pod network.
$SUDO install -m 0755 "$here/files/kfd-pod-network" "$here/files/kfd-node-entrypoint" "$root/usr/local/bin/"
$SUDO install -m 0644 "$here/files/kfd-pod-network.service" "$root/etc/systemd/system/"
# containerd: the sandbox image kubeadm names; oom_score_adj never lowered below containerd's own
# (lowering needs CAP_SYS_RESOURCE, which a node here does not have: without this every sandbox
# fails with "can't get final child's PID from pipe").
$SUDO sed -i \
  -e "s|^\([[:space:]]*sandbox_image = \).*|\1\"${ref[pause]}\"|" \
  -e 's|^\([[:space:]]*restrict_oom_score_adj = \).*|\1true|' \
  "$root/etc/containerd/config.toml"
grep -q "sandbox_image = \"${ref[pause]}\"" "$root/etc/containerd/config.toml" && grep -q 'restrict_oom_score_adj = true' "$root/etc/containerd/config.toml" \
  || die "kind $kind_version's containerd config.toml has no sandbox_image / restrict_oom_score_adj line to set"
# containerd's base OCI spec, as kind's Dockerfile makes it: the product-files hook, no rlimits.
# (ctr and jq of the node itself, so the host needs neither.)
$SUDO chroot "$root" ctr oci spec \
  | $SUDO chroot "$root" jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"} | del(.process.rlimits)' \
  | $SUDO tee "$root/etc/containerd/cri-base.json" >/dev/null
# systemd as kind's Dockerfile sets it up: only kind's services, no kmsg reading.
$SUDO find "$root/lib/systemd/system/sysinit.target.wants/" -name "systemd-tmpfiles-setup.service" -delete
$SUDO rm -f "$root"/lib/systemd/system/multi-user.target.wants/* "$root"/etc/systemd/system/*.wants/* \
  "$root"/lib/systemd/system/local-fs.target.wants/* "$root"/lib/systemd/system/sockets.target.wants/*udev* \
  "$root"/lib/systemd/system/sockets.target.wants/*initctl* "$root"/lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" | $SUDO tee -a "$root/etc/systemd/journald.conf" >/dev/null
$SUDO chroot "$root" systemctl enable kubelet.service containerd.service undo-mount-hacks.service kfd-pod-network.service >/dev/null 2>&1
$SUDO chroot "$root" systemctl mask systemd-binfmt.service >/dev/null 2>&1
log "node files in place ($(since "$t0") s)"

# 5d. Preload the component images into the node's containerd: the node's own containerd binary,
# run here against the node's /var/lib/containerd (content only, as kind's node-image build
# does: --no-unpack; labelled pinned, so a containerd that knows pinning never collects them).
t0="$(now)"
ctd="$work/containerd"
mkdir -p "$ctd"
cat >"$ctd/config.toml" <<EOF
version = 2
root = "$root/var/lib/containerd"
state = "$ctd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ctd/containerd.sock"
EOF
$SUDO "$root/usr/bin/containerd" --config "$ctd/config.toml" >"$ctd/log" 2>&1 &
containerd_pid=$!
for _ in $(seq 1 50); do [ -S "$ctd/containerd.sock" ] && break; sleep 0.2; done
[ -S "$ctd/containerd.sock" ] || { tail -n 20 "$ctd/log" >&2; die "the node's containerd did not start for the preload"; }
$SUDO "$root/usr/bin/ctr" --address "$ctd/containerd.sock" --namespace k8s.io images import \
  --no-unpack --all-platforms "$work/images.tar" >"$work/import.log" 2>&1 \
  || { cat "$work/import.log" >&2; die "ctr images import failed"; }
for r in "${all_refs[@]}"; do
  $SUDO "$root/usr/bin/ctr" --address "$ctd/containerd.sock" --namespace k8s.io images label "$r" io.cri-containerd.pinned=pinned >/dev/null
done
$SUDO kill "$containerd_pid"; wait "$containerd_pid" 2>/dev/null || true; containerd_pid=""
$SUDO rm -rf "$root/var/lib/containerd/tmpmounts"
log "images preloaded into the node's containerd in $(since "$t0") s: ${all_refs[*]}"

# 5e. The image: the root file system as one layer, then what kind's Dockerfile sets after its
# squash (docker import cannot set STOPSIGNAL, so a build without layers adds the metadata).
t0="$(now)"
$SUDO tar -C "$root" -c . | docker import - "$tag-rootfs" >/dev/null
mkdir -p "$work/meta"
cat >"$work/meta/Dockerfile" <<EOF
FROM $tag-rootfs
ENV container=docker
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
STOPSIGNAL SIGRTMIN+3
LABEL $LABEL_POD_NETWORK=built-in io.kubeflow-desktop.node.kubernetes=$kube_version io.kubeflow-desktop.node.kind=$kind_version
ENTRYPOINT ["/usr/local/bin/kfd-node-entrypoint", "/sbin/init"]
EOF
DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$work/meta" >/dev/null 2>"$work/build-meta.log" || { cat "$work/build-meta.log" >&2; die "labelling the node image failed"; }
docker rmi "$tag-rootfs" >/dev/null
log "docker import took $(since "$t0") s"
for old in $(docker images kfd-test/kind-node --format '{{.Repository}}:{{.Tag}}'); do
  [ "$old" = "$tag" ] || docker rmi "$old" >/dev/null 2>&1 || true
done
secs="$(since "$started")"
write_info "$secs"
log "$tag built in $secs s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
echo "$tag"
