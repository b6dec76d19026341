import { App } from 'cdk8s';
import { FabricCa, FabricChart } from '../../../lib';

/**
 * The CA scenario's app: Org1's Fabric CA alone, in namespace fabric-ca. Its bootstrap admin
 * Secret is created by the scenario, as a user would, never synthesized.
 */
const app = new App({ outdir: process.env.CA_OUTDIR ?? 'dist' });
const chart = new FabricChart(app, 'ca-scenario', { namespace: 'fabric-ca' });
new FabricCa(chart, 'org1-ca', { org: { mspId: 'Org1MSP', name: 'org1' } });
app.synth();
