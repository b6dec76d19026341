import { Testing } from 'cdk8s';
import { GeneratedIdentities } from 'hyperkube';
import { SupplyChart } from './supply-chart';

test('supply network', () => {
  // The public development seed, never your real one: the snapshot holds the Secrets too.
  const identities = new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED });
  const chart = new SupplyChart(Testing.app(), 'supply', { identities });
  expect(Testing.synth(chart)).toMatchSnapshot();
});
