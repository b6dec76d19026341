import { runWithFakes } from '../internal/script-runner';

describe('approve-chaincode.sh and commit-chaincode.sh', () => {
  const peerEnv = { CHANNEL: 'mychannel', PEERS: 'p0:7051 p1:7051', ORDERERS: 'o0:7050=/ca.pem', CORE_PEER_LOCALMSPID: 'Org1MSP' };

  const definitionEnv = { ...peerEnv, CC_NAME: 'basic', CC_VERSION: '1.0', CC_SEQUENCE: '2', CC_PACKAGE_ID: 'basic_1.0:abc', CC_PACKAGE_FILE: '/pkg' };

  test('GIVEN the package installed and sequence 2 committed WHEN approve-chaincode.sh runs THEN it installs and approves nothing', () => {
    const peer = [
      'case "$*" in',
      '  "channel list"*) printf "mychannel\\n";;',
      '  *queryinstalled*) echo \'{"installed_chaincodes":[{"package_id":"basic_1.0:abc"}]}\';;',
      '  *querycommitted*) echo \'{"sequence":2}\';;',
      'esac',
    ].join('\n');
    const run = runWithFakes('approve-chaincode.sh', { peer }, definitionEnv);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('chaincode install') || c.includes('approveformyorg'))).toEqual([]);
  });

  test('GIVEN nothing installed or approved WHEN approve-chaincode.sh runs THEN it installs on each peer and approves once with the definition', () => {
    const peer = [
      'state=$(dirname "$0")/installed',
      'case "$*" in',
      '  "channel list"*) printf "mychannel\\n";;',
      '  *queryinstalled*) if [[ -f $state ]]; then echo \'{"installed_chaincodes":[{"package_id":"basic_1.0:abc"}]}\'; else echo "{}"; fi;;',
      '  *"chaincode install"*) touch "$state";;',
      '  *querycommitted*) exit 1;;',
      '  *checkcommitreadiness*) echo \'{"approvals":{"Org1MSP":false}}\';;',
      'esac',
    ].join('\n');
    const run = runWithFakes('approve-chaincode.sh', { peer }, { ...definitionEnv, PEERS: 'p0:7051', CC_SIGNATURE_POLICY: "OR('Org1MSP.peer')" });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.includes('chaincode install'))).toHaveLength(1);
    const approve = run.calls.filter((c) => c.includes('approveformyorg'));
    expect(approve).toHaveLength(1);
    expect(approve[0]).toContain("--sequence 2 --signature-policy OR('Org1MSP.peer') --package-id basic_1.0:abc -o o0:7050 --tls --cafile /ca.pem");
  });

  test('GIVEN one org has not approved WHEN commit-chaincode.sh runs THEN it waits, bounded, and never commits', () => {
    const peer = [
      'case "$*" in',
      '  "channel list"*) printf "mychannel\\n";;',
      '  *querycommitted*) exit 1;;',
      '  *checkcommitreadiness*) echo \'{"approvals":{"Org1MSP":true,"Org2MSP":false}}\';;',
      'esac',
    ].join('\n');
    const run = runWithFakes('commit-chaincode.sh', { peer }, { ...definitionEnv, APPROVERS: 'Org1MSP Org2MSP', ENDORSING_PEERS: 'p0:7051=/a p9:7051=/b' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('Org2MSP has not approved basic sequence 2 yet');
    expect(run.calls.filter((c) => c.includes('chaincode commit'))).toEqual([]);
  });
});

