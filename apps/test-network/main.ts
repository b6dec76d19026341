import { App } from 'cdk8s';
import { TestNetwork } from './network';

const app = new App();
new TestNetwork(app, 'test-network', { chaincodeImage: process.env.HYPERKUBE_CHAINCODE_IMAGE });
app.synth();
