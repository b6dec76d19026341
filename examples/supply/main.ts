import { App } from 'cdk8s';
import { SupplyChart } from './supply-chart';

const app = new App();
new SupplyChart(app, 'supply');
app.synth();
