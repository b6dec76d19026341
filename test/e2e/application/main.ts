import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, App, Yaml } from 'cdk8s';
import { Application } from '../../../lib';
import { TestNetwork } from '../../../apps/test-network/network';

/** The reference client's image, built by the e2e kit from test/e2e/client. */
const CLIENT_IMAGE = 'docker.io/hyperkube/gateway-client:1.0.0';

/**
 * The application scenario's app: the reference network as run.sh applied it, plus an Application
 * of Org1 whose pod runs the reference client's load on basic, reading nothing but the mounted
 * files and the environment the construct sets. The whole app goes to <outdir>/network; the
 * application's objects alone to <outdir>/application, which the scenario applies (a unit test
 * shows the rest is the reference network unchanged).
 */
const outdir = process.env.APPLICATION_OUTDIR ?? 'dist';
const app = new App({ outdir: join(outdir, 'network') });
const network = new TestNetwork(app, 'test-network', { chaincodeImage: process.env.HYPERKUBE_CHAINCODE_IMAGE });
const application = new Application(network, 'gateway-client', { org: network.org1, chaincode: network.basic, image: CLIENT_IMAGE, args: ['load'] });
app.synth();
const objects = application.node.findAll().filter(ApiObject.isApiObject).map((object) => object.toJson());
mkdirSync(join(outdir, 'application'), { recursive: true });
writeFileSync(join(outdir, 'application', 'application.k8s.yaml'), Yaml.stringify(...objects));
