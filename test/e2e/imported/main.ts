import { App } from 'cdk8s';
import { ImportedIdentities } from '../../../lib';
import { TestNetwork } from '../../../apps/test-network/network';

/**
 * The imported scenario's app: the reference network in namespace fabric-imported with the
 * identities of a folder `cryptogen generate` wrote (IMPORT_CRYPTO). Synth reads its certificates;
 * the keys reach the cluster only through the import script written beside the manifests.
 */
const app = new App({ outdir: process.env.IMPORT_OUTDIR ?? 'dist' });
new TestNetwork(app, 'test-network', {
  namespace: 'fabric-imported',
  identities: new ImportedIdentities({
    directory: process.env.IMPORT_CRYPTO ?? 'crypto-config',
    // cryptogen names the ordering org's folder after its domain alone.
    organizations: { orderer: 'ordererOrganizations/example.com' },
  }),
  // cryptogen cannot follow chaincode servers, whose names change with each revision.
  chaincodeTls: false,
  chaincodeImage: process.env.HYPERKUBE_CHAINCODE_IMAGE,
});
app.synth();
