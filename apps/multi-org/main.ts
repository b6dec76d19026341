import { App } from 'cdk8s';
import { MultiOrgNetwork } from './network';

const app = new App();
new MultiOrgNetwork(app, 'multi-org');
app.synth();
