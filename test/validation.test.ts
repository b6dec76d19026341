import { App, Chart, Duration, Testing } from 'cdk8s';
import { Channel, EndorsementPolicy, ExternalChaincode, FabricChart, GeneratedIdentities, ImplicitMetaRule, Orderer, PeerOrg, SignaturePolicy } from '../lib';

const IMAGE = 'example/cc:1.0.0';

/** A chart with one orderer org, three peer orgs and a channel of org1+org2. */
function network() {
  const chart = new FabricChart(Testing.app(), 'net');
  const orderer = new Orderer(chart, 'orderer', { mspId: 'OrdererMSP', consenters: 1 });
  const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' });
  const org2 = new PeerOrg(chart, 'org2', { mspId: 'Org2MSP' });
  const org3 = new PeerOrg(chart, 'org3', { mspId: 'Org3MSP' });
  const channel = new Channel(chart, 'mychannel', { orderers: [orderer], members: [org1, org2] });
  return { chart, orderer, org1, org2, org3, channel };
}

describe('organizations', () => {
  test('GIVEN two orgs with one MSP ID WHEN created THEN the error names both and the fix', () => {
    const { chart } = network();
    expect(() => new PeerOrg(chart, 'org9', { mspId: 'Org1MSP' })).toThrow(/MSP ID "Org1MSP" is already used by net\/org1\. Every organization needs its own MSP ID/);
  });

  test('GIVEN two orgs with one name WHEN created THEN it is refused', () => {
    const { chart } = network();
    expect(() => new PeerOrg(chart, 'other', { mspId: 'OtherMSP', name: 'org1' })).toThrow(/organization name "org1" is already used/);
  });

  test.each([['Org1'], ['org_1'], ['1org'], ['org-'], ['a'.repeat(41)]])('GIVEN name %s WHEN used THEN it is refused as a DNS label', (name) => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'x', { mspId: 'XMSP', name })).toThrow(/is not a valid DNS label/);
  });

  test('GIVEN an MSP ID with spaces WHEN used THEN it is refused', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'x', { mspId: 'Org 1' })).toThrow(/mspId "Org 1" is not valid/);
  });

  test.each([[0], [-1], [1.5]])('GIVEN %s peers or consenters WHEN created THEN it is refused', (count) => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: count })).toThrow(/peers must be a whole number of at least 1/);
    expect(() => new Orderer(chart, 'ord', { mspId: 'OrdMSP', consenters: count })).toThrow(/consenters must be a whole number of at least 1/);
  });

  test('GIVEN an anchor peer index past the last peer WHEN created THEN the error gives the valid range', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: 2, anchorPeers: [2] })).toThrow(/anchor peer index 2 does not exist; the organization has peers 0 to 1/);
  });

  test('GIVEN a user named admin or listed twice WHEN created THEN it is refused', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', users: ['admin'] })).toThrow(/clashes with the admin identity/);
    expect(() => new PeerOrg(chart, 'org2', { mspId: 'Org2MSP', users: ['app', 'app'] })).toThrow(/listed twice/);
  });

  test('GIVEN a CPU request above 500m WHEN created THEN it is refused with the fix', () => {
    const chart = new FabricChart(Testing.app(), 'net');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', resources: { cpuRequest: '2' } })).toThrow(/cpuRequest 2 is above 500m/);
  });

  test('GIVEN a construct outside a FabricChart WHEN created THEN the error says to use one', () => {
    const chart = new Chart(new App(), 'plain');
    expect(() => new PeerOrg(chart, 'org1', { mspId: 'Org1MSP' })).toThrow(/must be created inside a FabricChart/);
  });
});

describe('chart', () => {
  test.each([['hyperledger/fabric-peer'], ['hyperledger/fabric-peer:latest']])('GIVEN image %s WHEN used THEN it is refused as unpinned', (peer) => {
    expect(() => new FabricChart(Testing.app(), 'net', { images: { peer } })).toThrow(/is not pinned/);
  });

  test('GIVEN a short seed or inverted validity WHEN identities are made THEN it is refused', () => {
    expect(() => new GeneratedIdentities({ seed: 'short' })).toThrow(/use at least 16/);
    expect(() => new GeneratedIdentities({ notBefore: new Date('2030-01-01'), notAfter: new Date('2029-01-01') })).toThrow(/notBefore must be earlier/);
  });
});

describe('channels', () => {
  test('GIVEN no orderers or no members WHEN a channel is created THEN each is refused', () => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'a', { orderers: [], members: [org1] })).toThrow(/orderers is empty. A channel needs at least one ordering organization/);
    expect(() => new Channel(chart, 'b', { orderers: [orderer], members: [] })).toThrow(/members is empty. A channel needs at least one peer organization/);
  });

  test('GIVEN a member listed twice or a reused channel name WHEN created THEN it is refused', () => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'c', { orderers: [orderer], members: [org1, org1] })).toThrow(/Org1MSP is listed twice in members/);
    expect(() => new Channel(chart, 'other', { name: 'mychannel', orderers: [orderer], members: [org1] })).toThrow(/channel name "mychannel" is already used/);
  });

  test.each([['MyChannel'], ['_x'], ['a b']])('GIVEN channel name %s WHEN used THEN it is refused', (name) => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'x', { name, orderers: [orderer], members: [org1] })).toThrow(/is not valid. Fabric channel names are lowercase/);
  });

  test('GIVEN out-of-range batch settings WHEN created THEN each names the setting', () => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'a', { orderers: [orderer], members: [org1], batchTimeout: Duration.minutes(5) })).toThrow(/batchTimeout of 300000ms is outside/);
    expect(() => new Channel(chart, 'b', { orderers: [orderer], members: [org1], batchSize: { maxMessageCount: 0 } })).toThrow(/maxMessageCount must be a whole number/);
    expect(() => new Channel(chart, 'c', { orderers: [orderer], members: [org1], batchSize: { absoluteMaxBytes: '10MB' } })).toThrow(/"10MB" is not a size configtxgen reads/);
    expect(() => new Channel(chart, 'd', { orderers: [orderer], members: [org1], batchSize: { absoluteMaxBytes: '1 MB', preferredMaxBytes: '2 MB' } })).toThrow(/larger than absoluteMaxBytes/);
  });
});

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

  test('GIVEN two chaincodes with one name on a channel WHEN created THEN the second is refused', () => {
    const { chart, channel } = network();
    new ExternalChaincode(chart, 'cc', { channel, image: IMAGE });
    expect(() => new ExternalChaincode(chart, 'cc2', { name: 'cc', channel, image: IMAGE, sequence: 2 })).toThrow(/chaincode on channel mychannel "cc" is already used by net\/cc. .*raise its sequence/);
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
