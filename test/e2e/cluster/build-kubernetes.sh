#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the Kubernetes server binaries and kubectl from the Go module proxy.
# k8s.io/kubernetes replaces its staging modules with local folders, so it cannot be
# `go install`ed; a throwaway wrapper module requires it and points every staging module
# at its published version instead.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
go_env

out="${K8S_BIN}"
cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
have_all=1
for c in "${cmds[@]}"; do [[ -x "${out}/${c}" ]] || have_all=0; done
if (( have_all )); then
  log "kubernetes ${KUBERNETES_VERSION}: cached in ${out}"
  exit 0
fi

work="${CACHE_ROOT}/kubernetes-${KUBERNETES_VERSION}/wrapper"
rm -rf "${work}"
mkdir -p "${work}" "${out}.partial"
cd "${work}"

log "kubernetes ${KUBERNETES_VERSION}: resolving module"
modfile=$(go mod download -json "k8s.io/kubernetes@${KUBERNETES_VERSION}" | jq -r .GoMod)
gover=$(awk '$1=="go"{print $2; exit}' "${modfile}")
{
  echo "module hyperkube.local/e2e/kubernetes-build"
  echo
  echo "go ${gover}"
  echo
  # The same GODEBUG defaults upstream builds with.
  grep -E '^godebug ' "${modfile}" || true
  echo
  echo "require k8s.io/kubernetes ${KUBERNETES_VERSION}"
  echo
  echo "replace ("
  awk '$2=="=>" && $3 ~ /^\.\/staging\// {print "\t" $1 " => " $1 " '"${KUBERNETES_STAGING_VERSION}"'"}' "${modfile}"
  echo ")"
} > go.mod
# Import each command's library package so `go mod tidy` records every dependency.
{
  echo "package main"
  echo
  echo "import ("
  for p in cmd/kube-apiserver/app cmd/kube-controller-manager/app cmd/kube-scheduler/app \
           cmd/kubelet/app cmd/kube-proxy/app; do
    echo "	_ \"k8s.io/kubernetes/${p}\""
  done
  echo "	_ \"k8s.io/kubectl/pkg/cmd\""
  echo ")"
  echo
  echo "func main() {}"
} > anchor.go
go mod tidy >/dev/null

major=${KUBERNETES_VERSION#v}; major=${major%%.*}
minor=${KUBERNETES_VERSION#v*.}; minor=${minor%%.*}
ver_pkg() {
  printf -- '-X %s.gitVersion=%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean -X %s.buildDate=1970-01-01T00:00:00Z ' \
    "$1" "${KUBERNETES_VERSION}" "$1" "${major}" "$1" "${minor}" "$1" "$1"
}
ldflags="-s -w $(ver_pkg k8s.io/component-base/version)$(ver_pkg k8s.io/client-go/pkg/version)"

for c in "${cmds[@]}"; do
  [[ -x "${out}.partial/${c}" ]] && continue
  log "kubernetes ${KUBERNETES_VERSION}: building ${c}"
  start=$(date +%s)
  go build -trimpath -ldflags="${ldflags}" -o "${out}.partial/${c}" "k8s.io/kubernetes/cmd/${c}"
  log "kubernetes ${KUBERNETES_VERSION}: built ${c} in $(( $(date +%s) - start ))s"
done
rm -rf "${out}"
mv "${out}.partial" "${out}"
log "kubernetes ${KUBERNETES_VERSION}: done"
