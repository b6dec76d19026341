import { Duration } from 'cdk8s';
import { Channel } from '../../lib';
import { network } from '../util';

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
