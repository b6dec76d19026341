/**
 * `npm run bench`: synthesizes the reference network and a generated large network, each in its
 * own process, and prints wall time and peak memory against the floors of the project.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { GeneratedIdentities } from '../../lib';

interface Measurement { wallSeconds: number; peakMiB: number; objects: number; bytes: number }
interface Case { name: string; maxSeconds: number; maxMiB: number }

const CASES: Case[] = [
  { name: 'test-network', maxSeconds: 3, maxMiB: 1024 },
  { name: 'large', maxSeconds: 15, maxMiB: 1024 },
];

/** Runs in the child: synthesize one case to a temporary folder and report. */
function measureHere(name: string): void {
  const started = process.hrtime.bigint();
  const outdir = mkdtempSync(join(tmpdir(), `hyperkube-bench-${name}-`));
  const app = new App({ outdir });
  if (name === 'large') {
    require('./large-network').buildLargeNetwork(app);
  } else {
    const { TestNetwork } = require('../../apps/test-network/network');
    new TestNetwork(app, 'test-network', { identities: new GeneratedIdentities({ seed: GeneratedIdentities.DEVELOPMENT_SEED }) });
  }
  app.synth();
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const files = readdirSync(outdir).map((file) => join(outdir, file));
  const result: Measurement = {
    wallSeconds,
    peakMiB: process.resourceUsage().maxRSS / 1024,
    objects: app.charts.reduce((sum, chart) => sum + chart.toJson().length, 0),
    bytes: files.reduce((sum, file) => sum + statSync(file).size, 0),
  };
  process.stdout.write(JSON.stringify(result));
}

function main(): void {
  if (process.argv[2] === '--case') {
    measureHere(process.argv[3]);
    return;
  }
  let failed = false;
  console.log('case          wall (s)  floor   peak RSS (MiB)  floor   objects  YAML (MiB)');
  for (const benchCase of CASES) {
    const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--case', benchCase.name], { encoding: 'utf8' });
    const m = JSON.parse(output) as Measurement;
    const ok = m.wallSeconds < benchCase.maxSeconds && m.peakMiB < benchCase.maxMiB;
    failed ||= !ok;
    console.log(`${benchCase.name.padEnd(13)} ${m.wallSeconds.toFixed(2).padStart(8)}  <${String(benchCase.maxSeconds).padEnd(5)} ${m.peakMiB.toFixed(0).padStart(14)}  <${String(benchCase.maxMiB).padEnd(5)} ${String(m.objects).padStart(8)}  ${(m.bytes / 1048576).toFixed(1).padStart(10)}  ${ok ? 'ok' : 'ABOVE FLOOR'}`);
  }
  console.log('Wall time covers building the constructs and writing the YAML; node and TypeScript start-up are excluded.');
  process.exitCode = failed ? 1 : 0;
}

main();
