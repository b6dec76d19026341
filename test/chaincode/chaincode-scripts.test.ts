import { Testing } from 'cdk8s';
import { Channel, EndorsementPolicy, ExternalChaincode, ExternalChaincodeOptions, FabricChart, Orderer, PeerOrg } from '../../lib';
import { ChaincodeDefinitionJson } from '../../lib/chaincode/chaincode-definition';
import { envOf, IMAGE, KubeObject, ofKind, podSpec } from '../util';
import { libraryScripts } from '../../lib/internal/script-library';
import { FakeFabric, FakeServer, RunResult } from './fake-fabric';

/** The exit code of a refusal: common.sh's refuse (no pod retry) where it has one, else fail's. */
const REFUSED = /^refuse\(\) \{/m.test(libraryScripts()['common.sh']) ? 3 : 1;

/** Another image of the chaincode, as an upgrade brings. */
const UPGRADED_IMAGE = 'example/cc:1.1.0';

/** The Jobs of a chaincode run by `runBy` (default Org1 and Org2) on a channel of Org1 (2 peers), Org2 and Org3, as synthesized. */
function chaincode(options: Partial<ExternalChaincodeOptions> = {}, runBy = ['org1', 'org2']) {
  const chart = new FabricChart(Testing.app(), 'net');
  const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 2 });
  const orgs = [
    new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: 2 }),
    new PeerOrg(chart, 'org2', { mspId: 'Org2MSP' }),
    new PeerOrg(chart, 'org3', { mspId: 'Org3MSP' }),
  ];
  const channel = new Channel(chart, 'mychannel', { orderers: [orderer], members: orgs });
  const cc = new ExternalChaincode(chart, 'basic', { channel, image: IMAGE, orgs: orgs.filter((org) => runBy.includes(org.name)), ...options });
  const objects = Testing.synth(chart) as KubeObject[];
  const jobs = ofKind(objects, 'Job');
  const envOfJob = (prefix: string) => {
    const job = jobs.find((candidate) => candidate.metadata.name.startsWith(prefix));
    if (!job) {
      throw new Error(`no Job ${prefix}`);
    }
    return envOf(podSpec(job).containers[0]);
  };
  return {
    cc,
    definition: cc._definition as ChaincodeDefinitionJson,
    packageOf: (msp: string) => cc.packageId(orgs.find((org) => org.mspId === msp)!),
    peersOf: (msp: string) => orgs.find((org) => org.mspId === msp)!.peers.map((peer) => peer.address),
    serverOf: (msp: string): FakeServer => {
      const name = cc.serverOf(orgs.find((org) => org.mspId === msp)!).name;
      const deployment = ofKind(objects, 'Deployment').find((candidate) => candidate.metadata.name === name)!;
      return { name, labels: deployment.metadata.labels ?? {} };
    },
    approveEnv: (org: string) => envOfJob(`cc-basic-mychannel-${org}-approve-`),
    commitEnv: () => envOfJob('cc-basic-mychannel-commit-'),
  };
}

const POLICY = "OR('Org1MSP.peer','Org2MSP.peer')";
const NEW_POLICY = "AND('Org1MSP.peer','Org2MSP.peer')";

function submitted(run: RunResult, what: 'approveformyorg' | 'commit' | 'install'): string[] {
  return run.calls.filter((call) => call.startsWith(`peer lifecycle chaincode ${what} `));
}

/** A channel with `cc`'s definition committed at `sequence`, approved by Org1 and Org2 with their packages, installed everywhere. */
function running(cc: ReturnType<typeof chaincode>, sequence = 1): FakeFabric {
  const fabric = new FakeFabric(['Org1MSP', 'Org2MSP', 'Org3MSP']).commit(cc.definition, sequence);
  for (const msp of ['Org1MSP', 'Org2MSP']) {
    fabric.approve(msp, cc.definition, sequence, cc.packageOf(msp)).serve(cc.serverOf(msp));
    for (const address of cc.peersOf(msp)) {
      fabric.install(address, cc.packageOf(msp));
    }
  }
  return fabric;
}

describe('approve-chaincode.sh and commit-chaincode.sh', () => {
  test('GIVEN a new channel WHEN both orgs\' Jobs and the commit Job run THEN each org installs and approves sequence 1 once, and the commit Job commits it once', () => {
    const cc = chaincode({ endorsementPolicy: EndorsementPolicy.signature(POLICY) });
    const fabric = new FakeFabric(['Org1MSP', 'Org2MSP', 'Org3MSP']).desire(cc.definition, cc.packageOf('Org1MSP'))
      .serve(cc.serverOf('Org1MSP')).serve(cc.serverOf('Org2MSP'));
    const org1 = fabric.run('approve-chaincode.sh', cc.approveEnv('org1'));
    expect(org1.status).not.toBe(0); // it waits for the commit, bounded, and says why
    expect(org1.stderr).toContain('Org1MSP approved sequence 1, which is not committed yet (approvals: {"Org1MSP":true,"Org2MSP":false,"Org3MSP":false})');
    expect(submitted(org1, 'install')).toHaveLength(2);
    expect(submitted(org1, 'approveformyorg')).toHaveLength(1);
    expect(submitted(org1, 'approveformyorg')[0]).toContain(`--channelID mychannel --name basic --version 1.0 --sequence 1 --signature-policy ${POLICY} --package-id ${cc.packageOf('Org1MSP')} -o `);

    fabric.desire(cc.definition, cc.packageOf('Org2MSP'));
    const org2 = fabric.run('approve-chaincode.sh', cc.approveEnv('org2'));
    expect(submitted(org2, 'approveformyorg')).toHaveLength(1);

    const commit = fabric.run('commit-chaincode.sh', cc.commitEnv());
    expect(commit.stderr).toContain('committing basic sequence 1 on mychannel, approved by Org1MSP Org2MSP: nothing is committed yet');
    expect(commit.status).toBe(0);
    expect(submitted(commit, 'commit')).toHaveLength(1);
    expect(submitted(commit, 'commit')[0]).toContain('--sequence 1 --signature-policy');
    expect(fabric.committedSequence()).toBe(1);

    const again = fabric.run('approve-chaincode.sh', cc.approveEnv('org1'));
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('basic sequence 1 is committed on mychannel with the chart\'s definition, and Org1MSP approved it with');
  });

  test('GIVEN the chart\'s definition committed but not yet spread by gossip WHEN the commit Job runs THEN it ends only once every peer of the orgs that run the chaincode names endorsers, logging each wait', () => {
    const cc = chaincode({ endorsementPolicy: EndorsementPolicy.signature(POLICY) });
    const fabric = running(cc).desire(cc.definition, cc.packageOf('Org1MSP'))
      .fault('discover', 'fail failed constructing descriptor for chaincodes:<name:"basic" >');
    const commit = fabric.run('commit-chaincode.sh', cc.commitEnv());
    expect(commit.status).toBe(0);
    const peers = cc.commitEnv().DISCOVERY_PEERS.split(' ').map((entry) => entry.split('=')[0]);
    expect(peers).toEqual([...cc.peersOf('Org1MSP'), ...cc.peersOf('Org2MSP')]);
    expect(fabric.discoveredAt()).toEqual([peers[0], ...peers]);
    expect(commit.stderr).toContain(`waiting for endorsers of basic on mychannel discoverable at ${peers[0]} (attempt 1/4, next in 0s): failed constructing descriptor for chaincodes:<name:"basic" >`);
    expect(commit.stderr).toContain('every peer that runs basic names endorsers that satisfy its endorsement policy: applications can submit');
  });

  test('GIVEN discovery that never names endorsers WHEN the commit Job has committed THEN it fails after the bounded waits, quoting discovery', () => {
    const cc = chaincode({ endorsementPolicy: EndorsementPolicy.signature(POLICY) });
    const fabric = running(cc).desire(cc.definition, cc.packageOf('Org1MSP')).fault('discover', ...Array(4).fill('fail no peer combination can satisfy the endorsement policy'));
    const commit = fabric.run('commit-chaincode.sh', cc.commitEnv());
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain('(attempt 4/4, next in 0s): no peer combination can satisfy the endorsement policy');
    expect(commit.stderr).toContain(`ERROR: gave up waiting for endorsers of basic on mychannel discoverable at ${cc.peersOf('Org1MSP')[0]} after 4 attempts`);
  });

  test('GIVEN the chart\'s definition committed and approved WHEN every Job runs again THEN nothing is installed, approved or committed', () => {
    const cc = chaincode({ endorsementPolicy: EndorsementPolicy.signature(POLICY) });
    const fabric = running(cc, 3).desire(cc.definition, cc.packageOf('Org1MSP'));
    const runs = [fabric.run('approve-chaincode.sh', cc.approveEnv('org1')), fabric.run('approve-chaincode.sh', cc.approveEnv('org2')), fabric.run('commit-chaincode.sh', cc.commitEnv())];
    for (const run of runs) {
      expect(run.status).toBe(0);
      expect([...submitted(run, 'install'), ...submitted(run, 'approveformyorg'), ...submitted(run, 'commit')]).toEqual([]);
    }
    expect(fabric.committedSequence()).toBe(3);
  });

  test('GIVEN sequence 1 committed WHEN the chart changes the policy and sets no sequence THEN the orgs approve sequence 2 with the new policy and the commit Job commits it', () => {
    const before = chaincode({ endorsementPolicy: EndorsementPolicy.signature(POLICY) });
    const after = chaincode({ endorsementPolicy: EndorsementPolicy.signature(NEW_POLICY) });
    const fabric = running(before);
    for (const [org, msp] of [['org1', 'Org1MSP'], ['org2', 'Org2MSP']]) {
      fabric.desire(after.definition, after.packageOf(msp));
      const run = fabric.run('approve-chaincode.sh', after.approveEnv(org));
      expect(run.stderr).toContain(`approving basic sequence 2 for ${msp}: sequence 1 is committed; the chart changes: endorsement policy OutOf(1, 'Org1MSP.peer', 'Org2MSP.peer') -> OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer')`);
      expect(submitted(run, 'approveformyorg')).toHaveLength(1);
      expect(submitted(run, 'approveformyorg')[0]).toContain(`--sequence 2 --signature-policy ${NEW_POLICY}`);
    }
    const commit = fabric.run('commit-chaincode.sh', after.commitEnv());
    expect(commit.status).toBe(0);
    expect(submitted(commit, 'commit')).toHaveLength(1);
    expect(submitted(commit, 'commit')[0]).toContain(`--sequence 2 --signature-policy ${NEW_POLICY}`);
    expect(fabric.committedSequence()).toBe(2);
  });

  test('GIVEN sequence 1 committed WHEN Org2\'s package changes (a new TLS setting) at an unchanged definition THEN only Org2 re-approves, at sequence 1, and nothing is committed', () => {
    const before = chaincode();
    const after = chaincode({ tls: false });
    expect(after.packageOf('Org2MSP')).not.toBe(before.packageOf('Org2MSP'));
    expect(after.definition).toEqual(before.definition);
    const fabric = running(before);
    fabric.desire(after.definition, after.packageOf('Org2MSP'));
    const org2 = fabric.run('approve-chaincode.sh', after.approveEnv('org2'));
    expect(org2.status).toBe(0);
    expect(org2.stderr).toContain(`the committed definition of basic (sequence 1) is the chart's; Org2MSP approved it with ${before.packageOf('Org2MSP')}, approving it with ${after.packageOf('Org2MSP')}`);
    expect(submitted(org2, 'install')).toHaveLength(1);
    expect(submitted(org2, 'approveformyorg')).toHaveLength(1);
    expect(submitted(org2, 'approveformyorg')[0]).toContain(`--sequence 1 --package-id ${after.packageOf('Org2MSP')}`);
    expect(fabric.approvedPackage('Org2MSP', 1)).toBe(after.packageOf('Org2MSP'));
    // Org1's package did not change here (its TLS did, so use the unchanged chart for it)
    fabric.desire(before.definition, before.packageOf('Org1MSP'));
    const org1 = fabric.run('approve-chaincode.sh', before.approveEnv('org1'));
    expect(submitted(org1, 'approveformyorg')).toEqual([]);
    const commit = fabric.run('commit-chaincode.sh', after.commitEnv());
    expect(commit.status).toBe(0);
    expect(submitted(commit, 'commit')).toEqual([]);
    expect(fabric.committedSequence()).toBe(1);
  });

  test('GIVEN sequence 1 committed for Org1 and Org2 WHEN Org3 is added to the chaincode\'s orgs THEN Org3 installs and approves the committed sequence', () => {
    const before = chaincode();
    const after = chaincode({ orgs: undefined });
    const fabric = running(before).desire(after.definition, after.packageOf('Org3MSP')).serve(after.serverOf('Org3MSP'));
    const org3 = fabric.run('approve-chaincode.sh', after.approveEnv('org3'));
    expect(org3.status).toBe(0);
    expect(submitted(org3, 'install')).toHaveLength(1);
    expect(submitted(org3, 'approveformyorg')).toHaveLength(1);
    expect(submitted(org3, 'approveformyorg')[0]).toContain(`--sequence 1 --package-id ${after.packageOf('Org3MSP')}`);
    expect(after.commitEnv().APPROVERS).toBe('Org1MSP Org2MSP Org3MSP');
    const commit = fabric.run('commit-chaincode.sh', after.commitEnv());
    expect(commit.status).toBe(0);
    expect(submitted(commit, 'commit')).toEqual([]);
  });

  test('GIVEN sequence 3 committed WHEN the chart pins sequence 2 THEN every Job fails at once naming both numbers and the fix', () => {
    const cc = chaincode({ sequence: 2 });
    const fabric = running(cc, 3).desire(cc.definition, cc.packageOf('Org1MSP'));
    for (const run of [fabric.run('approve-chaincode.sh', cc.approveEnv('org1')), fabric.run('commit-chaincode.sh', cc.commitEnv())]) {
      expect(run.status).toBe(REFUSED);
      expect(run.stderr).toMatch(/(ERROR|REFUSED): basic sequence 3 is committed on mychannel, newer than the chart's sequence 2. Remove sequence from the chart/);
      expect(run.stderr).not.toContain('waiting for');
      expect([...submitted(run, 'approveformyorg'), ...submitted(run, 'commit')]).toEqual([]);
    }
  });

  test('GIVEN sequence 2 committed WHEN the chart changes the version but keeps sequence 2 THEN the Jobs fail saying the sequence was not raised', () => {
    const before = chaincode({ sequence: 2 });
    const after = chaincode({ sequence: 2, version: '1.1' });
    const fabric = running(before, 2).desire(after.definition, after.packageOf('Org1MSP'));
    const run = fabric.run('commit-chaincode.sh', after.commitEnv());
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/(ERROR|REFUSED): the definition of basic changed \(version 1.0 -> 1.1\) but the chart's sequence 2 is already committed on mychannel. Raise sequence to 3/);
    expect(submitted(run, 'commit')).toEqual([]);
  });

  test('GIVEN a new channel WHEN the chart pins sequence 2 THEN the Jobs fail saying Fabric accepts only 1', () => {
    const cc = chaincode({ sequence: 2 });
    const fabric = new FakeFabric(['Org1MSP', 'Org2MSP', 'Org3MSP']).desire(cc.definition, cc.packageOf('Org1MSP'));
    const run = fabric.run('approve-chaincode.sh', cc.approveEnv('org1'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/(ERROR|REFUSED): the chart's sequence 2 for basic is more than one above the committed sequence 0 on mychannel; Fabric accepts only 1\./);
  });

  test('GIVEN sequence 1 committed and a pinned sequence 2 WHEN the definition changes THEN sequence 2 is approved', () => {
    const before = chaincode({ sequence: 1 });
    const after = chaincode({ sequence: 2, version: '2.0' });
    const fabric = running(before).desire(after.definition, after.packageOf('Org1MSP')).commitOnApprove().serve(after.serverOf('Org1MSP'));
    const run = fabric.run('approve-chaincode.sh', after.approveEnv('org1'));
    expect(run.status).toBe(0);
    expect(submitted(run, 'approveformyorg')[0]).toContain('--version 2.0 --sequence 2');
  });

  test('GIVEN an approval that lands but whose response is lost WHEN approve-chaincode.sh runs THEN it reads the approval back and never approves twice', () => {
    const before = chaincode({ endorsementPolicy: EndorsementPolicy.signature(POLICY) });
    const after = chaincode({ endorsementPolicy: EndorsementPolicy.signature(NEW_POLICY) });
    const fabric = running(before).desire(after.definition, after.packageOf('Org1MSP')).commitOnApprove()
      .fault('approveformyorg', 'lost timed out waiting for txid on all peers');
    const run = fabric.run('approve-chaincode.sh', after.approveEnv('org1'));
    expect(run.status).toBe(0);
    expect(submitted(run, 'approveformyorg')).toHaveLength(1);
    expect(run.stderr).toContain('waiting for basic committed on mychannel with Org1MSP\'s approval of');
    expect(run.stderr).toContain(': timed out waiting for txid on all peers');
  });

  test('GIVEN a commit that lands but whose response is lost WHEN commit-chaincode.sh runs THEN it reads the commit back, never commits twice, and exits 0', () => {
    const cc = chaincode();
    const fabric = new FakeFabric(['Org1MSP', 'Org2MSP', 'Org3MSP']).desire(cc.definition, 'unused')
      .approve('Org1MSP', cc.definition, 1, cc.packageOf('Org1MSP')).approve('Org2MSP', cc.definition, 1, cc.packageOf('Org2MSP'))
      .fault('commit', 'lost error receiving from deliver filtered at peer0-org1:7051: rpc error: code = Unavailable desc = transport is closing');
    const run = fabric.run('commit-chaincode.sh', cc.commitEnv());
    expect(run.status).toBe(0);
    expect(submitted(run, 'commit')).toHaveLength(1);
    expect(run.stderr).toContain('(attempt 1/4, next in 0s): error receiving from deliver filtered at peer0-org1:7051: rpc error: code = Unavailable desc = transport is closing');
    expect(run.stderr).toContain('basic version 1.0 sequence 1 is committed on mychannel with the chart\'s definition');
  });

  test('GIVEN a refusal no retry can fix WHEN the approval is refused THEN the Job fails at the first attempt quoting Fabric', () => {
    const cc = chaincode();
    const reason = "proposal failed with status: 500 - failed to invoke backing implementation of 'ApproveChaincodeDefinitionForMyOrg': collection-name: secret -- collection member 'Org9MSP' is not part of the channel";
    const fabric = new FakeFabric(['Org1MSP', 'Org2MSP', 'Org3MSP']).desire(cc.definition, cc.packageOf('Org1MSP')).serve(cc.serverOf('Org1MSP'))
      .fault('approveformyorg', `fail ${reason}`);
    const run = fabric.run('approve-chaincode.sh', cc.approveEnv('org1'));
    expect(run.status).toBe(REFUSED);
    expect(submitted(run, 'approveformyorg')).toHaveLength(1);
    expect(run.stderr).toContain(`: Fabric refused Org1MSP's approval of basic sequence 1, and no retry can change that: ${reason}`);
    expect(run.stderr).not.toContain('waiting for basic');
  });

  test('GIVEN a commit the channel invalidates for its endorsements WHEN commit-chaincode.sh runs THEN it fails at once quoting the validation code', () => {
    const cc = chaincode();
    const fabric = new FakeFabric(['Org1MSP', 'Org2MSP', 'Org3MSP']).desire(cc.definition, 'unused')
      .approve('Org1MSP', cc.definition, 1, cc.packageOf('Org1MSP')).approve('Org2MSP', cc.definition, 1, cc.packageOf('Org2MSP'))
      .fault('commit', 'fail transaction invalidated with status (ENDORSEMENT_POLICY_FAILURE)');
    const run = fabric.run('commit-chaincode.sh', cc.commitEnv());
    expect(run.status).toBe(REFUSED);
    expect(submitted(run, 'commit')).toHaveLength(1);
    expect(run.stderr).toContain('no retry can change that: transaction invalidated with status (ENDORSEMENT_POLICY_FAILURE)');
  });

  test('GIVEN a peer that refuses connections twice WHEN the Job runs THEN it waits, logging the CLI\'s reason, then carries on', () => {
    const cc = chaincode();
    const fabric = running(cc).desire(cc.definition, cc.packageOf('Org2MSP'))
      .fault('querycommitted', 'fail failed to create new connection: connection error: desc = "transport: error while dialing: dial tcp 10.0.0.7:7051: connect: connection refused"', 'fail query failed with status: 500 - channel \'mychannel\' not found');
    const run = fabric.run('commit-chaincode.sh', cc.commitEnv());
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('(attempt 1/4, next in 0s): failed to create new connection: connection error: desc = "transport: error while dialing: dial tcp 10.0.0.7:7051: connect: connection refused"');
    expect(run.stderr).toContain('(attempt 2/4, next in 0s): query failed with status: 500 - channel \'mychannel\' not found');
    expect(submitted(run, 'commit')).toEqual([]);
  });

  test('GIVEN an orderer without a Raft leader for good WHEN the commit Job runs THEN it gives up after the bounded attempts with the last reason', () => {
    const cc = chaincode();
    const unavailable = 'fail failed to send transaction: got unexpected status: SERVICE_UNAVAILABLE -- no Raft leader';
    const fabric = new FakeFabric(['Org1MSP', 'Org2MSP', 'Org3MSP']).desire(cc.definition, 'unused')
      .approve('Org1MSP', cc.definition, 1, cc.packageOf('Org1MSP')).approve('Org2MSP', cc.definition, 1, cc.packageOf('Org2MSP'))
      .fault('commit', ...Array(8).fill(unavailable));
    const run = fabric.run('commit-chaincode.sh', cc.commitEnv());
    expect(run.status).not.toBe(0);
    expect(submitted(run, 'commit')).toHaveLength(8); // 4 attempts, each tried on both orderers
    expect(run.stderr).toContain('orderer orderer-node1.fabric.svc.cluster.local:7050 did not take the transaction: failed to send transaction: got unexpected status: SERVICE_UNAVAILABLE');
    expect(run.stderr).toContain('ERROR: gave up waiting for the chart\'s definition of basic committed on mychannel after 4 attempts; last reason: failed to send transaction: got unexpected status: SERVICE_UNAVAILABLE -- no Raft leader');
    expect(fabric.committedSequence()).toBe(0);
  });

  test('GIVEN one org has not approved WHEN commit-chaincode.sh runs THEN it waits, bounded, names the org and never commits', () => {
    const cc = chaincode();
    const fabric = new FakeFabric(['Org1MSP', 'Org2MSP', 'Org3MSP']).desire(cc.definition, 'unused').approve('Org1MSP', cc.definition, 1, cc.packageOf('Org1MSP'));
    const run = fabric.run('commit-chaincode.sh', cc.commitEnv());
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('sequence 1 is not approved yet by Org2MSP (approvals: {"Org1MSP":true,"Org2MSP":false,"Org3MSP":false})');
    expect(submitted(run, 'commit')).toEqual([]);
  });

  test('GIVEN a first peer that cannot be reached WHEN Org1 approves THEN the next pass uses its second peer', () => {
    const cc = chaincode();
    const fabric = running(cc).desire(cc.definition, cc.packageOf('Org1MSP'))
      .fault('querycommitted', 'fail failed to retrieve endorser client for querycommitted: endorser client failed to connect to peer0-org1:7051: failed to create new connection: context deadline exceeded');
    const run = fabric.run('approve-chaincode.sh', cc.approveEnv('org1'));
    expect(run.status).toBe(0);
    const [first, second] = cc.peersOf('Org1MSP');
    expect(fabric.peerAddresses().filter((line) => line.endsWith('querycommitted')).slice(0, 2)).toEqual([`${first} lifecycle chaincode querycommitted`, `${second} lifecycle chaincode querycommitted`]);
  });
  test('GIVEN an upgrade whose new server has no ready pod WHEN the org\'s approve Job runs THEN it waits, naming the server, and approves nothing', () => {
    const before = chaincode();
    const after = chaincode({ version: '1.1', image: UPGRADED_IMAGE });
    expect(after.serverOf('Org1MSP').name).not.toBe(before.serverOf('Org1MSP').name);
    const fabric = running(before).desire(after.definition, after.packageOf('Org1MSP')).serve(after.serverOf('Org1MSP'), 0);
    const run = fabric.run('approve-chaincode.sh', after.approveEnv('org1'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`: chaincode server ${after.serverOf('Org1MSP').name} has no ready pod yet (0 of 1 ready)`);
    expect(submitted(run, 'approveformyorg')).toEqual([]);
  });

  test('GIVEN a new server whose image cannot be pulled WHEN the org\'s approve Job runs THEN it names the pod and the reason, and fails within its bound without approving', () => {
    const before = chaincode();
    const after = chaincode({ version: '1.1', image: UPGRADED_IMAGE });
    const server = after.serverOf('Org1MSP');
    const fabric = running(before).desire(after.definition, after.packageOf('Org1MSP')).serve(server, 0)
      .serverPodWaits(server, `${server.name}-7f9c-x2x4q`, 'ImagePullBackOff', 'Back-off pulling image "example/cc:1.1.0"');
    const run = fabric.run('approve-chaincode.sh', { ...after.approveEnv('org1'), SERVER_STUCK_ATTEMPTS: '3', WAIT_ATTEMPTS: '10' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`(0 of 1 ready): pod ${server.name}-7f9c-x2x4q waits: ImagePullBackOff: Back-off pulling image "example/cc:1.1.0"`);
    expect(run.stderr).toContain(`ERROR: chaincode server ${server.name} cannot start, so Org1MSP does not approve the package that points at it: pod ${server.name}-7f9c-x2x4q waits: ImagePullBackOff`);
    expect(run.stderr.match(/waiting for /g)).toHaveLength(2);
    expect(submitted(run, 'approveformyorg')).toEqual([]);
  });

  test('GIVEN an upgrade to a new version and image WHEN the Jobs run THEN the old servers serve until the new definition is committed, and each org\'s Job then removes its old server only', () => {
    const before = chaincode();
    const after = chaincode({ version: '1.1', image: UPGRADED_IMAGE });
    const fabric = running(before);
    const oldServers = ['Org1MSP', 'Org2MSP'].map((msp) => before.serverOf(msp).name);
    const newServers = ['Org1MSP', 'Org2MSP'].map((msp) => after.serverOf(msp).name);
    fabric.serve(after.serverOf('Org1MSP')).serve(after.serverOf('Org2MSP'));

    fabric.desire(after.definition, after.packageOf('Org1MSP'));
    const org1 = fabric.run('approve-chaincode.sh', after.approveEnv('org1'));
    expect(org1.status).not.toBe(0); // waiting for Org2 and the commit
    expect(fabric.servers().sort()).toEqual([...oldServers, ...newServers].sort());

    fabric.desire(after.definition, after.packageOf('Org2MSP'));
    fabric.run('approve-chaincode.sh', after.approveEnv('org2'));
    expect(fabric.run('commit-chaincode.sh', after.commitEnv()).status).toBe(0);
    expect(fabric.committedSequence()).toBe(2);
    expect(fabric.servers().sort()).toEqual([...oldServers, ...newServers].sort());

    fabric.desire(after.definition, after.packageOf('Org1MSP'));
    const org1Again = fabric.run('approve-chaincode.sh', after.approveEnv('org1'));
    expect(org1Again.status).toBe(0);
    expect(org1Again.stderr).toContain(`retired chaincode server deployments/${oldServers[0]}: Org1MSP's peers run basic from ${after.packageOf('Org1MSP')}, served by ${newServers[0]}`);
    expect(fabric.servers().sort()).toEqual([oldServers[1], ...newServers].sort());
    expect(fabric.servers('services').sort()).toEqual([oldServers[1], ...newServers].sort());
    expect(fabric.kubeRequests()).toContain(`DELETE /api/v1/namespaces/fabric/services/${oldServers[0]}`);
  });

  test('GIVEN Org2 removed from the chaincode\'s orgs WHEN the commit Job runs THEN it removes Org2\'s servers and no other', () => {
    const before = chaincode();
    const after = chaincode({ orgs: undefined });
    const fabric = running(before).serve(after.serverOf('Org3MSP'));
    const withoutOrg2 = chaincode({}, ['org1', 'org3']);
    fabric.desire(withoutOrg2.definition, 'unused');
    fabric.approve('Org3MSP', withoutOrg2.definition, 1, withoutOrg2.packageOf('Org3MSP'));
    const commit = fabric.run('commit-chaincode.sh', withoutOrg2.commitEnv());
    expect(commit.status).toBe(0);
    expect(submitted(commit, 'commit')).toEqual([]);
    expect(commit.stderr).toContain(`retired chaincode server deployments/${before.serverOf('Org2MSP').name}: the organization no longer runs basic on mychannel`);
    expect(fabric.servers().sort()).toEqual([before.serverOf('Org1MSP').name, after.serverOf('Org3MSP').name].sort());
  });
});
