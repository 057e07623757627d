#!/usr/bin/env bash
# Builds the local images the container-backend tests run (there is no registry on CI machines):
#   python  kfd-test/python:bookworm  minimal Debian + python3                      (~35 s)
#   torch   kfd-test/torch:bookworm   minimal Debian + python3-torch + scikit-learn (a real DDP test)
#   mlserver kfd-test/mlserver:bookworm minimal Debian + a venv with MLServer 1.7.1 + mlserver-sklearn,
#            pinned to Debian bookworm's scikit-learn 1.2.1 / numpy 1.24.2 / scipy 1.10.1 / joblib 1.2.0
#            (what /usr/bin/python3 trains with here), first on PATH: the model server's container test
# Usage: scripts/build-test-images.sh [python|torch|mlserver|all]...   (default: python)
# A tag that already exists is kept, so running it again costs nothing. Packages come from the
# Debian mirror apt already uses on this machine (KFD_DEBIAN_MIRROR overrides it).
set -euo pipefail

SUITE=bookworm
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo # debootstrap makes root-owned files; reading and removing them needs root too
docker_cmd=(docker)
[ -n "${KFD_DOCKER_HOST:-}" ] && docker_cmd+=(-H "$KFD_DOCKER_HOST")

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "[build-test-images] $*"; }

# The first URI of the apt source that serves "$SUITE" itself (not -security/-updates):
# deb822 stanzas in sources.list.d/*.sources first, then one-line sources.list entries.
apt_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk -v suite="$SUITE" '
      function flush() { if (!found && uris != "" && (" " suites " ") ~ (" " suite " ")) { split(uris, u, " "); print u[1]; found = 1 } uris = ""; suites = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
      /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
      END { flush() }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(awk -v suite="$SUITE" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == suite) { print $i; exit } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
}

# MLServer from PyPI into /opt/mlserver inside the root (pip runs in the chroot, on the host's network).
MLSERVER_PINS="mlserver==1.7.1 mlserver-sklearn==1.7.1 scikit-learn==1.2.1 numpy==1.24.2 scipy==1.10.1 joblib==1.2.0"
setup_mlserver() {
  local root=$1
  $SUDO cp /etc/resolv.conf "$root/etc/resolv.conf"
  # A clean environment: the host's PIP_* (certificate paths, find-links) do not exist in the root; proxies do apply.
  local keep=()
  for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL PIP_EXTRA_INDEX_URL; do
    [ -n "${!v:-}" ] && keep+=("$v=${!v}")
  done
  # The host's certificate authorities (a TLS-inspecting proxy's CA included) for the index.
  local ca=${PIP_CERT:-${REQUESTS_CA_BUNDLE:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}}
  if [ -r "$ca" ]; then
    $SUDO cp "$ca" "$root/etc/kfd-build-ca.crt"
    keep+=("PIP_CERT=/etc/kfd-build-ca.crt")
  fi
  $SUDO chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root "${keep[@]}" /usr/bin/python3 -m venv /opt/mlserver
  # shellcheck disable=SC2086
  $SUDO chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root "${keep[@]}" /opt/mlserver/bin/pip install --no-cache-dir --disable-pip-version-check --progress-bar off $MLSERVER_PINS >"$root.pip.log" 2>&1 || {
    tail -n 30 "$root.pip.log" >&2; exit 1
  }
  rm -f "$root.pip.log"
  $SUDO rm -f "$root/etc/resolv.conf" "$root/etc/kfd-build-ca.crt"
}

build() {
  local tag=$1 include=$2 setup=${3:-} path_env=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  if "${docker_cmd[@]}" image inspect "$tag" >/dev/null 2>&1; then
    log "$tag exists ($(image_size "$tag")); not rebuilt (docker rmi $tag to force)"
    return
  fi
  local mirror=${KFD_DEBIAN_MIRROR:-$(apt_mirror)}
  if [ -z "$mirror" ]; then
    echo "No Debian mirror for $SUITE in /etc/apt/sources.list(.d); set KFD_DEBIAN_MIRROR=http://<mirror>/debian" >&2
    exit 1
  fi
  command -v debootstrap >/dev/null || { echo "debootstrap is missing: sudo apt-get install debootstrap" >&2; exit 1; }
  local started
  # Global, so the EXIT trap still sees it when a step fails inside this function.
  root=$(mktemp -d /var/tmp/kfd-rootfs-XXXXXX)
  trap '$SUDO rm -rf "$root" "$root.log"' EXIT
  started=$(now)
  log "$tag: debootstrap --variant=minbase --include=$include $SUITE from $mirror"
  $SUDO debootstrap --variant=minbase --include="$include" "$SUITE" "$root" "$mirror" >"$root.log" 2>&1 || {
    tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1
  }
  rm -f "$root.log"
  log "$tag: debootstrap took $(since "$started") s"
  if [ -n "$setup" ]; then
    local set_up
    set_up=$(now)
    "$setup" "$root"
    log "$tag: $setup took $(since "$set_up") s"
    [ "$setup" = setup_mlserver ] && path_env="/opt/mlserver/bin:$path_env"
  fi
  # Package caches are not needed at run time and only make the image bigger.
  $SUDO rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
  local imported
  imported=$(now)
  $SUDO tar -C "$root" -c . | "${docker_cmd[@]}" import \
    -c "ENV PATH=$path_env" \
    -c 'ENV LANG=C.UTF-8' \
    -c 'CMD ["python3"]' \
    - "$tag" >/dev/null
  $SUDO rm -rf "$root"
  trap - EXIT
  log "$tag: docker import took $(since "$imported") s; built in $(since "$started") s, $(image_size "$tag")"
}

image_size() {
  "${docker_cmd[@]}" image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'
}

[ $# -eq 0 ] && set -- python
for what in "$@"; do
  case $what in
    python) build kfd-test/python:bookworm python3 ;;
    torch) build kfd-test/torch:bookworm python3,python3-torch,python3-sklearn ;;
    mlserver) build kfd-test/mlserver:bookworm python3,python3-venv setup_mlserver ;;
    all) build kfd-test/python:bookworm python3; build kfd-test/torch:bookworm python3,python3-torch,python3-sklearn; build kfd-test/mlserver:bookworm python3,python3-venv setup_mlserver ;;
    *) echo "usage: $0 [python|torch|mlserver|all]..." >&2; exit 2 ;;
  esac
done
