#!/usr/bin/env bash
# Builds a node-less Kubernetes control plane for integration tests from Go modules
# (no Docker, no release downloads):
#   - etcd            (go.etcd.io/etcd/server/v3, via a throwaway wrapper module)
#   - kube-apiserver  (k8s.io/kubernetes/cmd/kube-apiserver, via a wrapper module that
#                      pins every staging module with `replace`, derived from the
#                      downloaded k8s.io/kubernetes go.mod)
#   - ray-operator    (github.com/ray-project/kuberay/ray-operator; one attempt, a failure
#                      is remembered and not retried unless FORCE=1 / FORCE_OPERATOR=1)
#   - kustomize       (sigs.k8s.io/kustomize/kustomize/v5: the Kubernetes suite builds deploy/
#                      with the real tool, as `kubectl apply -k` does for users)
#
# Output: ${RAY_CONSOLE_CACHE:-$HOME/.cache/ray-console}/k8s/bin/
#   etcd-v<ver>, kube-apiserver-v<ver>, ray-operator-v<ver>, kustomize-v<ver> and unversioned
#   symlinks etcd, kube-apiserver, ray-operator, kustomize pointing at the current versions.
# Idempotent: a binary that already exists for the requested version is not rebuilt.
#
# Environment:
#   RAY_CONSOLE_CACHE   cache root (default $HOME/.cache/ray-console)
#   ETCD_VERSION        default 3.6.16
#   KUBE_VERSION        default 1.37.2 (the staging modules are pinned at v0.<minor>.<patch>)
#   KUBERAY_VERSIONS    operator versions tried in order (default "1.7.0 1.6.1 1.5.1")
#   KUSTOMIZE_VERSION   default 5.8.2 (5.8.3 needs Go 1.27; 5.8.2 is the newest that builds on 1.26)
#   SKIP_OPERATOR=1     do not try the operator at all
#   FORCE=1             rebuild everything (FORCE_OPERATOR=1: only retry the operator)
#   NICE                niceness for the builds (default 10)
set -euo pipefail

ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
KUBE_VERSION="${KUBE_VERSION:-1.37.2}"
KUBERAY_VERSIONS="${KUBERAY_VERSIONS:-1.7.0 1.6.1 1.5.1}"
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-5.8.2}"
FORCE="${FORCE:-0}"
FORCE_OPERATOR="${FORCE_OPERATOR:-$FORCE}"
SKIP_OPERATOR="${SKIP_OPERATOR:-0}"
NICE="${NICE:-10}"

CACHE_ROOT="${RAY_CONSOLE_CACHE:-$HOME/.cache/ray-console}"
K8S_CACHE="$CACHE_ROOT/k8s"
BIN="$K8S_CACHE/bin"
BUILD="$K8S_CACHE/build"
LOGS="$K8S_CACHE/logs"

# Be friendly to whatever else runs on the machine (children inherit this).
renice -n "$NICE" -p $$ >/dev/null 2>&1 || true
ionice -c 2 -n 7 -p $$ >/dev/null 2>&1 || true

export CGO_ENABLED=0
# Never switch toolchains behind the user's back; GOMODCACHE/GOCACHE keep their defaults
# (~/go/pkg/mod, ~/.cache/go-build) so repeated builds are warm.
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false -trimpath"

command -v go >/dev/null || { echo "error: go is not installed (need Go >= 1.26)" >&2; exit 1; }

mkdir -p "$BIN" "$BUILD" "$LOGS"

# One build at a time per cache folder.
exec 9>"$K8S_CACHE/.build.lock"
if command -v flock >/dev/null; then
  if ! flock -n 9; then
    echo "another build-control-plane.sh holds $K8S_CACHE/.build.lock; waiting..."
    flock 9
  fi
fi

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
run() { printf '+ %s\n' "$*"; "$@"; }
# run_logged LOG CMD...: like run, but the (long) output goes to LOG; its tail is shown on failure.
run_logged() {
  local logf=$1; shift
  printf '+ %s\n' "$*"
  if ! "$@" >"$logf" 2>&1; then
    tail -n 40 "$logf" | sed 's/^/    /' >&2
    echo "error: command failed: $* (full output: $logf)" >&2
    return 1
  fi
  local n; n=$(grep -c '^go: downloading' "$logf" || true)
  printf '    ok (%s modules downloaded; output in %s)\n' "$n" "$logf"
}
now() { date +%s; }
elapsed() { local s=$(( $(now) - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

link() { # link <versioned name> <plain name>
  ln -sfn "$1" "$BIN/$2"
}

TOTAL_START=$(now)
log "go: $(go version)"
log "cache: $K8S_CACHE (GOMODCACHE=$(go env GOMODCACHE), GOCACHE=$(go env GOCACHE))"

# ---------------------------------------------------------------------------------------
# etcd
# ---------------------------------------------------------------------------------------
build_etcd() {
  local out="$BIN/etcd-v$ETCD_VERSION"
  if [[ -x "$out" && "$FORCE" != 1 ]]; then
    log "etcd v$ETCD_VERSION: already built ($out), skipping"
    link "etcd-v$ETCD_VERSION" etcd
    return
  fi
  local t0 t; t0=$(now)
  local dir="$BUILD/etcd-v$ETCD_VERSION"
  log "etcd v$ETCD_VERSION: preparing wrapper module in $dir"
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir"
    run go mod init local/etcdbuild 2>/dev/null
    t=$(now)
    run_logged "$LOGS/etcd-v$ETCD_VERSION-go-get.log" go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
    log "etcd: go get took $(elapsed "$t")"
    t=$(now)
    run go build -o "$out.tmp" \
      -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=v$ETCD_VERSION" \
      go.etcd.io/etcd/server/v3
    log "etcd: go build took $(elapsed "$t")"
  )
  mv -f "$out.tmp" "$out"
  link "etcd-v$ETCD_VERSION" etcd
  log "etcd v$ETCD_VERSION: built $out in $(elapsed "$t0")"
}

# ---------------------------------------------------------------------------------------
# kube-apiserver
# ---------------------------------------------------------------------------------------
build_kube_apiserver() {
  local out="$BIN/kube-apiserver-v$KUBE_VERSION"
  if [[ -x "$out" && "$FORCE" != 1 ]]; then
    log "kube-apiserver v$KUBE_VERSION: already built ($out), skipping"
    link "kube-apiserver-v$KUBE_VERSION" kube-apiserver
    return
  fi
  local t0 t; t0=$(now)
  local major minor patch staging
  IFS=. read -r major minor patch <<<"$KUBE_VERSION"
  staging="v0.$minor.$patch"
  local dir="$BUILD/kube-apiserver-v$KUBE_VERSION"
  log "kube-apiserver v$KUBE_VERSION: preparing wrapper module in $dir (staging modules at $staging)"
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir"
    run go mod init local/kasbuild 2>/dev/null
    t=$(now)
    local gomod
    gomod=$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    [[ -f "$gomod" ]] || { echo "error: could not download the go.mod of k8s.io/kubernetes@v$KUBE_VERSION" >&2; exit 1; }
    log "kube-apiserver: downloaded k8s.io/kubernetes go.mod in $(elapsed "$t") ($gomod)"
    # Staging modules: the ones k8s.io/kubernetes maps to ./staging/src/... (all required at v0.0.0).
    local mods
    mods=$(sed -nE 's#^[[:space:]]*(k8s\.io/[A-Za-z0-9._-]+)[[:space:]]*=>[[:space:]]*\./staging/.*#\1#p' "$gomod" | sort -u)
    # Belt and braces: anything else required at exactly v0.0.0.
    mods=$( { echo "$mods"; sed -nE 's#^[[:space:]]*(k8s\.io/[A-Za-z0-9._-]+)[[:space:]]+v0\.0\.0([[:space:]].*)?$#\1#p' "$gomod"; } | grep . | sort -u)
    log "kube-apiserver: pinning $(echo "$mods" | wc -l) staging modules to $staging"
    local args=()
    for m in $mods; do args+=("-replace=$m=$m@$staging"); done
    run go mod edit "${args[@]}"
    # Keep the runtime GODEBUG defaults of the upstream module.
    local gd
    while read -r gd; do
      [[ -n "$gd" ]] && run go mod edit "-godebug=$gd"
    done < <(sed -nE 's/^godebug[[:space:]]+([^ (]+=[^ ]+).*/\1/p' "$gomod")
    t=$(now)
    run_logged "$LOGS/kube-apiserver-v$KUBE_VERSION-go-get.log" go get "k8s.io/kubernetes/cmd/kube-apiserver@v$KUBE_VERSION"
    log "kube-apiserver: go get took $(elapsed "$t")"
    t=$(now)
    local build_date ld pkg
    build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    ld="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld+=" -X $pkg.gitVersion=v$KUBE_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
      ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
    done
    run go build -o "$out.tmp" -ldflags "$ld" k8s.io/kubernetes/cmd/kube-apiserver
    log "kube-apiserver: go build took $(elapsed "$t")"
  )
  mv -f "$out.tmp" "$out"
  link "kube-apiserver-v$KUBE_VERSION" kube-apiserver
  log "kube-apiserver v$KUBE_VERSION: built $out in $(elapsed "$t0") ($("$out" --version 2>&1 | head -1))"
}

# ---------------------------------------------------------------------------------------
# KubeRay operator (best effort, tried once)
# ---------------------------------------------------------------------------------------
build_operator() {
  if [[ "$SKIP_OPERATOR" == 1 ]]; then
    log "ray-operator: SKIP_OPERATOR=1, skipping"
    return 0
  fi
  local v
  for v in $KUBERAY_VERSIONS; do
    if [[ -x "$BIN/ray-operator-v$v" && "$FORCE_OPERATOR" != 1 ]]; then
      log "ray-operator v$v: already built ($BIN/ray-operator-v$v), skipping"
      link "ray-operator-v$v" ray-operator
      return 0
    fi
  done
  local marker="$K8S_CACHE/ray-operator.failed"
  if [[ -f "$marker" && "$FORCE_OPERATOR" != 1 ]]; then
    log "ray-operator: an earlier attempt failed (see $marker and $LOGS/ray-operator-*.log);"
    log "              not retrying. Run with FORCE_OPERATOR=1 to try again."
    return 0
  fi
  rm -f "$marker"
  local t0 gobin logf
  for v in $KUBERAY_VERSIONS; do
    t0=$(now)
    gobin="$BUILD/ray-operator-v$v"
    logf="$LOGS/ray-operator-v$v.log"
    rm -rf "$gobin" && mkdir -p "$gobin"
    local cmd=(go install -ldflags "-s -w" "github.com/ray-project/kuberay/ray-operator@v$v")
    log "ray-operator v$v: GOBIN=$gobin ${cmd[*]@Q}"
    if (cd "$gobin" && GOBIN="$gobin" "${cmd[@]}") >"$logf" 2>&1 && [[ -x "$gobin/ray-operator" ]]; then
      mv -f "$gobin/ray-operator" "$BIN/ray-operator-v$v"
      link "ray-operator-v$v" ray-operator
      rm -f "$marker" # earlier versions in the list may have failed; their logs stay in $LOGS
      log "ray-operator v$v: built $BIN/ray-operator-v$v in $(elapsed "$t0")"
      return 0
    fi
    log "ray-operator v$v: FAILED after $(elapsed "$t0"); first lines of $logf:"
    head -n 30 "$logf" | sed 's/^/    /'
    {
      echo "version: v$v"
      echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
      echo "command: cd $gobin && CGO_ENABLED=0 GOTOOLCHAIN=$GOTOOLCHAIN GOFLAGS='$GOFLAGS' GOBIN=$gobin ${cmd[*]@Q}"
      echo "log: $logf"
      echo "---"
      head -n 30 "$logf"
      echo
    } >>"$marker"
  done
  log "ray-operator: every version failed; recorded in $marker (not retried unless FORCE_OPERATOR=1)"
  return 0
}

# ---------------------------------------------------------------------------------------
# kustomize (the standalone tool kubectl embeds; a module of its own, so go install works)
# ---------------------------------------------------------------------------------------
build_kustomize() {
  local out="$BIN/kustomize-v$KUSTOMIZE_VERSION"
  if [[ -x "$out" && "$FORCE" != 1 ]]; then
    log "kustomize v$KUSTOMIZE_VERSION: already built ($out), skipping"
    link "kustomize-v$KUSTOMIZE_VERSION" kustomize
    return
  fi
  local t0; t0=$(now)
  local gobin="$BUILD/kustomize-v$KUSTOMIZE_VERSION"
  rm -rf "$gobin" && mkdir -p "$gobin"
  (
    cd "$gobin"
    GOBIN="$gobin" run_logged "$LOGS/kustomize-v$KUSTOMIZE_VERSION.log" \
      go install -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@v$KUSTOMIZE_VERSION"
  )
  mv -f "$gobin/kustomize" "$out"
  link "kustomize-v$KUSTOMIZE_VERSION" kustomize
  log "kustomize v$KUSTOMIZE_VERSION: built $out in $(elapsed "$t0")"
}

t=$(now); build_etcd; log "step etcd: $(elapsed "$t")"
t=$(now); build_kube_apiserver; log "step kube-apiserver: $(elapsed "$t")"
t=$(now); build_kustomize; log "step kustomize: $(elapsed "$t")"
t=$(now); build_operator || log "ray-operator: unexpected error (ignored)"; log "step ray-operator: $(elapsed "$t")"

log "done in $(elapsed "$TOTAL_START"); binaries in $BIN:"
ls -l "$BIN"
