#!/usr/bin/env bash
# shellcheck shell=bash
# The multi-org scenario, sourced by run.sh after the evolve scenario: apps/multi-org (Bank, Shipper
# and Insurer with two peers each; consenters of two ordering orgs; channel trade with all three and
# chaincode letters with the collection bankShipperTerms of Bank and Shipper; channel claims with
# Bank and Insurer and chaincode policies, AND(Bank, Insurer)) synthesized as a user would and
# applied in namespace fabric-multi, once the reference network's namespace is gone:
#   - every Job completes;
#   - on trade, Bank writes a private value (transient map, endorsed by Bank and Shipper only),
#     Shipper reads it back, Insurer is refused the value and sees only its hash;
#   - on claims, Bank submits and Insurer reads back;
#   - a re-apply changes nothing and runs no Job.
# Uses run.sh's kc, log, die, timing, since, milestone, wait_for_jobs, client_run, first_tx_after,
# reapply_changes_nothing, drop_namespace and bringup_breakdown. Leaves NS set to fabric-multi.

MULTI_DIR="${STATE_ROOT}/multi-org"
MULTI_NS=fabric-multi

drop_namespace "${NS}"

log "multi-org: synthesizing ${MULTI_ORG_APP:-apps/multi-org/main.ts}"
t=$(date +%s)
rm -rf "${MULTI_DIR:?}"
# The exposure scenario has its exposed variant of the app synthesized here (MULTI_ORG_APP).
( cd "${REPO}" && CDK8S_OUTDIR="${MULTI_DIR}" npx --no-install ts-node --transpile-only "${MULTI_ORG_APP:-apps/multi-org/main.ts}" )
grep -qx "  name: ${MULTI_NS}" "${MULTI_DIR}/multi-org.k8s.yaml" \
  || die "multi-org: apps/multi-org no longer synthesizes namespace ${MULTI_NS}"
timing "multi-org: synth" "$(since "${t}")"
NS=${MULTI_NS}

log "multi-org: applying in namespace ${NS}"
t_apply=$(date +%s)
kc apply -R -f "${MULTI_DIR}" >/dev/null
wait_for_jobs "${t_apply}"
timing "multi-org: apply -> all Jobs complete" "$(since "${t_apply}")"
# shellcheck disable=SC2154  # jobs_json: the Job list wait_for_jobs left
for m in "channels joined:-join-" "chaincodes committed:-commit-"; do
  timing "multi-org: apply -> ${m%%:*}" "$(( $(date -d "$(milestone "${m#*:}" "${jobs_json}")" +%s) - t_apply ))s"
done

# Private data on trade: Bank writes, Shipper reads, Insurer is refused.
t_client=$(date +%s)
client_run private "${MULTI_DIR}" "${MULTI_DIR}/client-private.log" \
  --channel trade --chaincode letters --collection bankShipperTerms --org1 bank --org2 shipper --outsider insurer \
  || die "multi-org: private data on trade (Bank writes bankShipperTerms, Shipper reads, Insurer refused) failed; see the FAIL line above"
timing "multi-org: apply -> first private write" "$(first_tx_after "${t_apply}" "${t_client}" "${MULTI_DIR}/client-private.log" 'first private write')"

# A plain transaction on claims, which needs both Bank and Insurer to endorse.
t_client=$(date +%s)
client_run scenario "${MULTI_DIR}" "${MULTI_DIR}/client-claims.log" \
  --channel claims --chaincode policies --org1 bank --org2 insurer \
  || die "multi-org: transaction on claims (Bank submits, endorsed by Bank and Insurer; Insurer reads) failed"
timing "multi-org: apply -> first tx on claims" "$(first_tx_after "${t_apply}" "${t_client}" "${MULTI_DIR}/client-claims.log")"
bringup_breakdown "${t_apply}" "multi-org"

reapply_changes_nothing "${MULTI_DIR}"
