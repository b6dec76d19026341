import { Testing } from 'cdk8s';
import { GeneratedIdentities } from 'hyperkube';
import { SupplyChart } from './supply-chart';

test('supply network', () => {
  // The development seed, never your real one: the snapshot holds the Secrets too.
  const chart = new SupplyChart(Testing.app(), 'supply', { identities: new GeneratedIdentities() });
  expect(Testing.synth(chart)).toMatchSnapshot();
});
