import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { PeerOrg } from '../../lib';
import { find, IMAGE, KubeObject, network, ofKind, podSpec } from '../util';

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
});
