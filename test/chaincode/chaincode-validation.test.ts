import { Testing } from 'cdk8s';
import { Channel, EndorsementPolicy, ExternalChaincode, FabricChart, ImplicitMetaRule, Orderer, PeerOrg, SignaturePolicy } from '../../lib';
import { IMAGE, network } from '../util';

describe('chaincodes', () => {
  test('GIVEN an org that is not a channel member WHEN named in orgs THEN the error names the members', () => {
    const { chart, channel, org1, org3 } = network();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, orgs: [org1, org3] })).toThrow(/Org3MSP is not a member of channel mychannel \(members: Org1MSP, Org2MSP\)/);
  });

  test('GIVEN too few approving orgs for the lifecycle policy WHEN created THEN it explains the commit could never succeed', () => {
    const { chart, channel, org1 } = network();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, orgs: [org1] })).toThrow(/only 1 of the 2 channel members approve it, but the channel's LifecycleEndorsement policy \(MAJORITY\) needs 2/);
  });

  test('GIVEN an ANY lifecycle policy WHEN one org runs the chaincode THEN it is accepted', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    const orderer = new Orderer(chart, 'o', { mspId: 'OMSP', consenters: 1 });
    const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
    const org2 = new PeerOrg(chart, 'org2', { mspId: 'Org2MSP' });
    const channel = new Channel(chart, 'ch', { orderers: [orderer], members: [org1, org2], policies: { lifecycleEndorsement: ImplicitMetaRule.ANY } });
    expect(new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, orgs: [org1] }).orgs).toEqual([org1]);
  });

  test.each([[0], [-2], [1.5]])('GIVEN sequence %s WHEN created THEN it is refused', (sequence) => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, sequence })).toThrow(/sequence must be a whole number of at least 1/);
  });

  test('GIVEN an endorsement or collection policy Fabric\'s policy language refuses WHEN made THEN it is refused where it is written, a collection naming the construct', () => {
    const { chart, channel } = network();
    expect(() => EndorsementPolicy.signature("'Org1MSP.peer'"))
      .toThrow(/^signature policy "'Org1MSP.peer'" cannot be parsed at character 15: the policy must be a gate/);
    expect(() => new ExternalChaincode(chart, 'b', { channel, image: IMAGE, collections: [{ name: 'c', policy: "oR('Org1MSP.member')" }] }))
      .toThrow(/ExternalChaincode b: collection c: signature policy "oR\('Org1MSP.member'\)" cannot be parsed at character 1/);
  });

  test.each([['blockToLive', -1], ['maxPeerCount', 1.5], ['requiredPeerCount', '1']])('GIVEN a collection with %s %p WHEN created THEN the prop is named', (prop, value) => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, collections: [{ name: 'c', policy: "OR('Org1MSP.member')", [prop]: value } as any] }))
      .toThrow(new RegExp(`collection c has ${prop} ${JSON.stringify(value)}; use a whole number of at least 0`));
  });

  test('GIVEN two chaincodes with one name on a channel WHEN created THEN the second is refused', () => {
    const { chart, channel } = network();
    new ExternalChaincode(chart, 'cc', { channel, image: IMAGE });
    expect(() => new ExternalChaincode(chart, 'cc2', { name: 'cc', channel, image: IMAGE, sequence: 2 })).toThrow(/chaincode on channel mychannel "cc" is already used by net\/cc. .*change its version, image or policy instead/);
  });

  test.each([
    ["OR('Org1MSP.peer'"],
    ["AND('Org1MSP.peer', 'Org2MSP.boss')"],
    ['Org1MSP.peer'],
    ["OutOf(3, 'Org1MSP.peer', 'Org2MSP.peer')"],
    ["OR('Org1MSP.peer') extra"],
  ])('GIVEN the unparseable policy %s WHEN parsed THEN the error says where and gives an example', (expression) => {
    expect(() => SignaturePolicy.parse(expression)).toThrow(/cannot be parsed at character \d+: .*Example of a valid policy/);
  });

  test('GIVEN a valid nested policy WHEN parsed THEN its MSP IDs are listed', () => {
    expect(SignaturePolicy.parse("OutOf(2, 'A.peer', AND('B.admin', \"C.member\"), 'A.client')").mspIds).toEqual(['A', 'B', 'C']);
  });

  test('GIVEN an endorsement policy naming a non-member WHEN created THEN it is refused', () => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, endorsementPolicy: EndorsementPolicy.signature("OR('Org3MSP.peer')") }))
      .toThrow(/the endorsement policy names Org3MSP, which is not a member of channel mychannel/);
  });

  test('GIVEN a collection naming unknown orgs or with bad counts WHEN created THEN each is refused', () => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'a', { channel, image: IMAGE, collections: [{ name: 'c', policy: "OR('Nobody.member')" }] }))
      .toThrow(/the policy of collection c names Nobody, which is not a member/);
    expect(() => new ExternalChaincode(chart, 'b', { channel, image: IMAGE, collections: [{ name: 'c', policy: "OR('Org1MSP.member')", requiredPeerCount: 3, maxPeerCount: 1 }] }))
      .toThrow(/need 0 <= requiredPeerCount <= maxPeerCount/);
    expect(() => new ExternalChaincode(chart, 'd', { channel, image: IMAGE, collections: [{ name: 'c', policy: "OR('Org1MSP.member')" }, { name: 'c', policy: "OR('Org1MSP.member')" }] }))
      .toThrow(/invalid or used twice/);
  });

  test('GIVEN a bad chaincode name, version, image or channel policy path WHEN created THEN each is refused', () => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'a', { name: 'my cc', channel, image: IMAGE })).toThrow(/chaincode name "my cc" is not valid/);
    expect(() => new ExternalChaincode(chart, 'b', { channel, image: IMAGE, version: 'v 1' })).toThrow(/version "v 1" is not valid/);
    expect(() => new ExternalChaincode(chart, 'c', { channel, image: 'example/cc' })).toThrow(/the chaincode image "example\/cc" is not pinned/);
    expect(() => EndorsementPolicy.channelConfig('Endorsement')).toThrow(/is not a policy path/);
  });

  test('GIVEN an org that does not run the chaincode WHEN its package ID is asked THEN the error names who runs it', () => {
    const { chart, channel, org3 } = network();
    const cc = new ExternalChaincode(chart, 'cc', { channel, image: IMAGE });
    expect(() => cc.packageId(org3)).toThrow(/Org3MSP does not run chaincode cc; it runs in Org1MSP, Org2MSP/);
  });
});
