#!/usr/bin/env bash
# Kubernetes API access for the Job scripts whose pods run with a service account; sourced after
# common.sh, never run on its own. Only such Jobs get a token (see each Job's Role for what it may
# do); curl and jq are all it needs, so the tools image needs no kubectl.
# KUBE_OUT, KUBE_STATUS and KUBE_REASON are read by the scripts that source this file.
# shellcheck disable=SC2034
KUBE_ACCOUNT_DIR="${KUBE_ACCOUNT_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}"
KUBE_OUT="${WORK_DIR}/kube-api.out"
KUBE_ERR="${WORK_DIR}/kube-api.err"
KUBE_REASON=""
KUBE_STATUS=""

# kube_api METHOD PATH [CURL ARG...]: calls the API server with the service account's token; the
# body goes to KUBE_OUT and the HTTP status to KUBE_STATUS. Returns 1, with KUBE_REASON, when it
# does not answer with a 2xx status.
kube_api() {
  local method=$1 path=$2 host=${KUBERNETES_SERVICE_HOST:-}
  shift 2
  KUBE_STATUS=""
  if [[ -z "${host}" || ! -r "${KUBE_ACCOUNT_DIR}/token" ]]; then
    KUBE_REASON="this pod has no Kubernetes API access (KUBERNETES_SERVICE_HOST or ${KUBE_ACCOUNT_DIR}/token missing); run the Job with its service account"
    return 1
  fi
  [[ "${host}" == *:* ]] && host="[${host}]"
  if ! KUBE_STATUS=$(curl -sS -o "${KUBE_OUT}" -w '%{http_code}' --max-time 10 -X "${method}" \
    --cacert "${KUBE_ACCOUNT_DIR}/ca.crt" -H "Authorization: Bearer $(cat "${KUBE_ACCOUNT_DIR}/token")" \
    "https://${host}:${KUBERNETES_SERVICE_PORT:-443}${path}" "$@" 2>"${KUBE_ERR}"); then
    KUBE_REASON="the Kubernetes API did not answer: $(last_reason "${KUBE_ERR}")"
    return 1
  fi
  if [[ "${KUBE_STATUS}" != 2?? ]]; then
    KUBE_REASON="the Kubernetes API answered ${KUBE_STATUS} to ${method} ${path}: $(jq -r '.message // empty' "${KUBE_OUT}" 2>/dev/null || true)"
    return 1
  fi
}

# kube_namespace: the pod's namespace.
kube_namespace() {
  cat "${KUBE_ACCOUNT_DIR}/namespace"
}
