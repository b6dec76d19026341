import { synthMultiOrg, synthTestNetwork } from '../util';

describe('snapshots', () => {
  test('GIVEN the reference network WHEN synthesized THEN the manifests match the snapshot', () => {
    expect(synthTestNetwork().objects).toMatchSnapshot();
  });

  test('GIVEN the multi-org network WHEN synthesized THEN the manifests match the snapshot', () => {
    expect(synthMultiOrg().objects).toMatchSnapshot();
  });
});
