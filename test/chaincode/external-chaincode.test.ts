import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { EndorsementPolicy, ExternalChaincodeOptions, PeerOrg } from '../../lib';
import { envOf, find, IMAGE, KubeObject, network, ofKind, podSpec } from '../util';

/** The chaincode Jobs' names and env for a chaincode with `options` on the test channel. */
function chaincodeJobs(options: Partial<ExternalChaincodeOptions> = {}) {
  const { chart, channel } = network();
  const cc = channel.addChaincode('basic', { image: IMAGE, ...options });
  const jobs = ofKind(Testing.synth(chart) as KubeObject[], 'Job').filter((job) => job.metadata.name.startsWith('cc-basic-'));
  return { cc, names: jobs.map((job) => job.metadata.name).sort(), env: (prefix: string) => envOf(podSpec(jobs.find((job) => job.metadata.name.startsWith(prefix))!).containers[0]) };
}

describe('ExternalChaincode', () => {
  test('GIVEN a chaincode added through channel.addChaincode WHEN synthesized THEN each member runs a server and the Jobs exist', () => {
    const { chart, channel, org1, org2 } = network();
    const cc = channel.addChaincode('basic', { image: IMAGE });
    const objects = Testing.synth(chart) as KubeObject[];
    expect(cc.channel).toBe(channel);
    expect(cc.servers.map((server) => server.name)).toEqual([expect.stringMatching(/^cc-basic-mychannel-org1-[0-9a-f]{6}$/), expect.stringMatching(/^cc-basic-mychannel-org2-[0-9a-f]{6}$/)]);
    expect(ofKind(objects, 'Deployment').map((d) => d.metadata.name)).toEqual(cc.servers.map((server) => server.name));
    expect(cc.packageId(org1)).not.toBe(cc.packageId(org2));
    expect(ofKind(objects, 'Job').filter((job) => job.metadata.name.startsWith('cc-basic-mychannel-'))).toHaveLength(3);
  });

  test('GIVEN a new version or image WHEN synthesized THEN each org gets a new server beside the old one\'s name, labelled for the Jobs to retire, and a new package', () => {
    const build = (options: { version?: string; image?: string; env?: Record<string, string> }) => {
      const { chart, channel, org1 } = network();
      const cc = channel.addChaincode('basic', { image: IMAGE, ...options });
      return { cc, org1, objects: Testing.synth(chart) as KubeObject[] };
    };
    const v1 = build({});
    const upgrades = [build({ version: '1.1' }), build({ image: 'example/cc:1.0.1' })];
    for (const upgraded of upgrades) {
      expect(upgraded.cc.serverOf(upgraded.org1).name).not.toBe(v1.cc.serverOf(v1.org1).name);
      expect(upgraded.cc.packageId(upgraded.org1)).not.toBe(v1.cc.packageId(v1.org1));
    }
    const sameRevision = build({ env: { LOG_LEVEL: 'debug' } });
    expect(sameRevision.cc.serverOf(sameRevision.org1).name).toBe(v1.cc.serverOf(v1.org1).name);

    const server = v1.cc.serverOf(v1.org1).name;
    for (const kind of ['Deployment', 'Service']) {
      expect(find(v1.objects, kind, server).metadata.labels).toMatchObject({
        'hyperkube.io/retired-by': 'chaincode-jobs', 'hyperkube.io/chaincode': 'basic', 'hyperkube.io/channel': 'mychannel',
        'hyperkube.io/organization': 'org1', 'app.kubernetes.io/instance': server,
      });
    }
    // The package and the TLS pair go with the apply that drops them; only the workload waits for the Jobs.
    expect(find(v1.objects, 'ConfigMap', `${server}-package`).metadata.labels?.['hyperkube.io/retired-by']).toBeUndefined();
    expect(find(v1.objects, 'Secret', `${server}-tls`).metadata.labels?.['hyperkube.io/retired-by']).toBeUndefined();
  });

  test('GIVEN a chaincode WHEN synthesized THEN its approve Job names its org\'s server to wait for and the org\'s servers to retire, and the commit Job the servers of orgs that left', () => {
    const { cc, env } = chaincodeJobs();
    const approve = env('cc-basic-mychannel-org1-approve-');
    expect(approve.CC_SERVER).toBe(cc.servers[0].name);
    expect(approve.CC_SERVER_REPLICAS).toBe('1');
    expect(approve.CC_RETIRE_SELECTOR).toBe('hyperkube.io/chaincode=basic,hyperkube.io/channel=mychannel,hyperkube.io/organization=org1');
    expect(env('cc-basic-mychannel-commit-').CC_RETIRE_SELECTOR)
      .toBe('hyperkube.io/chaincode=basic,hyperkube.io/channel=mychannel,hyperkube.io/organization notin (org1,org2)');
  });

  test('GIVEN a chaincode server WHEN ApiObject.of(server) is patched THEN its Deployment carries the patch', () => {
    const { chart, channel, org2 } = network();
    const cc = channel.addChaincode('basic', { image: IMAGE });
    ApiObject.of(cc.serverOf(org2)).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'fabric-high'));
    const objects = Testing.synth(chart) as KubeObject[];
    expect(podSpec(find(objects, 'Deployment', cc.serverOf(org2).name)).priorityClassName).toBe('fabric-high');
    expect(podSpec(find(objects, 'Deployment', cc.servers[0].name)).priorityClassName).toBeUndefined();
  });

  test('GIVEN a channel WHEN a caller pushes an org into its members array THEN the channel and its chaincodes do not change', () => {
    const { channel, org3 } = network();
    channel.members.push(org3 as PeerOrg);
    const cc = channel.addChaincode('basic', { image: IMAGE });
    expect(channel.members.map((org) => org.mspId)).toEqual(['Org1MSP', 'Org2MSP']);
    expect(cc.orgs.map((org) => org.mspId)).toEqual(['Org1MSP', 'Org2MSP']);
    expect(() => cc.serverOf(org3)).toThrow('Org3MSP does not run chaincode basic');
  });

  test('GIVEN no sequence WHEN synthesized THEN the Jobs carry the definition to compare and no sequence, so they number it themselves', () => {
    const { cc, env } = chaincodeJobs({ endorsementPolicy: EndorsementPolicy.signature("OR('Org1MSP.peer','Org2MSP.peer')") });
    expect(cc.sequence).toBeUndefined();
    for (const prefix of ['cc-basic-mychannel-org1-approve-', 'cc-basic-mychannel-commit-']) {
      const jobEnv = env(prefix);
      expect(jobEnv.CC_SEQUENCE).toBeUndefined();
      expect(JSON.parse(jobEnv.CC_DEFINITION)).toEqual({
        version: '1.0',
        endorsement_plugin: 'escc',
        validation_plugin: 'vscc',
        init_required: false,
        validation_parameter: {
          signature_policy: {
            version: 0,
            rule: { n_out_of: { n: 1, rules: [{ signed_by: 0 }, { signed_by: 1 }] } },
            identities: [{ principal_classification: 'ROLE', principal: 'CgdPcmcxTVNQEAM=' }, { principal_classification: 'ROLE', principal: 'CgdPcmcyTVNQEAM=' }],
          },
        },
        collections: [],
      });
    }
  });

  test('GIVEN a pinned sequence WHEN synthesized THEN the Jobs carry it', () => {
    const { cc, env } = chaincodeJobs({ sequence: 4 });
    expect(cc.sequence).toBe(4);
    expect(env('cc-basic-mychannel-commit-').CC_SEQUENCE).toBe('4');
  });

  test('GIVEN a changed policy WHEN synthesized THEN every chaincode Job gets a new name; GIVEN an unchanged chart THEN none does', () => {
    const before = chaincodeJobs().names;
    expect(chaincodeJobs().names).toEqual(before);
    const after = chaincodeJobs({ endorsementPolicy: EndorsementPolicy.signature("AND('Org1MSP.peer','Org2MSP.peer')") }).names;
    expect(after.filter((name) => before.includes(name))).toEqual([]);
  });
});
