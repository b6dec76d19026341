import { Duration, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { BatchSize, Channel, ImplicitMetaRule, Orderer, PeerOrg } from '../../lib';
import { find, KubeObject, network, ofKind, testChart } from '../util';

/** The BatchSize configtxgen is given for a channel with `batchSize`. */
function renderedBatchSize(batchSize: BatchSize): any {
  const { chart, org1, orderer } = network();
  const channel = new Channel(chart, 'sized', { orderers: [orderer], members: [org1], batchSize });
  return (yaml.load(channel.configtx) as any).Profiles.Channel.Orderer.BatchSize;
}

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

  test.each([['MyChannel'], ['_x'], ['a b'], ['a'.repeat(250)]])('GIVEN channel name %s WHEN used THEN it is refused', (name) => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'x', { name, orderers: [orderer], members: [org1] })).toThrow(/is not valid. Fabric channel names are lowercase/);
  });

  test('GIVEN a batch timeout of zero WHEN created THEN it is refused; GIVEN a long one WHEN created THEN it is accepted, as by Fabric', () => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'a', { orderers: [orderer], members: [org1], batchTimeout: Duration.seconds(0) }))
      .toThrow('Channel a: batchTimeout of 0ms is not positive; the orderers refuse a channel whose batch timeout is 0 or less. Use a positive Duration, for example Duration.seconds(2).');
    const slow = new Channel(chart, 'slow', { orderers: [orderer], members: [org1], batchTimeout: Duration.minutes(5) });
    expect((yaml.load(slow.configtx) as any).Profiles.Channel.Orderer.BatchTimeout).toBe('300000ms');
  });

  test('GIVEN a maxMessageCount of 0 or past uint32 WHEN created THEN the range is named', () => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'b', { orderers: [orderer], members: [org1], batchSize: { maxMessageCount: 0 } }))
      .toThrow('Channel b: batchSize.maxMessageCount must be a whole number from 1 to 4294967295, got number 0.');
    expect(() => new Channel(chart, 'c', { orderers: [orderer], members: [org1], batchSize: { maxMessageCount: 2 ** 32 } })).toThrow(/from 1 to 4294967295/);
  });

  test.each([
    ['99 MB', 99 * 2 ** 20],
    ['10MB', 10 * 2 ** 20],
    ['10 mb', 10 * 2 ** 20],
    ['2m', 2 * 2 ** 20],
    ['1 G', 2 ** 30],
    ['3gb', 3 * 2 ** 30],
    ['512k', 512 * 2 ** 10],
    ['1048576', 2 ** 20],
    ['0x100000', 2 ** 20],
    ['010 MB', 8 * 2 ** 20],
  ])('GIVEN absoluteMaxBytes %p, a form configtxgen reads, WHEN used THEN it is accepted and written as given', (absoluteMaxBytes) => {
    expect(renderedBatchSize({ absoluteMaxBytes, preferredMaxBytes: '1' }).AbsoluteMaxBytes).toBe(absoluteMaxBytes);
  });

  test.each([
    ['10 XB', 'is not a size configtxgen reads. Write a whole number, optionally followed by KB, MB or GB (any case, space optional, B optional), for example "512 KB" or "99MB".'],
    ['10 B', 'is not a size configtxgen reads.'],
    ['1.5 MB', 'is not a size configtxgen reads.'],
    ['08 MB', 'is not a size configtxgen reads.'],
    ['4GB', 'is 4294967296 bytes; Fabric needs more than 0 and at most 4294967295 (just under 4 GB).'],
    ['0 MB', 'is 0 bytes; Fabric needs more than 0'],
  ])('GIVEN absoluteMaxBytes %p WHEN used THEN it is refused with the forms configtxgen reads', (absoluteMaxBytes, message) => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'x', { orderers: [orderer], members: [org1], batchSize: { absoluteMaxBytes } }))
      .toThrow(`Channel x: batchSize.absoluteMaxBytes "${absoluteMaxBytes}" ${message}`);
  });

  test('GIVEN a preferred size above the absolute one, given or default WHEN created THEN both are named in bytes', () => {
    const { chart, org1, orderer } = network();
    expect(() => new Channel(chart, 'd', { orderers: [orderer], members: [org1], batchSize: { absoluteMaxBytes: '1 MB', preferredMaxBytes: '2 MB' } }))
      .toThrow('Channel d: batchSize.preferredMaxBytes "2 MB" (2097152 bytes) is larger than absoluteMaxBytes "1 MB" (1048576 bytes); the orderers refuse that.');
    expect(() => new Channel(chart, 'e', { orderers: [orderer], members: [org1], batchSize: { preferredMaxBytes: '100MB' } }))
      .toThrow('batchSize.preferredMaxBytes "100MB" (104857600 bytes) is larger than absoluteMaxBytes "99 MB" (the default) (103809024 bytes)');
  });
});

describe('channel names in Kubernetes', () => {
  test('GIVEN channels a.b and a-b WHEN both are made THEN each gets its own objects: the dotted one\'s names end in a hash', () => {
    const { chart, org1, orderer } = network();
    const dotted = new Channel(chart, 'dotted', { name: 'a.b', orderers: [orderer], members: [org1] });
    const dashed = new Channel(chart, 'dashed', { name: 'a-b', orderers: [orderer], members: [org1] });
    expect(dashed.kubernetesName).toBe('a-b');
    expect(dotted.kubernetesName).toMatch(/^a-b-[0-9a-f]{8}$/);
    const objects = Testing.synth(chart) as KubeObject[];
    find(objects, 'ConfigMap', 'a-b-channel-config');
    find(objects, 'ConfigMap', `${dotted.kubernetesName}-channel-config`);
  });

  test('GIVEN a channel name of 249 characters, the most Fabric allows WHEN synthesized THEN every name it gives fits Kubernetes', () => {
    const { chart, org1, orderer } = network();
    const name = `c${'x'.repeat(248)}`;
    const channel = new Channel(chart, 'long', { name, orderers: [orderer], members: [org1] });
    expect(channel.kubernetesName.length).toBeLessThanOrEqual(63);
    const objects = Testing.synth(chart) as KubeObject[];
    expect(ofKind(objects, 'Job').every((job) => job.metadata.name.length <= 63)).toBe(true);
    expect(objects.every((object) => object.metadata.name.length <= 253)).toBe(true);
  });
});

describe('channel props from plain JavaScript', () => {
  test.each([
    ['no members', (o: any) => ({ orderers: [o.orderer] }), 'Channel x: members is required but missing. Give it in the props.'],
    ['a PeerOrg among the orderers', (o: any) => ({ orderers: [o.org2], members: [o.org1] }), 'Channel x: orderers[0] is PeerOrg org2, not an ordering organization. It is a peer organization: list it in members. List Orderer constructs in orderers.'],
    ['an Orderer among the members', (o: any) => ({ orderers: [o.orderer], members: [o.orderer] }), 'Channel x: members[0] is Orderer orderer, not a peer organization. It is an ordering organization: list it in orderers.'],
    ['undefined among the members', (o: any) => ({ orderers: [o.orderer], members: [o.org1, undefined] }), 'Channel x: members[1] is undefined, not a peer organization.'],
    ['one org instead of a list', (o: any) => ({ orderers: o.orderer, members: [o.org1] }), 'Channel x: orderers must be an array, got Orderer orderer. Write it as [ ... ].'],
    ['a rule by a wrong name', (o: any) => ({ orderers: [o.orderer], members: [o.org1], policies: { admins: 'MOST' } }), 'Channel x: policies.admins is "MOST", which is not one of ImplicitMetaRule.ANY, ImplicitMetaRule.MAJORITY, ImplicitMetaRule.ALL. Use one of those.'],
    ['a batch timeout as a string', (o: any) => ({ orderers: [o.orderer], members: [o.org1], batchTimeout: '2s' }), 'Channel x: batchTimeout must be a Duration, got "2s". Write it like Duration.seconds(2) (import { Duration } from \'cdk8s\').'],
    ['a numeric byte size', (o: any) => ({ orderers: [o.orderer], members: [o.org1], batchSize: { absoluteMaxBytes: 1048576 } }), 'Channel x: batchSize.absoluteMaxBytes must be a string, got number 1048576. Write it like "512 KB" or "99 MB".'],
    ['a string message count', (o: any) => ({ orderers: [o.orderer], members: [o.org1], batchSize: { maxMessageCount: '10' } }), 'Channel x: batchSize.maxMessageCount must be a whole number from 1 to 4294967295, got "10".'],
    ['a numeric name', (o: any) => ({ name: 7, orderers: [o.orderer], members: [o.org1] }), 'Channel x: name must be a string, got number 7.'],
  ])('GIVEN %s WHEN a Channel is made THEN the error names the construct and the prop, never a TypeError', (_case, props, message) => {
    const orgs = network();
    let error: Error | undefined;
    try {
      new Channel(orgs.chart, 'x', props(orgs) as any);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error?.message.startsWith(message)).toBe(true);
  });
});

test('GIVEN undefined WHEN a join Job name is asked for THEN the construct is named, never a TypeError', () => {
  const { channel } = network();
  expect(() => channel.joinJobName(undefined as any)).toThrow('Channel mychannel: the org asked for is undefined, not an organization. Pass one of the channel\'s members.');
});

describe('organizations of another chart', () => {
  test('GIVEN an org or orderer of another FabricChart WHEN used in a channel THEN it is refused, naming both charts', () => {
    const { chart, org1, orderer } = network();
    const other = testChart('other', { namespace: 'other' });
    const stranger = new PeerOrg(other, 'stranger', { mspId: 'StrangerMSP' });
    const foreignOrderer = new Orderer(other, 'ord', { mspId: 'ForeignOrdererMSP', consenters: 1 });
    expect(() => new Channel(chart, 'x', { orderers: [orderer], members: [org1, stranger] }))
      .toThrow('Channel x: members[1] PeerOrg stranger belongs to FabricChart other (namespace other), not to FabricChart net (namespace fabric) of this construct. Create it in the same FabricChart; a network\'s objects all live in one namespace.');
    expect(() => new Channel(chart, 'y', { orderers: [foreignOrderer], members: [org1] })).toThrow(/Channel y: orderers\[0\] Orderer ord belongs to FabricChart other/);
  });

  test('GIVEN rules of every kind WHEN used as channel policies THEN they are accepted', () => {
    const { chart, org1, orderer } = network();
    const channel = new Channel(chart, 'x', { orderers: [orderer], members: [org1], policies: { admins: ImplicitMetaRule.ALL, endorsement: ImplicitMetaRule.ANY } });
    expect(channel.policies).toEqual({ admins: 'ALL', lifecycleEndorsement: 'MAJORITY', endorsement: 'ANY' });
  });
});
