#!/usr/bin/env bash
# Builds a container registry (github.com/distribution/distribution/v3, pinned in go/go.mod) from
# the Go module proxy into a git-ignored cache, for tests that push workspace images. Rebuilt only
# when missing or when go/ changes. Test infrastructure only: the app never depends on it.
#   e2e/registry/build-registry.sh [--force]        → $KFD_REGISTRY_CACHE/bin/registry
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${KFD_REGISTRY_CACHE:-$here/.cache}"
bin="$cache/bin/registry"
stamp="$cache/stamp"
mkdir -p "$cache/bin"
want="$(cat "$here/go/go.mod" "$here/go/main.go" "$here/go/go.sum" 2>/dev/null | sha256sum | cut -d' ' -f1) $(go env GOVERSION)"
if [[ "${1:-}" != "--force" && -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "[registry] up to date: $bin"
  exit 0
fi
start=$(date +%s)
cd "$here/go"
[[ -f go.sum ]] || GOFLAGS=-mod=mod go mod tidy
CGO_ENABLED=0 GOTOOLCHAIN=local go build -p 2 -trimpath -ldflags='-s -w' -o "$bin" .
echo "$want" > "$stamp"
echo "[registry] built $bin in $(( $(date +%s) - start ))s"
