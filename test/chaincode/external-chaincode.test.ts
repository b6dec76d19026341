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
    expect(cc.servers.map((server) => server.name)).toEqual(['cc-basic-mychannel-org1', 'cc-basic-mychannel-org2']);
    expect(ofKind(objects, 'Deployment').map((d) => d.metadata.name)).toEqual(['cc-basic-mychannel-org1', 'cc-basic-mychannel-org2']);
    expect(cc.packageId(org1)).not.toBe(cc.packageId(org2));
    expect(ofKind(objects, 'Job').filter((job) => job.metadata.name.startsWith('cc-basic-mychannel-'))).toHaveLength(3);
  });

  test('GIVEN a chaincode server WHEN ApiObject.of(server) is patched THEN its Deployment carries the patch', () => {
    const { chart, channel, org2 } = network();
    const cc = channel.addChaincode('basic', { image: IMAGE });
    ApiObject.of(cc.serverOf(org2)).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'fabric-high'));
    const objects = Testing.synth(chart) as KubeObject[];
    expect(podSpec(find(objects, 'Deployment', 'cc-basic-mychannel-org2')).priorityClassName).toBe('fabric-high');
    expect(podSpec(find(objects, 'Deployment', 'cc-basic-mychannel-org1')).priorityClassName).toBeUndefined();
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
