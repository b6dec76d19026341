import { Testing } from 'cdk8s';
import { FabricChart, GeneratedIdentities } from '../../lib';

describe('chart', () => {
  test.each([['hyperledger/fabric-peer'], ['hyperledger/fabric-peer:latest']])('GIVEN image %s WHEN used THEN it is refused as unpinned', (peer) => {
    expect(() => new FabricChart(Testing.app(), 'net', { images: { peer } })).toThrow(/is not pinned/);
  });

  test('GIVEN a short seed or inverted validity WHEN identities are made THEN it is refused', () => {
    expect(() => new GeneratedIdentities({ seed: 'short' })).toThrow(/use at least 16/);
    expect(() => new GeneratedIdentities({ notBefore: new Date('2030-01-01'), notAfter: new Date('2029-01-01') })).toThrow(/notBefore must be earlier/);
  });
});
