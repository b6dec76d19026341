import { App } from 'cdk8s';
import { MultiOrgNetwork } from '../../../apps/multi-org/network';

// The multi-org app, unchanged but for its namespace, for the faults scenario (faults.sh).
const app = new App({ outdir: process.env.FAULTS_OUTDIR ?? 'dist' });
new MultiOrgNetwork(app, 'multi-org', { namespace: process.env.FAULTS_NAMESPACE ?? 'fabric-faults' });
app.synth();
