import { Testing } from 'cdk8s';
import {
  Channel, ChannelPolicies, EndorsementPolicy, ExternalChaincode, ExternalChaincodeOptions, ImplicitMetaRule, Orderer, PeerOrg, SignaturePolicy,
} from '../../lib';
import { envOf, find, IMAGE, KubeObject, network, ofKind, podSpec, testChart } from '../util';

/** A chart with org1 (`peers1` peers) and org2 (one peer) on channel ch with `policies`. */
function twoOrgChannel(policies: ChannelPolicies = {}, peers1 = 1) {
  const chart = testChart();
  const orderer = new Orderer(chart, 'o', { mspId: 'OMSP', consenters: 1 });
  const org1 = new PeerOrg(chart, 'org1', { mspId: 'Org1MSP', peers: peers1 });
  const org2 = new PeerOrg(chart, 'org2', { mspId: 'Org2MSP' });
  const channel = new Channel(chart, 'ch', { orderers: [orderer], members: [org1, org2], policies });
  return { chart, orderer, org1, org2, channel };
}

/** The error `make` throws; fails the test if it throws none or a TypeError. */
function errorOf(make: () => unknown): Error {
  let error: Error | undefined;
  try {
    make();
  } catch (caught) {
    error = caught as Error;
  }
  expect(error).toBeDefined();
  expect(error).not.toBeInstanceOf(TypeError);
  return error!;
}

describe('chaincodes', () => {
  test('GIVEN an org that is not a channel member WHEN named in orgs THEN the error names the members', () => {
    const { chart, channel, org1, org3 } = network();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, orgs: [org1, org3] })).toThrow(/Org3MSP is not a member of channel mychannel \(members: Org1MSP, Org2MSP\)/);
  });

  test('GIVEN too few approving orgs for the lifecycle policy WHEN created THEN it explains the commit could never succeed', () => {
    const { chart, channel, org1 } = network();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, orgs: [org1] })).toThrow(/only 1 of the 2 channel members approve it, but the channel's LifecycleEndorsement policy \(MAJORITY\) needs 2/);
  });

  test('GIVEN ANY lifecycle and endorsement rules WHEN one org runs the chaincode THEN it is accepted', () => {
    const { chart, channel, org1 } = twoOrgChannel({ lifecycleEndorsement: ImplicitMetaRule.ANY, endorsement: ImplicitMetaRule.ANY });
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

  test.each([
    ['blockToLive', -1, 'collection c blockToLive must be a whole number of at least 0, got number -1.'],
    ['maxPeerCount', 1.5, 'collection c maxPeerCount must be a whole number from 0 to 2147483647, got number 1.5.'],
    ['maxPeerCount', 2 ** 31, 'collection c maxPeerCount must be a whole number from 0 to 2147483647, got number 2147483648.'],
    ['requiredPeerCount', '1', 'collection c requiredPeerCount must be a whole number from 0 to 2147483647, got "1".'],
    ['memberOnlyRead', 'yes', 'collection c memberOnlyRead must be true or false, got "yes".'],
  ])('GIVEN a collection with %s %p WHEN created THEN the prop, the value and the range are named', (prop, value, message) => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, collections: [{ name: 'c', policy: "OR('Org1MSP.member')", [prop]: value } as any] }))
      .toThrow(`ExternalChaincode cc: ${message}`);
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

  test('GIVEN a collection naming unknown orgs, with bad counts or a reused name WHEN created THEN each is refused', () => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'a', { channel, image: IMAGE, collections: [{ name: 'c', policy: "OR('Nobody.member')" }] }))
      .toThrow(/the policy of collection c names Nobody, which is not a member/);
    expect(() => new ExternalChaincode(chart, 'b', { channel, image: IMAGE, collections: [{ name: 'c', policy: "OR('Org1MSP.member')", requiredPeerCount: 3, maxPeerCount: 1 }] }))
      .toThrow(/need 0 <= requiredPeerCount <= maxPeerCount/);
    expect(() => new ExternalChaincode(chart, 'd', { channel, image: IMAGE, collections: [{ name: 'c', policy: "OR('Org1MSP.member')" }, { name: 'c', policy: "OR('Org1MSP.member')" }] }))
      .toThrow('ExternalChaincode d: collection name "c" is used twice. Give each collection its own name.');
  });

  test('GIVEN a bad chaincode name, version, image or channel policy path WHEN created THEN each is refused', () => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'a', { name: 'my cc', channel, image: IMAGE })).toThrow(/chaincode name "my cc" is not valid/);
    expect(() => new ExternalChaincode(chart, 'b', { channel, image: IMAGE, version: 'v 1' })).toThrow(/version "v 1" is not valid/);
    expect(() => new ExternalChaincode(chart, 'c', { channel, image: 'example/cc' })).toThrow('ExternalChaincode c: image "example/cc" is not pinned');
    expect(() => new ExternalChaincode(chart, 'd', { channel, image: 'Example/CC:1.0' })).toThrow('ExternalChaincode d: image "Example/CC:1.0" is not an image reference');
    expect(() => EndorsementPolicy.channelConfig('Endorsement')).toThrow(/is not a policy path/);
  });

  test.each([['lscc'], ['qscc'], ['cscc'], ['escc'], ['vscc']])('GIVEN the system chaincode name %s WHEN used THEN it is refused', (name) => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'x', { name, channel, image: IMAGE })).toThrow(`ExternalChaincode x: chaincode name "${name}" is the name of a Fabric system chaincode`);
  });

  test('GIVEN an org that does not run the chaincode WHEN its package ID is asked THEN the error names who runs it', () => {
    const { chart, channel, org3 } = network();
    const cc = new ExternalChaincode(chart, 'cc', { channel, image: IMAGE });
    expect(() => cc.packageId(org3)).toThrow(/Org3MSP does not run chaincode cc; it runs in Org1MSP, Org2MSP/);
  });
});

describe('chaincode strings that reach the manifests', () => {
  test('GIVEN env that sets a variable the library sets WHEN created THEN it is refused, naming it and the fix', () => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'a', { channel, image: IMAGE, env: { CHAINCODE_ID: 'mine' } }))
      .toThrow('ExternalChaincode a: env sets CHAINCODE_ID, which Hyperkube sets itself on every chaincode server (CHAINCODE_ID, CHAINCODE_SERVER_ADDRESS, CHAINCODE_TLS_CERT_FILE, CHAINCODE_TLS_KEY_FILE); the peers\' package points at the values it sets. Remove CHAINCODE_ID from env.');
    expect(() => new ExternalChaincode(chart, 'b', { channel, image: IMAGE, tls: false, env: { CHAINCODE_TLS_CERT_FILE: '/x' } }))
      .toThrow(/env sets CHAINCODE_TLS_CERT_FILE, .*the TLS pair only with tls\).*use the tls prop to turn TLS on or off/);
  });

  test.each([['1ST'], ['MY VAR'], ['A=B'], ['..x'], ['.']])('GIVEN the env name %p, which Kubernetes refuses, WHEN used THEN it is refused with the rule', (name) => {
    const { chart, channel } = network();
    expect(() => new ExternalChaincode(chart, 'a', { channel, image: IMAGE, env: { [name]: 'v' } }))
      .toThrow(`ExternalChaincode a: env name "${name}" is not a Kubernetes env var name. Use letters, digits, '_', '-' and '.', not starting with a digit or '..'`);
  });

  test('GIVEN valid extra env WHEN synthesized THEN it reaches every server beside the library\'s own', () => {
    const { chart, channel } = network();
    const cc = channel.addChaincode('basic', { image: IMAGE, env: { 'LOG_LEVEL': 'debug', 'my.setting-x': '1', '_X': '' } });
    const env = envOf(podSpec(find(Testing.synth(chart) as KubeObject[], 'Deployment', cc.servers[0].name)).containers[0]);
    expect(env).toMatchObject({ 'LOG_LEVEL': 'debug', 'my.setting-x': '1', 'CHAINCODE_SERVER_ADDRESS': '0.0.0.0:9999' });
  });

  test('GIVEN production sizing or a request above the default limit WHEN created THEN the first is accepted and the second refused', () => {
    const { channel } = network();
    channel.addChaincode('big', { image: IMAGE, resources: { cpuRequest: '2', cpuLimit: '2', memoryRequest: '4Gi', memoryLimit: '4Gi' } });
    expect(() => channel.addChaincode('small', { image: IMAGE, resources: { memoryRequest: '1Gi' } }))
      .toThrow('ExternalChaincode small: resources.memoryRequest "1Gi" is above resources.memoryLimit "256Mi" (the default)');
  });

  test.each([['1.0'], ['_1'], ['.1+build-2']])('GIVEN version %p, which Fabric accepts, WHEN used THEN the label carries it', (version) => {
    const { channel } = network();
    expect(channel.addChaincode('basic', { image: IMAGE, version }).label).toBe(`basic_${version}`);
  });

  test('GIVEN zero replicas WHEN synthesized THEN the servers are scaled to zero', () => {
    const { chart, channel } = network();
    const cc = channel.addChaincode('basic', { image: IMAGE, replicas: 0 });
    expect(find(Testing.synth(chart) as KubeObject[], 'Deployment', cc.servers[0].name).spec.replicas).toBe(0);
  });
});

describe('endorsement policies the orgs that run the chaincode can satisfy', () => {
  test('GIVEN the channel\'s default MAJORITY rule and one of two members running the chaincode WHEN created THEN it is refused with the fix', () => {
    const { chart, channel, org1 } = twoOrgChannel({ lifecycleEndorsement: ImplicitMetaRule.ANY });
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, orgs: [org1] }))
      .toThrow('ExternalChaincode cc: the channel\'s default endorsement policy /Channel/Application/Endorsement (MAJORITY of 2 members\' policies, so 2 of them) can never be satisfied by the peers of the organizations that run the chaincode (Org1MSP with 1 peer). Add organizations to orgs, give an endorsementPolicy they can satisfy, or relax the channel\'s policies.');
  });

  test.each([
    ["AND('Org1MSP.peer', 'Org2MSP.peer')", [1], false],
    ["OR('Org1MSP.peer', 'Org2MSP.peer')", [1], true],
    ["OR('Org1MSP.admin', 'Org1MSP.client')", [1, 2], false],
    ["OR('Org1MSP.member')", [1], true],
    ["AND('Org1MSP.peer', 'Org1MSP.peer')", [1], false],
    ["AND('Org1MSP.peer', 'Org1MSP.member')", [1], false],
    ["OutOf(2, 'Org1MSP.peer', 'Org1MSP.peer', 'Org2MSP.peer')", [1], false],
    ["OutOf(2, 'Org1MSP.peer', 'Org1MSP.peer', 'Org2MSP.peer')", [1, 2], true],
    ["AND(OR('Org1MSP.peer', 'Org2MSP.peer'), OR('Org1MSP.peer', 'Org2MSP.peer'))", [1, 2], true],
    ["AND(OR('Org1MSP.peer', 'Org2MSP.peer'), OR('Org1MSP.peer', 'Org2MSP.peer'), 'Org1MSP.peer')", [1, 2], false],
  ])('GIVEN the signature policy %s and orgs %p running the chaincode (org1 with 1 peer) WHEN created THEN satisfiable is %p', (expression, orgNumbers, satisfiable) => {
    const { chart, channel, org1, org2 } = twoOrgChannel({ lifecycleEndorsement: ImplicitMetaRule.ANY });
    const orgs = (orgNumbers as number[]).map((n) => (n === 1 ? org1 : org2));
    const make = () => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, orgs, endorsementPolicy: EndorsementPolicy.signature(expression) });
    if (satisfiable) {
      expect(make).not.toThrow();
    } else {
      expect(make).toThrow(`ExternalChaincode cc: the endorsement policy ${expression} can never be satisfied: endorsements come only from the peers of the organizations that run the chaincode`);
    }
  });

  test('GIVEN two peers in org1 WHEN the policy needs two org1 peers THEN it is accepted', () => {
    const { chart, channel, org1 } = twoOrgChannel({ lifecycleEndorsement: ImplicitMetaRule.ANY }, 2);
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, orgs: [org1], endorsementPolicy: EndorsementPolicy.signature("AND('Org1MSP.peer', 'Org1MSP.peer')") })).not.toThrow();
  });

  test.each([
    ['/Channel/Application/Endorsement', true],
    ['/Channel/Application/Org1MSP/Endorsement', true],
    ['/Channel/Application/Readers', true],
    ['/Channel/Readers', true],
    ['/Channel/Application/LifecycleEndorsement', true],
    ['/Channel/Application/Org1MSP/Admins', false],
    ['/Channel/Application/Writers', false],
    ['/Channel/Orderer/Readers', false],
    ['/Channel/Orderer/BlockValidation', false],
  ])('GIVEN the channel config policy %s WHEN both members run the chaincode THEN satisfiable is %p', (path, satisfiable) => {
    const { chart, channel } = twoOrgChannel();
    const make = () => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, endorsementPolicy: EndorsementPolicy.channelConfig(path) });
    if (satisfiable) {
      expect(make).not.toThrow();
    } else {
      expect(make).toThrow(`ExternalChaincode cc: the channel config policy ${path} (`);
    }
  });

  test.each([['/Channel/Application/Org3MSP/Endorsement'], ['/Channel/Application/Endorsements'], ['/Channel/Application']])('GIVEN the channel config policy %s, which the channel lacks, WHEN created THEN the error lists the channel\'s policies', (path) => {
    const { chart, channel } = twoOrgChannel();
    expect(() => new ExternalChaincode(chart, 'cc', { channel, image: IMAGE, endorsementPolicy: EndorsementPolicy.channelConfig(path) }))
      .toThrow(`ExternalChaincode cc: channel config policy "${path}" does not exist in channel ch. Use one of its policies: /Channel/Application/Readers, /Channel/Application/Writers, /Channel/Application/Admins, /Channel/Application/LifecycleEndorsement, /Channel/Application/Endorsement, /Channel/Application/Org1MSP/Readers,`);
  });

  test('GIVEN an MSP ID with dots WHEN its org\'s Endorsement policy is referenced THEN the path is accepted', () => {
    const chart = testChart();
    const orderer = new Orderer(chart, 'o', { mspId: 'OMSP', consenters: 1 });
    const org = new PeerOrg(chart, 'org1', { mspId: 'org1.example.com' });
    const channel = new Channel(chart, 'ch', { orderers: [orderer], members: [org] });
    expect(() => channel.addChaincode('cc', { image: IMAGE, endorsementPolicy: EndorsementPolicy.channelConfig('/Channel/Application/org1.example.com/Endorsement') })).not.toThrow();
  });
});

describe('private data collections (Fabric\'s rules)', () => {
  test.each([["AND('Org1MSP.member', 'Org2MSP.member')", 2, 2], ["OR('Org1MSP.member', AND('Org1MSP.member', 'Org2MSP.member'))", 2, 2], ["OutOf(2, 'Org1MSP.member', 'Org2MSP.member')", 2, 2]])('GIVEN the member policy %s WHEN used THEN it is refused: Fabric takes ORs only', (policy, n, of) => {
    const { channel } = network();
    expect(() => channel.addChaincode('cc', { image: IMAGE, collections: [{ name: 'c', policy }] }))
      .toThrow(`ExternalChaincode cc: collection c has the member policy ${policy}, which requires ${n} of ${of} in one gate; Fabric accepts only an OR of members for a collection. Write it like OR('Org1MSP.member','Org2MSP.member').`);
  });

  test.each([["OR('Org1MSP.member', OR('Org2MSP.member'))"], ["AND('Org1MSP.member')"], ["OutOf(1, 'Org1MSP.peer', 'Org2MSP.member')"]])('GIVEN the member policy %s, an OR in Fabric\'s terms, WHEN used THEN it is accepted', (policy) => {
    const { channel } = network();
    expect(() => channel.addChaincode('cc', { image: IMAGE, collections: [{ name: 'c', policy }] })).not.toThrow();
  });

  test('GIVEN a requiredPeerCount the member orgs\' peers cannot reach WHEN created THEN it is refused with the most it can be', () => {
    const { channel } = network();
    expect(() => channel.addChaincode('cc', { image: IMAGE, collections: [{ name: 'c', policy: "OR('Org1MSP.member', 'Org2MSP.member')", requiredPeerCount: 2, maxPeerCount: 3 }] }))
      .toThrow('ExternalChaincode cc: collection c has requiredPeerCount 2, but its member organizations (Org1MSP, Org2MSP) run 2 peers, so an endorsing peer can hand the data to at most 1 other and every endorsement would fail. Lower requiredPeerCount to at most 1, or add peers.');
    expect(() => channel.addChaincode('ok', { image: IMAGE, collections: [{ name: 'c', policy: "OR('Org1MSP.member', 'Org2MSP.member')", requiredPeerCount: 1, maxPeerCount: 3 }] })).not.toThrow();
  });

  test.each([['-terms'], ['terms_2'], ['T']])('GIVEN collection name %p, which Fabric accepts, WHEN used THEN it is accepted', (name) => {
    const { channel } = network();
    expect(() => channel.addChaincode('cc', { image: IMAGE, collections: [{ name, policy: "OR('Org1MSP.member')" }] })).not.toThrow();
  });

  test.each([['_terms'], ['a.b'], ['']])('GIVEN collection name %p WHEN used THEN it is refused with Fabric\'s rule', (name) => {
    const { channel } = network();
    expect(() => channel.addChaincode('cc', { image: IMAGE, collections: [{ name, policy: "OR('Org1MSP.member')" }] }))
      .toThrow(`ExternalChaincode cc: collection name "${name}" is not valid. Use letters, digits, '_' and '-', not starting with '_'`);
  });
});

describe('chaincode names in Kubernetes', () => {
  test('GIVEN chaincodes My_CC and my-cc on one channel WHEN synthesized THEN each has its own server and Jobs', () => {
    const { chart, channel } = network();
    const upper = channel.addChaincode('upper', { name: 'My_CC', image: IMAGE });
    const lower = channel.addChaincode('lower', { name: 'my-cc', image: IMAGE });
    expect(lower.servers[0].name).toMatch(/^cc-my-cc-mychannel-org1-[0-9a-f]{6}$/);
    expect(upper.servers[0].name).toMatch(/^cc-my-cc-[0-9a-f]{8}-mychannel-org1-[0-9a-f]{6}$/);
    const objects = Testing.synth(chart) as KubeObject[];
    expect(ofKind(objects, 'Deployment')).toHaveLength(4);
    expect(new Set(ofKind(objects, 'Job').map((job) => job.metadata.name)).size).toBe(ofKind(objects, 'Job').length);
  });

  test('GIVEN two long chaincode names that share their first 60 characters WHEN synthesized THEN their names differ by a hash and fit Kubernetes', () => {
    const { chart, channel } = network();
    const prefix = 'a'.repeat(60);
    const first = channel.addChaincode('first', { name: `${prefix}x`, image: IMAGE });
    const second = channel.addChaincode('second', { name: `${prefix}y`, image: IMAGE });
    expect(first.servers[0].name).not.toBe(second.servers[0].name);
    expect(first.servers[0].name.length).toBeLessThanOrEqual(63);
    const jobs = ofKind(Testing.synth(chart) as KubeObject[], 'Job');
    expect(new Set(jobs.map((job) => job.metadata.name)).size).toBe(jobs.length);
    expect(jobs.every((job) => job.metadata.name.length <= 63)).toBe(true);
  });
});

describe('chaincode props from plain JavaScript', () => {
  test.each([
    ['no image', (o: any) => ({ channel: o.channel }), 'ExternalChaincode x: give image (the chaincode server\'s image, run in the cluster), or serverAddress'],
    ['a PeerOrg as the channel', (o: any) => ({ channel: o.org1, image: IMAGE }), 'ExternalChaincode x: channel is PeerOrg org1, not a channel. Pass a Channel construct, or use channel.addChaincode(id, options).'],
    ['undefined among the orgs', (o: any) => ({ channel: o.channel, image: IMAGE, orgs: [o.org1, undefined] }), 'ExternalChaincode x: orgs[1] is undefined, not a peer organization.'],
    ['an Orderer among the orgs', (o: any) => ({ channel: o.channel, image: IMAGE, orgs: [o.orderer] }), 'ExternalChaincode x: orgs[0] is Orderer orderer, not a peer organization. It is an ordering organization'],
    ['a policy as a plain string', (o: any) => ({ channel: o.channel, image: IMAGE, endorsementPolicy: "OR('Org1MSP.peer')" }), 'ExternalChaincode x: endorsementPolicy must be an EndorsementPolicy, got "OR(\'Org1MSP.peer\')". Wrap the expression: EndorsementPolicy.signature("OR(\'Org1MSP.peer\')").'],
    ['a string replica count', (o: any) => ({ channel: o.channel, image: IMAGE, replicas: '2' }), 'ExternalChaincode x: replicas must be a whole number of at least 0, got "2".'],
    ['a numeric version', (o: any) => ({ channel: o.channel, image: IMAGE, version: 1.0 }), 'ExternalChaincode x: version must be a string, got number 1.'],
    ['a numeric env value', (o: any) => ({ channel: o.channel, image: IMAGE, env: { PORT: 8080 } }), 'ExternalChaincode x: env.PORT must be a string, got number 8080.'],
    ['collections as one object', (o: any) => ({ channel: o.channel, image: IMAGE, collections: { name: 'c', policy: "OR('Org1MSP.member')" } }), 'ExternalChaincode x: collections must be an array, got an object.'],
    ['undefined among the collections', (o: any) => ({ channel: o.channel, image: IMAGE, collections: [undefined] }), 'ExternalChaincode x: collections[0].name must be a string, got undefined.'],
    ['initRequired as a string', (o: any) => ({ channel: o.channel, image: IMAGE, initRequired: 'true' }), 'ExternalChaincode x: initRequired must be true or false, got "true".'],
    ['a numeric policy in a collection', (o: any) => ({ channel: o.channel, image: IMAGE, collections: [{ name: 'c', policy: 1 }] }), 'ExternalChaincode x: collection c: signature policy must be a string, got number 1.'],
  ])('GIVEN %s WHEN an ExternalChaincode is made THEN the error names the construct and the prop, never a TypeError', (_case, props, message) => {
    const orgs = network();
    const error = errorOf(() => new ExternalChaincode(orgs.chart, 'x', props(orgs) as ExternalChaincodeOptions & { channel: Channel }));
    expect(error.message.startsWith(message)).toBe(true);
  });

  test('GIVEN undefined WHEN a package ID or server is asked for THEN the error says which orgs to pass', () => {
    const { channel } = network();
    const cc = channel.addChaincode('basic', { image: IMAGE });
    expect(errorOf(() => cc.packageId(undefined as any)).message).toBe('ExternalChaincode basic: the org asked for is undefined, not an organization. Pass one of org1, org2.');
  });

  test('GIVEN a channel of another FabricChart WHEN a chaincode is defined on it THEN it is refused, naming both charts', () => {
    const { channel } = network();
    const other = testChart('other', { namespace: 'other' });
    expect(() => new ExternalChaincode(other, 'cc', { channel, image: IMAGE }))
      .toThrow('ExternalChaincode cc: channel Channel mychannel belongs to FabricChart net (namespace fabric), not to FabricChart other (namespace other) of this construct.');
  });
});
