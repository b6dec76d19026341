import { Testing } from 'cdk8s';
import { buildEvolveStep } from '../e2e/evolve/network';
import { ExternalChaincode } from '../../lib';
import { envOf, IMAGE, KubeObject, network, ofKind, podSpec } from '../util';

const synthStep = (step: 'v1' | 'v2' | 'v3') => Testing.synth(buildEvolveStep(Testing.app(), step)) as KubeObject[];
const reconcileJob = (objects: KubeObject[]) => ofKind(objects, 'Job').find((job) => job.metadata.name.startsWith('mychannel-reconcile-'))!;

describe('Channel reconcile Job', () => {
  test('GIVEN the chaincodes a chart defines on a channel WHEN synthesized THEN the reconcile Job retires the servers of any other chaincode on it, with the chaincode Jobs\' service account', () => {
    const { chart } = network();
    const alone = reconcileJob(Testing.synth(chart) as KubeObject[]);
    expect(envOf(podSpec(alone).containers[0]).RETIRE_SELECTOR).toBe('hyperkube.io/channel=mychannel');
    expect(podSpec(alone).serviceAccountName).toBe('hyperkube-chaincode-jobs');

    const { chart: withChaincodes, channel: busy } = network();
    busy.addChaincode('basic', { image: IMAGE });
    new ExternalChaincode(withChaincodes, 'assets', { channel: busy, image: IMAGE });
    const job = reconcileJob(Testing.synth(withChaincodes) as KubeObject[]);
    expect(envOf(podSpec(job).containers[0]).RETIRE_SELECTOR).toBe('hyperkube.io/channel=mychannel,hyperkube.io/chaincode notin (basic,assets)');
    expect(job.metadata.name).not.toBe(alone.metadata.name);
  });

  test('GIVEN two ordering orgs and three members WHEN synthesized THEN the first orderer admin acts and every other admin signs', () => {
    const job = reconcileJob(synthStep('v2'));
    const env = envOf(podSpec(job).containers[0]);
    expect(env.CORE_PEER_LOCALMSPID).toBe('OrdererMSP');
    expect(env.SIGNERS).toBe([
      'Orderer2MSP=/var/hyperledger/signers/orderer2/msp', 'Org1MSP=/var/hyperledger/signers/org1/msp',
      'Org2MSP=/var/hyperledger/signers/org2/msp', 'Org3MSP=/var/hyperledger/signers/org3/msp',
    ].join(' '));
    expect(env.CONSENTERS.split(' ')).toHaveLength(5);
    const mounts = podSpec(job).containers[0].volumeMounts.map((mount: any) => mount.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/var/hyperledger/signers/org3/msp', '/var/hyperledger/signers/orderer2/msp']));
  });

  test('GIVEN the reference network and its v2 WHEN both are synthesized THEN the model change renames the reconcile Job and leaves the existing peers and consenters untouched', () => {
    const v1 = synthStep('v1');
    const v2 = synthStep('v2');
    expect(reconcileJob(v2).metadata.name).not.toBe(reconcileJob(v1).metadata.name);
    const statefulSets = (objects: KubeObject[]) => new Map(ofKind(objects, 'StatefulSet').map((set) => [set.metadata.name, set]));
    const before = statefulSets(v1);
    const after = statefulSets(v2);
    expect([...after.keys()].filter((name) => !before.has(name)).sort()).toEqual(['orderer2-node0', 'orderer2-node1', 'org1-peer1', 'org3-peer0', 'org3-peer1']);
    for (const [name, set] of before) {
      expect([name, after.get(name)]).toEqual([name, set]);
    }
  });

  test('GIVEN v3 WHEN synthesized THEN Org2 keeps its peers but has no join Job, chaincode server or approval', () => {
    const v3 = synthStep('v3');
    expect(ofKind(v3, 'StatefulSet').map((set) => set.metadata.name)).toContain('org2-peer0');
    const org2Objects = v3.filter((object) => object.metadata.labels?.['hyperkube.io/organization'] === 'org2');
    expect(org2Objects.map((object) => object.kind).sort()).toEqual(['ConfigMap', 'ConfigMap', 'Secret', 'Secret', 'Secret', 'Service', 'StatefulSet']);
  });
});
