import { NetworkModel } from '../../lib/model/network-model';
import { networkStatus } from '../../lib/cli/status';
import { statusTable } from '../../lib/cli/status-table';
import { find, synthTestNetwork } from '../util';
import { FakeCluster, job, nodePod } from './fake-cluster';

const MODEL: NetworkModel = {
  network: 'test-network', namespace: 'fabric', fabricVersion: '2.5.9',
  organizations: [
    { name: 'orderer', mspId: 'OrdererMSP', kind: 'orderer', nodes: ['orderer-node0'] },
    { name: 'org1', mspId: 'Org1MSP', kind: 'peer', nodes: ['org1-peer0'] },
    { name: 'org2', mspId: 'Org2MSP', kind: 'peer', nodes: ['org2-peer0'] },
  ],
  channels: [{ name: 'mychannel', orderers: ['orderer'], consenters: ['orderer-node0'], members: ['org1', 'org2'] }],
  chaincodes: [{ name: 'basic', channel: 'mychannel', version: '1.0', orgs: ['org1', 'org2'], endorsementPolicy: '', servers: [], packageIds: ['basic_1.0:ab', 'basic_1.0:cd'] }],
};

/** The reference network's nodes and public objects, with the model, and peers that answer the CLI. */
function runningNetwork(): FakeCluster {
  const { objects } = synthTestNetwork();
  const cluster = new FakeCluster();
  cluster.configMaps = [
    ...objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name !== 'hyperkube-model'),
    { metadata: { name: 'hyperkube-model' }, data: { 'model.json': JSON.stringify(MODEL) } },
  ] as never;
  cluster.secrets = [find(objects, 'Secret', 'org1-admin'), find(objects, 'Secret', 'org2-admin')] as never;
  cluster.pods = [nodePod('orderer-node0', 'orderer', 'orderer'), nodePod('org1-peer0', 'peer', 'org1', true, 2), nodePod('org2-peer0', 'peer', 'org2', false)];
  cluster.jobs = [job('mychannel-join-org1-1', 'complete'), job('cc-basic-commit-1', 'running', 'commit-chaincode')];
  cluster.answer = (_pod, command) => {
    if (command[0] === 'peer' && command[2] === 'getinfo') {
      return { stdout: 'Blockchain info: {"height":7,"currentBlockHash":"x"}\n', stderr: '', exitCode: 0 };
    }
    if (command.join(' ').includes('channel fetch newest')) {
      return { stdout: '', stderr: '2026-01-01 INFO Received block: 6\n', exitCode: 0 };
    }
    if (command.join(' ').includes('querycommitted')) {
      return { stdout: '{"sequence":1,"version":"1.0","approvals":{"Org1MSP":true,"Org2MSP":false}}', stderr: '', exitCode: 0 };
    }
    return { stdout: '', stderr: 'unexpected', exitCode: 1 };
  };
  return cluster;
}

describe('hyperkube status', () => {
  test('GIVEN a running network WHEN its status is read THEN nodes, heights on every node, the committed definition and the Jobs are reported', async () => {
    const cluster = runningNetwork();
    const status = await networkStatus(cluster, 'fabric');
    expect(status.nodes.map((n) => [n.organization, n.name, n.ready, n.restarts])).toEqual([
      ['orderer', 'orderer-node0', true, 0], ['org1', 'org1-peer0', true, 2], ['org2', 'org2-peer0', false, 0],
    ]);
    expect(status.channels).toEqual([{ name: 'mychannel', heights: [
      { node: 'org1-peer0', height: 7 }, { node: 'org2-peer0', error: 'not ready' }, { node: 'orderer-node0', height: 7 },
    ] }]);
    expect(status.chaincodes).toEqual([{ name: 'basic', channel: 'mychannel', version: '1.0', committed: { version: '1.0', sequence: 1, approvals: { Org1MSP: true, Org2MSP: false } } }]);
    // The consenter is asked through the ready peer, over TLS with the orderer org's TLS CA.
    const fetch = cluster.execs.find((e) => e.command.join(' ').includes('fetch newest'));
    expect(fetch?.pod).toBe('org1-peer0-0');
    expect(fetch?.command.slice(-2)).toEqual(['mychannel', 'orderer-node0:7050']);
    expect(fetch?.command[4]).toContain('BEGIN CERTIFICATE');
    // The definition is read as the org's admin, whose MSP lives in the peer's /tmp only for the query.
    const query = cluster.execs.find((e) => e.command.join(' ').includes('querycommitted'));
    expect(query?.command[2]).toContain('trap \'rm -rf "$dir"\' EXIT');
  });

  test('GIVEN a running network WHEN shown as a table THEN each part is one aligned table', async () => {
    const text = statusTable(await networkStatus(runningNetwork(), 'fabric'));
    expect(text).toContain('ORG      NODE           KIND     READY  RESTARTS  STATE\norderer  orderer-node0  orderer  yes    0         Running');
    expect(text).toContain('channel mychannel\nNODE           HEIGHT\norg1-peer0     7\norg2-peer0     ? (not ready)\norderer-node0  7');
    expect(text).toContain('basic      mychannel  1.0     1.0        1         Org1MSP');
    expect(text).toContain('1/2 Jobs complete');
  });

  test('GIVEN a namespace without the model WHEN its status is read THEN nodes and Jobs are reported, and no channel', async () => {
    const cluster = runningNetwork();
    cluster.configMaps = [];
    const status = await networkStatus(cluster, 'fabric');
    expect([status.network, status.channels, status.nodes.length]).toEqual([undefined, [], 3]);
    expect(statusTable(status)).toContain('(no model: nodes and Jobs only)');
  });
});
