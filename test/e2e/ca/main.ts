import { App, Duration } from 'cdk8s';
import { FabricCaIdentities } from '../../../lib';
import { TestNetwork } from '../../../apps/test-network/network';

/**
 * The CA scenario's app: the reference network in Fabric CA mode, in namespace fabric-ca. Each
 * organization's CA issues its identities in the cluster; the manifests hold no key.
 * CA_LIFETIME_SECONDS, CA_RENEW_BEFORE_SECONDS and CA_RENEWAL_SCHEDULE shorten certificates and renew
 * them early and often, to show a renewal within the scenario.
 */
const app = new App({ outdir: process.env.CA_OUTDIR ?? 'dist' });
new TestNetwork(app, 'test-network', {
  namespace: 'fabric-ca',
  identities: new FabricCaIdentities({
    certificateLifetime: process.env.CA_LIFETIME_SECONDS ? Duration.seconds(Number(process.env.CA_LIFETIME_SECONDS)) : undefined,
    renewBefore: process.env.CA_RENEW_BEFORE_SECONDS ? Duration.seconds(Number(process.env.CA_RENEW_BEFORE_SECONDS)) : undefined,
    renewalSchedule: process.env.CA_RENEWAL_SCHEDULE,
  }),
  chaincodeImage: process.env.HYPERKUBE_CHAINCODE_IMAGE,
});
app.synth();
