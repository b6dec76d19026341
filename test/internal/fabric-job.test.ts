import { createHash } from 'node:crypto';
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { Channel, ExternalChaincode, FabricChart, Orderer, PeerOrg } from '../../lib';
import { TestNetwork } from '../../apps/test-network/network';
import { libraryScripts } from '../../lib/internal/script-library';
import { envOf, KubeObject, ofKind, podSpec, synthMultiOrg, synthTestNetwork } from '../util';

describe('Jobs', () => {
  const jobNames = (objects: KubeObject[]) => ofKind(objects, 'Job').map((job) => job.metadata.name).sort();

  test('GIVEN the reference network WHEN synthesized THEN it has a reconcile Job, a join Job per org and install/approve and commit Jobs', () => {
    const names = jobNames(synthTestNetwork().objects);
    expect(names.map((name) => name.replace(/-[0-9a-f]{10}$/, ''))).toEqual([
      'cc-basic-mychannel-commit', 'cc-basic-mychannel-org1-approve', 'cc-basic-mychannel-org2-approve',
      'mychannel-join-org1', 'mychannel-join-org2', 'mychannel-reconcile',
    ]);
  });

  test('GIVEN a raised chaincode sequence WHEN synthesized THEN only the chaincode Jobs get new names', () => {
    const build = (sequence: number) => {
      const chart = new FabricChart(Testing.app(), 'net');
      const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
      const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
      const channel = new Channel(chart, 'ch', { orderers: [orderer], members: [org1] });
      new ExternalChaincode(chart, 'cc', { channel, image: 'example/cc:1.0.0', sequence });
      return jobNames(Testing.synth(chart) as KubeObject[]);
    };
    const before = build(1);
    const after = build(2);
    expect(after.filter((name) => before.includes(name)).map((name) => name.replace(/-[0-9a-f]{10}$/, ''))).toEqual(['ch-join-org1', 'ch-reconcile']);
    expect(after.filter((name) => !before.includes(name)).map((name) => name.replace(/-[0-9a-f]{10}$/, ''))).toEqual(['cc-cc-ch-commit', 'cc-cc-ch-org1-approve']);
  });

  test('GIVEN the commit Job WHEN read THEN it waits for every running org, endorses through one peer of each, and leaves the sequence to the live state', () => {
    const { objects } = synthTestNetwork();
    const commit = ofKind(objects, 'Job').find((job) => job.metadata.name.startsWith('cc-basic-mychannel-commit'))!;
    const env = envOf(podSpec(commit).containers[0]);
    expect(env.APPROVERS).toBe('Org1MSP Org2MSP');
    expect(env.ENDORSING_PEERS).toBe('org1-peer0.fabric.svc.cluster.local:7051=/var/hyperledger/orgs/org1/msp/tlscacerts/tlsca.pem org2-peer0.fabric.svc.cluster.local:7051=/var/hyperledger/orgs/org2/msp/tlscacerts/tlsca.pem');
    expect(env.CC_SEQUENCE).toBeUndefined();
  });

  test('GIVEN the chaincode image option WHEN set THEN both servers use it', () => {
    const chart = new TestNetwork(Testing.app(), 'tn', { chaincodeImage: 'registry.example/basic:2.0.0' });
    const deployments = ofKind(Testing.synth(chart) as KubeObject[], 'Deployment');
    expect(deployments.map((d) => podSpec(d).containers[0].image)).toEqual(['registry.example/basic:2.0.0', 'registry.example/basic:2.0.0']);
  });
});

describe('Job names', () => {
  const specHash = (job: KubeObject) => createHash('sha256').update(JSON.stringify(job.spec)).digest('hex').slice(0, 10);

  test('GIVEN every Job of both apps WHEN its name is read THEN it ends in the hash of its whole rendered spec', () => {
    const jobs = [...ofKind(synthTestNetwork().objects, 'Job'), ...ofKind(synthMultiOrg().objects, 'Job')];
    expect(jobs.length).toBeGreaterThan(10);
    for (const job of jobs) {
      expect(job.metadata.name.endsWith(`-${specHash(job)}`)).toBe(true);
    }
  });

  test('GIVEN one field of a Job\'s pod template changed WHEN synthesized THEN that Job\'s name changes and no other', () => {
    const plain = synthTestNetwork();
    const patched = new TestNetwork(Testing.app(), 'test-network');
    const createJob = patched.channel.node.findChild('reconcile');
    ApiObject.of(createJob).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/resources/limits/cpu', '750m'));
    const before = ofKind(plain.objects, 'Job').map((job) => job.metadata.name);
    const after = ofKind(Testing.synth(patched) as KubeObject[], 'Job').map((job) => job.metadata.name);
    const changed = after.filter((name) => !before.includes(name));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^mychannel-reconcile-[0-9a-f]{10}$/);
    expect(patched.channel.reconcileJobName).toBe(changed[0]);
  });

  test('GIVEN a Job WHEN its pod template is read THEN it carries the digest of the scripts it runs and sources, so a change to any renames it', () => {
    const job = ofKind(synthTestNetwork().objects, 'Job').find((candidate) => candidate.metadata.name.startsWith('mychannel-reconcile-'))!;
    const scripts = libraryScripts();
    const expected = createHash('sha256');
    // reconcile-channel.sh sources common.sh, channel-config.sh, kube-api.sh and chaincode.sh, in that order.
    for (const file of ['reconcile-channel.sh', 'common.sh', 'channel-config.sh', 'kube-api.sh', 'chaincode.sh']) {
      expected.update(file).update('\u0000').update(scripts[file]).update('\u0000');
    }
    expect(job.spec.template.metadata.annotations['hyperkube.io/scripts-digest']).toBe(expected.digest('hex').slice(0, 16));
    expect(job.spec.template.metadata.annotations['hyperkube.io/inputs-digest']).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('Job failure policy', () => {
  test('GIVEN every Job WHEN its spec is read THEN a script exiting with the refused code fails the Job at once, and other failures retry a bounded number of times', () => {
    const scripts = libraryScripts();
    expect(scripts['common.sh']).toContain('REFUSED_EXIT_CODE=3');
    for (const job of ofKind(synthTestNetwork().objects, 'Job')) {
      expect(job.spec.podFailurePolicy).toEqual({ rules: [{ action: 'FailJob', onExitCodes: { containerName: 'run', operator: 'In', values: [3] } }] });
      expect(job.spec.backoffLimit).toBe(6);
    }
  });
});
