import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthMultiOrg, synthTestNetwork } from '../util';

const ROOT = join(__dirname, '..', '..');

/** Synthesizes `app` in a process of its own; returns the files it wrote and its stderr. */
function synthApp(app: string): { files: Map<string, Buffer>; stderr: string } {
  const out = mkdtempSync(join(tmpdir(), 'hyperkube-synth-'));
  const run = spawnSync(join(ROOT, 'node_modules/.bin/ts-node'), ['--transpile-only', join(ROOT, 'apps', app, 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, CDK8S_OUTDIR: out },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    throw new Error(`synth of ${app} failed (${run.status}):\n${run.stderr}`);
  }
  return { files: new Map(readdirSync(out).map((file) => [file, readFileSync(join(out, file))])), stderr: run.stderr };
}

function synthAppTo(app: string): Map<string, Buffer> {
  return synthApp(app).files;
}

describe('deterministic output', () => {
  test.each([['test-network'], ['multi-org']])('GIVEN app %s WHEN synthesized twice in separate processes THEN dist/ is byte-identical', (app) => {
    const first = synthAppTo(app);
    const second = synthAppTo(app);
    expect(first.size).toBe(1);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, bytes] of first) {
      expect(second.get(file)!.equals(bytes)).toBe(true);
    }
  }, 60_000);

  test('GIVEN the reference app, which names no seed WHEN synthesized THEN stderr warns once about the public development seed', () => {
    const { stderr } = synthApp('test-network');
    expect(stderr.match(/Hyperkube warning: FabricChart test-network uses identities from the public development seed/g)).toHaveLength(1);
  }, 60_000);

  test('GIVEN a chart WHEN synthesized twice in one process THEN the manifests are equal', () => {
    expect(JSON.stringify(synthTestNetwork().objects)).toBe(JSON.stringify(synthTestNetwork().objects));
    expect(JSON.stringify(synthMultiOrg().objects)).toBe(JSON.stringify(synthMultiOrg().objects));
  });
});
