import { App } from 'cdk8s';
import { GeneratedIdentities } from 'hyperkube';
import { SupplyChart } from './supply-chart';

// Every private key of the network is derived from this seed: it comes from a secret store,
// never from the repository, and synth stops when it is missing.
const seed = process.env.SUPPLY_SEED;
if (!seed) {
  throw new Error('SUPPLY_SEED is not set. Export it from your secret store before synth, for example: '
    + 'export SUPPLY_SEED=$(kubectl get secret supply-seed -o jsonpath={.data.seed} | base64 -d)');
}
const app = new App();
new SupplyChart(app, 'supply', { identities: new GeneratedIdentities({ seed }) });
app.synth();
