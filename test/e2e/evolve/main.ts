import { App } from 'cdk8s';
import { buildEvolveStep, EvolveStep } from './network';

const step = process.env.EVOLVE_STEP as EvolveStep;
if (!['v1', 'v2', 'v3', 'v4', 'dev', 'v5'].includes(step)) {
  throw new Error(`EVOLVE_STEP must be v1 to v4, dev or v5, got "${step}"`);
}
const app = new App({ outdir: process.env.EVOLVE_OUTDIR ?? 'dist' });
buildEvolveStep(app, step);
app.synth();
