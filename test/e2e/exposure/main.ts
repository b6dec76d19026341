import { App } from 'cdk8s';
import { Exposure } from '../../../lib';
import { MultiOrgNetwork } from '../../../apps/multi-org/network';

// The multi-org app exposed through the e2e cluster's Gateway (ingress.yaml) from its first apply:
// its nodes' TLS certificates then carry their external names from the start. exposure.sh has
// multi-org.sh synthesize this app in place of apps/multi-org/main.ts.
const app = new App();
new MultiOrgNetwork(app, 'multi-org', {
  exposure: Exposure.gatewayApi({
    domain: process.env.EXPOSURE_DOMAIN ?? 'e2e.hyperkube.test',
    port: Number(process.env.EXPOSURE_PORT ?? 30443),
    gateway: { name: 'fabric', namespace: 'hyperkube-ingress', sectionName: 'fabric-tls' },
  }),
});
app.synth();
