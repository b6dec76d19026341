import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthMultiOrg, synthTestNetwork } from '../util';

const ROOT = join(__dirname, '..', '..');

function synthAppTo(app: string): Map<string, Buffer> {
  const out = mkdtempSync(join(tmpdir(), 'hyperkube-synth-'));
  execFileSync(join(ROOT, 'node_modules/.bin/ts-node'), ['--transpile-only', join(ROOT, 'apps', app, 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, CDK8S_OUTDIR: out },
  });
  return new Map(readdirSync(out).map((file) => [file, readFileSync(join(out, file))]));
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

  test('GIVEN a chart WHEN synthesized twice in one process THEN the manifests are equal', () => {
    expect(JSON.stringify(synthTestNetwork().objects)).toBe(JSON.stringify(synthTestNetwork().objects));
    expect(JSON.stringify(synthMultiOrg().objects)).toBe(JSON.stringify(synthMultiOrg().objects));
  });
});
