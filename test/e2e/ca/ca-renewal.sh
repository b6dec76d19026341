#!/usr/bin/env bash
# shellcheck shell=bash
# The second half of the CA scenario, sourced by run.sh after ca.sh (and the imported scenario, which
# runs meanwhile): the renew CronJobs, due 90 s after the enrollment, re-enroll every certificate with
# the same key and restart the nodes one at a time; the channel then still commits. Uses ca.sh's
# CA_NS, CA_DIR, CA_LIFETIME_SECONDS, CA_RENEW_BEFORE_SECONDS, t_apply_ca, enrolled_orderer_cert and
# secret_field.

saved_ns=${NS}
NS=${CA_NS}
# Renewal: the renew CronJobs run every minute and re-enroll what is within CA_RENEW_BEFORE_SECONDS of its end.
old_cert=${enrolled_orderer_cert}
old_serial=$(openssl x509 -noout -serial <<<"${old_cert}")
t=$(date +%s)
deadline=$(( t_apply_ca + CA_LIFETIME_SECONDS ))
until [[ "$(openssl x509 -noout -serial <<<"$(secret_field orderer-node0-identity tls.crt)")" != "${old_serial}" ]]; do
  (( $(date +%s) < deadline )) || die "ca: orderer-node0's TLS certificate was not renewed before it expired ($(openssl x509 -noout -enddate <<<"${old_cert}"))"
  sleep 5
done
new_cert=$(secret_field orderer-node0-identity tls.crt)
[[ "$(public_key_of "${new_cert}")" == "$(public_key_of "${old_cert}")" ]] || die "ca: the renewed TLS certificate of orderer-node0 has a new key"
log "ca: orderer-node0's TLS certificate renewed with the same key: $(openssl x509 -noout -serial -enddate <<<"${new_cert}" | tr '\n' ' ')"
# Every node and chaincode server restarts, one at a time, once the CronJob has renewed its org's certificates.
workloads=$(kc -n "${CA_NS}" get statefulset,deployment -o json | jq -r '.items[] | select(.metadata.labels["app.kubernetes.io/component"] != "ca") | "\(.kind | ascii_downcase)/\(.metadata.name)"')
restarted() {
  kc -n "${CA_NS}" get statefulset,deployment -o json \
    | jq -r '.items[] | select(.spec.template.metadata.annotations["hyperkube.io/certificates-renewed-at"]) | "\(.kind | ascii_downcase)/\(.metadata.name)"'
}
until [[ "$(restarted | sort)" == "$(sort <<<"${workloads}")" ]]; do
  (( $(date +%s) < deadline )) || die "ca: not every workload was restarted on renewed certificates: restarted $(restarted | tr '\n' ' ')of $(tr '\n' ' ' <<<"${workloads}")"
  sleep 5
done
# With these settings a renewed certificate is due again 90 s later: stop the CronJobs, let a run
# in progress finish, so that the client scenario below meets nodes that stay up.
kc -n "${CA_NS}" get cronjob -o name | while read -r cronjob; do kc -n "${CA_NS}" patch "${cronjob}" --type merge -p '{"spec":{"suspend":true}}' >/dev/null; done
until [[ -z "$(kc -n "${CA_NS}" get pods -l hyperkube.io/step=renew-identities --field-selector=status.phase!=Succeeded,status.phase!=Failed -o name)" ]]; do
  (( $(date +%s) < deadline )) || die "ca: a renew run did not finish"
  sleep 3
done
for workload in ${workloads}; do
  kc -n "${CA_NS}" rollout status "${workload}" --timeout=300s >/dev/null || die "ca: ${workload} did not restart on its renewed certificates"
done
kc -n "${CA_NS}" logs -l hyperkube.io/step=renew-identities --tail=-1 --prefix 2>/dev/null | grep -E 'renewed|restarted' | sed 's/^/ca: /' || true
timing "ca: wait for renewal (lifetime ${CA_LIFETIME_SECONDS}s, due after $((CA_LIFETIME_SECONDS - CA_RENEW_BEFORE_SECONDS))s) and restarts" "$(since "${t}")"
# Neither the suspension nor the renewal's restart annotations are in the manifests: a re-apply keeps both.
reapply_changes_nothing "${CA_DIR}/dist"
export_client_objects "${CA_DIR}/cluster"
t_client=$(date +%s)
client_scenario "${CA_DIR}/cluster" "${CA_DIR}/client-renewed.log" || die "ca: client scenario after the renewal failed"
timing "ca: client scenario after renewal" "$(since "${t_client}")"
NS=${saved_ns}
