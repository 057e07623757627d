#!/usr/bin/env bash
# Installs Kubeflow Desktop's system prerequisites on Debian 12+ / Ubuntu 22.04+ (run as root or
# with sudo). Everything comes from the distribution's packages and the Go module proxy; nothing
# is downloaded from elsewhere. Safe to re-run: installed packages are skipped.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  # build tools for better-sqlite3 (compiled during npm ci)
  python3 make g++
  # container engines (the container backend, kind): Docker, and Podman with the network stack
  # its per-job networks need (netavark; aardvark-dns resolves node names on them)
  docker.io podman netavark aardvark-dns
  # Python side: notebooks and the PyTorch/scikit-learn templates (run with /usr/bin/python3)
  python3-jupyter-server python3-ipykernel python3-torch python3-sklearn python3-matplotlib
  # managed per-job virtual environments (python -m venv)
  python3-venv python3-yaml
  # browser for web mode and the e2e tests
  chromium fonts-dejavu-core
  # building local test images without a registry
  debootstrap
  ca-certificates git iproute2 procps
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-prereqs: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-prereqs: all Debian packages present"
fi

# kind has no Debian package; it is built from the Go module proxy. Without Go, or when the build
# fails, this script fails: the local cluster (and its tests) cannot work without kind.
KIND_VERSION="${KIND_VERSION:-v0.30.0}"
if ! command -v kind >/dev/null 2>&1; then
  if ! command -v go >/dev/null 2>&1; then
    echo "install-prereqs: Go is not installed, so kind cannot be built. Install Go (>= 1.26: the Kubernetes test harness needs it too), then run this script again (it runs: go install sigs.k8s.io/kind@${KIND_VERSION})" >&2
    exit 1
  fi
  echo "install-prereqs: building kind ${KIND_VERSION} with go install"
  GOFLAGS=-buildvcs=false go install "sigs.k8s.io/kind@${KIND_VERSION}" || { echo "install-prereqs: building kind ${KIND_VERSION} failed (see above)" >&2; exit 1; }
  gobin="$(go env GOBIN)"; [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
  [ -x "$gobin/kind" ] || { echo "install-prereqs: go install reported success but $gobin/kind is missing" >&2; exit 1; }
  if [ -w /usr/local/bin ]; then
    ln -sf "$gobin/kind" /usr/local/bin/kind
  else
    $SUDO ln -sf "$gobin/kind" /usr/local/bin/kind || { echo "install-prereqs: cannot link kind into /usr/local/bin; add $gobin to PATH" >&2; exit 1; }
  fi
fi
kind version >/dev/null || { echo "install-prereqs: kind is installed but does not run (kind version failed)" >&2; exit 1; }

echo "install-prereqs: done. Docker must be running: sudo systemctl start docker (or: sudo dockerd &); for Podman: sudo systemctl start podman.socket (or: systemctl --user start podman.socket)"
